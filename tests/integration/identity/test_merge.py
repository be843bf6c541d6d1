"""The register deduplicated, on SQLite and PostgreSQL: `find_duplicates` queues pairs
once, "not the same person" closes a pair for good, a merge moves every record of both
persons to one (the caps checked again, a breach shown), and unmerge gives back both
persons exactly as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.core.errors import Conflict, Forbidden, NotFound
from rrms.services.identity.duplicates import find_duplicates, mark_not_same, queue, queued_pair
from rrms.services.identity.merge import merge_pair, merge_view, unmerge
from rrms.services.programmes.confidential import CONFIDENTIAL_CASES
from rrms.storage.queries.duplicates import MEMBERSHIPS, PERSON_REFERENCES, reference_key
from rrms.storage.queries.rows import column_values
from rrms.storage.tables import (
    AuditEntry,
    Base,
    FamilyMember,
    Person,
)
from rrms.storage.unit_of_work import UnitOfWork
from support.duplicates import one_person_twice

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


@pytest.fixture
def two_records_of_one_person(uow: Uow, actors: dict[str, Actor]) -> dict[str, int]:
    """Agim Xhaferi twice, with records of every kind, and his brother."""
    return one_person_twice(uow, actors["caseworker"], actors["programme_manager"])


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
    assert queued.model == run.model.label == "kosovo-synthetic 3"
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
        entry = u.session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
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
        entry = u.session.scalars(select(AuditEntry).where(AuditEntry.action == "unmerge")).one()
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


def test_the_command_queues_once_names_the_model_and_is_audited(
    monkeypatch, database_url, uow, actors, two_records_of_one_person
):
    import json

    from typer.testing import CliRunner

    from rrms.cli.main import app

    ids = two_records_of_one_person
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    first = CliRunner().invoke(
        app, ["dedupe", "persons", "--format", "json", "--as", "caseworker_user"]
    )
    assert first.exit_code == 0, first.output
    answer = json.loads(first.stdout)
    assert answer["persons_compared"] == 3
    assert answer["model"]["name"] == "kosovo-synthetic" and answer["model"]["engine"] == "duckdb"
    assert [(p["left_person_id"], p["right_person_id"]) for p in answer["queued"]] == [
        (ids["first"], ids["second"])
    ]
    second = CliRunner().invoke(app, ["dedupe", "persons", "--as", "caseworker_user"])
    assert second.exit_code == 0, second.output
    assert "0 new in the review queue, 1 already queued or decided" in second.stdout
    assert "model kosovo-synthetic 3" in second.stdout
    refused = CliRunner().invoke(app, ["dedupe", "persons", "--as", "reporting_user"])
    assert refused.exit_code == 2 and "may not" in refused.stderr
    with uow() as u:
        runs = u.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "dedupe").order_by(AuditEntry.id)
        ).all()
        assert [run.after["pairs_already_known"] for run in runs] == [0, 1]
        assert runs[0].after["model"] == "kosovo-synthetic 3"
