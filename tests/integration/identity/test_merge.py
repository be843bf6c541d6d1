"""The register deduplicated, on SQLite and PostgreSQL: `find_duplicates` queues pairs
once, "not the same person" closes a pair for good, a merge moves every record of both
persons to one (the caps checked again, a breach shown), and unmerge gives back both
persons exactly as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.core.errors import Conflict, Forbidden, NotFound
from rrms.services.identity.duplicates import find_duplicates, mark_not_same, queue, queued_pair
from rrms.services.identity.merge import merge_pair, merge_view, unmerge
from rrms.services.programmes.assistance import ASSISTANCE
from rrms.services.programmes.confidential import CONFIDENTIAL_CASES
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.consents import CONSENTS
from rrms.services.records.corrections import CORRECTION_REQUESTS
from rrms.services.records.documents import DOCUMENTS
from rrms.services.records.persons import PERSONS
from rrms.storage.queries.duplicates import MEMBERSHIPS, PERSON_REFERENCES, reference_key
from rrms.storage.queries.rows import column_values
from rrms.storage.tables import (
    AuditEntry,
    Base,
    Family,
    FamilyMember,
    HousingReconstruction,
    Person,
    Programme,
    Project,
    Return,
    ScreeningDecision,
    ScreeningList,
)
from rrms.storage.unit_of_work import UnitOfWork

Uow = Callable[[], UnitOfWork]
CHANGING = ("version", "updated_at")
"""Columns a move changes on its own: the optimistic lock and the time of the change."""


def test_every_foreign_key_to_persons_is_moved_by_a_merge():
    """A new table naming a person must be handled by the merge, or this fails."""
    naming_persons = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "persons"
    }
    handled = {reference_key(table, column) for table, column in PERSON_REFERENCES}
    handled.add(reference_key(*MEMBERSHIPS))
    assert naming_persons == handled


def _person(u: UnitOfWork, actor: Actor, **values: Any) -> Person:
    return records.create_record(u, actor, PERSONS, values)


def _return(u: UnitOfWork, person_id: int, ref: str) -> None:
    u.session.add(
        Return(
            movement_ref=ref,
            person_id=person_id,
            return_type="forced",
            sending_country="GB",
            transport_mode="air",
            arrival_date=dt.date(2004, 6, 1),
            destination_municipality="17",
        )
    )
    u.session.flush()


@pytest.fixture
def two_records_of_one_person(uow: Uow, actors: dict[str, Actor]) -> dict[str, int]:
    """Agim Xhaferi, recorded twice (once as 'Džaferi'), each record with records of
    every kind; and his brother, who is not him. VARRP caps support at 1,000 GBP: 800
    was requested for one record, 600 for the other."""
    worker, manager = actors["caseworker"], actors["programme_manager"]
    with uow() as u:
        seed_programmes(u)
        u.commit()
        varrp = u.session.scalar(select(Programme.id).where(Programme.code == "VARRP"))
        first = _person(
            u,
            worker,
            person_ref="R-1",
            family_name="Xhaferi",
            given_name="Agim",
            father_name="Bajram",
            sex="m",
            birth_date="1980-05-12",
            community="albanian",
            origin_municipality="Pejë",
        )
        second = _person(
            u,
            worker,
            family_name="Džaferi",
            given_name="Agim",
            father_name="Bajram",
            sex="m",
            birth_date="1980-05-12",
            community="albanian",
            origin_municipality="Peć",
            origin_settlement="Vitomiricë",
        )
        brother = _person(
            u,
            worker,
            person_ref="R-3",
            family_name="Xhaferi",
            given_name="Arben",
            father_name="Bajram",
            sex="m",
            birth_date="1983-02-03",
            community="albanian",
            origin_municipality="Pejë",
        )
        ids = {"first": first.id, "second": second.id, "brother": brother.id}
        family = Family(family_ref="F-XH")
        other_family = Family(family_ref="F-XH-DE")
        u.session.add_all([family, other_family])
        u.session.flush()
        u.session.add_all(
            [
                FamilyMember(family_id=family.id, person_id=first.id, relationship_to_head="head"),
                FamilyMember(family_id=family.id, person_id=second.id, relationship_to_head="head"),
                FamilyMember(
                    family_id=family.id, person_id=brother.id, relationship_to_head="sibling"
                ),
                FamilyMember(
                    family_id=other_family.id, person_id=second.id, relationship_to_head="head"
                ),
            ]
        )
        for person_id, ref in ((first.id, "MV-1"), (second.id, "MV-2")):
            _return(u, person_id, ref)
        listed = ScreeningList(
            file_name="de.csv",
            file_sha256="0" * 64,
            sending_country="DE",
            policy_version="unmik-orc-2004-08",
            as_of=dt.date(2004, 5, 1),
            screened_by=worker.user_id,
            screened_at=dt.datetime(2004, 5, 1, tzinfo=dt.UTC),
            persons=1,
        )
        u.session.add(listed)
        u.session.flush()
        u.session.add(
            ScreeningDecision(
                list_id=listed.id,
                person_ref="DE-1",
                family_ref="DE-F1",
                person_id=second.id,
                policy_version="unmik-orc-2004-08",
                recommendation="accept",
                clauses=[],
                missing=[],
                explanation="",
            )
        )
        u.session.add(
            Project(
                programme_id=varrp,
                name="Bakery",
                sector="food",
                scope="individual",
                approved_on=dt.date(2004, 7, 1),
                person_id=second.id,
            )
        )
        u.session.add(
            HousingReconstruction(
                programme_id=varrp,
                house_ref="H-1",
                municipality="17",
                village="Vitomiricë",
                head_person_id=second.id,
            )
        )
        u.commit()
        for person_id, number in ((first.id, "P1234567"), (second.id, "KS998877")):
            records.create_record(
                u, worker, DOCUMENTS, {"person_id": person_id, "kind": "passport", "number": number}
            )
        records.create_record(
            u,
            worker,
            CONSENTS,
            {
                "person_id": second.id,
                "purpose": "case_management",
                "scope": ["identity"],
                "recipients": ["IOM"],
                "given_on": dt.date(2004, 6, 2),
            },
        )
        records.create_record(
            u, worker, CORRECTION_REQUESTS, {"person_id": second.id, "what": "the birth place"}
        )
        for person_id, amount in ((first.id, "800"), (second.id, "600")):
            row = records.create_record(
                u,
                worker,
                ASSISTANCE,
                {
                    "person_id": person_id,
                    "programme_id": varrp,
                    "kind": "reintegration_grant",
                    "amount": Decimal(amount),
                    "currency": "GBP",
                    "requested_on": dt.date(2004, 10, 1),
                },
            )
            records.update_record(u, manager, ASSISTANCE, row.id, row.version, {"status": "approved"})
    return ids


def _holdings(u: UnitOfWork, person_id: int) -> dict[str, Any]:
    """Every row about the person: their own and every row that names them."""
    session = u.session
    session.expire_all()
    person = session.get(Person, person_id)
    found: dict[str, Any] = {
        "persons": None
        if person is None
        else {k: v for k, v in column_values(person).items() if k not in CHANGING}
    }
    for table, column in PERSON_REFERENCES:
        rows = session.scalars(
            select(table).where(getattr(table, column) == person_id).order_by(table.id)  # type: ignore[attr-defined]
        )
        found[reference_key(table, column)] = [
            {k: v for k, v in column_values(row).items() if k not in CHANGING} for row in rows
        ]
    members = session.scalars(
        select(FamilyMember)
        .where(FamilyMember.person_id == person_id)
        .order_by(FamilyMember.family_id)
    )
    found["family_members"] = [column_values(row) for row in members]
    return found


def _run(uow: Uow, actor: Actor) -> Any:
    with uow() as u:
        return find_duplicates(u, actor)


def test_queue_merge_and_unmerge_round_trip(uow, actors, two_records_of_one_person):
    ids = two_records_of_one_person
    worker = actors["caseworker"]
    run = _run(uow, worker)
    assert run.persons == 3
    assert [(p.left_person_id, p.right_person_id) for p in run.queued] == [
        (ids["first"], ids["second"])
    ]
    queued = run.queued[0]
    assert queued.model == run.model.label == "kosovo-synthetic 1"
    assert queued.evidence["family_name"] == "same after transliteration"
    assert queued.evidence["birth_date"] == "same date"
    with uow() as u:
        before = {key: _holdings(u, person_id) for key, person_id in ids.items()}
    assert before["second"]["family_members"] and before["second"]["projects.person_id"]

    with uow() as u:
        merge = merge_pair(u, worker, queued.id, queued.version, keep=ids["first"])
    with uow() as u:
        kept = _holdings(u, ids["first"])
        gone = _holdings(u, ids["second"])
        assert gone["persons"] is None
        assert all(rows == [] for key, rows in gone.items() if key != "persons")
        # Every record of both is the kept person's now.
        for key, rows in before["second"].items():
            if key in ("persons", "family_members"):
                continue
            moved_ids = {row["id"] for row in rows}
            assert moved_ids <= {row["id"] for row in kept[key]}, key
            assert sorted(merge.moved.get(key, [])) == sorted(moved_ids), key
        # Both were heads of F-XH: one membership remains; F-XH-DE moved.
        assert len(kept["family_members"]) == 2
        assert [m["dropped"] for m in merge.memberships] == [True, False]
        # A blank field took the other record's value; a known one kept its own.
        assert kept["persons"]["origin_settlement"] == "Vitomiricë"
        assert kept["persons"]["family_name"] == "Xhaferi"
        # 800 + 600 GBP under VARRP's 1,000 GBP cap: shown, not refused.
        assert merge.cap_breaches == [
            {
                "programme": "VARRP",
                "cap": "1,000.00 GBP",
                "used": "1,400.00 GBP",
                "excess": "400.00 GBP",
            }
        ]
        view = merge_view(u, worker, merge.id)
        assert view.kept is not None and view.kept.id == ids["first"]
        assert view.merged_name == "Džaferi Agim"
        entry = u.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "merge")
        ).one()
        assert entry.entity == "persons" and entry.entity_id == str(ids["first"])
        assert entry.after["kept_person_id"] == ids["first"]
        assert entry.after["merged_person_id"] == ids["second"]
        assert entry.after["cap_breaches"] == merge.cap_breaches
        # The pair left the queue; a pair naming a merged-away person is not found.
        assert queue(u, worker)[1] == 0
        with pytest.raises(NotFound):
            queued_pair(u, worker, queued.id)

    with uow() as u:
        unmerge(u, worker, merge.id, merge.version)
    with uow() as u:
        after = {key: _holdings(u, person_id) for key, person_id in ids.items()}
        assert after == before
        entry = u.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "unmerge")
        ).one()
        assert entry.after["restored_person_id"] == ids["second"]
        rows, total = queue(u, worker)
        assert total == 1 and rows[0].pair.status == "open"
    with uow() as u, pytest.raises(Conflict, match="already undone"):
        again = u.duplicates.merge(merge.id)
        assert again is not None
        unmerge(u, worker, merge.id, again.version)


def test_not_the_same_person_is_never_proposed_again(uow, actors, two_records_of_one_person):
    worker = actors["caseworker"]
    queued = _run(uow, worker).queued[0]
    assert _run(uow, worker).queued == []  # already waiting: not queued twice
    with uow() as u:
        mark_not_same(u, worker, queued.id, queued.version)
    with uow() as u:
        assert queue(u, worker)[1] == 0
        rows, total = queue(u, worker, status="not_same")
        assert total == 1 and rows[0].pair.decided_by == "caseworker_user"
    again = _run(uow, worker)
    assert again.queued == [] and again.already_known == 1
    with uow() as u, pytest.raises(Conflict, match="already decided"):
        pair = u.duplicates.pair(queued.id)
        assert pair is not None
        merge_pair(u, worker, queued.id, pair.version, keep=queued.left_person_id)


def test_roles_and_confidential_cases(uow, actors, two_records_of_one_person):
    ids = two_records_of_one_person
    queued = _run(uow, actors["caseworker"]).queued[0]
    for role in ("screening_officer", "reporting", "medical", "counter_trafficking"):
        with uow() as u, pytest.raises(Forbidden):
            queue(u, actors[role])
    with uow() as u, pytest.raises(Forbidden):
        find_duplicates(u, actors["programme_manager"])
    with uow() as u, pytest.raises(Forbidden):
        merge_pair(u, actors["programme_manager"], queued.id, queued.version, ids["first"])
    with uow() as u:
        assert queue(u, actors["programme_manager"])[1] == 1
    # Once one of the two is the subject of a confidential case, nobody outside the
    # unit may learn of the pair: not in the queue, not by id.
    with uow() as u:
        records.create_record(
            u,
            actors["medical"],
            CONFIDENTIAL_CASES,
            {
                "person_id": ids["second"],
                "case_type": "complex_medical_case",
                "opened_on": dt.date(2004, 9, 1),
            },
        )
    with uow() as u:
        assert queue(u, actors["caseworker"])[1] == 0
        with pytest.raises(NotFound):
            queued_pair(u, actors["administrator"], queued.id)
        with pytest.raises(NotFound):
            merge_pair(u, actors["caseworker"], queued.id, queued.version, ids["first"])
