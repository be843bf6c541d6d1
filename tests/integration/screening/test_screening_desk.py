"""The screening officer's desk on both backends: who is on a recorded list, answers
corrected with the family screened again, decisions in bulk, and closing a list."""

import datetime as dt
import io

import pytest
from sqlalchemy import select

from rrms.services.core.audit_log import verify_audit_log
from rrms.services.core.errors import Conflict, Invalid
from rrms.services.screening import corrections
from rrms.services.screening import decisions as screening_decisions
from rrms.services.screening.decisions import DecisionEntry
from rrms.services.screening.screen import screen_manifest
from rrms.storage.tables import AuditEntry, ScreeningDecision, ScreeningList
from support.screening_lists import desk_list

AS_OF = dt.date(2004, 11, 15)


@pytest.fixture
def listed(uow, actors, tmp_path):
    """The desk list recorded under its own file name; returns the list id."""
    path = desk_list(tmp_path)
    report = screen_manifest(path, AS_OF, file_name=path.name)
    with uow() as u:
        screened = screening_decisions.record_screening(
            u, actors["screening_officer"], report, path.name, "0" * 64
        )
        return screened.id


def person(uow, list_id, ref):
    """The stored row of one person, detached (plain attribute values)."""
    with uow() as u:
        row = u.session.scalars(
            select(ScreeningDecision)
            .where(ScreeningDecision.list_id == list_id)
            .where(ScreeningDecision.person_ref == ref)
        ).one()
        u.session.expunge(row)
        return row


def test_a_recorded_list_keeps_who_is_on_it_and_its_warnings(uow, listed):
    cyrillic = person(uow, listed, "DE-0009")
    assert (
        cyrillic.family_name,
        cyrillic.given_name,
        cyrillic.birth_date,
        cyrillic.sex,
        cyrillic.community,
        cyrillic.origin_municipality,
    ) == ("Јовановић", "Милица", "1944-05", "f", "serb", "Пећ")
    assert person(uow, listed, "DE-0003").birth_date == "1960-05-12"
    with uow() as u:
        screened = u.session.get(ScreeningList, listed)
        assert screened.file_name == "Liste Oktober.csv"
        assert screened.encoding == "utf-8"
        assert [(w["column"], w["message"]) for w in screened.warnings] == [
            ("remarks", "unknown column kept as extra data")
        ]


def test_a_wrong_answer_is_corrected_and_the_family_screened_again(uow, actors, listed):
    officer = actors["screening_officer"]
    head = person(uow, listed, "DE-0007")
    assert (head.recommendation, head.missing) == ("review", ["mixed_marriage"])
    with uow() as u:
        family = corrections.answer(u, officer, head.id, "mixed_marriage", "yes")
        assert {m.person_ref: m.recommendation for m in family} == {
            "DE-0007": "object",
            "DE-0008": "object",
        }
        assert person(uow, listed, "DE-0008").clauses == ["A3b", "C"]
    with uow() as u:
        family = corrections.answer(u, officer, head.id, "mixed_marriage", "no")
        assert {m.recommendation for m in family} == {"accept"}
    with uow() as u:
        kept = corrections.answers_of(u, officer, [head.id])[head.id]["mixed_marriage"]
        assert (kept.value, kept.answered_by) == ("no", officer.user_id)
        entries = [
            (e.username, e.before, e.after)
            for e in u.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "answer").order_by(AuditEntry.id)
            )
        ]
    assert [(who, before["value"], after["value"]) for who, before, after in entries] == [
        ("screening_officer_user", None, "yes"),
        ("screening_officer_user", "yes", "no"),
    ]
    assert entries[1][2]["recommendations"] == {
        "DE-0007": ["object", "accept"],
        "DE-0008": ["object", "accept"],
    }


def test_a_changed_recommendation_asks_for_a_new_decision(uow, actors, listed):
    officer = actors["screening_officer"]
    head = person(uow, listed, "DE-0007")
    with uow() as u:
        assert screening_decisions.accept_recommendations(u, officer, listed, "family", "F7") == 2
    with uow() as u:
        corrections.answer(u, officer, head.id, "mixed_marriage", "no")
    after = person(uow, listed, "DE-0007")
    assert (after.recommendation, after.decision, after.decided_by) == ("accept", None, None)


def test_bad_questions_and_answers_name_the_field(uow, actors, listed):
    officer = actors["screening_officer"]
    head = person(uow, listed, "DE-0007")
    with uow() as u, pytest.raises(Invalid) as bad_fact:
        corrections.answer(u, officer, head.id, "family_name", "X")
    assert bad_fact.value.field == "fact"
    with uow() as u, pytest.raises(Invalid, match="'perhaps' is not an answer") as bad_value:
        corrections.answer(u, officer, head.id, "mixed_marriage", "perhaps")
    assert bad_value.value.field == "value"
    assert person(uow, listed, "DE-0007").recommendation == "review"


def test_bulk_acceptance_by_family_by_outcome_and_by_page(uow, actors, listed):
    officer = actors["screening_officer"]
    with uow() as u:
        assert screening_decisions.accept_recommendations(u, officer, listed, "family", "F7") == 2
    with uow() as u:
        done = screening_decisions.accept_recommendations(u, officer, listed, "accept_or_object")
    assert done == 7  # F1 (2), DE-0003, DE-0004, DE-0005, DE-0006 and DE-0009
    with uow() as u:
        decided = [
            e.username
            for e in u.session.scalars(select(AuditEntry).where(AuditEntry.action == "decide"))
        ]
        progress = screening_decisions.progress_of(u, officer, [listed])[listed]
    assert len(decided) == 9 and set(decided) == {"screening_officer_user"}
    assert progress.decided == {"object": 4, "accept": 3, "review": 2, "not_applicable": 0}
    assert (progress.undecided, progress.overridden) == (0, 0)
    # A page shown before someone else decided is refused as a whole.
    stale = person(uow, listed, "DE-0001")
    with uow() as u:
        assert (
            screening_decisions.accept_recommendations(
                u, officer, listed, "page", shown={stale.id: stale.version}
            )
            == 0
        )


