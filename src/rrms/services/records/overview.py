"""Everything about one person on one page, read through the access rules and audited.

A caseworker opening a person's page reads their family, returns, screening decisions,
assistance, projects and documents at once. Each of these is case data with its own permission,
so each part is included only for roles that may read that kind of record, and the
whole view is one audited read naming every record shown. The person's history (who
did what, when) is shown without the values: seeing that a colleague changed a record
is part of working on the case; the values before and after stay in the audit log,
for administrators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rrms.services.core import audit, records
from rrms.services.core.access import Actor, allowed
from rrms.services.records.consents import ConsentView, consents_of_person
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import (
    Assistance,
    Document,
    Family,
    FamilyMember,
    Person,
    Project,
    Return,
    ScreeningDecision,
)
from rrms.storage.unit_of_work import UnitOfWork

RELATED: tuple[tuple[str, Any, str], ...] = (
    ("documents", Document, "documents"),
    ("returns", Return, "returns"),
    ("screening decisions", ScreeningDecision, "screening"),
    ("assistance", Assistance, "assistance"),
    ("projects", Project, "projects"),
)
"""(label, table, entity whose read permission it needs) for each part of the page."""

MAX_RELATED = 100
TRAIL_LENGTH = 50


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a person's history: when, who, what — never the values."""

    at: dt.datetime
    username: str
    action: str


@dataclass
class PersonOverview:
    """A person with the records about them that the reader may see."""

    person: Person
    families: list[tuple[Family, FamilyMember]]
    relatives: dict[int, list[tuple[Person, str]]]
    related: dict[str, list[Any]] = field(default_factory=dict)
    consents: list[ConsentView] | None = None
    """The person's consents, withdrawn ones included; None for roles that may not read them."""
    trail: list[HistoryEntry] = field(default_factory=list)


def person_overview(
    uow: UnitOfWork,
    actor: Actor,
    person_id: int,
    limit: int | None = MAX_RELATED,
    action: str = "read",
) -> PersonOverview:
    """Read a person's page: the person (refused or not found as `get_record` says),
    then each part the actor's role may read (the first `limit` records of each; all
    with None, as a subject access needs). One audit entry records the whole read,
    naming what was shown; the history that follows includes it. A printed case
    summary is the same read, audited as `print` so that copies on paper can be told
    from reads on screen."""
    person = records.get_record(uow, actor, PERSONS, person_id, audit_read=False)
    families = uow.persons.families_of(person_id)
    relatives = {family.id: uow.persons.relatives(family.id) for family, _ in families}
    overview = PersonOverview(person, families, relatives)
    for label, table, entity in RELATED:
        if allowed(actor, entity, "read"):
            overview.related[label] = uow.persons.records_about(table, person_id, limit)
    shown = {label: [row.id for row in rows] for label, rows in overview.related.items()}
    if allowed(actor, "consents", "read"):
        overview.consents = consents_of_person(uow, actor, person_id, audit_read=False)
        shown["consents"] = [view.consent.id for view in overview.consents]
    shown["relatives"] = sorted({p.id for rows in relatives.values() for p, _ in rows})
    audit.record(uow, actor, action, "persons", person_id, after={"page": shown})
    overview.trail = [
        HistoryEntry(entry.at, entry.username, entry.action)
        for entry in uow.audit_log.history("persons", person_id, TRAIL_LENGTH)
    ]
    uow.commit()
    return overview
