"""Bulk writers: the SQL that writes a returns register into `persons` and `returns` fast.

The register import (`rrms.services.returns.register_import`) checks a file of up to
a million arrivals and decides, batch by batch, which persons and arrivals are new,
changed or unchanged; `ReturnsBulkWriter` is everything it needs from the database,
in the import's one transaction:

* the lookups of stored persons and arrivals by reference, the inserts, the person
  updates and the arrival upserts (`INSERT ... ON CONFLICT (movement_ref) DO UPDATE`),
  compiled once and run through the driver with tuples (SQLAlchemy's per-row
  parameter processing would cost more than the database's own work); on PostgreSQL
  `COPY` where SQLite takes `executemany`;
* new person ids, chosen before the insert (a sequence, or counting on);
* what it builds once at the end instead of row by row, in `finish`: SQLite's name
  search index (`rrms.storage.search_index`), and for a bulk load the plain indexes
  (`rrms.storage.bulk_load`);
* a larger SQLite page cache while it writes (a PRAGMA, restored by `close`).

Rows are plain tuples in the orders named below (`PERSON_ROW`, `RETURN_FIELDS`);
values are already checked and normalised, dates as ISO text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, column, func, literal_column, or_, select, table, update
from sqlalchemy import bindparam as bind
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from rrms.storage.bulk_load import DeferredIndexes, begin_now, defer_indexes
from rrms.storage.search_index import DeferredSearchIndex, defer_search_index
from rrms.storage.tables import Person, Return

__all__ = [
    "PERSON_FIELDS",
    "PERSON_ROW",
    "RETURN_FIELDS",
    "ReturnsBulkWriter",
]

PERSON_FIELDS = ("family_name", "given_name", "father_name", "sex", "birth_date", "community")
"""A person's fields a register row gives, in the order of the person tuples."""
PERSON_ROW = ("person_ref", *PERSON_FIELDS)
"""A checked person: its reference and fields, then its birth_year, search_key,
family_key and given_key."""
RETURN_FIELDS = (
    "movement_ref",
    "person_id",
    "family_ref",
    "return_type",
    "programme_id",
    "sending_country",
    "transport_mode",
    "departure_date",
    "arrival_date",
    "arrival_point",
    "destination_municipality",
    "destination_settlement",
    "secondary_transport",
    "vulnerable",
    "notes",
)
"""An arrival's fields, in the order of the arrival tuples."""

_PERSON_INSERT = (
    "id",
    *PERSON_ROW,
    "birth_year",
    "search_key",
    "family_key",
    "given_key",
    "version",
    "created_at",
    "updated_at",
)
_PERSON_UPDATE = (
    *PERSON_FIELDS,
    "birth_year",
    "search_key",
    "family_key",
    "given_key",
    "updated_at",
    "id",
)
_RETURN_WRITE = (*RETURN_FIELDS, "version", "created_at", "updated_at")
_DATE_POSITIONS = (RETURN_FIELDS.index("departure_date"), RETURN_FIELDS.index("arrival_date"))
_SQLITE_CACHE_KIB = 256 * 1024
"""SQLite page cache of the import's connection while it writes (a fixed cap)."""

_Prepared = tuple[str, Callable[[tuple[Any, ...]], tuple[Any, ...]]]
"""A compiled statement and the function arranging a row in its parameter order."""


