"""A check reads only the register's persons whom the model's blocking rules could pair
with the incoming record, on SQLite and PostgreSQL: the name keys are stored and kept
in step with every write, a person stored without them is still read, and the model's
prior is the whole register's."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update

from rrms.domain.partial_date import PartialDate
from rrms.reference.identity import IdentityFields, identity_fields, name_keys
from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.identity.engine import score
from rrms.services.identity.link import name_blocks, register_candidates
from rrms.services.identity.model import shipped_model
from rrms.services.identity.records import identity_records
from rrms.services.records.persons import PERSONS
from rrms.storage.queries.identity import NameBlocks
from rrms.storage.tables import Person
from rrms.storage.unit_of_work import UnitOfWork
from support.kosovo_persons import link_sets

Uow = Callable[[], UnitOfWork]


def add(uow: Uow, actor: Actor, ref: str, family: str, given: str, **more: str) -> int:
    with uow() as u:
        values = {"person_ref": ref, "family_name": family, "given_name": given, **more}
        return records.create_record(u, actor, PERSONS, values).id


def keys_of(uow: Uow, person_id: int) -> tuple[str | None, str | None]:
    with uow() as u:
        row = u.session.execute(
            select(Person.family_key, Person.given_key).where(Person.id == person_id)
        ).one()
        return row.family_key, row.given_key


def test_name_keys_follow_every_change_of_a_name(uow: Uow, actors: dict[str, Actor]) -> None:
    caseworker = actors["caseworker"]
    person_id = add(uow, caseworker, "R-1", "Xhaferi", "Agim")
    assert keys_of(uow, person_id) == name_keys("Xhaferi", "Agim")
    assert name_keys("Xhaferi", "Agim") == name_keys("Џафери", "Агим")  # one key, any script
    with uow() as u:
        stored = records.get_record(u, caseworker, PERSONS, person_id)
        records.update_record(
            u, caseworker, PERSONS, person_id, stored.version, {"family_name": "Krasniqi"}
        )
    assert keys_of(uow, person_id) == name_keys("Krasniqi", "Agim")


def test_a_check_reads_the_persons_the_blocking_rules_could_pair(
    uow: Uow, actors: dict[str, Actor]
) -> None:
    caseworker = actors["caseworker"]
    born = {"birth_date": "1980-05-12"}
    add(uow, caseworker, "R-1", "Xhaferi", "Agim")  # both names
    add(uow, caseworker, "R-2", "Agim", "Xhaferi")  # both names, swapped
    add(uow, caseworker, "R-3", "Xhaferi", "Drita", **born)  # family name and year
    add(uow, caseworker, "R-4", "Xhaferi", "Besa", birth_date="1975")  # family name only
    add(uow, caseworker, "R-5", "Krasniqi", "Agim", **born)  # given name and year
    add(uow, caseworker, "R-6", "Hoxha", "Agim", origin_municipality="Peć")  # and place
    add(uow, caseworker, "R-7", "Berisha", "Agim", origin_municipality="Prizren")
    unkeyed = add(uow, caseworker, "R-8", "Morina", "Fatime")
    with uow() as u:  # as a row written before the keys were
        u.session.execute(
            update(Person)
            .where(Person.id == unkeyed)
            .values(family_key=None, given_key=None)
            .execution_options(synchronize_session=False)
        )
        u.commit()
    incoming = identity_fields(
        family_name="Dschaferi",
        given_name="Agim",
        birth_date=PartialDate.parse("12.05.1980"),
        municipality="Pejë",
    )
    with uow() as u:
        found = register_candidates(u, [("L1", incoming)])
        whole = register_candidates(u, [("L2", identity_fields(birth_place="Pejë"))])
    assert sorted(ref for ref, _ in found.records) == ["R-1", "R-2", "R-3", "R-5", "R-6", "R-8"]
    assert found.population == 8
    assert len(whole.records) == 8  # an incoming record without a name: the whole register


def _blocked(fields: IdentityFields, blocks: NameBlocks) -> bool:
    """What `persons_for_linkage` selects, for a record in memory."""
    family, given = fields.family_key, fields.given_key
    return (
        family is None
        or given is None
        or (family, fields.birth_year) in blocks.family_year
        or (family, given) in blocks.family_given
        or (given, fields.birth_year) in blocks.given_year
        or (given, fields.municipality) in blocks.given_place
    )


def test_the_candidates_lose_no_pair_the_whole_register_finds() -> None:
    register_rows, list_rows, _ = link_sets(4_000, 800, seed=515)
    register = identity_records(register_rows)
    listed = identity_records(list_rows)
    blocks = name_blocks(listed)
    assert blocks is not None
    candidates = [record for record in register if _blocked(record[1], blocks)]
    assert len(candidates) < len(register) / 3
    model = shipped_model()
    whole = score(model, listed, register, 0.3)
    narrowed = score(model, listed, candidates, 0.3, population=len(register))
    assert len(whole) > 50
    assert sorted((p.left, p.right, round(p.probability, 6)) for p in narrowed) == sorted(
        (p.left, p.right, round(p.probability, 6)) for p in whole
    )
