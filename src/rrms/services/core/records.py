"""Reading and changing case records, authorised and audited: the one path to the tables.

Each kind of record (`RecordKind`) names its table, the permission entity, the columns
it can be filtered by, and optional domain checks run before a create or an update.
The four operations here do the rest the same way for every kind:

* authorise the actor's role (and, for confidential kinds, their unit);
* audit every write with the values before and after, and every read of a case,
  in the same transaction;
* refuse an update based on an old version with `Conflict`, never overwriting.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rrms.domain.messages import N_, Word
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Conflict, Forbidden, Invalid, NotFound
from rrms.storage.queries.base import RowChanged
from rrms.storage.queries.rows import RowRefused, column_names, column_values
from rrms.storage.tables import Base
from rrms.storage.unit_of_work import UnitOfWork

Row = TypeVar("Row", bound=Base)

CreateCheck = Callable[[UnitOfWork, Actor, dict[str, Any]], None]
UpdateCheck = Callable[[UnitOfWork, Actor, Any, dict[str, Any]], None]
FilterCheck = Callable[[dict[str, Any]], None]
"""Turns the words a user filters by into stored values, in place (`Invalid` if unknown)."""

MAX_PAGE = 500
MAX_EXPORT = 100_000
"""The most records one export holds; a longer list is narrowed by its filters first."""


@dataclass(frozen=True)
class RecordKind(Generic[Row]):
    """How one kind of record is stored, guarded and audited."""

    entity: str
    table: type[Row]
    filterable: tuple[str, ...] = ()
    audit_reads: bool = True
    unit_scoped: bool = False
    check_create: CreateCheck | None = None
    check_update: UpdateCheck | None = None
    normalise_filters: FilterCheck | None = None
    read_only_fields: tuple[str, ...] = ("id", "version", "created_at", "updated_at")


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of a listing, with the total number of matching records."""

    items: Sequence[Row]
    total: int
    limit: int
    offset: int


def snapshot(row: Base, leave_out: Collection[str] = ()) -> dict[str, Any]:
    """The row's column values, JSON-safe, as stored in the audit log and returned;
    without the columns `leave_out` names (not even converted: a list's cells)."""
    return {
        name: audit.plain(value)
        for name, value in column_values(row).items()
        if name not in leave_out
    }


def _guard(actor: Actor, kind: RecordKind[Any], action: str) -> None:
    authorize(actor, kind.entity, action)


def _scope(kind: RecordKind[Any], actor: Actor) -> list[tuple[str, Any]]:
    """The column values every row the actor may see has: their own unit, for
    confidential kinds; nothing for the others."""
    return [("unit", actor.unit)] if kind.unit_scoped else []


def _narrowed(
    kind: RecordKind[Any],
    actor: Actor,
    filters: Mapping[str, Any] | None,
    spans: Mapping[str, tuple[Any, Any]] | None,
    order: tuple[str, bool] | None,
) -> tuple[list[tuple[str, Any]], dict[str, Any], list[tuple[str, Any, Any]]]:
    """The unit's scope and the user's filters as (column, value) pairs, the filters as
    given (normalised), and the ranges; `Invalid` names a column the kind cannot be
    narrowed or sorted by."""
    where = _scope(kind, actor)
    filters = {name: value for name, value in (filters or {}).items() if value is not None}
    if kind.normalise_filters is not None:
        kind.normalise_filters(filters)
    for name, value in filters.items():
        if value is None:
            continue
        if name not in kind.filterable:
            raise Invalid(
                N_("cannot filter {entity} by {name!r}", entity=kind.entity, name=name), name
            )
        where.append((name, value))
    columns = set(column_names(kind.table))
    ranges = [(name, low, high) for name, (low, high) in (spans or {}).items()]
    for name, _, _ in ranges:
        if name not in columns:
            raise Invalid(
                N_("cannot narrow {entity} by {name!r}", entity=kind.entity, name=name), name
            )
    if order is not None and order[0] not in columns:
        raise Invalid(
            N_("cannot sort {entity} by {name!r}", entity=kind.entity, name=order[0]), "sort"
        )
    return where, filters, ranges


