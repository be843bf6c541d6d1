"""The generic record path: get, list, count, add and flush any table's rows.

A listing or a lookup is narrowed by exact column values, given as (column, value)
pairs: the confidential unit's scope first, then the user's filters, so two
conditions on the same column both apply.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import Select, func, inspect, select
from sqlalchemy.exc import IntegrityError

from rrms.storage.queries.base import Queries
from rrms.storage.tables import Base

Row = TypeVar("Row", bound=Base)

Where: TypeAlias = Sequence[tuple[str, Any]]
"""Exact column values a row must have, as (column name, value) pairs."""

Spans: TypeAlias = Sequence[tuple[str, Any, Any]]
"""Ranges a column's value must fall in, as (column name, lowest, highest) with either
bound None for open; both bounds are included (a date range "from 1 to 31 March")."""

Order: TypeAlias = tuple[str, bool]
"""The column to sort by and whether descending; the id breaks ties, so pages never
overlap or skip a row."""


STREAM_BATCH = 1000
"""Rows fetched from the database at a time while streaming an export."""


class RowRefused(Exception):
    """The database refused a change: a unique value already used, or another of its rules."""


def column_names(table: type[Base]) -> tuple[str, ...]:
    """The names of a table's columns, as its row class spells them."""
    return tuple(attr.key for attr in inspect(table).column_attrs)


def column_values(row: Base) -> dict[str, Any]:
    """A row's column values by name (as loaded, not made JSON-safe)."""
    return {name: getattr(row, name) for name in column_names(type(row))}


def _matching(table: type[Row], where: Where, spans: Spans = ()) -> Select[Row]:
    query = select(table)
    for name, value in where:
        query = query.where(getattr(table, name) == value)
    for name, lowest, highest in spans:
        column = getattr(table, name)
        if lowest is not None:
            query = query.where(column >= lowest)
        if highest is not None:
            query = query.where(column <= highest)
    return query


def _ordered(query: Select[Row], table: type[Row], order: Order | None) -> Select[Row]:
    ident = table.id  # type: ignore[attr-defined]
    if order is None:
        return query.order_by(ident)
    column = getattr(table, order[0])
    query = query.order_by(column.desc() if order[1] else column.asc())
    return query.order_by(ident.desc() if order[1] else ident)


class RowQueries(Queries):
    """The generic record path: get, list, count, add and flush any table's rows."""

    def get(self, table: type[Row], record_id: int, where: Where = ()) -> Row | None:
        """The row with this id if it also has the given column values, else None."""
        query = _matching(table, where).where(table.id == record_id)  # type: ignore[attr-defined]
        return self.session.scalars(query).first()

    def count(self, table: type[Row], where: Where = (), spans: Spans = ()) -> int:
        """How many rows have the given column values (and fall in the spans)."""
        query = _matching(table, where, spans)
        return self.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    def stream(
        self,
        table: type[Row],
        where: Where,
        spans: Spans = (),
        order: Order | None = None,
        limit: int | None = None,
    ) -> Iterator[Row]:
        """Every row with the given column values, in `order` as `page` sorts them, read
        in batches (an export of 100,000 rows is never held in memory at once)."""
        query = _ordered(_matching(table, where, spans), table, order)
        if limit is not None:
            query = query.limit(limit)
        for row in self.session.scalars(query.execution_options(yield_per=STREAM_BATCH)):
            yield row
            self.session.expunge(row)

    def page(
        self,
        table: type[Row],
        where: Where,
        limit: int,
        offset: int,
        spans: Spans = (),
        order: Order | None = None,
    ) -> list[Row]:
        """The rows with the given column values, one page of them, in `order` (by
        default the id's)."""
        query = _ordered(_matching(table, where, spans), table, order)
        return list(self.session.scalars(query.limit(limit).offset(offset)).all())

    def flush(self) -> None:
        """Send the pending changes now: `RowChanged` if a versioned row moved on,
        `RowRefused` if the database refuses them (a unique value taken, a CHECK)."""
        try:
            super().flush()
        except IntegrityError as exc:
            raise RowRefused(str(exc.orig)) from exc
