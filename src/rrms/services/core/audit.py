"""The audit trail: who read or changed what, when, with the values before and after.

Entries are written in the same transaction as the change they record, so a change
without its entry cannot be committed. Each entry's hash covers its content and the
previous entry's hash (a hash chain): changing, deleting or reordering any entry
breaks every hash after it, which `verify_chain` reports. The database itself refuses
UPDATE and DELETE on the table (triggers in the first migration).

An action on many records at once (a screening officer accepting thousands of
recommendations) still writes one entry per record, but chains them in one go
(`record_many`): one lock, one read of the chain's end, one write of every entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rrms.services.core.access import Actor
from rrms.storage.queries.audit_log import AuditLogQueries
from rrms.storage.queries.base import UnitOrSession, queries_in
from rrms.storage.tables import AuditEntry

GENESIS = "0" * 64

READS = frozenset({"read", "list", "search", "export"})
"""Actions that record what someone saw: on SQLite their entries may wait in a queue
while an import holds the chain's lock (`rrms.storage.read_queue`)."""


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


def _log(where: UnitOrSession) -> AuditLogQueries:
    """The audit log's queries, for a unit of work or (callers not yet moved) a session."""
    return queries_in(where, AuditLogQueries)


def record(
    uow: UnitOrSession,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction.

    A read (`READS`) on SQLite while another transaction holds the chain's lock (an
    import writing) does not wait for it and fail: its entry is queued durably and
    chained, with its own time, by the next transaction that holds the lock
    (`write_deferred`). Every entry that does get the lock first chains the queued ones.

    `uow` is the unit of work; a bare session is still accepted from callers that have
    not moved to the unit of work yet.
    """
    log = _log(uow)
    entry = AuditEntry(
        at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=plain(before) if before is not None else None,
        after=plain(after) if after is not None else None,
        prev_hash="",
        hash="",
    )
    if action in READS and log.can_defer():
        if not log.try_lock_chain():
            fields = _fields(entry)
            log.defer(uuid.uuid4().hex, fields)
            return entry
    else:
        log.lock_chain()
    _chain_deferred(log)
    _append(log, entry)
    return entry


@dataclass(frozen=True)
class Change:
    """One record's entry in an action on many (`record_many`)."""

    action: str
    entity: str
    entity_id: object
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record_many(uow: UnitOrSession, actor: Actor, changes: Sequence[Change]) -> list[AuditEntry]:
    """Append one entry per change to the chain, in order, inside the caller's transaction.

    The same entries as `record` called for each change in turn (each links to the one
    before it, `verify_chain` checks them alike), but the chain's lock is taken once,
    its last hash read once and the entries written in one flush: an officer's bulk
    decision on 5,000 persons no longer waits on 5,000 round trips. The entries share
    the moment the action was taken. Not for reads: those have `record`'s queue.
    """
    if not changes:
        return []
    log = _log(uow)
    log.lock_chain()
    _chain_deferred(log)
    at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    previous = log.last_hash() or GENESIS
    entries = []
    for change in changes:
        entry = AuditEntry(
            at=at,
            user_id=actor.user_id,
            username=actor.username,
            action=change.action,
            entity=change.entity,
            entity_id=str(change.entity_id),
            before=plain(change.before) if change.before is not None else None,
            after=plain(change.after) if change.after is not None else None,
            prev_hash=previous,
            hash="",
        )
        entry.hash = previous = _digest(previous, _fields(entry))
        entries.append(entry)
    log.append_all(entries)
    return entries


def _append(log: AuditLogQueries, entry: AuditEntry) -> None:
    """Link the entry to the chain's last one and write it (the lock is held)."""
    entry.prev_hash = log.last_hash() or GENESIS
    entry.hash = _digest(entry.prev_hash, _fields(entry))
    log.append(entry)


def _chain_deferred(log: AuditLogQueries) -> int:
    """Move the queued entries of reads into the chain (the lock is held); the queue
    forgets them when this transaction commits. Returns how many were chained."""
    pending = log.deferred()
    if not pending:
        return 0
    since = min(dt.datetime.fromisoformat(fields["at"]) for _, _, fields in pending)
    already = log.deferred_tokens_since(since.replace(tzinfo=None), READS)  # SQLite: UTC, naive
    chained = 0
    for _, token, fields in pending:
        if token in already:  # chained before a crash kept it in the queue
            continue
        after = dict(fields["after"] or {})
        after["deferred"] = token
        _append(
            log,
            AuditEntry(
                at=dt.datetime.fromisoformat(fields["at"]),
                user_id=fields["user_id"],
                username=fields["username"],
                action=fields["action"],
                entity=fields["entity"],
                entity_id=fields["entity_id"],
                before=fields["before"],
                after=after,
                prev_hash="",
                hash="",
            ),
        )
        chained += 1
    log.forget_on_commit([number for number, _, _ in pending])
    return chained


def write_deferred(uow: UnitOrSession) -> int:
    """Chain every queued read entry now, waiting for the lock (the caller commits).

    `rrms audit verify` does this first, so that the chain it checks is complete.
    """
    log = _log(uow)
    if not log.deferred():
        return 0
    log.lock_chain()
    return _chain_deferred(log)


@dataclass(frozen=True)
class ChainProblem:
    """An audit entry whose hash or link does not match: evidence of tampering."""

    entry_id: int
    problem: str


def verify_chain(uow: UnitOrSession) -> Iterator[ChainProblem]:
    """Recompute every hash in order and yield each entry that does not match."""
    prev_hash = GENESIS
    for entry in _log(uow).in_order():
        if entry.prev_hash != prev_hash:
            yield ChainProblem(entry.id, "does not link to the entry before it")
        if _digest(entry.prev_hash, _fields(entry)) != entry.hash:
            yield ChainProblem(entry.id, "content does not match its hash")
        prev_hash = entry.hash