def _seen_spans(ranges: list[tuple[str, Any, Any]]) -> dict[str, list[Any]]:
    return {name: [audit.plain(low), audit.plain(high)] for name, low, high in ranges}


def list_records(
    uow: UnitOfWork,
    actor: Actor,
    kind: RecordKind[Row],
    filters: Mapping[str, Any] | None = None,
    limit: int = 50,
    offset: int = 0,
    *,
    spans: Mapping[str, tuple[Any, Any]] | None = None,
    order: tuple[str, bool] | None = None,
) -> Page[Row]:
    """A page of records the actor may see, filtered by exact column values.

    `spans` narrows columns to ranges (`{"arrival_date": (first, last)}`, a bound None
    for open); `order` sorts by a column, ascending or descending (`("amount", True)`).
    Both name columns of the kind's table; anything else is `Invalid`.
    """
    _guard(actor, kind, "read")
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(N_("limit must be between 1 and {max_page}", max_page=MAX_PAGE), "limit")
    if offset < 0:
        raise Invalid(N_("offset must not be negative"), "offset")
    where, filters, ranges = _narrowed(kind, actor, filters, spans, order)
    total = uow.rows.count(kind.table, where, ranges)
    rows = uow.rows.page(kind.table, where, limit, offset, ranges, order)
    if kind.audit_reads and rows:
        ids = [row.id for row in rows]  # type: ignore[attr-defined]
        seen: dict[str, Any] = {"ids": ids, "filters": dict(filters)}
        if ranges:
            seen["spans"] = _seen_spans(ranges)
        audit.record(uow, actor, "list", kind.entity, "-", after=seen)
        uow.commit()
    return Page(items=rows, total=total, limit=limit, offset=offset)


def count_records(
    uow: UnitOfWork,
    actor: Actor,
    kind: RecordKind[Any],
    filters: Mapping[str, Any] | None = None,
    *,
    spans: Mapping[str, tuple[Any, Any]] | None = None,
) -> int:
    """How many records the actor may see match the filters (no rows read, so nothing
    to audit): a work queue's count, and the list page's answer to "can this be
    exported?"."""
    _guard(actor, kind, "read")
    where, _, ranges = _narrowed(kind, actor, filters, spans, None)
    return uow.rows.count(kind.table, where, ranges)


def export_records(
    uow: UnitOfWork,
    actor: Actor,
    kind: RecordKind[Row],
    write: Callable[[Iterable[Row]], None],
    filters: Mapping[str, Any] | None = None,
    *,
    spans: Mapping[str, tuple[Any, Any]] | None = None,
    order: tuple[str, bool] | None = None,
    cap: int | None = None,
    form: str = "csv",
) -> int:
    """Hand `write` every record the actor may see that matches, in `order`, and audit
    the export as one read naming the filters, the order, the form and the count.

    The rows are streamed from the database in batches, so an export is as long as the
    filtered list, not a page of it. More than `cap` rows is `Invalid` (narrow the
    filters) rather than a file silently cut short. The entry is written after `write`
    returns, in the same transaction: no file leaves without its audit entry.
    """
    _guard(actor, kind, "read")
    cap = MAX_EXPORT if cap is None else cap
    where, filters, ranges = _narrowed(kind, actor, filters, spans, order)
    total = uow.rows.count(kind.table, where, ranges)
    if total > cap:
        raise Invalid(
            N_(
                "{total:,} records match; an export holds at most {cap:,}: narrow the filters",
                total=total,
                cap=cap,
            ),
            "export",
        )
    written = 0

    def counted() -> Iterator[Row]:
        nonlocal written
        for row in uow.rows.stream(kind.table, where, ranges, order, limit=cap):
            written += 1
            yield row

    write(counted())
    seen: dict[str, Any] = {"filters": dict(filters), "form": form, "records": written}
    if ranges:
        seen["spans"] = _seen_spans(ranges)
    if order is not None:
        seen["order"] = [order[0], "descending" if order[1] else "ascending"]
    audit.record(uow, actor, "export", kind.entity, "-", after=seen)
    uow.commit()
    return written


