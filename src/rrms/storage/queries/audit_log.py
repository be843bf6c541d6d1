"""The audit log: the chain's lock, its last entry, appending and reading entries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from sqlalchemy import and_, or_, select, text

from rrms.storage.queries.base import Queries
from rrms.storage.tables import AuditEntry

_LOCK_KEY = 7_402_004  # PostgreSQL advisory lock: one writer of the chain at a time
_BATCH = 1000


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

    def last_hash(self) -> str | None:
        """The hash of the chain's last entry; None while the log is empty."""
        last = self.session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        return last.scalar()

    def append(self, entry: AuditEntry) -> None:
        """Write an entry now (not at commit), in the caller's transaction."""
        self.session.add(entry)
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
