"""Subject access: everything RRMS holds on one person, for the person who asks for it.

IOM's data protection principles (and UNHCR's policy) give a person the right to
know what is held about them. `subject_access` gathers it in one document, built on
the person's page (`rrms.services.records.overview`, read in full), with what that
page leaves out: documents, houses the person heads, screening decisions found by the
reference on a notification list, correction requests, and the log of who read or
changed these records (who, when, which action — never the values, which may be
another person's). The JSON file and the PDF are both made from that one document, so
they cannot disagree.

Who may: an administrator answers for everything but the confidential units' cases,
which nobody outside a unit may see or learn of; the document says the units must be
asked, in the same words whether a case exists or not. A user of a confidential unit
gets their own unit's cases about the person, and the log of those, only. Every
subject access is audited (action ``subject_access`` on the person, with the number of
records of each kind given, never their values).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from rrms.domain.messages import N_, Message, Word
from rrms.i18n import ENGLISH, Language
from rrms.reports.rendering import html_to_pdf
from rrms.reports.subject_access import render_subject_access_html
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import NotFound
from rrms.services.core.records import snapshot
from rrms.services.records.overview import person_overview
from rrms.storage.tables import AuditEntry, CorrectionRequest, Document
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["CONFIDENTIAL_NOTICE", "SubjectAccess", "subject_access"]

AUDIT_ACTION = "subject_access"

CONFIDENTIAL_NOTICE = N_(
    "Cases of the counter-trafficking and medical units are kept apart and are not in "
    "this document, whether or not any exist. Each unit answers for its own cases: ask "
    "the counter-trafficking unit and the medical unit."
)
"""Said to every reader outside a unit, the same whether a case exists or not."""


def unit_notice(unit: str) -> Message:
    """Said to a unit's reader: the document holds the unit's own cases only."""
    return N_(
        "This document holds only the {unit} unit's confidential cases about the person and "
        "the log of who read or changed them. Everything else RRMS holds is given by an "
        "administrator's subject access.",
        unit=Word(unit, unit.replace("_", "-")),
    )


INFORMATION_REQUESTS_NOTICE = N_(
    "Information requests from sending missions are not recorded against a person in "
    "RRMS; none are listed here."
)

PART_ENTITIES = {
    "returns": "returns",
    "screening_decisions": "screening_decisions",
    "assistance": "assistance",
    "projects": "projects",
    "documents": "documents",
    "housing": "housing",
    "correction_requests": "correction_requests",
    "confidential_cases": "confidential_cases",
}
"""The parts of the document, each with the audit log's entity for its records."""

_OVERVIEW_PARTS = {
    "returns": "returns",
    "screening decisions": "screening_decisions",
    "assistance": "assistance",
    "projects": "projects",
}


@dataclass(frozen=True)
class SubjectAccess:
    """The document: plain JSON values, ready to be written or rendered."""

    document: dict[str, Any]

    @property
    def person_id(self) -> int:
        """The person the document is about."""
        return int(self.document["person_id"])

    def json_bytes(self) -> bytes:
        """The document as a JSON file (UTF-8, indented for reading)."""
        text = json.dumps(self.document, ensure_ascii=False, indent=2, sort_keys=False)
        return (text + "\n").encode("utf-8")

    def pdf_bytes(self, language: Language = ENGLISH) -> bytes:
        """The document as a PDF, laid out like the reports, in `language` (the JSON
        file is the same in every language)."""
        return html_to_pdf(render_subject_access_html(self.document, language))

    def file_name(self, suffix: str) -> str:
        """A file name that says what the file is, never who: `subject-access-42.pdf`."""
        return f"subject-access-{self.person_id}.{suffix}"


def _log_line(entry: AuditEntry) -> dict[str, Any]:
    """Who, when and what of one audit entry; never the values it holds."""
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    return {
        "at": at.astimezone(dt.UTC).isoformat(),
        "who": entry.username,
        "action": entry.action,
        "entity": entry.entity,
        "record_id": entry.entity_id,
    }


def _log(
    uow: UnitOfWork, records: dict[str, list[Any]], person_id: int | None
) -> list[dict[str, Any]]:
    """Entries about the records, and (for a full access) the listings and searches
    that showed the person, oldest first."""
    entries = {entry.id: entry for entry in uow.audit_log.about(records)}
    if person_id is not None:
        for entry in uow.audit_log.listings("persons"):
            ids = (entry.after or {}).get("ids") or []
            if person_id in ids:
                entries[entry.id] = entry
    return [_log_line(entries[key]) for key in sorted(entries)]