def get_record(
    uow: UnitOfWork,
    actor: Actor,
    kind: RecordKind[Row],
    record_id: int,
    *,
    audit_read: bool = True,
) -> Row:
    """One record; `NotFound` also for records of another confidential unit.

    A caller that reads more than the record and audits the whole read in one entry
    (a person's page) passes `audit_read=False` and writes that entry itself.
    """
    _guard(actor, kind, "read")
    row = uow.rows.get(kind.table, record_id, _scope(kind, actor))
    if row is None:
        raise NotFound(
            N_(
                "no {entity} with id {record_id}",
                entity=Word(kind.entity, kind.entity.replace("_", " ")),
                record_id=record_id,
            )
        )
    if kind.audit_reads and audit_read:
        audit.record(uow, actor, "read", kind.entity, record_id)
        uow.commit()
    return row


def _unknown_fields(kind: RecordKind[Any], values: Mapping[str, Any]) -> None:
    columns = set(column_names(kind.table))
    for name in values:
        if name not in columns or name in kind.read_only_fields:
            raise Invalid(
                N_("{entity} has no field {name!r} that can be set", entity=kind.entity, name=name),
                name,
            )


def _flush(uow: UnitOfWork, kind: RecordKind[Any]) -> None:
    try:
        uow.rows.flush()
    except RowChanged as exc:
        raise Conflict(
            N_(
                "this {entity} was changed by someone else; reload it and apply your change again",
                entity=Word(kind.entity, kind.entity.replace("_", " ")),
            )
        ) from exc
    except RowRefused as exc:
        raise Conflict(
            N_(
                "the {entity} conflicts with an existing record (a reference already used, or a "
                "rule of the database)",
                entity=Word(kind.entity, kind.entity.replace("_", " ")),
            )
        ) from exc


def create_record(
    uow: UnitOfWork, actor: Actor, kind: RecordKind[Row], values: dict[str, Any]
) -> Row:
    """Create a record after the kind's checks; audited with its values."""
    _guard(actor, kind, "write")
    values = dict(values)
    if kind.unit_scoped:
        unit = values.setdefault("unit", actor.unit)
        if unit != actor.unit:
            raise Forbidden(
                N_("a {role} user may only record cases of their own unit", role=Word(actor.role))
            )
    _unknown_fields(kind, values)
    if kind.check_create:
        kind.check_create(uow, actor, values)
    row = kind.table(**values)
    uow.rows.add(row)
    _flush(uow, kind)
    audit.record(uow, actor, "create", kind.entity, row.id, after=snapshot(row))  # type: ignore[attr-defined]
    uow.commit()
    return row


def update_record(
    uow: UnitOfWork,
    actor: Actor,
    kind: RecordKind[Row],
    record_id: int,
    expected_version: int,
    changes: dict[str, Any],
) -> Row:
    """Change a record the actor last saw at `expected_version`; `Conflict` if it moved on."""
    _guard(actor, kind, "write")
    _unknown_fields(kind, changes)
    if kind.unit_scoped and "unit" in changes and changes["unit"] != actor.unit:
        raise Forbidden(N_("a case cannot be moved to another unit"))
    row = uow.rows.get(kind.table, record_id, _scope(kind, actor))
    if row is None:
        raise NotFound(
            N_(
                "no {entity} with id {record_id}",
                entity=Word(kind.entity, kind.entity.replace("_", " ")),
                record_id=record_id,
            )
        )
    version = row.version  # type: ignore[attr-defined]
    if version != expected_version:
        raise Conflict(
            N_(
                "this {entity} was changed by someone else (you edited version "
                "{expected_version}, it is now at version {version}); reload it and apply your "
                "change again",
                entity=Word(kind.entity, kind.entity.replace("_", " ")),
                expected_version=expected_version,
                version=version,
            )
        )
    before = snapshot(row)
    if kind.check_update:
        kind.check_update(uow, actor, row, changes)
    for name, value in changes.items():
        setattr(row, name, value)
    _flush(uow, kind)
    audit.record(uow, actor, "update", kind.entity, record_id, before=before, after=snapshot(row))
    uow.commit()
    return row
