"""The reply to a sending state, and the export of a list's recorded decisions.

Both are built from what the officers recorded (`screening_decisions`), never from a
new screening: the reply says exactly what was decided, and a decision changed a
minute ago is in the next reply, since nothing is cached. Both contain personal data,
so only the screening roles may generate them (`screening` read) and every generation
is audited as a read of the list, naming what was produced.

The names and birth dates come from `listed_persons`, the one place that knows where a
recorded list's persons are written down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from rrms.domain.messages import N_, Word
from rrms.policy.versions import OBJECTION_KINDS, PolicyCatalogue, PolicyVersion
from rrms.reference.countries import countries
from rrms.reports import screening_reply as render
from rrms.reports.screening_reply import (
    GERMAN_SPEAKING,
    DecisionRow,
    QuotedClause,
    ReplyLetter,
    ReplyPerson,
    status_of,
)
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Invalid, NotFound
from rrms.services.screening.listed_persons import (
    UNKNOWN,
    ListedPerson,
    list_sending_country,
    listed_persons,
)
from rrms.storage.queries.screening import DecisionFilter
from rrms.storage.tables import ScreeningDecision, ScreeningList
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "EXPORT_FORMATS",
    "REPLY_FORMATS",
    "Document",
    "export_decisions",
    "reply_languages",
    "reply_letter",
    "reply_to_sending_state",
]

ENTITY = "screening"
"""The permission entity: the screening roles only."""

EXPORT_FORMATS: Final = ("csv", "xlsx")
REPLY_FORMATS: Final = ("pdf", "xlsx")

MEDIA_TYPES: Final = {
    "csv": "text/csv",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Document:
    """A generated file: its bytes, its name for the download, and its media type."""

    body: bytes
    file_name: str
    media_type: str


def _choice(value: str, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        offered = ", ".join(allowed)
        raise Invalid(
            N_(
                "{field} {value!r} is not offered; choose one of: {offered}",
                field=Word(field),
                value=value,
                offered=offered,
            ),
            field,
        )
    return value


def _recorded(
    uow: UnitOfWork, actor: Actor, list_id: int
) -> tuple[ScreeningList, list[ScreeningDecision], dict[str, ListedPerson]]:
    """The list, every recorded decision in list order, and its persons as written."""
    authorize(actor, ENTITY, "read")
    screened = uow.screening.screening_list(list_id)
    if screened is None:
        raise NotFound(N_("no screening list with id {list_id}", list_id=list_id))
    rows = uow.screening.decisions(list_id, DecisionFilter(), max(1, screened.persons), 0)
    return screened, rows, listed_persons(rows)


def _stem(file_name: str, list_id: int) -> str:
    """The uploaded file's name without its extension, for the download's name."""
    return file_name.rsplit(".", 1)[0] or f"list-{list_id}"


def _usernames(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    names = {}
    for user_id in ids:
        user = uow.accounts.user(user_id)
        names[user_id] = user.username if user is not None else str(user_id)
    return names


def export_decisions(uow: UnitOfWork, actor: Actor, list_id: int, fmt: str) -> Document:
    """A list's recorded decisions as CSV or XLSX (formula-safe); audited as a read."""
    _choice(fmt, EXPORT_FORMATS, "format")
    screened, rows, persons = _recorded(uow, actor, list_id)
    officers = _usernames(uow, {r.decided_by for r in rows if r.decided_by is not None})
    table = [
        DecisionRow(
            person_ref=row.person_ref,
            family_ref=row.family_ref,
            name=persons.get(row.person_ref, UNKNOWN).name,
            birth_date=persons.get(row.person_ref, UNKNOWN).birth_date,
            policy_version=row.policy_version,
            recommendation=row.recommendation,
            clauses=row.clauses,
            missing=row.missing,
            explanation=row.explanation,
            decision=row.decision,
            reason=row.reason,
            decided_by=officers.get(row.decided_by, "") if row.decided_by else "",
            decided_at=row.decided_at,
        )
        for row in rows
    ]
    body = render.decisions_csv(table) if fmt == "csv" else render.decisions_xlsx(table)
    audit.record(
        uow,
        actor,
        "read",
        "screening_lists",
        list_id,
        after={"export": "decisions", "format": fmt, "persons": len(rows)},
    )
    uow.commit()
    return Document(body, f"{_stem(screened.file_name, list_id)}-decisions.{fmt}", MEDIA_TYPES[fmt])


