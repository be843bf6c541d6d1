"""Persons' name search index on SQLite: its definition, written once, and its deferral
during a bulk load.

Migration 0002 creates an FTS5 table with the trigram tokenizer over
`persons.search_key`, kept in step by one trigger per kind of write, so that every
write path (ORM or bulk import) maintains it. The statements are defined here, once:
the migration runs them, and the returns import recognises the triggers by them, drops
two of them while it writes persons in bulk and creates them again from the same text.

Never change these strings: databases were built with them, and the import leaves
triggers it does not recognise alone. A different index needs a new migration and new
constants (tests/unit/storage pins the migration's statements).

PostgreSQL keeps its trigram index (`ix_persons_search_trgm`) as an ordinary index,
which `rrms.storage.bulk_load` defers like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

__all__ = [
    "PERSONS_FTS_DELETE",
    "PERSONS_FTS_INSERT",
    "PERSONS_FTS_REBUILD",
    "PERSONS_FTS_TABLE",
    "PERSONS_FTS_UPDATE",
    "DeferredSearchIndex",
    "defer_search_index",
]

PERSONS_FTS_TABLE = (
    "CREATE VIRTUAL TABLE persons_fts USING fts5("
    "search_key, content='persons', content_rowid='id', tokenize='trigram')"
)
PERSONS_FTS_INSERT = (
    "CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN "
    "INSERT INTO persons_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
)
PERSONS_FTS_DELETE = (
    "CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN "
    "INSERT INTO persons_fts(persons_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END"
)
PERSONS_FTS_UPDATE = (
    "CREATE TRIGGER persons_fts_update AFTER UPDATE OF search_key ON persons BEGIN "
    "INSERT INTO persons_fts(persons_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO persons_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
)
PERSONS_FTS_REBUILD = "INSERT INTO persons_fts(persons_fts) VALUES ('rebuild')"
"""Index every person already stored (run once, after the table and its triggers)."""

_DEFERRED = {"persons_fts_insert": PERSONS_FTS_INSERT, "persons_fts_update": PERSONS_FTS_UPDATE}
"""The triggers dropped while persons are written in bulk, by name, with the text
SQLite keeps for each."""


@dataclass
class DeferredSearchIndex:
    """The insert and update triggers of the search index, dropped until `restore`.

    Persons stored before the triggers were dropped (ids up to `after_id`) stay
    indexed; those inserted since are indexed by `restore` in one statement, and a
    stored person whose search key changes meanwhile is re-indexed by `reindex`, as
    the update trigger would have done.
    """

    connection: Connection
    after_id: int

    def reindex(self, renamed: Sequence[tuple[int, str, str]]) -> None:
        """Re-index persons stored before the load whose search key changed, given as
        (id, old key, new key). FTS5 forgets an entry only when told its old text."""
        if not renamed:
            return
        self.connection.exec_driver_sql(
            "INSERT INTO persons_fts(persons_fts, rowid, search_key) VALUES ('delete', ?, ?)",
            [(person_id, old) for person_id, old, _ in renamed],
        )
        self.connection.exec_driver_sql(
            "INSERT INTO persons_fts(rowid, search_key) VALUES (?, ?)",
            [(person_id, new) for person_id, _, new in renamed],
        )

    def restore(self) -> None:
        """Index the persons inserted since the load began, then create the triggers
        again (call before the transaction commits)."""
        self.connection.exec_driver_sql(
            "INSERT INTO persons_fts(rowid, search_key) "
            "SELECT id, search_key FROM persons WHERE id > ?",
            (self.after_id,),
        )
        for definition in _DEFERRED.values():
            self.connection.exec_driver_sql(definition)


def defer_search_index(connection: Connection, after_id: int) -> DeferredSearchIndex | None:
    """On SQLite, drop the search index's insert and update triggers while persons are
    written in bulk, to index the new ones at once at the end.

    A trigger per inserted row costs ten times one `INSERT INTO persons_fts ... SELECT`
    of the same rows. The update trigger goes too: it would tell the index to forget a
    person created earlier in the load, whom the index has not seen yet (which corrupts
    an FTS5 index). The drop happens inside the caller's transaction (invisible to
    others, undone with it on any error; `rrms.storage.bulk_load.begin_now` must have
    opened it). Only triggers exactly as migration 0002 wrote them are touched; else,
    and on PostgreSQL, nothing is deferred (None) and the index is kept row by row.
    """
    if connection.dialect.name != "sqlite":
        return None
    found: dict[str, str] = dict(
        connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name IN ('persons_fts_insert', 'persons_fts_update')"
        ).all()
    )
    if found != _DEFERRED:
        return None
    for name in _DEFERRED:  # the migration's own names
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    return DeferredSearchIndex(connection, after_id)
