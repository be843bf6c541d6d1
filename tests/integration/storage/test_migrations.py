"""The migrations build exactly the schema the models describe, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from rrms.storage.tables import Base

MIGRATION_ONLY = ("persons_fts", "ix_persons_search_trgm")
"""Search indexes that only the migration knows (database-specific)."""


def test_migrated_schema_matches_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in differences if not any(name in str(d) for name in MIGRATION_ONLY)] == []
