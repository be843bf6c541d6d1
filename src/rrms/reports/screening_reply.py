"""The reply to a sending state, and the export of a list's recorded decisions.

When the officers have decided on a notification list, the office answers the state
that sent it: per person, whether UNMIK accepts the return, does not accept it (each
objection with the policy clause quoted word for word), or has not decided yet (with
the questions still open). The reply is a letter (HTML laid out as an A4 PDF by
WeasyPrint, like the other PDFs) and the same content as an XLSX workbook the sending
state's systems can read. It is written in English, and in German for German-speaking
sending states; the quoted clauses stay in the policy's language, English, with German
wording around them.

Everything here is built from the recorded decisions handed in (`ReplyLetter`), never
from a new screening, so the reply says exactly what the officers decided.

The decisions export is the officers' own record as a table (CSV, XLSX): every cell
passes through the formula-safe writers of `rrms.reports.exports`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final

from jinja2 import Environment, StrictUndefined, select_autoescape

from rrms.reports.exports import Column, ExportTable, write_csv, write_xlsx
from rrms.reports.rendering import html_to_pdf

__all__ = [
    "GERMAN_SPEAKING",
    "LANGUAGES",
    "DecisionRow",
    "QuotedClause",
    "ReplyLetter",
    "ReplyPerson",
    "decisions_csv",
    "decisions_xlsx",
    "reply_html",
    "reply_pdf",
    "reply_xlsx",
    "status_of",
]

LANGUAGES: Final = ("en", "de")
"""The languages a reply is written in: English always, German for German speakers."""

GERMAN_SPEAKING: Final = frozenset({"DE", "AT", "CH", "LI", "LU"})
"""Sending states (ISO alpha-2) that get the reply in German as well."""

STATUSES: Final = ("accepted", "not_accepted", "pending", "not_applicable")
"""What the reply says of a person, from the recorded decision (`status_of`)."""


def status_of(decision: str | None) -> str:
    """The reply's word for a recorded decision: undecided and `review` are pending."""
    return {
        "accept": "accepted",
        "object": "not_accepted",
        "not_applicable": "not_applicable",
    }.get(decision or "", "pending")


@dataclass(frozen=True)
class QuotedClause:
    """A policy clause as the reply quotes it: its id, its lead-in and its own words."""

    id: str
    text: str
    lead_in: str = ""


@dataclass(frozen=True)
class ReplyPerson:
    """One person of the reply, from their recorded decision."""

    person_ref: str
    family_ref: str
    name: str
    birth_date: str
    status: str
    """One of `STATUSES`."""
    objections: tuple[QuotedClause, ...] = ()
    open_questions: tuple[str, ...] = ()
    """Manifest column names still unanswered, for a pending person."""
    reason: str = ""
    """The officer's written reason, where the decision departs from the recommendation."""


@dataclass(frozen=True)
class ReplyLetter:
    """Everything the reply says: the list, the policy, the officer, the persons."""

    list_id: int
    file_name: str
    received: dt.date
    sending_country: str | None
    sending_state: str
    """The sending state's name in the letter's language ('' when unknown)."""
    policy_version: str
    policy_title: str
    officer: str
    generated_at: dt.datetime
    persons: tuple[ReplyPerson, ...]

    def counts(self) -> dict[str, int]:
        """How many persons have each status, every status listed."""
        counts = dict.fromkeys(STATUSES, 0)
        for person in self.persons:
            counts[person.status] += 1
        return counts

    @property
    def complete(self) -> bool:
        """Whether every person is decided (no one pending)."""
        return all(person.status != "pending" for person in self.persons)


