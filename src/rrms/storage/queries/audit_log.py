"""The audit log: the chain's lock, its last entry, appending and reading entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, and_, event, func, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased

from rrms.storage.database import is_busy
from rrms.storage.queries.base import Queries
from rrms.storage.read_queue import ReadQueue
from rrms.storage.tables import AuditEntry

_Later = aliased(AuditEntry)
_LOCK_KEY = 7_402_004  # PostgreSQL advisory lock: one writer of the chain at a time
_BATCH = 1000
READ_WAIT_MS = 250
"""How long a reader waits for SQLite's write lock before queueing its audit entry."""


class AuditLogQueries(Queries):
    """The audit log: the chain's lock, its last entry, appending and reading entries."""

    def lock_chain(self) -> None:
        """Take the database's write lock before reading the chain's last hash, so that
        two transactions never link to the same entry (the unique `prev_hash` index
        would refuse the second)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        else:
            # A write statement, even one matching no row, takes SQLite's write lock for
            # the rest of the transaction; later writers wait (busy_timeout).
            self.session.execute(text("UPDATE audit_log SET id = id WHERE 0"))

    def try_lock_chain(self) -> bool:
        """Take the chain's lock if it comes within moments; False if another
        transaction (an import) holds it, or this one read a snapshot that a writer has
        since moved past. PostgreSQL's readers never wait for an import: always True."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.lock_chain()
            return True
        before = self.session.execute(text("PRAGMA busy_timeout")).scalar()
        self.session.execute(text(f"PRAGMA busy_timeout={READ_WAIT_MS}"))
        try:
            self.lock_chain()
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            return False
        finally:
            self.session.execute(text(f"PRAGMA busy_timeout={int(before or 0)}"))
        return True

    def _queue(self) -> ReadQueue | None:
        bind = self.session.get_bind()
        if bind.dialect.name != "sqlite":
            return None
        engine = bind if isinstance(bind, Engine) else bind.engine
        return ReadQueue.beside(engine.url.database)

    def can_defer(self) -> bool:
        """Whether entries of reads can wait in a queue (a SQLite database file)."""
        return self._queue() is not None

    def defer(self, token: str, entry: dict[str, Any]) -> None:
        """Queue a read's entry durably, outside this transaction (`ReadQueue`)."""
        queue = self._queue()
        if queue is None:
            raise RuntimeError("no queue for deferred reads on this database")
        queue.add(token, entry)

    def deferred(self) -> list[tuple[int, str, dict[str, Any]]]:
        """The queued entries of reads, oldest first: (queue id, token, entry)."""
        queue = self._queue()
        return [] if queue is None else queue.pending()

    def forget_on_commit(self, ids: list[int]) -> None:
        """Remove these queued entries once this transaction has committed (they are
        in the chain then; a rollback leaves them queued)."""
        queue = self._queue()
        if queue is None or not ids:
            return

        def forget(_session: Any) -> None:
            queue.remove(ids)

        event.listen(self.session, "after_commit", forget, once=True)

    def deferred_tokens_since(self, since: dt.datetime, actions: frozenset[str]) -> set[str]:
        """The tokens of deferred entries already in the chain, among entries of these
        actions at or after `since`."""
        query = select(AuditEntry.after).where(
            AuditEntry.action.in_(sorted(actions)), AuditEntry.at >= since
        )
        tokens = set()
        for after in self.session.scalars(query):
            if isinstance(after, dict) and isinstance(after.get("deferred"), str):
                tokens.add(after["deferred"])
        return tokens

    def last_hash(self) -> str | None:
        """The hash of the chain's last entry; None while the log is empty."""
        last = self.session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        return last.scalar()

    def append(self, entry: AuditEntry) -> None:
        """Write an entry now (not at commit), in the caller's transaction."""
        self.session.add(entry)
        self.session.flush()

    def append_all(self, entries: Sequence[AuditEntry]) -> None:
        """Write entries now, in their order (their ids follow it, so the chain read
        `in_order` is the order they were linked in), in one flush."""
        self.session.add_all(entries)
        self.session.flush()

    def in_order(self) -> Iterator[AuditEntry]:
        """Every entry, oldest first, read in batches (the log can be long)."""
        query = select(AuditEntry).order_by(AuditEntry.id)
        yield from self.session.scalars(query).yield_per(_BATCH)

    def history(self, entity: str, entity_id: object, limit: int) -> list[AuditEntry]:
        """The latest entries about one record, newest first."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def changes_by(self, user_id: int, actions: Collection[str], scan: int) -> list[AuditEntry]:
        """The user's latest entries of the given actions (newest first), among their
        last `scan` entries of those actions; the caller keeps one per record."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.user_id == user_id, AuditEntry.action.in_(list(actions)))
            .order_by(AuditEntry.id.desc())
            .limit(scan)
        )
        return list(self.session.scalars(query))

    def about(self, records: Mapping[str, Sequence[object]]) -> list[AuditEntry]:
        """Every entry about the given records (entity -> ids), oldest first."""
        conditions = [
            and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_([str(i) for i in ids]))
            for entity, ids in records.items()
            if ids
        ]
        if not conditions:
            return []
        query = select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.id)
        return list(self.session.scalars(query))

    def listings(self, entity: str) -> Iterator[AuditEntry]:
        """Every listing or search of `entity` (entries naming the ids shown), oldest
        first, in batches."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.action.in_(("list", "search")))
            .order_by(AuditEntry.id)
        )
        yield from self.session.scalars(query).yield_per(_BATCH)

    def page(
        self,
        where: Mapping[str, Any],
        limit: int,
        offset: int,
        *,
        id_only_in_shown: Collection[str] = (),
    ) -> tuple[int, list[AuditEntry]]:
        """The entries with the given column values, oldest first, one page of them, and
        how many match. An `entity_id` condition matches no entry of the entities in
        `id_only_in_shown` (whose ids the reader does not see), so that the answer is the
        same whether such an id exists or not."""
        query = select(AuditEntry)
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        if "entity_id" in where and id_only_in_shown:
            query = query.where(AuditEntry.entity.not_in(sorted(id_only_in_shown)))
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(AuditEntry.id).limit(limit).offset(offset))
        return total, list(rows)

    def predecessors(self, ids: Collection[int]) -> dict[int, AuditEntry]:
        """For each of these entries, the entry just before it in the chain (by id)."""
        if not ids:
            return {}
        before = (
            select(func.max(AuditEntry.id))
            .where(AuditEntry.id < _Later.id)
            .correlate(_Later)
            .scalar_subquery()
        )
        pairs = self.session.execute(
            select(_Later.id, before).where(_Later.id.in_(sorted(ids)))
        ).all()
        wanted = {prev: entry for entry, prev in pairs if prev is not None}
        if not wanted:
            return {}
        found = self.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(sorted(wanted))))
        by_id = {row.id: row for row in found}
        return {wanted[prev]: by_id[prev] for prev in wanted if prev in by_id}
