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

from rrms.storage.search_index import (
    PERSONS_FTS_DELETE,
    PERSONS_FTS_INSERT,
    PERSONS_FTS_REBUILD,
    PERSONS_FTS_TABLE,
    PERSONS_FTS_UPDATE,
)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = (
    PERSONS_FTS_TABLE,
    PERSONS_FTS_INSERT,
    PERSONS_FTS_DELETE,
    PERSONS_FTS_UPDATE,
    PERSONS_FTS_REBUILD,
)
"""The search index's statements, defined once in `rrms.storage.search_index` (the
returns import recognises the triggers by the same text); they never change."""


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
