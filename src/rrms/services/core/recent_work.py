"""The records a user changed lately: where a caseworker picks up yesterday's work.

Read from the audit log, which already says who created or changed what; only the
user's own entries, only records of kinds their role may still read, and only the
kind, the id, the action and the time (no values), so the home page shows no case data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rrms.services.core.access import PERMISSIONS, Actor, allowed
from rrms.storage.unit_of_work import UnitOfWork

CHANGES = frozenset({"create", "update"})
SCAN = 200
"""How many of the user's latest changes are looked through for distinct records."""


@dataclass(frozen=True)
class RecentChange:
    """One record the user created or changed, with the last time they did."""

    entity: str
    entity_id: str
    action: str
    at: dt.datetime


def recent_changes(uow: UnitOfWork, actor: Actor, limit: int = 10) -> list[RecentChange]:
    """The user's last `limit` distinct records created or changed, newest first."""
    if actor.user_id is None:
        return []
    seen: set[tuple[str, str]] = set()
    found: list[RecentChange] = []
    for entry in uow.audit_log.changes_by(actor.user_id, CHANGES, SCAN):
        key = (entry.entity, entry.entity_id)
        if key in seen or entry.entity not in PERMISSIONS:
            continue
        if not allowed(actor, entry.entity, "read") or not entry.entity_id.isdigit():
            continue
        seen.add(key)
        found.append(RecentChange(entry.entity, entry.entity_id, entry.action, entry.at))
        if len(found) == limit:
            break
    return found
