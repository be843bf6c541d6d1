"""The search index's statements are defined once, and migration 0002 still runs exactly
the statements it ran when databases were built with it."""

import importlib.util
from pathlib import Path

from rrms.storage import search_index

MIGRATION = (
    Path(search_index.__file__).parent / "migrations/versions/0002_person_name_search_index.py"
)

AS_RELEASED = (
    "CREATE VIRTUAL TABLE persons_fts USING fts5("
    "search_key, content='persons', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN "
    "INSERT INTO persons_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN "
    "INSERT INTO persons_fts(persons_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER persons_fts_update AFTER UPDATE OF search_key ON persons BEGIN "
    "INSERT INTO persons_fts(persons_fts, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO persons_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
    "INSERT INTO persons_fts(persons_fts) VALUES ('rebuild')",
)
"""Migration 0002's SQLite statements as released, copied here on purpose: a change of
the shared constants must fail this test, not silently alter the migration."""


def migration_0002():
    spec = importlib.util.spec_from_file_location("migration_0002", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_0002_runs_the_statements_it_was_released_with():
    assert migration_0002()._SQLITE_UP == AS_RELEASED


def test_the_triggers_a_bulk_load_defers_are_the_migrations_own():
    deferred = search_index._DEFERRED
    assert deferred == {"persons_fts_insert": AS_RELEASED[1], "persons_fts_update": AS_RELEASED[3]}
