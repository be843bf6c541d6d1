"""Recording a screened list and the officer's decisions, on both backends."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, text

from rrms.services.core import audit
from rrms.services.core.errors import Conflict, Forbidden, Invalid, NotFound
from rrms.services.screening import decisions as screening_decisions
from rrms.services.screening.screen import screen_manifest
from rrms.storage.tables import AuditEntry, ScreeningDecision

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"
AS_OF = dt.date(2004, 11, 15)


@pytest.fixture
def report():
    return screen_manifest(EXAMPLE, AS_OF)


@pytest.fixture
def recorded(uow, actors, report):
    """The example list screened as of 2004-11-15 and recorded by a screening officer."""
    with uow() as u:
        return screening_decisions.record_screening(
            u,
            actors["screening_officer"],
            report,
            EXAMPLE.name,
            screening_decisions.file_sha256(EXAMPLE),
        )


def decision_of(uow, list_id, person_ref):
    """The stored row's id, version and decision (plain values, usable after the session)."""
    with uow() as u:
        return u.session.execute(
            select(ScreeningDecision.id, ScreeningDecision.version, ScreeningDecision.decision)
            .where(ScreeningDecision.list_id == list_id)
            .where(ScreeningDecision.person_ref == person_ref)
        ).one()


def test_every_persons_recommendation_is_stored_with_the_policy_version(
    uow, actors, report, recorded
):
    assert (recorded.policy_version, recorded.as_of, recorded.persons) == (
        "unmik-orc-2004-08",
        AS_OF,
        6,
    )
    assert recorded.screened_by == actors["screening_officer"].user_id
    with uow() as u:
        rows = u.session.scalars(
            select(ScreeningDecision)
            .where(ScreeningDecision.list_id == recorded.id)
            .order_by(ScreeningDecision.id)
        ).all()
        stored = [
            {
                "person_ref": r.person_ref,
                "family_ref": r.family_ref,
                "outcome": r.recommendation,
                "clauses": r.clauses,
                "missing": r.missing,
                "explanation": r.explanation,
            }
            for r in rows
        ]
        assert {(r.policy_version, r.decision, r.version) for r in rows} == {
            ("unmik-orc-2004-08", None, 1)
        }
    assert stored == list(report.persons())
    assert stored[2]["clauses"] == ["A1"]


def test_the_list_is_audited_once_with_its_counts(uow, recorded):
    with uow() as u:
        entries = u.session.scalars(
            select(AuditEntry).where(AuditEntry.entity.like("screening%"))
        ).all()
        assert [(e.action, e.entity, e.entity_id) for e in entries] == [
            ("create", "screening_lists", str(recorded.id))
        ]
        after = entries[0].after
    assert after["persons"] == 6 and after["families"] == 5
    assert after["summary"] == {"object": 3, "accept": 3, "review": 0, "not_applicable": 0}
    assert after["policy_version"] == "unmik-orc-2004-08"


def test_same_decision_as_recommendation_needs_no_reason(uow, actors, recorded):
    row = decision_of(uow, recorded.id, "DE-0003")
    with uow() as u:
        decided = screening_decisions.decide(
            u, actors["screening_officer"], row.id, row.version, "object", None
        )
        assert (decided.decision, decided.reason, decided.version) == ("object", None, 2)
        assert decided.decided_by == actors["screening_officer"].user_id
        assert decided.recommendation == "object" and decided.clauses == ["A1"]


def test_different_decision_needs_a_written_reason(uow, actors, recorded):
    officer = actors["screening_officer"]
    row = decision_of(uow, recorded.id, "DE-0001")
    for reason in (None, "", "   "):
        with uow() as u, pytest.raises(Invalid) as caught:
            screening_decisions.decide(u, officer, row.id, row.version, "review", reason)
        assert caught.value.field == "reason"
    assert decision_of(uow, recorded.id, "DE-0001").decision is None
    with uow() as u:
        decided = screening_decisions.decide(
            u, officer, row.id, row.version, "review", "  Interview: new medical report.  "
        )
        assert (decided.recommendation, decided.decision) == ("accept", "review")
        assert decided.reason == "Interview: new medical report."
    with uow() as u:
        entry = u.session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "screening_decisions", AuditEntry.action == "decide"
            )
        ).one()
        assert entry.entity_id == str(row.id)
        assert entry.username == "screening_officer_user"
        assert (entry.before["decision"], entry.before["reason"]) == (None, None)
        assert entry.after["decision"] == "review"
        assert entry.after["recommendation"] == "accept"
        assert entry.after["reason"] == "Interview: new medical report."
        assert list(audit.verify_chain(u.session)) == []


def test_the_database_itself_refuses_a_different_decision_without_reason(uow, recorded):
    row = decision_of(uow, recorded.id, "DE-0001")
    with uow() as u, pytest.raises(Exception, match="reason_when_differs"):
        u.session.execute(
            text("UPDATE screening_decisions SET decision = 'object' WHERE id = :id"),
            {"id": row.id},
        )


