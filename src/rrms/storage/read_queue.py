"""Audit entries of reads that wait for the chain's lock, kept durably beside the database.

On SQLite the audit chain's lock is the database's one write lock, which an import
holds for as long as it writes. A reader who must append a `read` entry would wait
for it and fail after the busy timeout ("database is locked"). Instead, the entry
goes into this queue — a second, small SQLite database next to the main one
(`rrms.db-audit-reads`, readable by its owner only) — committed with a full sync
before the page answers, so a crash cannot lose it. The next transaction that holds
the chain's lock (any writer, the import's own last step, the next reader who gets
the lock) moves the queued entries into the chain (`rrms.services.core.audit`) and,
once that has committed, deletes them here. Each carries a token that is also
written into its chain entry, so an entry moved twice (a crash between the two
commits) is recognised and not chained again.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

__all__ = ["ReadQueue"]

SUFFIX = "-audit-reads"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pending ("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT NOT NULL UNIQUE, entry TEXT NOT NULL)"
)


class ReadQueue:
    """The queue of one database file: add entries, read them in order, remove them."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, database: str | None) -> ReadQueue | None:
        """The queue of a SQLite database file; None for an in-memory database."""
        if not database or database == ":memory:" or database.startswith("file::memory"):
            return None
        return cls(Path(database + SUFFIX))

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA synchronous=FULL")  # on disk before we answer
        connection.execute(_SCHEMA)
        return connection

    def add(self, token: str, entry: dict[str, Any]) -> None:
        """Keep an entry durably (committed and synced when this returns)."""
        connection = self._connect()
        try:
            connection.execute(
                "INSERT INTO pending (token, entry) VALUES (?, ?)",
                (token, json.dumps(entry, sort_keys=True, ensure_ascii=False)),
            )
        finally:
            connection.close()

    def pending(self) -> list[tuple[int, str, dict[str, Any]]]:
        """Every queued entry, oldest first: (queue id, token, entry)."""
        if not self.path.exists():
            return []
        connection = self._connect()
        try:
            rows = connection.execute("SELECT id, token, entry FROM pending ORDER BY id").fetchall()
        finally:
            connection.close()
        return [(int(number), str(token), json.loads(entry)) for number, token, entry in rows]

    def remove(self, ids: list[int]) -> None:
        """Forget entries that are in the chain now."""
        if not ids:
            return
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in ids])
            connection.execute("COMMIT")
        finally:
            connection.close()
