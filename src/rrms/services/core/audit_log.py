"""The audit log as administrators read it: its entries and the check of its hash chain.

Administrators oversee who did what and when, but must not see what a confidential
unit recorded: for entries about confidential cases the values before and after, the
case id and the hashes (from which the id could be recovered) are withheld (`shown`),
and filtering by a case id tells nothing (`list_entries`); the hash chain is still
verified over the full entries, server-side. The API, the web pages and
`rrms audit verify` all come here, so none of them repeats the rule.

Kept apart from `rrms.services.core.audit`, which writes the chain: the generic record
path imports that module, and `AUDIT` is one of the path's record kinds, so defining
it there would make an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rrms.domain.messages import N_
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.audit import ChainProblem, verify_chain, write_deferred
from rrms.services.core.errors import Invalid
from rrms.services.core.records import MAX_PAGE, Page, RecordKind
from rrms.storage.tables import AuditEntry, ConfidentialCase
from rrms.storage.unit_of_work import UnitOfWork

AUDIT: RecordKind[AuditEntry] = RecordKind(
    entity="audit",
    table=AuditEntry,
    filterable=("user_id", "username", "action", "entity", "entity_id"),
)
"""The audit log as records: reading it is authorised, and is itself audited."""

CONFIDENTIAL_ENTITIES = frozenset({"confidential_cases"})
"""Entities whose audit entries show only who, when and what action — not the content."""

WITHHELD = "withheld: confidential unit"


def shown(entry: AuditEntry, *, content: bool = False, link: bool = True) -> dict[str, Any]:
    """The entry's fields as the reader may see them.

    Unless `content` (the reader is of the confidential unit the entry is about), an
    entry about a confidential case shows only who, when and what action: its case id,
    values and hashes are withheld — the hash covers the case id, so with the hash one
    could recover the id by trying candidates. `link` False withholds `prev_hash` too:
    it is the hash of the entry before, when that entry's content is withheld."""
    confidential = entry.entity in CONFIDENTIAL_ENTITIES and not content
    withheld = {"withheld": WITHHELD}
    return {
        "id": entry.id,
        "at": entry.at,
        "user_id": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": "-" if confidential else entry.entity_id,
        "before": withheld if confidential and entry.before is not None else entry.before,
        "after": withheld if confidential and entry.after is not None else entry.after,
        "prev_hash": None if confidential or not link else entry.prev_hash,
        "hash": None if confidential else entry.hash,
    }


def _case_unit(uow: UnitOfWork, entry: AuditEntry) -> str | None:
    """The unit of the confidential case an entry is about, if the case is still held."""
    if not entry.entity_id.isdigit():
        return None
    case = uow.rows.get(ConfidentialCase, int(entry.entity_id))
    return case.unit if case is not None else None


def content_visible(uow: UnitOfWork, reader: Actor, entry: AuditEntry) -> bool:
    """Whether the reader may see the entry's content: always, but for an entry about a
    confidential case, which only the users of the case's unit may."""
    if entry.entity not in CONFIDENTIAL_ENTITIES:
        return True
    return reader.unit is not None and _case_unit(uow, entry) == reader.unit


def list_entries(
    uow: UnitOfWork,
    actor: Actor,
    filters: Mapping[str, Any] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Page[AuditEntry], list[dict[str, Any]]]:
    """A page of audit entries, oldest first, filtered by exact values, and each entry
    as the reader may see it (`shown`). Reading the log is authorised and audited.

    A filter must not tell what an entry withholds: `entity_id` never matches an entry
    about a confidential case (its id is withheld from every reader of the log), so the
    total is the same whether such a case exists or not."""
    authorize(actor, "audit", "read")
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(N_("limit must be between 1 and {max_page}", max_page=MAX_PAGE), "limit")
    if offset < 0:
        raise Invalid(N_("offset must not be negative"), "offset")
    given = {name: value for name, value in (filters or {}).items() if value is not None}
    for name in given:
        if name not in AUDIT.filterable:
            raise Invalid(N_("cannot filter audit by {name!r}", name=name), name)
    total, rows = uow.audit_log.page(given, limit, offset, id_only_in_shown=CONFIDENTIAL_ENTITIES)
    before = uow.audit_log.predecessors([row.id for row in rows])
    items = [
        shown(
            row,
            content=content_visible(uow, actor, row),
            link=row.id not in before or content_visible(uow, actor, before[row.id]),
        )
        for row in rows
    ]
    if rows:
        audit.record(
            uow,
            actor,
            "list",
            AUDIT.entity,
            "-",
            after={"ids": [r.id for r in rows], "filters": given},
        )
        uow.commit()
    return Page(items=rows, total=total, limit=limit, offset=offset), items


@dataclass(frozen=True)
class ChainReport:
    """The result of recomputing the hash chain: the entries checked and what failed."""

    entries: int
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        """True when every entry links to the one before and matches its hash."""
        return not self.problems


def verify_audit_log(uow: UnitOfWork, actor: Actor) -> ChainReport:
    """Recompute every hash (for those who may read the audit log): any changed,
    deleted or reordered entry is reported. Entries of reads queued during an import
    (`rrms.storage.read_queue`) are chained first, so that the check covers them."""
    authorize(actor, "audit", "read")
    if write_deferred(uow):
        uow.commit()
    problems = tuple(verify_chain(uow))
    entries = uow.rows.count(AuditEntry)
    return ChainReport(entries=entries, problems=problems)