def test_stale_version_is_a_conflict(uow, actors, recorded):
    officer = actors["screening_officer"]
    row = decision_of(uow, recorded.id, "DE-0004")
    with uow() as u:
        screening_decisions.decide(u, officer, row.id, row.version, "object")
    with uow() as u, pytest.raises(Conflict):
        screening_decisions.decide(u, officer, row.id, row.version, "accept", "changed my mind")
    assert decision_of(uow, recorded.id, "DE-0004").decision == "object"


def test_unknown_decision_and_unknown_id(uow, actors, recorded):
    officer = actors["screening_officer"]
    row = decision_of(uow, recorded.id, "DE-0004")
    with uow() as u, pytest.raises(Invalid) as caught:
        screening_decisions.decide(u, officer, row.id, row.version, "maybe", "why not")
    assert caught.value.field == "decision"
    with uow() as u, pytest.raises(NotFound):
        screening_decisions.decide(u, officer, 999_999, 1, "object")


def test_only_screening_officers_decide_or_record(uow, actors, report, recorded):
    row = decision_of(uow, recorded.id, "DE-0003")
    for role in ("caseworker", "administrator"):
        with uow() as u, pytest.raises(Forbidden):
            screening_decisions.decide(u, actors[role], row.id, row.version, "object")
        with uow() as u, pytest.raises(Forbidden):
            screening_decisions.record_screening(u, actors[role], report, "x.csv", "0" * 64)


def test_listing_decisions_with_filters_and_progress(uow, actors, recorded):
    officer, admin = actors["screening_officer"], actors["administrator"]
    row = decision_of(uow, recorded.id, "DE-0005")
    with uow() as u:
        screening_decisions.decide(u, officer, row.id, 1, "review", "B4: relatives found")
    with uow() as u:
        page = screening_decisions.list_decisions(u, admin, recorded.id, limit=4)
        assert (page.total, [d.person_ref for d in page.items]) == (
            6,
            ["DE-0001", "DE-0002", "DE-0003", "DE-0004"],
        )
        objecting = screening_decisions.list_decisions(
            u, admin, recorded.id, recommendation="object", undecided=True
        )
        assert [d.person_ref for d in objecting.items] == ["DE-0003", "DE-0004"]
        done = screening_decisions.progress(u, admin, recorded.id)
    assert done.recommended == {"object": 3, "accept": 3, "review": 0, "not_applicable": 0}
    assert done.decided == {"object": 0, "accept": 0, "review": 1, "not_applicable": 0}
    assert (done.undecided, done.overridden) == (5, 1)
    with uow() as u:
        listed = u.session.scalars(
            select(AuditEntry.after).where(
                AuditEntry.entity == "screening_decisions", AuditEntry.action == "list"
            )
        ).all()
    assert len(listed) == 2 and listed[0]["filters"] == {"list_id": recorded.id}
    with uow() as u, pytest.raises(Forbidden):
        screening_decisions.list_decisions(u, actors["caseworker"], recorded.id)
    with uow() as u, pytest.raises(NotFound):
        screening_decisions.list_decisions(u, admin, 999_999)


def test_a_large_list_is_recorded_in_bulk(uow, actors, tmp_path):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    body = [line.split(",", 2)[2] for line in lines[1:]]
    rows = [f"X-{i:05d},G{i // 3},{body[i % len(body)]}" for i in range(3_000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    report = screen_manifest(big, AS_OF)
    with uow() as u:
        screened = screening_decisions.record_screening(
            u, actors["screening_officer"], report, big.name, "f" * 64
        )
    with uow() as u:
        page = screening_decisions.list_decisions(
            u, actors["screening_officer"], screened.id, limit=1, offset=2_999
        )
        assert page.total == 3_000 and page.items[0].person_ref == "X-02999"


def test_decisions_are_linked_to_persons_known_by_the_same_reference(uow, actors, report):
    from rrms.services.core import records
    from rrms.services.records.persons import PERSONS

    with uow() as u:
        known = records.create_record(
            u,
            actors["caseworker"],
            PERSONS,
            {"person_ref": "DE-0001", "family_name": "Krasniqi", "given_name": "Arben"},
        )
    with uow() as u:
        screened = screening_decisions.record_screening(
            u, actors["screening_officer"], report, EXAMPLE.name, "0" * 64
        )
    with uow() as u:
        links = dict(
            u.session.execute(
                select(ScreeningDecision.person_ref, ScreeningDecision.person_id).where(
                    ScreeningDecision.list_id == screened.id
                )
            ).all()
        )
    assert links.pop("DE-0001") == known.id
    assert set(links.values()) == {None}, "persons RRMS does not know stay unlinked"
