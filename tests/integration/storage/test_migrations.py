"""The migrations build exactly the schema the models describe, on both backends, and
fill what they add for the rows already stored."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from rrms.reference.identity import name_keys
from rrms.storage.database import alembic_config
from rrms.storage.tables import Base

MIGRATION_ONLY = ("persons_fts", "ix_persons_search_trgm")
"""Search indexes that only the migration knows (database-specific)."""


def test_migrated_schema_matches_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert [d for d in differences if not any(name in str(d) for name in MIGRATION_ONLY)] == []


def test_name_keys_are_filled_for_persons_stored_before_them(tmp_path):
    url = f"sqlite:///{tmp_path / 'before-keys.db'}"
    command.upgrade(alembic_config(url), "0009_list_indexes")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO persons (id, family_name, given_name, search_key, version, "
                "created_at, updated_at) VALUES (7, 'Krasnići', 'Arben', 'k', 1, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT family_key, given_key FROM persons")).one()
    engine.dispose()
    assert tuple(keys) == name_keys("Krasniqi", "Arben") == ("krsnc", "arbn")
