"""The audit log as administrators read it: its entries and the check of its hash chain.

Administrators oversee who did what and when, but must not see what a confidential
unit recorded: for entries about confidential cases the values before and after and
the case id are withheld (`shown`); the hash chain is still verified over the full
entries. The API, the web pages and `rrms audit verify` all come here, so none of
them repeats the rule.

Kept apart from `rrms.services.core.audit`, which writes the chain: the generic record
path imports that module, and `AUDIT` is one of the path's record kinds, so defining
it there would make an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rrms.services.core.access import Actor, authorize
from rrms.services.core.audit import ChainProblem, verify_chain, write_deferred
from rrms.services.core.records import RecordKind
from rrms.storage.tables import AuditEntry
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


def shown(entry: AuditEntry) -> dict[str, Any]:
    """The entry's fields as an administrator may see them (confidential content withheld)."""
    confidential = entry.entity in CONFIDENTIAL_ENTITIES
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
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


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