def _as_is(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arrangement of rows already in a statement's parameter order: none (`run`
    then hands the rows to the driver without copying each one)."""
    return row


class _Statements:
    """The import's statements, compiled once by SQLAlchemy for the connection's database
    and run through the driver with tuples.

    SQLite: `executemany` of the upsert (`INSERT ... ON CONFLICT (movement_ref) DO
    UPDATE`) and of the person insert. PostgreSQL: one statement per row costs a
    server round of parsing and planning each, so a batch is `COPY`ed into a
    temporary staging table and moved by one set-based `INSERT ... SELECT ... ON
    CONFLICT (movement_ref) DO UPDATE` (persons, whose ids are reserved beforehand,
    are copied straight into their table).
    """

    _STAGE = "rrms_returns_import_stage"

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        dialect = self.connection.dialect
        self.postgres = dialect.name == "postgresql"
        dialect_class: Any = type(dialect)
        positional = dialect_class(paramstyle="format" if self.postgres else "qmark")
        persons: Table = Person.__table__  # type: ignore[assignment]
        returns: Table = Return.__table__  # type: ignore[assignment]
        one: Any = literal_column("1")

        insert = postgresql.insert if self.postgres else sqlite.insert
        if self.postgres:
            stage = table(self._STAGE, *(column(name) for name in _RETURN_WRITE))
            upsert = insert(returns).from_select(_RETURN_WRITE, select(*stage.c))
        else:
            upsert = insert(returns).values({name: bind(name) for name in _RETURN_WRITE})
        excluded = upsert.excluded
        changing = [name for name in RETURN_FIELDS if name != "movement_ref"]
        upsert = upsert.inline().on_conflict_do_update(
            index_elements=[returns.c.movement_ref],
            set_={
                **{name: excluded[name] for name in changing},
                "version": returns.c.version + one,
                "updated_at": excluded.updated_at,
            },
            where=or_(*(returns.c[name].is_distinct_from(excluded[name]) for name in changing)),
        )
        add_person = persons.insert().values({name: bind(name) for name in _PERSON_INSERT})
        change_person = (
            update(persons)
            .where(persons.c.id == bind("p_id"))
            .values(
                {
                    **{name: bind(f"p_{name}") for name in _PERSON_UPDATE if name != "id"},
                    "version": persons.c.version + one,
                }
            )
        )
        self.upsert = self._compile(upsert, positional, _RETURN_WRITE)
        add_return = returns.insert().values({name: bind(name) for name in _RETURN_WRITE})
        self.add_return = self._compile(add_return.inline(), positional, _RETURN_WRITE)
        self.add_person = self._compile(add_person.inline(), positional, _PERSON_INSERT)
        self.change_person = self._compile(
            change_person, positional, tuple(f"p_{name}" for name in _PERSON_UPDATE)
        )
        # identifiers below are the tables' own column names, never input
        person_columns = ", ".join(("id", *PERSON_ROW, "search_key", "created_at"))
        return_columns = ", ".join(("id", *RETURN_FIELDS))
        self.find_persons = f"SELECT {person_columns} FROM persons WHERE person_ref"
        self.find_returns = f"SELECT {return_columns} FROM returns WHERE movement_ref"
        if self.postgres:
            self.connection.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {self._STAGE} ON COMMIT DROP AS "
                f"SELECT {', '.join(_RETURN_WRITE)} FROM returns WITH NO DATA"
            )
            self.copy_stage = f"COPY {self._STAGE} ({', '.join(_RETURN_WRITE)}) FROM STDIN"
            self.copy_persons = f"COPY persons ({', '.join(_PERSON_INSERT)}) FROM STDIN"
            self.copy_returns = f"COPY returns ({', '.join(_RETURN_WRITE)}) FROM STDIN"
            # looked up once: called per id, pg_get_serial_sequence searches the
            # catalogue every time and costs five times the nextval itself
            self.person_sequence = str(
                self.connection.exec_driver_sql(
                    "SELECT pg_get_serial_sequence('persons', 'id')"
                ).scalar()
            )

    @staticmethod
    def _compile(statement: Any, dialect: Any, order: tuple[str, ...]) -> _Prepared:
        compiled = statement.compile(dialect=dialect)
        positions = [order.index(name) for name in compiled.positiontup or ()]
        if positions == list(range(len(order))):
            return compiled.string, _as_is  # rows are already in the statement's order
        if not positions:
            return compiled.string, lambda row: ()
        pick = itemgetter(*positions)
        return compiled.string, (pick if len(positions) > 1 else lambda row: (pick(row),))

    def run(self, prepared: _Prepared, rows: list[tuple[Any, ...]]) -> None:
        """Execute a prepared statement once per row (the driver's `executemany`)."""
        sql, arrange = prepared
        self.connection.exec_driver_sql(
            sql, rows if arrange is _as_is else list(map(arrange, rows))
        )

    def _copy(self, statement: str, rows: list[tuple[Any, ...]]) -> Any:
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return cursor

    def insert_persons(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert new persons (rows in `_PERSON_INSERT` order, ids included)."""
        if self.postgres:
            self._copy(self.copy_persons, rows).close()
        else:
            self.run(self.add_person, rows)

    def insert_returns(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert arrivals none of which can be stored yet (rows in `_RETURN_WRITE` order):
        on PostgreSQL one `COPY` into the table, on SQLite a plain `INSERT`. A
        movement_ref stored twice is refused by the unique index either way."""
        if self.postgres:
            self._copy(self.copy_returns, rows).close()
        else:
            self.run(self.add_return, rows)

    def upsert_returns(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert or update arrivals by movement_ref (rows in `_RETURN_WRITE` order)."""
        if not self.postgres:
            self.run(self.upsert, rows)
            return
        cursor = self._copy(self.copy_stage, rows)
        try:
            cursor.execute(self.upsert[0])
            cursor.execute(f"TRUNCATE {self._STAGE}")
        finally:
            cursor.close()

    def find(self, query: str, refs: Sequence[str]) -> list[tuple[Any, ...]]:
        """Rows whose reference is one of `refs` (an indexed lookup)."""
        if not refs:
            return []
        if self.postgres:
            result = self.connection.exec_driver_sql(query + " = ANY(%s)", (list(refs),))
        else:
            marks = ",".join("?" * len(refs))
            result = self.connection.exec_driver_sql(f"{query} IN ({marks})", tuple(refs))
        return [tuple(row) for row in result]


class ReturnsBulkWriter:
    """Writes checked persons and arrivals in the session's transaction, the fastest way
    each database has; the caller decides what is new or changed, and commits.

    Opening it opens the transaction at once (`begin_now`), so that what it defers
    (indexes, triggers) is undone with everything else if the import fails.
    """

    def __init__(self, session: Session, now: dt.datetime) -> None:
        connection = session.connection()
        begin_now(connection)
        self.sql = _Statements(connection)
        self.connection = connection
        self.postgres = self.sql.postgres
        self.now: Any = now if self.postgres else now.strftime("%Y-%m-%d %H:%M:%S.%f")
        """The import's time as the database gives it back (created_at, updated_at)."""
        self._dates: dict[str, dt.date | None] = {}
        self._cache_size: int | None = None
        if not self.postgres:
            # the indexes of a large register outgrow SQLite's default 2 MB page cache,
            # and each insert then waits on a page read: a fixed larger cache for the
            # import's connection (restored by `close`) saves a third of the writing
            self._cache_size = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
            connection.exec_driver_sql(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
        last = session.scalar(select(func.max(Person.id)))
        self.persons_were_empty = last is None
        """No person was stored when the import began: only those it creates can be found."""
        self._last_person_before = int(last or 0)
        self._next_person_id = self._last_person_before + 1
        self.returns_were_empty = session.scalar(select(Return.id).limit(1)) is None
        """No arrival was stored when the import began: every arrival can be inserted
        without looking for it first (a movement_ref twice in the file, or one that
        another user stores meanwhile, is refused by the unique index)."""
        # on SQLite the name search index is filled in one statement at the end, for
        # every import: a trigger per inserted person costs ten times as much
        self._search: DeferredSearchIndex | None = defer_search_index(
            connection, self._last_person_before
        )
        self._deferred: DeferredIndexes | None = None
        self._persons_locked = False
        self.refusals: tuple[type[Exception], ...] = (
            DBAPIError,
            connection.dialect.loaded_dbapi.Error,
        )
        """What the database raises when it refuses a row."""

    def defer_indexes(self, rows: int) -> None:
        """Prepare a bulk load of `rows` rows: defer the plain indexes of each table
        holding fewer than half as many (`rrms.storage.bulk_load`)."""
        limit = rows // 2
        small = [
            name
            for name in ("persons", "returns")
            # a count that stops at `limit`: cheap however large the table is;
            # table names are the writer's own constants
            if self.connection.exec_driver_sql(
                f"SELECT count(*) FROM (SELECT 1 FROM {name} LIMIT {limit}) AS head"
            ).scalar_one()
            < limit
        ]
        if not small:
            return
        deferred = defer_indexes(self.connection, small)
        self._deferred = deferred
        # PostgreSQL's DROP INDEX took persons' strongest lock: until commit no other
        # transaction can insert a person, so the ids may be reserved a batch at a time
        self._persons_locked = self.postgres and "persons" in small and bool(deferred.names)

    def find_persons(self, refs: Sequence[str]) -> list[tuple[Any, ...]]:
        """Stored persons with these person_refs: (id, *PERSON_ROW, search_key, created_at)."""
        return self.sql.find(self.sql.find_persons, refs)

    def find_returns(self, refs: Sequence[str]) -> list[tuple[Any, ...]]:
        """Stored arrivals with these movement_refs: (id, *RETURN_FIELDS)."""
        return self.sql.find(self.sql.find_returns, refs)

    def new_person_ids(self, count: int) -> list[int]:
        """Ids for new persons, chosen before the insert so that no query has to find
        them afterwards: from the sequence on PostgreSQL (one value at a time, safe
        beside other writers; a whole batch at once while a bulk load holds persons'
        lock); on SQLite counting on from the largest id, which this transaction saw
        and which no other writer can move before it commits (a write on a snapshot
        that someone else changed fails instead)."""
        if self._persons_locked:  # one call moves the sequence past the whole batch
            last = self.connection.exec_driver_sql(
                "SELECT setval(%s::regclass, nextval(%s::regclass) + %s - 1)",
                (self.sql.person_sequence, self.sql.person_sequence, count),
            ).scalar_one()
            return list(range(int(last) - count + 1, int(last) + 1))
        if self.postgres:
            result = self.connection.exec_driver_sql(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                (self.sql.person_sequence, count),
            )
            return [int(row[0]) for row in result]
        first = self._next_person_id
        self._next_person_id += count
        return list(range(first, first + count))

    def insert_persons(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert new persons: (id, *PERSON_ROW, birth_year, search_key, family_key,
        given_key, version, created_at, updated_at)."""
        self.sql.insert_persons(rows)

    def change_persons(self, rows: list[tuple[Any, ...]]) -> None:
        """Update stored persons: (*PERSON_FIELDS, birth_year, search_key, family_key,
        given_key, updated_at, id);
        each one's version moves on."""
        self.sql.run(self.sql.change_person, rows)

    def reindex_names(self, renamed: Sequence[tuple[int, str, str]]) -> None:
        """Tell the name search index about persons stored before the import whose search
        key changed, (id, old key, new key): what its deferred update trigger would
        have done (nothing to do while the trigger is in place)."""
        if self._search is not None:
            self._search.reindex(renamed)

    def insert_returns(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert arrivals none of which is stored: (*RETURN_FIELDS, version, created_at,
        updated_at)."""
        self.sql.insert_returns(rows)

    def upsert_returns(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert or update arrivals by movement_ref, in the order of `insert_returns`;
        an arrival equal to the stored one is left alone (its version does not move)."""
        self.sql.upsert_returns(rows)

    def comparable(self, arrivals: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Arrivals with their dates in the form `find_returns` gives them back (dates on
        PostgreSQL, ISO text on SQLite), so that stored and new compare like with like."""
        if not self.postgres:
            return arrivals
        dates = self._dates
        for position in _DATE_POSITIONS:
            for value in {a[position] for a in arrivals} - dates.keys():
                dates[value] = dt.date.fromisoformat(value) if value else None
        return [(*a[:7], dates[a[7]], dates[a[8]], *a[9:]) for a in arrivals]

    def finish(self) -> None:
        """Complete what was deferred: the indexes dropped for a bulk load, and the search
        index of the persons created (call before the commit)."""
        if self._deferred is not None:
            self._deferred.restore()
            self._deferred = None
        if self._search is not None:
            self._search.restore()
            self._search = None

    def close(self) -> None:
        """Give the connection back as it was found (its page cache size)."""
        if self._cache_size is not None:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {self._cache_size}")
            self._cache_size = None
