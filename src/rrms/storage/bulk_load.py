"""Bulk loads: build a table's secondary indexes once after a load, not row by row.

Both databases advise it for loading many rows (PostgreSQL's manual, "Populating a
Database": "the fastest method is to create the table, bulk load the table's data
using COPY, then create any indexes needed"; SQLite behaves the same way, since
`CREATE INDEX` sorts once where an insert walks each index's B-tree per row). For
the returns register, loading a million arrivals into the migrated schema costs
about half as much again when the search, date and person indexes are kept up to
date row by row as when they are built at the end.

Only plain secondary indexes are deferred, and on PostgreSQL the foreign keys between
the loaded tables (checked row by row by a trigger, where adding the constraint back
checks every row in one join; the manual advises this too). A foreign key to any
other table stays: dropping it would lock that table as well until the commit.
Primary keys, unique indexes and the indexes behind constraints stay, because the
load relies on them (`ON CONFLICT`, lookups by reference) and they keep the data
correct while it is written. Every
index and constraint is dropped and re-created inside the caller's transaction, so a
load that fails leaves them exactly as they were (both databases have transactional
DDL), and a load that breaks a foreign key fails when it is added back, before the
commit. Other connections keep seeing the schema of the last committed state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

__all__ = ["DeferredIndexes", "begin_now", "defer_indexes"]

_POSTGRES_INDEX_MEMORY = "256MB"
"""`maintenance_work_mem` while the deferred indexes are built (PostgreSQL's default
of 64 MB makes a trigram index of a million names spill to disk)."""


@dataclass
class DeferredIndexes:
    """Indexes (and foreign keys) dropped for a bulk load, and the statements that
    build them again."""

    connection: Connection
    statements: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def restore(self) -> None:
        """Build every deferred index and constraint again (call before the transaction
        commits); a foreign key the loaded rows break fails here."""
        if self.statements and self.connection.dialect.name == "postgresql":
            self.connection.exec_driver_sql(
                f"SET LOCAL maintenance_work_mem = '{_POSTGRES_INDEX_MEMORY}'"
            )
        for statement in self.statements:
            self.connection.exec_driver_sql(statement)
        self.statements = []
        self.names = []


def begin_now(connection: Connection) -> None:
    """Open the connection's transaction now, so that DDL run next belongs to it.

    Python's sqlite3 module (legacy transaction control, as SQLAlchemy uses it)
    opens a transaction only before INSERT, UPDATE or DELETE: a DROP INDEX or DROP
    TRIGGER run first would be committed on its own at once, and a rollback of the
    load could not bring the index back. `BEGIN IMMEDIATE` also takes SQLite's write
    lock at the start, so a load waits for (or fails on) another writer before it
    has done any work. PostgreSQL connections are always in a transaction here.
    """
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def defer_indexes(connection: Connection, tables: Sequence[str]) -> DeferredIndexes:
    """Drop the plain secondary indexes of `tables` (and on PostgreSQL their foreign
    keys) until `restore` is called.

    On PostgreSQL the drop needs the tables' owner; a connection that may write but
    not alter them defers nothing and the load simply runs with its indexes (the
    attempt is undone to a savepoint, so the transaction stays usable). Note that
    PostgreSQL's DROP INDEX locks the table against other readers until commit:
    callers use this for loads large enough that the register is being filled,
    not corrected.
    """
    if connection.dialect.name == "postgresql":
        found = _postgres_indexes(connection, tables)
    else:
        found = _sqlite_indexes(connection, tables)
    deferred = DeferredIndexes(connection)
    begin_now(connection)
    if not found:
        return deferred
    savepoint = connection.begin_nested()
    try:
        for _, drop, _ in found:
            connection.exec_driver_sql(drop)
    except DBAPIError:
        savepoint.rollback()
        return deferred
    savepoint.commit()
    deferred.names = [name for name, _, _ in found]
    deferred.statements = [create for _, _, create in found]
    return deferred


_Deferral = tuple[str, str, str]
"""(name, the statement dropping it, the statement creating it again); names come
from the database's own catalogue and are quoted as identifiers."""


def _sqlite_indexes(connection: Connection, tables: Sequence[str]) -> list[_Deferral]:
    found: list[_Deferral] = []
    for table in tables:
        # PRAGMA index_list: (seq, name, unique, origin, partial); origin "c" is a
        # CREATE INDEX, where "u" and "pk" back a constraint
        listed = connection.exec_driver_sql(f'PRAGMA index_list("{table}")').fetchall()
        plain = sorted(row[1] for row in listed if row[3] == "c" and not row[2])
        for name in plain:
            statement = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
                {"name": name},
            ).scalar()
            if statement:
                found.append((name, f'DROP INDEX "{name}"', str(statement)))
    return found


def _postgres_indexes(connection: Connection, tables: Sequence[str]) -> list[_Deferral]:
    indexes = connection.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) "
            "FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = ANY(:tables) "
            "AND t.relnamespace = to_regnamespace(current_schema())::oid "
            "AND NOT x.indisunique AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
            "ORDER BY i.relname"
        ),
        {"tables": list(tables)},
    ).fetchall()
    foreign_keys = connection.execute(
        text(
            "SELECT c.conname, t.relname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "JOIN pg_class r ON r.oid = c.confrelid "
            "WHERE c.contype = 'f' AND t.relname = ANY(:tables) AND r.relname = ANY(:tables) "
            "AND t.relnamespace = to_regnamespace(current_schema())::oid "
            "ORDER BY c.conname"
        ),
        {"tables": list(tables)},
    ).fetchall()
    return [(str(name), f'DROP INDEX "{name}"', str(create)) for name, create in indexes] + [
        (
            str(name),
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"',
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}',
        )
        for name, table, definition in foreign_keys
    ]
