"""Index persons' search keys for substring search at a million persons, and the
columns a person's page looks up (their decisions, projects, audit trail).

PostgreSQL: a trigram GIN index (pg_trgm), which `LIKE '%word%'` uses directly.
SQLite: an FTS5 table with the trigram tokenizer over `persons.search_key`, kept in
step by triggers, so every write path (ORM or bulk import) maintains it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = (
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


_LOOKUPS = (
    ("ix_audit_log_entity", "audit_log", ["entity", "entity_id"]),
    ("ix_screening_decisions_person_id", "screening_decisions", ["person_id"]),
    ("ix_projects_person_id", "projects", ["person_id"]),
)


def upgrade() -> None:
    """Create the search index for the database in use."""
    for name, table, columns in _LOOKUPS:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_persons_search_trgm ON persons USING gin (search_key gin_trgm_ops)")


def downgrade() -> None:
    """Drop the search index."""
    for name, table, _ in _LOOKUPS:
        op.drop_index(name, table_name=table)
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS persons_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS persons_fts")
        return
    op.execute("DROP INDEX IF EXISTS ix_persons_search_trgm")