def _full(
    uow: UnitOfWork, actor: Actor, person_id: int
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Everything but confidential cases: (the parts, the records whose log is given)."""
    overview = person_overview(uow, actor, person_id, limit=None)
    person = overview.person
    parts: dict[str, list[dict[str, Any]]] = {
        key: [snapshot(row) for row in overview.related.get(label, [])]
        for label, key in _OVERVIEW_PARTS.items()
    }
    if person.person_ref:
        seen = {row["id"] for row in parts["screening_decisions"]}
        parts["screening_decisions"] += [
            snapshot(row)
            for row in uow.persons.decisions_by_ref(person.person_ref, person_id)
            if row.id not in seen
        ]
    parts["documents"] = [
        snapshot(row) for row in uow.persons.records_about(Document, person_id, None)
    ]
    parts["housing"] = [snapshot(row) for row in uow.persons.houses_headed_by(person_id)]
    parts["information_requests"] = []
    parts["correction_requests"] = [
        snapshot(row) for row in uow.persons.records_about(CorrectionRequest, person_id, None)
    ]
    families = [
        {
            "family_id": family.id,
            "family_ref": family.family_ref,
            "relationship": membership.relationship_to_head,
            # Relatives by id and relationship only: their names are their own data.
            "members": [
                {"person_id": relative.id, "relationship": relation}
                for relative, relation in overview.relatives.get(family.id, [])
            ],
        }
        for family, membership in overview.families
    ]
    content = {
        "person": snapshot(person),
        "families": families,
        **parts,
        "notices": [CONFIDENTIAL_NOTICE, INFORMATION_REQUESTS_NOTICE],
    }
    logged: dict[str, list[Any]] = {
        "persons": [person_id],
        "families": [family["family_id"] for family in families],
    }
    for key, entity in PART_ENTITIES.items():
        if key in parts:
            logged[entity] = [row["id"] for row in parts[key]]
    return content, logged


def _unit(
    uow: UnitOfWork, actor: Actor, person_id: int
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """One unit's cases about the person, and nothing else."""
    assert actor.unit is not None
    if uow.persons.person(person_id) is None:
        raise NotFound(N_("no person with id {person_id}", person_id=person_id))
    cases = [snapshot(row) for row in uow.persons.confidential_cases_of(person_id, actor.unit)]
    content = {
        "unit": actor.unit,
        "confidential_cases": cases,
        "notices": [unit_notice(actor.unit)],
    }
    return content, {"confidential_cases": [case["id"] for case in cases]}


def unit_access_id(unit: str, person_id: int) -> str:
    """The audit entity id of a unit's subject access: its own, apart from other units'."""
    return f"subject-access:{unit}:{person_id}"


def subject_access(uow: UnitOfWork, actor: Actor, person_id: int) -> SubjectAccess:
    """Everything RRMS holds on the person that `actor` may give, as one document.

    Refused (`Forbidden`) for roles other than administrators and the confidential
    units; `NotFound` for a person that does not exist. Audited, then committed; the
    document's log includes this access itself.
    """
    authorize(actor, "subject_access", "read")
    if actor.unit is None:
        content, logged = _full(uow, actor, person_id)
        entity, entity_id = "persons", str(person_id)
    else:
        content, logged = _unit(uow, actor, person_id)
        # Recorded among the unit's confidential entries, never on the person: that a
        # unit asked about someone would tell others that a case exists.
        entity, entity_id = "confidential_cases", unit_access_id(actor.unit, person_id)
        logged["confidential_cases"].append(entity_id)
    counts = {key: len(value) for key, value in content.items() if isinstance(value, list)}
    counts.pop("notices", None)
    audit.record(uow, actor, AUDIT_ACTION, entity, entity_id, after={"records": counts})
    log = _log(uow, logged, person_id if actor.unit is None else None)
    uow.commit()
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0)
    document = {
        "kind": "rrms-subject-access",
        "person_id": person_id,
        "generated_at": generated.isoformat(),
        "generated_by": {"username": actor.username, "role": actor.role},
        **content,
        "log": log,
    }
    return SubjectAccess(document)
