"""The audit trail: who read or changed what, when, with the values before and after.

Entries are written in the same transaction as the change they record, so a change
without its entry cannot be committed. Each entry's hash covers its content and the
previous entry's hash (a hash chain): changing, deleting or reordering any entry
breaks every hash after it, which `verify_chain` reports. The database itself refuses
UPDATE and DELETE on the table (triggers in the first migration).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from rrms.services.core.access import Actor
from rrms.storage.tables import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 7_402_004  # PostgreSQL advisory lock: one writer of the chain at a time


def plain(value: Any) -> Any:
    """A JSON-safe form of a column value (dates as ISO text, money as exact text)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    return {
        "at": at.astimezone(dt.UTC).isoformat(),
        "user_id": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
    }


def _lock_chain(session: Session) -> None:
    """Take the database's write lock before reading the chain's last hash, so that two
    transactions never link to the same entry (the unique `prev_hash` index would
    refuse the second)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    else:
        # A write statement, even one matching no row, takes SQLite's write lock for
        # the rest of the transaction; later writers wait (busy_timeout).
        session.execute(text("UPDATE audit_log SET id = id WHERE 0"))


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction."""
    _lock_chain(session)
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    prev_hash = last.scalar() or GENESIS
    entry = AuditEntry(
        at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=plain(before) if before is not None else None,
        after=plain(after) if after is not None else None,
        prev_hash=prev_hash,
        hash="",
    )
    entry.hash = _digest(prev_hash, _fields(entry))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    """An audit entry whose hash or link does not match: evidence of tampering."""

    entry_id: int
    problem: str


def verify_chain(session: Session) -> Iterator[ChainProblem]:
    """Recompute every hash in order and yield each entry that does not match."""
    prev_hash = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if entry.prev_hash != prev_hash:
            yield ChainProblem(entry.id, "does not link to the entry before it")
        if _digest(entry.prev_hash, _fields(entry)) != entry.hash:
            yield ChainProblem(entry.id, "content does not match its hash")
        prev_hash = entry.hash