WORDING: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "Reply to the notification list",
        "list": "List",
        "received": "Received",
        "sending_state": "Sending state",
        "policy": "Policy version",
        "officer": "Screening officer",
        "generated": "Generated",
        "summary": "Summary",
        "persons": "Persons",
        "name": "Name",
        "birth_date": "Birth date",
        "person_ref": "Reference",
        "decision": "Decision",
        "grounds": "Grounds",
        "accepted": "Accepted",
        "not_accepted": "Not accepted",
        "pending": "Pending",
        "not_applicable": "Screening does not apply (not from Kosovo)",
        "clause": "Clause",
        "quoted": "quoted from the policy",
        "open_questions": "Open questions",
        "officer_reason": "Reason given by the officer",
        "incomplete": "Not every person is decided yet: the persons marked pending will "
        "be answered in a later reply.",
        "intro": "The Office has screened the persons on the list named above under the "
        "policy version named above. Its decision on each person follows.",
        "unknown": "not known",
    },
    "de": {
        "title": "Antwort auf die Rückführungsliste",
        "list": "Liste",
        "received": "Eingegangen am",
        "sending_state": "Rückführender Staat",
        "policy": "Fassung der Richtlinie",
        "officer": "Sachbearbeiter/in",
        "generated": "Erstellt am",
        "summary": "Übersicht",
        "persons": "Personen",
        "name": "Name",
        "birth_date": "Geburtsdatum",
        "person_ref": "Referenz",
        "decision": "Entscheidung",
        "grounds": "Begründung",
        "accepted": "Rückführung akzeptiert",
        "not_accepted": "Rückführung nicht akzeptiert",
        "pending": "Noch offen",
        "not_applicable": "Prüfung nicht anwendbar (nicht aus dem Kosovo)",
        "clause": "Klausel",
        "quoted": "Wortlaut der Richtlinie (englisch)",
        "open_questions": "Offene Fragen",
        "officer_reason": "Begründung der Sachbearbeiterin / des Sachbearbeiters",
        "incomplete": "Noch nicht über alle Personen ist entschieden: die als offen "
        "bezeichneten Personen werden in einer späteren Antwort beantwortet.",
        "intro": "Das Büro hat die Personen der oben genannten Liste nach der oben "
        "genannten Fassung der Richtlinie geprüft. Die Entscheidung zu jeder Person "
        "folgt.",
        "unknown": "unbekannt",
    },
}
"""The letter's words around the data, per language. The quoted clauses are not here:
they stay in the policy's own words."""

QUESTIONS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "community": "community",
        "origin_municipality": "municipality of origin",
        "origin_settlement": "settlement of origin",
        "birth_date": "birth date",
        "protection_problems": "protection problems",
        "mixed_marriage": "mixed marriage",
        "mixed_ethnicity": "mixed ethnicity",
        "perceived_association": "perceived association with the Serbian regime",
        "severe_illness": "severe illness",
        "severe_mental_illness": "severe mental illness (PTSD included)",
        "treatment_availability": "availability of treatment in Kosovo",
        "severe_handicap": "severe handicap",
        "support_availability": "availability of specialised support",
        "support_in_kosovo": "relatives or societal support in Kosovo",
        "informed_consent": "informed consent to a voluntary return",
    },
    "de": {
        "community": "Volksgruppe",
        "origin_municipality": "Herkunftsgemeinde",
        "origin_settlement": "Herkunftsort",
        "birth_date": "Geburtsdatum",
        "protection_problems": "Schutzprobleme",
        "mixed_marriage": "gemischte Ehe",
        "mixed_ethnicity": "gemischte ethnische Herkunft",
        "perceived_association": "vermutete Verbindung zum serbischen Regime",
        "severe_illness": "schwere Erkrankung",
        "severe_mental_illness": "schwere psychische Erkrankung (einschließlich PTBS)",
        "treatment_availability": "Verfügbarkeit der Behandlung im Kosovo",
        "severe_handicap": "schwere Behinderung",
        "support_availability": "Verfügbarkeit spezialisierter Unterstützung",
        "support_in_kosovo": "Angehörige oder gesellschaftliche Unterstützung im Kosovo",
        "informed_consent": "informierte Zustimmung zur freiwilligen Rückkehr",
    },
}
"""The open questions in words; each is also named by its manifest column."""


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"no reply in {language!r}; languages: {', '.join(LANGUAGES)}")
    return language


def question(column: str, language: str) -> str:
    """An open question in the letter's words, with its column name."""
    words = QUESTIONS[_language(language)].get(column)
    return f"{words} ({column})" if words else column


