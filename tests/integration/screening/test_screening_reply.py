"""The reply to the sending state and the decisions export, on both backends.

The letter's PDF is read back as text (pypdfium2), the workbooks with openpyxl: every
person's name and every objection's quoted clause must be in them, taken from the
recorded decisions, and each generation must leave an audit entry.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from rrms.policy.versions import PolicyCatalogue
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.screening import decisions as screening_decisions
from rrms.services.screening import reply
from rrms.storage.tables import AuditEntry, ScreeningDecision
from support.pdf_text import pdf_text, squeeze

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"
AS_OF = dt.date(2004, 11, 15)
NAMES = {
    "DE-0001": ("Krasniqi Arben", "1975-03-14"),
    "DE-0002": ("Krasniqi Vjosa", "1978"),
    "DE-0003": ("Jovanović Dragan", "12.05.1960"),
    "DE-0004": ("Berisha Fatmir", "1981"),
    "DE-0005": ("Gashi Shpresa", "1939"),
    "DE-0006": ("Hoxha Besnik", "1990-07-01"),
}


def sheet_rows(body: bytes, name: str) -> list[dict[str, str]]:
    rows = list(load_workbook(io.BytesIO(body))[name].iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    return [dict(zip(header, [cell or "" for cell in row], strict=True)) for row in rows[2:]]


@pytest.fixture(autouse=True)
def private_data(tmp_path, monkeypatch):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "private"))


def record(uow, officer, path=EXAMPLE, name=EXAMPLE.name):
    with uow() as u:
        screened, _ = screening_decisions.screen_and_record(u, officer, path, AS_OF, name)
        return screened.id


def decide_all_as_recommended(uow, officer, list_id):
    with uow() as u:
        rows = u.session.scalars(
            select(ScreeningDecision).where(ScreeningDecision.list_id == list_id)
        ).all()
        plan = [(r.id, r.version, r.recommendation) for r in rows]
    for decision_id, version, outcome in plan:
        with uow() as u:
            screening_decisions.decide(u, officer, decision_id, version, outcome)


def decision_of(uow, list_id, person_ref):
    with uow() as u:
        row = u.session.execute(
            select(ScreeningDecision.id, ScreeningDecision.version)
            .where(ScreeningDecision.list_id == list_id)
            .where(ScreeningDecision.person_ref == person_ref)
        ).one()
        return row.id, row.version


def objections(uow, list_id):
    """Per objected person, the clauses the recorded objection cites, with their text
    from the policy itself."""
    policy = PolicyCatalogue.bundled().get("unmik-orc-2004-08")
    with uow() as u:
        rows = u.session.scalars(
            select(ScreeningDecision)
            .where(ScreeningDecision.list_id == list_id)
            .where(ScreeningDecision.decision == "object")
        ).all()
        return {r.person_ref: {c: policy.clause(c).text for c in r.clauses} for r in rows}


def objection_texts(uow, list_id):
    """Every clause id the recorded objections cite, with its text."""
    return {c: text for cited in objections(uow, list_id).values() for c, text in cited.items()}


def reply_reads(uow, list_id):
    with uow() as u:
        return u.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == "screening_lists")
            .where(AuditEntry.entity_id == str(list_id))
            .where(AuditEntry.action == "read")
        )


def test_the_letter_names_every_person_and_quotes_every_objection(uow, actors):
    officer = actors["screening_officer"]
    list_id = record(uow, officer)
    decide_all_as_recommended(uow, officer, list_id)
    quoted = objection_texts(uow, list_id)
    assert quoted, "the example list has an objection (DE-0003, clause A1)"
    with uow() as u:
        letter = reply.reply_letter(u, officer, list_id, "pdf", "en")
    assert letter.file_name == "manifest-example-reply-en.pdf"
    text = pdf_text(letter.body)
    for ref, (name, born) in NAMES.items():
        assert squeeze(name) in text and squeeze(born) in text and ref in text
    for clause_id, clause in quoted.items():
        assert squeeze(clause) in text and f"Clause{clause_id}" in text
    for header in ("manifest-example.csv", "unmik-orc-2004-08", "Screening_Officer", "Germany"):
        assert squeeze(header) in text
    assert "Pending" not in text  # every person decided


def test_the_workbook_says_the_same_for_the_sending_states_systems(uow, actors):
    officer = actors["screening_officer"]
    list_id = record(uow, officer)
    decide_all_as_recommended(uow, officer, list_id)
    objected = objections(uow, list_id)
    assert len(objected) == 3, "DE-0003 (A1), DE-0004 (A2) and DE-0005 (B4)"
    with uow() as u:
        body = reply.reply_letter(u, officer, list_id, "xlsx", "en").body
    persons = {row["person_ref"]: row for row in sheet_rows(body, "persons")}
    assert {ref: (p["name"], p["birth_date"]) for ref, p in persons.items()} == NAMES
    for ref, cited in objected.items():
        assert persons[ref]["decision"] == "not_accepted"
        assert persons[ref]["clauses"].split() == list(cited)
        for clause in cited.values():
            assert clause in persons[ref]["clause_text"]
    about = {row["field"]: row["value"] for row in sheet_rows(body, "list")}
    assert about["List"] == "manifest-example.csv"
    assert about["Policy version"] == "unmik-orc-2004-08"


def test_a_german_speaking_state_gets_german_headings_around_the_english_clauses(uow, actors):
    officer = actors["screening_officer"]
    list_id = record(uow, officer)
    decide_all_as_recommended(uow, officer, list_id)
    with uow() as u:
        assert reply.reply_languages(u, officer, list_id) == ("en", "de")
        text = pdf_text(reply.reply_letter(u, officer, list_id, "pdf", "de").body)
    for heading in ("Antwort auf die Rückführungsliste", "Entscheidung", "Begründung"):
        assert squeeze(heading) in text
    assert "Rückführungnichtakzeptiert" in text and "Deutschland" in text
    for clause in objection_texts(uow, list_id).values():
        assert squeeze(clause) in text  # quoted in the policy's language


def test_a_state_that_does_not_speak_german_gets_english_only(uow, actors, tmp_path):
    officer = actors["screening_officer"]
    french = tmp_path / "liste.csv"
    french.write_text(EXAMPLE.read_text(encoding="utf-8").replace(",DE,", ",FR,"), "utf-8")
    list_id = record(uow, officer, french, "liste.csv")
    with uow() as u:
        assert reply.reply_languages(u, officer, list_id) == ("en",)
        with pytest.raises(Invalid) as refused:
            reply.reply_letter(u, officer, list_id, "pdf", "de")
    assert refused.value.field == "language"


def test_a_partly_decided_list_lists_the_undecided_as_pending_with_their_questions(
    uow, actors, tmp_path
):
    officer = actors["screening_officer"]
    unanswered = tmp_path / "unanswered.csv"
    unanswered.write_text(  # DE-0001's questions left blank: the engine asks them
        EXAMPLE.read_text(encoding="utf-8").replace(
            "Prishtinë,,forced,DE,no,no,no,no,no,no,,no,,,yes,,,\n",
            "Prishtinë,,forced,DE,,,,,,,,,,,,,,\n",
            1,
        ),
        "utf-8",
    )
    list_id = record(uow, officer, unanswered, "unanswered.csv")
    with uow() as u:
        letter = reply.reply_to_sending_state(u, officer, list_id)
    assert not letter.complete
    assert {p.status for p in letter.persons} == {"pending"}
    review = [p for p in letter.persons if p.open_questions]
    assert review, "the example list has open questions"
    with uow() as u:
        text = pdf_text(reply.reply_letter(u, officer, list_id, "pdf", "en").body)
    assert "Openquestions" in text
    for person in review:
        for column in person.open_questions:
            assert f"({column})" in text


def test_a_changed_decision_changes_the_next_letter_and_each_one_is_audited(uow, actors):
    officer = actors["screening_officer"]
    list_id = record(uow, officer)
    decide_all_as_recommended(uow, officer, list_id)
    before = reply_reads(uow, list_id)
    with uow() as u:
        first = sheet_rows(reply.reply_letter(u, officer, list_id, "xlsx", "en").body, "persons")
    assert next(r for r in first if r["person_ref"] == "DE-0001")["decision"] == "accepted"
    decision_id, version = decision_of(uow, list_id, "DE-0001")
    reason = "Protection problems reported after the list was sent " + "word " * 600 + "LASTWORD"
    with uow() as u:
        screening_decisions.decide(u, officer, decision_id, version, "object", reason)
    with uow() as u:
        second = reply.reply_letter(u, officer, list_id, "xlsx", "en").body
    with uow() as u:
        text = pdf_text(reply.reply_letter(u, officer, list_id, "pdf", "en").body)
    changed = next(r for r in sheet_rows(second, "persons") if r["person_ref"] == "DE-0001")
    assert (changed["decision"], changed["reason"]) == ("not_accepted", reason)
    assert "LASTWORD" in text  # a long reason wraps and is never cut off
    assert reply_reads(uow, list_id) == before + 3


def test_the_recorded_decisions_export_is_formula_safe_and_audited(uow, actors, tmp_path):
    officer = actors["screening_officer"]
    risky = tmp_path / "risky.csv"
    risky.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("Krasniqi,Arben", '=HYPERLINK("x"),Arben'),
        "utf-8",
    )
    list_id = record(uow, officer, risky, "risky.csv")
    decide_all_as_recommended(uow, officer, list_id)
    before = reply_reads(uow, list_id)
    with uow() as u:
        exported = reply.export_decisions(u, officer, list_id, "csv")
        workbook = reply.export_decisions(u, officer, list_id, "xlsx")
    assert exported.file_name == "risky-decisions.csv"
    rows = list(csv.DictReader(io.StringIO(exported.body.decode("utf-8-sig"))))[1:]
    by_ref = {row["person_ref"]: row for row in rows}
    assert by_ref["DE-0001"]["name"] == '\'=HYPERLINK("x") Arben'
    assert by_ref["DE-0003"]["decision"] == "object"
    assert by_ref["DE-0003"]["decided_by"] == "screening_officer_user"
    sheet = load_workbook(io.BytesIO(workbook.body))["decisions"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value]
    assert not any(c.data_type == "f" for c in cells)
    assert reply_reads(uow, list_id) == before + 2


@pytest.mark.parametrize("role", ["caseworker", "programme_manager", "reporting"])
def test_only_the_screening_roles_may_export_or_reply(uow, actors, role):
    list_id = record(uow, actors["screening_officer"])
    with uow() as u:
        with pytest.raises(Forbidden):
            reply.export_decisions(u, actors[role], list_id, "csv")
        with pytest.raises(Forbidden):
            reply.reply_letter(u, actors[role], list_id, "pdf", "en")
    with uow() as u:  # administrators read screening, so they may
        assert reply.export_decisions(u, actors["administrator"], list_id, "xlsx").body


def test_an_unknown_format_is_refused_naming_the_field(uow, actors):
    officer = actors["screening_officer"]
    list_id = record(uow, officer)
    with uow() as u, pytest.raises(Invalid) as refused:
        reply.reply_letter(u, officer, list_id, "docx", "en")
    assert refused.value.field == "format" and "docx" in refused.value.message
