"""Deferred indexes for bulk loads: dropped and rebuilt inside the caller's transaction."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from rrms.storage.bulk_load import defer_indexes


def index_definitions(session, table: str) -> dict[str, str]:
    """Every index of `table` with its definition, as the database's catalogue gives it."""
    if session.connection().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t"), {"t": table}
        )
    else:
        rows = session.execute(
            text(
                "SELECT name, coalesce(sql, 'auto') FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = :t"
            ),
            {"t": table},
        )
    return {str(name): str(sql) for name, sql in rows}


def test_plain_indexes_are_dropped_and_rebuilt_exactly(session_factory):
    with session_factory() as session:
        before = {t: index_definitions(session, t) for t in ("persons", "returns")}
    with session_factory() as session:
        deferred = defer_indexes(session.connection(), ["persons", "returns"])
        assert {"ix_persons_birth_year", "ix_persons_search", "ix_returns_arrival"} <= set(
            deferred.names
        )
        if session.connection().dialect.name == "postgresql":
            assert "fk_returns_person_id_persons" in deferred.names
            assert (
                session.execute(
                    text("SELECT count(*) FROM pg_constraint WHERE conname = :n"),
                    {"n": "fk_returns_person_id_persons"},
                ).scalar()
                == 0
            )
        for table in ("persons", "returns"):
            kept = index_definitions(session, table)
            assert set(kept) == set(before[table]) - set(deferred.names)
            # the unique indexes stay: the load relies on them (ON CONFLICT, lookups)
            assert len(kept) >= 1
        deferred.restore()
        session.commit()
    with session_factory() as session:
        assert {t: index_definitions(session, t) for t in ("persons", "returns")} == before


def test_a_row_breaking_a_foreign_key_is_refused_by_the_end_of_the_load(session_factory):
    """PostgreSQL defers the foreign keys and checks every row when they are added back;
    SQLite keeps checking row by row. Either way the load fails before it commits."""
    with session_factory() as session:
        deferred = defer_indexes(session.connection(), ["returns"])
        with pytest.raises(IntegrityError):
            session.execute(
                text(
                    "INSERT INTO returns (movement_ref, person_id, return_type, "
                    "sending_country, transport_mode, arrival_date, destination_municipality, "
                    "version, created_at, updated_at) VALUES ('MOV-X', 999, 'voluntary', 'DE', "
                    "'air', '2004-08-03', '17', 1, '2004-08-03', '2004-08-03')"
                )
            )
            deferred.restore()
        session.rollback()
    with session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM returns")).scalar() == 0


def test_a_rolled_back_load_keeps_every_index(session_factory):
    with session_factory() as session:
        before = index_definitions(session, "returns")
    with session_factory() as session:
        deferred = defer_indexes(session.connection(), ["returns"])
        assert "ix_returns_person_id" in deferred.names
        session.rollback()
    with session_factory() as session:
        assert index_definitions(session, "returns") == before


def test_a_user_that_does_not_own_the_tables_loads_row_by_row(database_url):
    """PostgreSQL only lets the tables' owner drop their indexes: a writer without that
    right defers nothing, and its transaction stays usable for the load."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no table owners")
    owner = create_engine(database_url)
    with owner.begin() as connection:
        connection.exec_driver_sql("DROP ROLE IF EXISTS rrms_limited_writer")
        connection.exec_driver_sql("CREATE ROLE rrms_limited_writer LOGIN")
        connection.exec_driver_sql(
            "GRANT SELECT, INSERT, UPDATE ON persons, returns TO rrms_limited_writer"
        )
    limited = create_engine(make_url(database_url).set(username="rrms_limited_writer"))
    try:
        with limited.connect() as connection:
            visible = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_returns_arrival'"
            ).scalar()
            assert visible == 1  # the index is there to be deferred, but may not be dropped
            deferred = defer_indexes(connection, ["persons", "returns"])
            assert deferred.names == [] and deferred.statements == []
            assert connection.exec_driver_sql("SELECT count(*) FROM returns").scalar() == 0
            connection.rollback()
    finally:
        limited.dispose()
        with owner.begin() as connection:
            connection.exec_driver_sql("REVOKE ALL ON persons, returns FROM rrms_limited_writer")
            connection.exec_driver_sql("DROP ROLE rrms_limited_writer")
        owner.dispose()


def constraint_definitions(session) -> dict[str, str]:
    """Foreign keys of persons and returns with their definitions (PostgreSQL)."""
    rows = session.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid IN ('persons'::regclass, 'returns'::regclass)"
        )
    )
    return {str(name): str(definition) for name, definition in rows}


def test_foreign_keys_come_back_exactly(session_factory):
    with session_factory() as session:
        if session.connection().dialect.name != "postgresql":
            pytest.skip("SQLite's foreign keys stay and are checked row by row")
        before = constraint_definitions(session)
        assert before  # returns -> persons, returns -> programmes
    with session_factory() as session:
        defer_indexes(session.connection(), ["persons", "returns"]).restore()
        session.commit()
    with session_factory() as session:
        assert constraint_definitions(session) == before
