"""Persons' name search index on SQLite: its definition, written once.

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

__all__ = [
    "PERSONS_FTS_DELETE",
    "PERSONS_FTS_INSERT",
    "PERSONS_FTS_REBUILD",
    "PERSONS_FTS_TABLE",
    "PERSONS_FTS_UPDATE",
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