def reply_html(letter: ReplyLetter, language: str) -> str:
    """The letter as a self-contained HTML page, A4 for print."""
    env = Environment(
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    source = (resources.files("rrms.reports") / "templates" / "screening_reply.html").read_text(
        encoding="utf-8"
    )
    lang = _language(language)
    env.filters["question"] = lambda column: question(column, lang)
    return env.from_string(source).render(
        letter=letter, words=WORDING[lang], language=lang, counts=letter.counts()
    )


def reply_pdf(letter: ReplyLetter, language: str) -> bytes:
    """The letter laid out as an A4 PDF."""
    return html_to_pdf(reply_html(letter, language))


PERSON_COLUMNS: Final = (
    Column("person_ref", "#affected+ref"),
    Column("family_ref", "#affected+family+ref"),
    Column("name", "#affected+name"),
    Column("birth_date", "#affected+birth+date"),
    Column("decision", "#status+code"),
    Column("decision_text", "#status+text"),
    Column("open_questions", "#meta+questions"),
    Column("clauses", "#meta+clause+id"),
    Column("clause_text", "#meta+clause+text"),
    Column("reason", "#meta+reason"),
)
"""The reply's persons sheet: stable English column names for the sending state's
systems, the decision both as a code and in the letter's words."""


def _letter_tables(letter: ReplyLetter, language: str) -> list[ExportTable]:
    words = WORDING[_language(language)]
    about = ExportTable("list", (Column("field", "#meta+field"), Column("value", "#meta+value")))
    for field, value in (
        ("list", letter.file_name),
        ("received", letter.received.isoformat()),
        ("sending_state", letter.sending_country or ""),
        ("policy", letter.policy_version),
        ("officer", letter.officer),
        ("generated", letter.generated_at.isoformat()),
    ):
        about.add(field=words[field], value=value)
    persons = ExportTable("persons", PERSON_COLUMNS)
    for person in letter.persons:
        persons.add(
            person_ref=person.person_ref,
            family_ref=person.family_ref,
            name=person.name,
            birth_date=person.birth_date,
            decision=person.status,
            decision_text=words[person.status],
            open_questions=" ".join(person.open_questions),
            clauses=" ".join(clause.id for clause in person.objections),
            clause_text="\n".join(f"{c.id}: {c.text}" for c in person.objections),
            reason=person.reason,
        )
    return [persons, about]


def reply_xlsx(letter: ReplyLetter, language: str) -> bytes:
    """The reply's content as a workbook: a persons sheet and a sheet about the list."""
    out = io.BytesIO()
    write_xlsx(_letter_tables(letter, language), out)
    return out.getvalue()


@dataclass(frozen=True)
class DecisionRow:
    """One recorded decision as exported: the recommendation and the officer's word."""

    person_ref: str
    family_ref: str
    name: str
    birth_date: str
    policy_version: str
    recommendation: str
    clauses: Sequence[str]
    missing: Sequence[str]
    explanation: str
    decision: str | None
    reason: str | None
    decided_by: str
    decided_at: dt.datetime | None


DECISION_COLUMNS: Final = (
    Column("person_ref", "#affected+ref"),
    Column("family_ref", "#affected+family+ref"),
    Column("name", "#affected+name"),
    Column("birth_date", "#affected+birth+date"),
    Column("policy_version", "#meta+policy"),
    Column("recommendation", "#status+recommended"),
    Column("clauses", "#meta+clause+id"),
    Column("missing", "#meta+questions"),
    Column("explanation", "#description"),
    Column("decision", "#status+decided"),
    Column("reason", "#meta+reason"),
    Column("decided_by", "#contact+officer"),
    Column("decided_at", "#date+decided"),
)


def _decisions_table(rows: Sequence[DecisionRow]) -> ExportTable:
    table = ExportTable("decisions", DECISION_COLUMNS)
    for row in rows:
        table.add(
            person_ref=row.person_ref,
            family_ref=row.family_ref,
            name=row.name,
            birth_date=row.birth_date,
            policy_version=row.policy_version,
            recommendation=row.recommendation,
            clauses=" ".join(row.clauses),
            missing=" ".join(row.missing),
            explanation=row.explanation,
            decision=row.decision or "",
            reason=row.reason or "",
            decided_by=row.decided_by,
            decided_at=row.decided_at.isoformat() if row.decided_at else "",
        )
    return table


def decisions_csv(rows: Sequence[DecisionRow]) -> bytes:
    """A list's recorded decisions as UTF-8 CSV (with a BOM for spreadsheets), formula-safe."""
    out = io.StringIO()
    write_csv(_decisions_table(rows), out)
    return out.getvalue().encode("utf-8-sig")


def decisions_xlsx(rows: Sequence[DecisionRow]) -> bytes:
    """A list's recorded decisions as a workbook, every text cell stored as text."""
    out = io.BytesIO()
    write_xlsx([_decisions_table(rows)], out)
    return out.getvalue()