SAMPLE = 200
"""How many of a list's persons are enough to tell its sending state when the list does
not record it (the persons of one list come from one state)."""


def reply_languages(uow: UnitOfWork, actor: Actor, list_id: int) -> tuple[str, ...]:
    """The languages the list's reply is offered in: English, and German as well for a
    German-speaking sending state. Not audited: it reads no person's data out."""
    authorize(actor, ENTITY, "read")
    screened = uow.screening.screening_list(list_id)
    if screened is None:
        raise NotFound(N_("no screening list with id {list_id}", list_id=list_id))
    sample = uow.screening.decisions(list_id, DecisionFilter(), SAMPLE, 0)
    return _languages(list_sending_country(screened, listed_persons(sample)))


def _languages(sending_country: str | None) -> tuple[str, ...]:
    return ("en", "de") if sending_country in GERMAN_SPEAKING else ("en",)


def _objections(policy: PolicyVersion, clause_ids: Sequence[str]) -> tuple[QuotedClause, ...]:
    quoted = []
    for clause_id in clause_ids:
        if not policy.has_clause(clause_id):
            continue
        clause = policy.clause(clause_id)
        if clause.kind in OBJECTION_KINDS:
            lead_in = policy.lead_ins.get(clause.group or "", "")
            quoted.append(QuotedClause(clause.id, clause.text, lead_in))
    return tuple(quoted)


def _reply_person(
    row: ScreeningDecision, person: ListedPerson, policy: PolicyVersion
) -> ReplyPerson:
    status = status_of(row.decision)
    override = row.decision is not None and row.decision != row.recommendation
    return ReplyPerson(
        person_ref=row.person_ref,
        family_ref=row.family_ref,
        name=person.name,
        birth_date=person.birth_date,
        status=status,
        objections=_objections(policy, row.clauses) if status == "not_accepted" else (),
        open_questions=tuple(row.missing) if status == "pending" else (),
        reason=(row.reason or "") if override and status == "not_accepted" else "",
    )


def reply_to_sending_state(
    uow: UnitOfWork, actor: Actor, list_id: int, language: str = "en"
) -> ReplyLetter:
    """What the reply says, built from the recorded decisions; not audited by itself
    (`reply_letter` renders and audits it)."""
    screened, rows, persons = _recorded(uow, actor, list_id)
    sending = list_sending_country(screened, persons)
    _choice(language, _languages(sending), "language")
    catalogue = PolicyCatalogue.bundled()
    policies = {version: catalogue.get(version) for version in {r.policy_version for r in rows}}
    policy = policies.get(screened.policy_version) or catalogue.get(screened.policy_version)
    user = uow.accounts.user(actor.user_id) if actor.user_id is not None else None
    state = ""
    if sending:
        country = countries().get(sending)
        state = country.name_de if language == "de" else country.name_en
    return ReplyLetter(
        list_id=screened.id,
        file_name=screened.file_name,
        received=screened.screened_at.date(),
        sending_country=sending,
        sending_state=state,
        policy_version=policy.id,
        policy_title=policy.title,
        officer=(user.full_name if user is not None and user.full_name else actor.username),
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        persons=tuple(
            _reply_person(row, persons.get(row.person_ref, UNKNOWN), policies[row.policy_version])
            for row in rows
        ),
    )


def reply_letter(
    uow: UnitOfWork, actor: Actor, list_id: int, fmt: str = "pdf", language: str = "en"
) -> Document:
    """The reply to the sending state as a PDF letter or an XLSX workbook, generated now
    from the recorded decisions; every generation is audited."""
    _choice(fmt, REPLY_FORMATS, "format")
    letter = reply_to_sending_state(uow, actor, list_id, language)
    write = render.reply_pdf if fmt == "pdf" else render.reply_xlsx
    body = write(letter, language)
    audit.record(
        uow,
        actor,
        "read",
        "screening_lists",
        list_id,
        after={
            "reply": fmt,
            "language": language,
            "persons": len(letter.persons),
            "counts": letter.counts(),
        },
    )
    uow.commit()
    name = f"{_stem(letter.file_name, list_id)}-reply-{language}.{fmt}"
    return Document(body, name, MEDIA_TYPES[fmt])