def test_a_bulk_acceptance_keeps_the_audit_chain_whole(uow, actors, listed):
    officer = actors["screening_officer"]
    with uow() as u:
        before = verify_audit_log(u, actors["administrator"]).entries
    with uow() as u:
        done = screening_decisions.accept_recommendations(u, officer, listed, "accept_or_object")
    with uow() as u:
        report = verify_audit_log(u, actors["administrator"])
        entries = list(
            u.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "decide").order_by(AuditEntry.id)
            )
        )
        rows = {
            row.id: row
            for row in u.session.scalars(
                select(ScreeningDecision).where(ScreeningDecision.list_id == listed)
            )
        }
        assert report.problems == () and report.entries >= before + done
        # One entry per person, each holding the person's decision before and after.
        assert len(entries) == done == len({e.entity_id for e in entries})
        for entry in entries:
            row = rows[int(entry.entity_id)]
            assert entry.before["decision"] is None and entry.before["version"] == row.version - 1
            assert entry.after["decision"] == row.recommendation == row.decision
            assert entry.after["version"] == row.version and "cells" not in entry.after
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]


def test_a_page_with_a_stale_person_is_refused(uow, actors, listed):
    officer = actors["screening_officer"]
    first, second = person(uow, listed, "DE-0001"), person(uow, listed, "DE-0002")
    with uow() as u:
        screening_decisions.decide(u, officer, second.id, second.version, "accept")
    with uow() as u:
        assert (
            screening_decisions.accept_recommendations(
                u, officer, listed, "page", shown={first.id: first.version, second.id: 1}
            )
            == 1
        )  # the decided one is left as it is
    # A person screened again since the page was shown (their version moved on) refuses
    # the whole page: nobody accepts a recommendation they have not seen.
    head, fourth = person(uow, listed, "DE-0007"), person(uow, listed, "DE-0004")
    with uow() as u:
        corrections.answer(u, officer, head.id, "mixed_marriage", "yes")
    with uow() as u, pytest.raises(Conflict, match="DE-0007 was changed"):
        screening_decisions.accept_recommendations(
            u, officer, listed, "page", shown={fourth.id: fourth.version, head.id: head.version}
        )
    assert person(uow, listed, "DE-0004").decision is None


def test_each_differing_decision_needs_its_reason(uow, actors, listed):
    officer = actors["screening_officer"]
    first, second = person(uow, listed, "DE-0003"), person(uow, listed, "DE-0004")
    entries = [
        DecisionEntry(first.id, first.version, "object"),
        DecisionEntry(second.id, second.version, "accept"),
    ]
    with uow() as u, pytest.raises(Invalid, match="DE-0004 differs") as missing:
        screening_decisions.decide_many(u, officer, listed, entries)
    assert missing.value.field == "reason"
    assert person(uow, listed, "DE-0003").decision is None  # all or none
    entries[1] = DecisionEntry(second.id, second.version, "accept", "family in Prizren now")
    with uow() as u:
        screening_decisions.decide_many(u, officer, listed, entries)
    assert person(uow, listed, "DE-0004").reason == "family in Prizren now"


def test_a_closed_list_is_frozen(uow, actors, listed):
    officer = actors["screening_officer"]
    with uow() as u, pytest.raises(Invalid, match="9 person\\(s\\) of 'Liste Oktober.csv'"):
        screening_decisions.close_list(u, officer, listed)
    with uow() as u:
        screening_decisions.accept_recommendations(
            u, officer, listed, "page", shown={person(uow, listed, "DE-0007").id: 1}
        )
        screening_decisions.accept_recommendations(u, officer, listed, "family", "F7")
        screening_decisions.accept_recommendations(u, officer, listed, "accept_or_object")
    with uow() as u:
        closed = screening_decisions.close_list(u, officer, listed)
        assert closed.closed_by == officer.user_id
    head = person(uow, listed, "DE-0007")
    for attempt in (
        lambda u: corrections.answer(u, officer, head.id, "mixed_marriage", "yes"),
        lambda u: screening_decisions.decide(u, officer, head.id, head.version, "object", "x"),
        lambda u: screening_decisions.accept_recommendations(u, officer, listed, "family", "F7"),
        lambda u: screening_decisions.close_list(u, officer, listed),
    ):
        with uow() as u, pytest.raises(Conflict, match="was closed on"):
            attempt(u)
    with uow() as u:
        assert u.session.scalars(select(AuditEntry).where(AuditEntry.action == "close")).one()


def test_the_printed_result_names_the_list_and_shows_who_and_the_warnings(tmp_path):
    path = desk_list(tmp_path)
    report = screen_manifest(path, AS_OF, file_name="Liste Oktober.csv")
    page = io.StringIO()
    report.write_html(page)
    html = page.getvalue()
    assert "<code>Liste Oktober.csv</code>" in html
    assert "Јовановић Милица" in html and "1944-05" in html
    assert "unknown column kept as extra data" in html and "Encoding detected: UTF-8" in html
