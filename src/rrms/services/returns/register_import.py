"""Import the returns register (one row per arrival) from CSV or XLSX: all or nothing.

IOM Kosovo's register holds a few hundred thousand arrivals, and it is re-exported and
re-imported as it is corrected. So the import (shared/spec/returns.md, "Import"):

* reads the file once as a stream (`rrms.formats.tabular.iter_table`) and never
  holds it in memory. Every cell is checked and every error collected; each clean
  batch is written at once, in one transaction that is committed only when the whole
  file has been checked. A file with any error raises `InputFileError` and the
  transaction is rolled back: nothing it wrote is ever seen by anyone;
* checks a large file (`PARALLEL_BYTES`) in a second process while this one writes,
  so that checking and the database's own work overlap (on two cores, a third of
  the time). Like any use of `multiprocessing`, a script that calls the import must
  guard its own top level with `if __name__ == "__main__":`;
* checks each distinct cell value once (a register of a million arrivals has a few
  thousand distinct dates, countries and municipality spellings), with the same
  checks as single records (`rrms.services.returns.arrivals`), column by column over a chunk
  of rows, as the manifest reader does for a whole list;
* is idempotent: persons are matched by `person_ref` and arrivals by `movement_ref`
  (`INSERT ... ON CONFLICT (movement_ref) DO UPDATE`, with SQLAlchemy Core
  `executemany`), and a row equal to what is stored is left alone (its `version`
  does not move), so importing the same file twice changes nothing the second time;
* is audited: one `returns_import` entry names the file (name, SHA-256) and the
  counts, and every arrival or person that existed before and is changed gets its
  own `update` entry with the values before and after (docs/returns.md explains
  why created rows get no entry of their own);
* loads in bulk when the file is at least twice the size of the register (the first
  load of a register): the plain secondary indexes of persons and arrivals are
  dropped inside the transaction and built once at the end (`BULK_LOAD_ROWS`,
  `rrms.storage.bulk_load`).

Checks across rows (a `movement_ref` used twice; one `person_ref` with two different
names or birth dates) keep 8-byte hashes per row in NumPy arrays instead of the
values, and only when two hashes meet is the file read a third time to name the
rows. Memory therefore grows by about 40 bytes per row while the file is read; the
batches in flight are one being checked and one being written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import marshal
import multiprocessing
import os
import pickle
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Table, column, func, literal_column, or_, select, table, update
from sqlalchemy import bindparam as bind
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from rrms.domain.partial_date import MAX_YEAR, MIN_YEAR, PartialDate
from rrms.formats.errors import CellError, ErrorList, InputFileError
from rrms.formats.tabular import TableStream, iter_table, match_header
from rrms.formats.vocabulary import INVALID, SEX
from rrms.reference.communities import communities
from rrms.reference.text import search_key
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.returns.arrivals import (
    Problem,
    check_country,
    check_date,
    check_municipality,
    check_programme,
    check_return_type,
    check_transport_mode,
    check_yes_no,
    programme_codes,
)
from rrms.storage.bulk_load import DeferredIndexes, begin_now, defer_indexes
from rrms.storage.tables import Person, Return
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "BATCH_ROWS",
    "BULK_LOAD_ROWS",
    "PARALLEL_BYTES",
    "REQUIRED_COLUMNS",
    "RETURN_COLUMNS",
    "ImportRefused",
    "ImportSummary",
    "Progress",
    "import_returns",
]

RETURN_COLUMNS: tuple[str, ...] = (
    "movement_ref",
    "person_ref",
    "family_ref",
    "family_name",
    "given_name",
    "father_name",
    "sex",
    "birth_date",
    "community",
    "return_type",
    "programme",
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
"""The columns of shared/spec/returns.md, in its order."""

REQUIRED_COLUMNS: tuple[str, ...] = (
    "movement_ref",
    "person_ref",
    "family_name",
    "given_name",
    "return_type",
    "sending_country",
    "transport_mode",
    "arrival_date",
    "destination_municipality",
)
"""Columns that must be present, and whose cells must not be blank."""

BATCH_ROWS = 5000
BULK_LOAD_ROWS = 50_000
"""A file of at least this many rows, written into a table holding fewer than half as
many, is a bulk load: that table's secondary indexes are built once at the end
(`rrms.storage.bulk_load`) instead of row by row."""
"""Rows checked and written together: large enough for `executemany` to pay off, small
enough that a batch's parameters (and an `IN (...)` list) stay far below the limits."""

Progress = Callable[[int, int | None], None]
"""`progress(rows_done, rows_total)`: rows_total is None while the file is being read
(each batch checked and, while the file is clean, written), then the number of data
rows once every row is written, while the import finishes (indexes of a bulk load,
the search index, the commit)."""

_PERSON_FIELDS = ("family_name", "given_name", "father_name", "sex", "birth_date", "community")
_PERSON_OPTIONAL = ("father_name", "sex", "birth_date", "community")
_RETURN_FIELDS = (
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
_TEXT_LIMITS: dict[str, int | None] = {
    "movement_ref": 80,
    "person_ref": 80,
    "family_ref": 80,
    "family_name": 200,
    "given_name": 200,
    "father_name": 200,
    "arrival_point": 200,
    "destination_settlement": 200,
    "notes": None,
}
"""Free-text columns and their longest value (the table's column sizes)."""
_CACHE_LIMIT = 200_000
_HASH_MASK = 0xFFFFFFFF


class ImportRefused(RuntimeError):
    """The database refused a row that the file's checks found nothing wrong with (a
    movement_ref another user stored meanwhile, say); nothing was imported."""


@dataclass
class ImportSummary:
    """What an import did: the file it read and how many rows it created or changed."""

    file_name: str
    file_sha256: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    rows: int
    created: int
    updated: int
    unchanged: int
    persons_created: int
    persons_updated: int
    seconds: float
    warnings: list[CellError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Machine-readable form (the CLI's JSON, the API's answer)."""
        return {
            "file": self.file_name,
            "sha256": self.file_sha256,
            "format": self.file_format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "persons_created": self.persons_created,
            "persons_updated": self.persons_updated,
            "seconds": round(self.seconds, 3),
            "warnings": [warning.as_dict() for warning in self.warnings],
        }


# --- checking cells ---------------------------------------------------------------------


class _Cache(dict[str, Any]):
    """Parsed value per distinct cell value, computed on first sight.

    `map(cache.__getitem__, column)` runs in C for every value seen before, which is
    what keeps checking a million rows cheap. Values whose result is a `Problem` are
    remembered in `bad`, so a chunk is only searched for errors when it can hold one.
    The cache is emptied when it grows past a limit (free-text-like columns), which
    keeps memory flat; `bad` only grows with the file's distinct errors.
    """

    __slots__ = ("bad", "parse")

    def __init__(self, parse: Callable[[str], Any]) -> None:
        super().__init__()
        self.parse = parse
        self.bad: set[str] = set()

    def __missing__(self, key: str) -> Any:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        value = self.parse(key)
        if isinstance(value, Problem):
            self.bad.add(key)
        self[key] = value
        return value


def _required(check: Callable[[str], Any]) -> Callable[[str], Any]:
    """A check that also refuses a blank cell (the optional checks return None)."""

    def required(text: str) -> Any:
        result = check(text)
        return Problem("a value is required") if result is None else result

    return required


def _iso(check: Callable[[str], dt.date | None | Problem]) -> Callable[[str], str | None | Problem]:
    """A date check giving ISO text: how the date is handed on, compared and (SQLite) stored;
    ISO dates compare in the order of the days."""

    def iso(text: str) -> str | None | Problem:
        result = check(text)
        return result.isoformat() if isinstance(result, dt.date) else result

    return iso


def _sex(text: str) -> str | None | Problem:
    value = SEX.parse(text)
    if value is INVALID:
        return Problem("not a sex value", tuple(SEX.closest(text)))
    return value


def _community(text: str) -> str | None | Problem:
    if not text:
        return None
    code = communities().parse(text)
    if code is None:
        return Problem("unknown community", tuple(communities().closest(text)))
    return code


_ISO_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)", re.ASCII)
"""A birth date already written as `PartialDate.isoformat` writes a full date."""


def _birth_date(text: str) -> tuple[str, int] | None | Problem:
    """A birth date as (ISO text, year), read as `PartialDate.parse` reads it.

    Birth dates are nearly as many as the persons, so the per-value cache seldom
    helps here. Most registers write them as YYYY-MM-DD already: such a value is its
    own ISO form once it is known to be a real day within the years PartialDate
    accepts, which `datetime.date` checks in C; any other form, and every value that
    fails, goes through `PartialDate.parse` for the reading and the error message.
    """
    if not text:
        return None
    if match := _ISO_DAY.fullmatch(text):
        year = int(match[1])
        if MIN_YEAR <= year <= MAX_YEAR:
            try:
                dt.date(year, int(match[2]), int(match[3]))
            except ValueError:
                pass  # not a real day: PartialDate.parse names the problem
            else:
                return text, year
    try:
        date = PartialDate.parse(text)
    except ValueError as exc:
        return Problem(str(exc), ("YYYY-MM-DD", "DD.MM.YYYY", "YYYY-MM", "YYYY"))
    return date.isoformat(), date.year


def _hash32(value: Any) -> int:
    """A 32-bit hash of a normalised value; 0 stands for blank (unknown)."""
    if value is None or isinstance(value, Problem):
        return 0
    return hash(value) & _HASH_MASK or 1


def _hashed(cache: _Cache, raw: str) -> int:
    return _hash32(cache[raw])


@dataclass
class _Chunk:
    """Checked rows: spreadsheet row numbers, raw cells and normalised values by column."""

    rows: list[int]
    raw: dict[str, Sequence[str]]
    values: dict[str, list[Any]]


class _Checker:
    """Checks chunks of rows column by column; shared by both passes (warm caches)."""

    def __init__(self, index: dict[str, int], programmes: dict[str, int], today: dt.date):
        self.index = index
        self.coded: dict[str, _Cache] = {
            "return_type": _Cache(check_return_type),
            "programme": _Cache(partial(check_programme, codes=programmes)),
            "sending_country": _Cache(check_country),
            "transport_mode": _Cache(check_transport_mode),
            "departure_date": _Cache(_iso(check_date)),
            "arrival_date": _Cache(_required(_iso(partial(check_date, today=today)))),
            "destination_municipality": _Cache(check_municipality),
            "secondary_transport": _Cache(check_yes_no),
            "vulnerable": _Cache(check_yes_no),
            "sex": _Cache(_sex),
            "birth_date": _Cache(_birth_date),
            "community": _Cache(_community),
        }
        self.hashes: dict[str, _Cache] = {
            name: _Cache(partial(_hashed, self.coded[name]))
            for name in ("sex", "birth_date", "community")
        }

    def check(self, chunk: Sequence[tuple[int, list[str]]], errors: list[CellError]) -> _Chunk:
        """Check and normalise a chunk; every problem is appended to `errors`."""
        rows = [number for number, _ in chunk]
        count = len(rows)
        columns = list(zip(*(cells for _, cells in chunk), strict=False))
        blank: tuple[str, ...] = ("",) * count
        raw: dict[str, Sequence[str]] = {}
        values: dict[str, list[Any]] = {}
        for name in RETURN_COLUMNS:
            position = self.index.get(name)
            raw[name] = blank if position is None else columns[position]

        for name, limit in _TEXT_LIMITS.items():
            column = raw[name]
            if name not in self.index:
                values[name] = [None] * count
                continue
            if name in REQUIRED_COLUMNS and "" in column:
                for position, value in enumerate(column):
                    if not value:
                        errors.append(CellError(rows[position], name, "", "a value is required"))
            if limit is not None and max(map(len, column), default=0) > limit:
                for position, value in enumerate(column):
                    if len(value) > limit:
                        errors.append(
                            CellError(
                                rows[position],
                                name,
                                value,
                                f"longer than {limit} characters ({len(value)})",
                            )
                        )
            values[name] = [value or None for value in column]

        for name, cache in self.coded.items():
            column = raw[name]
            if name not in self.index:
                values[name] = [None] * count
                continue
            parsed = list(map(cache.__getitem__, column))
            if cache.bad and not cache.bad.isdisjoint(column):
                for position, value in enumerate(column):
                    if value in cache.bad:
                        problem = cache[value]
                        errors.append(
                            CellError(
                                rows[position],
                                name,
                                value,
                                problem.message,
                                problem.suggestions,
                            )
                        )
                        parsed[position] = None
            values[name] = parsed

        if "departure_date" in self.index:
            arrivals = values["arrival_date"]
            for position, departure in enumerate(values["departure_date"]):
                if departure is None:
                    continue
                arrival = arrivals[position]
                if arrival is not None and arrival < departure:
                    errors.append(
                        CellError(
                            rows[position],
                            "arrival_date",
                            raw["arrival_date"][position],
                            f"the arrival is before the departure ({departure})",
                        )
                    )
        return _Chunk(rows=rows, raw=raw, values=values)


def _chunks(stream: TableStream) -> Iterator[list[tuple[int, list[str]]]]:
    rows = iter(stream)
    while chunk := list(itertools.islice(rows, BATCH_ROWS)):
        yield chunk


# --- checks across rows, on hashes --------------------------------------------------------


class _CrossRows:
    """Per-row hashes of the refs and person fields, kept in NumPy arrays."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {
            name: [] for name in ("row", "movement", "person", "names", "father_name", *self._CODED)
        }

    _CODED = ("sex", "birth_date", "community")

    def add(self, chunk: _Chunk, checker: _Checker) -> None:
        """Hash one checked chunk's refs and person fields."""
        count = len(chunk.rows)
        raw = chunk.raw
        parts = self.parts
        parts["row"].append(np.asarray(chunk.rows, dtype=np.int32))
        parts["movement"].append(np.fromiter(map(hash, raw["movement_ref"]), np.int64, count))
        parts["person"].append(np.fromiter(map(hash, raw["person_ref"]), np.int64, count))
        family = np.fromiter(map(hash, raw["family_name"]), np.int64, count).view(np.uint64)
        given = np.fromiter(map(hash, raw["given_name"]), np.int64, count).view(np.uint64)
        names = (family * np.uint64(1_000_003) ^ given) & np.uint64(_HASH_MASK)
        names[(family == 0) | (given == 0)] = 0  # a blank name is reported on its own
        names[(names == 0) & (family != 0) & (given != 0)] = 1
        parts["names"].append(names.astype(np.uint32))
        parts["father_name"].append(
            np.fromiter(map(_hash32, chunk.values["father_name"]), np.uint32, count)
        )
        for name in self._CODED:
            parts[name].append(
                np.fromiter(map(checker.hashes[name].__getitem__, raw[name]), np.uint32, count)
            )

    def suspects(self) -> tuple[set[int], set[int]]:
        """Hashes of movement_refs seen twice, and of person_refs whose rows disagree."""
        if not self.parts["row"]:
            return set(), set()
        movement = np.concatenate(self.parts["movement"])
        ordered = np.sort(movement)
        repeated = ordered[1:][ordered[1:] == ordered[:-1]]
        movements = set(np.unique(repeated).tolist())
        person = np.concatenate(self.parts["person"])
        persons: set[int] = set()
        for name in ("names", "father_name", *self._CODED):
            values = np.concatenate(self.parts[name])
            known = values != 0
            refs, values = person[known], values[known]
            order = np.lexsort((values, refs))
            refs, values = refs[order], values[order]
            differ = (refs[1:] == refs[:-1]) & (values[1:] != values[:-1])
            persons.update(np.unique(refs[1:][differ]).tolist())
        return movements, persons


def _name_cross_row_errors(
    path: Path, checker: _Checker, movements: set[int], persons: set[int]
) -> list[CellError]:
    """Read the file again to name the rows behind colliding hashes (error path only)."""
    errors: list[CellError] = []
    first_movement: dict[str, int] = {}
    first_person: dict[str, dict[str, tuple[Any, str, int]]] = {}
    with iter_table(path) as stream:
        for rows in _chunks(stream):
            chunk = checker.check(rows, [])
            raw, values = chunk.raw, chunk.values
            for position, number in enumerate(chunk.rows):
                movement_ref = raw["movement_ref"][position]
                if movement_ref and hash(movement_ref) in movements:
                    first = first_movement.setdefault(movement_ref, number)
                    if first != number:
                        errors.append(
                            CellError(
                                number,
                                "movement_ref",
                                movement_ref,
                                f"duplicate movement_ref: already used on row {first}",
                            )
                        )
                person_ref = raw["person_ref"][position]
                if not person_ref or hash(person_ref) not in persons:
                    continue
                seen = first_person.setdefault(person_ref, {})
                for name in _PERSON_FIELDS:
                    value = values[name][position]
                    if value is None:
                        continue
                    if name == "birth_date":
                        value = value[0]
                    known = seen.setdefault(name, (value, raw[name][position], number))
                    if known[0] != value:
                        errors.append(
                            CellError(
                                number,
                                name,
                                raw[name][position],
                                f"person_ref {person_ref} has {name} {known[1]!r} on row "
                                f"{known[2]}; the rows of one person must agree",
                                (known[1],),
                            )
                        )
    return errors


# --- checked rows, as the writer takes them ---------------------------------------------------

_PERSON_ROW = ("person_ref", *_PERSON_FIELDS)
_RETURN_ROW = ("movement_ref", "person_ref", *_RETURN_FIELDS[2:])
"""Field order of the checked person and arrival tuples (the arrival carries the
person_ref where the table has person_id; the writer swaps it). A person tuple ends
with its birth_year and search_key, computed by the checker."""


_SOURCE_COLUMN = {"programme_id": "programme"}

CheckedRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]
"""One checked chunk: its persons and its arrivals, values as they will be stored."""


def _writable(chunk: _Chunk) -> CheckedRows:
    """A checked chunk as plain tuples: its persons (one per person_ref, the rows'
    non-blank values merged, birth_year and search_key derived) and its arrivals."""
    values = chunk.values
    births = [birth[0] if birth else None for birth in values["birth_date"]]
    refs = chunk.raw["person_ref"]
    fields = list(
        zip(
            values["family_name"],
            values["given_name"],
            values["father_name"],
            values["sex"],
            births,
            values["community"],
            strict=True,
        )
    )
    merged: dict[str, tuple[Any, ...]] = dict(zip(refs, fields, strict=True))
    if len(merged) < len(refs):  # a person twice in the chunk: merge their rows' values
        merged = {}
        for ref, row in zip(refs, fields, strict=True):
            known = merged.get(ref)
            merged[ref] = row if known is None else _fill(known, row)
    arrivals = list(
        zip(
            chunk.raw["movement_ref"],
            chunk.raw["person_ref"],
            *(values[_SOURCE_COLUMN.get(name, name)] for name in _RETURN_ROW[2:]),
            strict=True,
        )
    )
    return [(ref, *row, *_derived(row)) for ref, row in merged.items()], arrivals


def _fill(known: tuple[Any, ...], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A person's values from two rows that agree (checked across the file): where the
    later row has a value it is taken, where it is blank the earlier row's stays."""
    return tuple(old if new is None else new for old, new in zip(known, row, strict=True))


# --- reading and checking the file, in this process or beside it -------------------------------


@dataclass
class _Outcome:
    """What checking the whole file found: every error, every warning, and how it was read."""

    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
    file_format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None


class _FileCheck:
    """Reads and checks the file chunk by chunk, handing each clean chunk on at once.

    `chunks()` yields `(rows, checked)` per chunk: `checked` holds the chunk's
    writable rows until the first error is met and is None from then on (the file is
    still read to the end, so that every error is reported). `estimated_rows` is set
    before the first chunk is handed on; `outcome` once the chunks are exhausted,
    with the checks across rows done.
    """

    def __init__(self, path: Path, programmes: dict[str, int], today: dt.date) -> None:
        self.path = path
        self.programmes = programmes
        self.today = today
        self.estimated_rows = 0
        self.outcome = _Outcome()

    def close(self) -> None:
        """Nothing to release: the file is closed when `chunks` ends."""

    def chunks(self) -> Iterator[tuple[int, CheckedRows | None]]:
        """The file's chunks, checked (see the class)."""
        outcome = self.outcome
        with iter_table(self.path) as stream:
            if stream.errors and not stream.header:
                outcome.errors = list(stream.errors)
                return
            index, header_errors, warnings = match_header(
                stream.header, RETURN_COLUMNS, REQUIRED_COLUMNS, header_row=stream.header_row
            )
            outcome.warnings = _warnings(warnings)
            errors = outcome.errors = ErrorList(header_errors)  # capped: memory stays flat
            checker = _Checker(index, self.programmes, self.today)
            cross = _CrossRows()
            for rows in _chunks(stream):
                chunk = checker.check(rows, errors)
                cross.add(chunk, checker)
                if not self.estimated_rows:
                    self.estimated_rows = _estimated_rows(self.path, rows)
                outcome.rows += len(rows)
                yield len(rows), None if errors else _writable(chunk)
            errors.extend(stream.errors)
            outcome.warnings.extend(stream.warnings)
            outcome.file_format, outcome.encoding = stream.file_format, stream.encoding
            outcome.delimiter = stream.delimiter
        movements, persons = cross.suspects()
        del cross
        if movements or persons:
            errors.extend(_name_cross_row_errors(self.path, checker, movements, persons))
        outcome.errors = _sorted(errors)


def _estimated_rows(path: Path, first: list[tuple[int, list[str]]]) -> int:
    """The file's rows, estimated from its size and its first chunk (the writer decides
    on a bulk load before the file is read to the end). A first chunk that is not
    full is the whole file; XLSX is compressed, so its estimate runs high."""
    if len(first) < BATCH_ROWS:
        return len(first)
    characters = sum(len(cell) + 1 for _, cells in first for cell in cells)
    return max(len(first), int(path.stat().st_size * len(first) / max(characters, 1)))


_CHUNK, _LAST = b"c", b"l"
"""The first byte of each message from the checking process: a chunk, or the end."""
PARALLEL_BYTES = 8 * 1024 * 1024
"""Files at least this large are checked by a second process while this one writes
(about 60,000 arrivals); smaller ones are not worth starting a process for."""


def _check_beside(connection: Any, path: str, programmes: dict[str, int], today: dt.date) -> None:
    """The second process: checks the file and sends each chunk down `connection`.

    Checked chunks travel as `marshal` bytes (tuples of str, int, bool and None;
    far cheaper than pickle) with the estimate; the outcome is pickled, last. An
    unexpected failure is sent as its exception type only: its message could quote
    a cell, and cells are personal data.
    """
    gc.disable()  # as `_CollectorPause`: no reference cycles, millions of small tuples
    check = _FileCheck(Path(path), programmes, today)
    try:
        for rows, checked in check.chunks():
            connection.send_bytes(_CHUNK + marshal.dumps((check.estimated_rows, rows, checked)))
        connection.send_bytes(_LAST + pickle.dumps(("outcome", check.outcome)))
    except (BrokenPipeError, EOFError):
        pass  # the importing process stopped listening: it has failed or been stopped
    except Exception as exc:  # noqa: BLE001 - reported to the importing process, which raises
        with contextlib.suppress(BrokenPipeError):
            connection.send_bytes(_LAST + pickle.dumps(("failed", type(exc).__name__)))
    finally:
        connection.close()


class _CheckBeside:
    """`_FileCheck`'s interface over a second process running it (`_check_beside`):
    the file is read and checked there while this process writes what it sent."""

    def __init__(self, path: Path, programmes: dict[str, int], today: dt.date) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_check_beside,
            args=(child, str(path), programmes, today),
            name="rrms-returns-import-check",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.estimated_rows = 0
        self.outcome = _Outcome()

    def chunks(self) -> Iterator[tuple[int, CheckedRows | None]]:
        """The chunks the second process checked, in the file's order."""
        try:
            while True:
                message = memoryview(self.connection.recv_bytes())
                if message[:1] == _LAST:
                    kind, value = pickle.loads(message[1:])  # noqa: S301 - our own child
                    if kind == "failed":
                        raise RuntimeError(f"checking the file failed ({value})")
                    self.outcome = value
                    return
                self.estimated_rows, rows, checked = marshal.loads(message[1:])
                yield rows, checked
        except EOFError:
            raise RuntimeError("checking the file failed: the checking process ended") from None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the second process (if still running) and release the pipe."""
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


# --- writing -----------------------------------------------------------------------------

_PERSON_INSERT = (
    "id",
    *_PERSON_ROW,
    "birth_year",
    "search_key",
    "version",
    "created_at",
    "updated_at",
)
_PERSON_UPDATE = (*_PERSON_FIELDS, "birth_year", "search_key", "updated_at", "id")
_RETURN_WRITE = (*_RETURN_FIELDS, "version", "created_at", "updated_at")
_BOOLEAN_FIELDS = frozenset({"secondary_transport", "vulnerable"})
_DATE_POSITIONS = (_RETURN_FIELDS.index("departure_date"), _RETURN_FIELDS.index("arrival_date"))


def _as_is(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arrangement of rows already in a statement's parameter order: none (`run`
    then hands the rows to the driver without copying each one)."""
    return row


class _Statements:
    """The import's statements, compiled once by SQLAlchemy for the session's database
    and run through the driver with tuples: SQLAlchemy's per-row parameter processing
    would cost more than the database's own work.

    SQLite: `executemany` of the upsert (`INSERT ... ON CONFLICT (movement_ref) DO
    UPDATE`) and of the person insert. PostgreSQL: one statement per row costs a
    server round of parsing and planning each, so a batch is `COPY`ed into a
    temporary staging table and moved by one set-based `INSERT ... SELECT ... ON
    CONFLICT (movement_ref) DO UPDATE` (persons, whose ids are reserved beforehand,
    are copied straight into their table).
    """

    _STAGE = "rrms_returns_import_stage"

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()
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
        changing = [name for name in _RETURN_FIELDS if name != "movement_ref"]
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
        person_columns = ", ".join(("id", *_PERSON_ROW, "search_key", "created_at"))
        return_columns = ", ".join(("id", *_RETURN_FIELDS))
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
    def _compile(
        statement: Any, dialect: Any, order: tuple[str, ...]
    ) -> tuple[str, Callable[[tuple[Any, ...]], tuple[Any, ...]]]:
        compiled = statement.compile(dialect=dialect)
        positions = [order.index(name) for name in compiled.positiontup or ()]
        if positions == list(range(len(order))):
            return compiled.string, _as_is  # rows are already in the statement's order
        if not positions:
            return compiled.string, lambda row: ()
        pick = itemgetter(*positions)
        return compiled.string, (pick if len(positions) > 1 else lambda row: (pick(row),))

    def run(
        self,
        prepared: tuple[str, Callable[[tuple[Any, ...]], tuple[Any, ...]]],
        rows: list[tuple[Any, ...]],
    ) -> None:
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


_SQLITE_CACHE_KIB = 256 * 1024
"""SQLite page cache of the import's connection while it writes (a fixed cap)."""
_SEARCH_TRIGGERS = {
    "persons_fts_insert": (
        "CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN "
        "INSERT INTO persons_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
    ),
    "persons_fts_update": (
        "CREATE TRIGGER persons_fts_update AFTER UPDATE OF search_key ON persons BEGIN "
        "INSERT INTO persons_fts(persons_fts, rowid, search_key) "
        "VALUES ('delete', old.id, old.search_key); "
        "INSERT INTO persons_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
    ),
}
"""The SQLite search-index triggers of migration 0002 for inserted and changed persons,
exactly as written there."""


class _Writer:
    """Upserts persons and arrivals chunk by chunk inside one transaction."""

    def __init__(
        self, session: Session, actor: Actor, sha256: str, now: dt.datetime, rows: int
    ) -> None:
        self.session = session
        self.actor = actor
        self.sha256 = sha256
        self.written_at = now
        begin_now(session.connection())
        self.sql = _Statements(session)
        self.now: Any = now if self.sql.postgres else now.strftime("%Y-%m-%d %H:%M:%S.%f")
        self.dates: dict[str, dt.date] = {}
        self.search_trigger = None if self.sql.postgres else self._defer_search_index()
        self.persons_locked = False
        self.deferred = self._defer_indexes(rows)
        self.pending_audit = _PendingAudit()
        self.cache_size: int | None = None
        if not self.sql.postgres:
            # the indexes of a large register outgrow SQLite's default 2 MB page cache,
            # and each insert then waits on a page read: a fixed larger cache for the
            # import's connection (restored by `close`) saves a third of the writing
            self.cache_size = int(
                self.sql.connection.exec_driver_sql("PRAGMA cache_size").scalar() or 0
            )
            self.sql.connection.exec_driver_sql(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
        last = session.scalar(select(func.max(Person.id)))
        self.last_person_before = int(last or 0)
        # no person stored when the import began: only those it creates can be found
        self.created_refs = _CreatedRefs() if last is None else None
        self.next_person_id = self.last_person_before + 1
        # no arrival stored when the import began: every row is new, and is inserted
        # without looking for it first (a movement_ref twice in the file, or one that
        # another user stores meanwhile, is refused by the unique index; the file's
        # checks name the row, and the import rolls back)
        self.returns_were_empty = session.scalar(select(Return.id).limit(1)) is None
        self.refusals: tuple[type[Exception], ...] = (
            DBAPIError,
            self.sql.connection.dialect.loaded_dbapi.Error,
        )
        self.created = self.updated = self.unchanged = 0
        self.persons_created = 0
        self.persons_updated: set[int] = set()

    def _defer_search_index(self) -> list[str] | None:
        """On SQLite, index new persons' names for search in one statement at the end.

        Migration 0002 keeps the FTS5 trigram index of `persons.search_key` in step
        with a trigger per inserted row; for a bulk insert that costs ten times one
        `INSERT INTO persons_fts ... SELECT` of the same rows. So, inside the import's
        transaction (invisible to others, undone with it on any error), the insert
        trigger is dropped and `finish` indexes the new persons and re-creates it from
        the definition read here. The update trigger goes too: it would tell the
        index to forget a person created earlier in the import, whom the index has
        not seen yet (which corrupts an FTS5 index); `_persons` updates the index
        itself for persons that existed before. Only triggers exactly as the
        migration wrote them are touched; else both are left to work row by row.
        """
        found: dict[str, str] = dict(
            self.sql.connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name IN ('persons_fts_insert', 'persons_fts_update')"
            ).all()
        )
        if found != _SEARCH_TRIGGERS:
            return None
        for name in _SEARCH_TRIGGERS:  # the migration's own names
            self.sql.connection.exec_driver_sql(f"DROP TRIGGER {name}")
        return list(_SEARCH_TRIGGERS.values())

    def _defer_indexes(self, rows: int) -> DeferredIndexes | None:
        """Defer the indexes of each table holding fewer than half as many rows as the file."""
        if rows < BULK_LOAD_ROWS:
            return None
        limit = rows // 2
        small = [
            name
            for name in ("persons", "returns")
            # a count that stops at `limit`: cheap however large the table is;
            # table names are the import's own constants
            if self.sql.connection.exec_driver_sql(
                f"SELECT count(*) FROM (SELECT 1 FROM {name} LIMIT {limit}) AS head"
            ).scalar_one()
            < limit
        ]
        if not small:
            return None
        deferred = defer_indexes(self.sql.connection, small)
        # PostgreSQL's DROP INDEX took persons' strongest lock: until commit no other
        # transaction can insert a person, so the ids may be reserved a batch at a time
        self.persons_locked = self.sql.postgres and "persons" in small and bool(deferred.names)
        return deferred

    def finish(self) -> None:
        """Complete what was deferred: the audit entries of the rows changed, the
        indexes dropped for a bulk load, and the search index of the persons created."""
        for entity, record_id, before, after in self.pending_audit.entries():
            audit.record(self.session, self.actor, "update", entity, record_id, before, after)
        if self.deferred is not None:
            self.deferred.restore()
            self.deferred = None
        if self.search_trigger is not None:
            self.sql.connection.exec_driver_sql(
                "INSERT INTO persons_fts(rowid, search_key) "
                "SELECT id, search_key FROM persons WHERE id > ?",
                (self.last_person_before,),
            )
            for definition in self.search_trigger:
                self.sql.connection.exec_driver_sql(definition)
            self.search_trigger = None

    def close(self) -> None:
        """Give the connection back as it was found (its page cache size), and delete
        the audit entries not recorded (an import that failed)."""
        self.pending_audit.close()
        if self.cache_size is not None:
            self.sql.connection.exec_driver_sql(f"PRAGMA cache_size = {self.cache_size}")
            self.cache_size = None

    def write(self, persons: list[tuple[Any, ...]], arrivals: list[tuple[Any, ...]]) -> None:
        """Write one checked chunk: its persons first, then its arrivals."""
        person_ids = self._persons(persons)
        self._returns(arrivals, person_ids)

    def _audit(
        self,
        entity: str,
        record_id: int,
        fields: Sequence[str],
        before: Sequence[Any],
        after: Sequence[Any],
    ) -> None:
        changed = [
            (name, old, new)
            for name, old, new in zip(fields, before, after, strict=True)
            if old != new
        ]

        def plain(name: str, value: Any) -> Any:
            return bool(value) if name in _BOOLEAN_FIELDS and value is not None else value

        self.pending_audit.add(
            entity,
            record_id,
            {name: plain(name, old) for name, old, _ in changed},
            {name: plain(name, new) for name, _, new in changed} | {"returns_import": self.sha256},
        )

    def _persons(self, persons: list[tuple[Any, ...]]) -> dict[str, int]:
        refs = [person[0] for person in persons]
        if self.created_refs is not None:
            refs = list(itertools.compress(refs, self.created_refs.maybe(refs)))
        existing = {row[1]: row for row in self.sql.find(self.sql.find_persons, refs)}
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        reindex: list[tuple[int, str, str]] = []  # (id, old key, new key) for search
        for person in persons:
            row = existing.get(person[0])
            if row is None:
                inserts.append((*person, 1, self.now, self.now))
                continue
            stored = row[2:8]
            new = tuple(
                value if value is not None else old
                for value, old in zip(person[1:7], stored, strict=True)
            )
            if new == stored:
                continue
            derived = _derived(new)
            updates.append((*new, *derived, self.now, row[0]))
            if row[9] != self.now:  # a person the import did not create: audited
                self.persons_updated.add(row[0])
                self._audit("persons", row[0], _PERSON_FIELDS, stored, new)
                if self.search_trigger is not None and derived[1] != row[8]:
                    reindex.append((row[0], row[8], derived[1]))
        ids = {ref: row[0] for ref, row in existing.items()}
        if inserts:
            new_ids = self._new_person_ids(len(inserts))
            inserts = [(new_id, *row) for new_id, row in zip(new_ids, inserts, strict=True)]
            self.sql.insert_persons(inserts)
            self.persons_created += len(inserts)
            if self.created_refs is not None:
                self.created_refs.add([row[1] for row in inserts])
            ids.update((row[1], row[0]) for row in inserts)
        if updates:
            self.sql.run(self.sql.change_person, updates)
        if reindex:  # what the deferred update trigger would have done
            connection = self.sql.connection
            connection.exec_driver_sql(
                "INSERT INTO persons_fts(persons_fts, rowid, search_key) VALUES ('delete', ?, ?)",
                [(person_id, old) for person_id, old, _ in reindex],
            )
            connection.exec_driver_sql(
                "INSERT INTO persons_fts(rowid, search_key) VALUES (?, ?)",
                [(person_id, new) for person_id, _, new in reindex],
            )
        return ids

    def _new_person_ids(self, count: int) -> list[int]:
        """Ids for new persons, chosen before the insert so that no query has to find
        them afterwards: from the sequence on PostgreSQL (one value at a time, safe
        beside other writers; a whole batch at once while a bulk load holds persons'
        lock);
        on SQLite counting on from the largest id, which this transaction saw and
        which no other writer can move before it commits (a write on a snapshot that
        someone else changed fails instead)."""
        if self.persons_locked:  # one call moves the sequence past the whole batch
            last = self.sql.connection.exec_driver_sql(
                "SELECT setval(%s::regclass, nextval(%s::regclass) + %s - 1)",
                (self.sql.person_sequence, self.sql.person_sequence, count),
            ).scalar_one()
            return list(range(int(last) - count + 1, int(last) + 1))
        if self.sql.postgres:
            result = self.sql.connection.exec_driver_sql(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                (self.sql.person_sequence, count),
            )
            return [int(row[0]) for row in result]
        first = self.next_person_id
        self.next_person_id += count
        return list(range(first, first + count))

    def _returns(self, arrivals: list[tuple[Any, ...]], person_ids: dict[str, int]) -> None:
        if self.returns_were_empty:  # every arrival is new: no lookup, no comparison
            now = self.now
            self.created += len(arrivals)
            self.sql.insert_returns(
                [(a[0], person_ids[a[1]], *a[2:], 1, now, now) for a in arrivals]
            )
            return
        if self.sql.postgres:  # stored dates come back as dates: compare like with like
            dates = self.dates
            for position in _DATE_POSITIONS:
                for value in {a[position] for a in arrivals} - dates.keys():
                    dates[value] = dt.date.fromisoformat(value) if value else None  # type: ignore[assignment]
            arrivals = [(*a[:7], dates[a[7]], dates[a[8]], *a[9:]) for a in arrivals]
        rows = [(a[0], person_ids[a[1]], *a[2:]) for a in arrivals]
        existing = {
            row[1]: row for row in self.sql.find(self.sql.find_returns, [a[0] for a in rows])
        }
        writes: list[tuple[Any, ...]] = []
        for row in rows:
            stored = existing.get(row[0])
            if stored is None:
                self.created += 1
                writes.append((*row, 1, self.now, self.now))
            elif stored[1:] == row:
                self.unchanged += 1
            else:
                self.updated += 1
                writes.append((*row, 1, self.now, self.now))
                self._audit("returns", stored[0], _RETURN_FIELDS, stored[1:], row)
        if writes:
            self.sql.upsert_returns(writes)


class _PendingAudit:
    """The `update` audit entries of an import, kept until the file has been checked.

    Recording an entry takes the audit chain's lock (`rrms.services.core.audit`), which is
    then held to the commit, and every audited read of every user waits for it. So
    the import records its entries only once the whole file is known to be good,
    just before it commits. Until then they wait in a private temporary file (owner
    only, deleted when closed): memory stays flat however many rows change.
    """

    def __init__(self) -> None:
        self.file: Any = None
        self.count = 0

    def add(
        self, entity: str, record_id: int, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        """Keep one entry for later."""
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="rrms-import-audit-")  # noqa: SIM115
        pickle.dump((entity, record_id, before, after), self.file, pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def entries(self) -> Iterator[tuple[str, int, dict[str, Any], dict[str, Any]]]:
        """The entries kept, in the order they were added; each is given once."""
        if self.file is None:
            return
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)  # noqa: S301 - our own private file
        self.close()

    def close(self) -> None:
        """Delete the file."""
        if self.file is not None:
            self.file.close()
            self.file = None
            self.count = 0


class _CreatedRefs:
    """The person_refs an import has created so far, as a Bloom filter of fixed size.

    Into a register with no person yet, a person_ref can only be stored if this import
    created it (one transaction; another user creating the same person_ref meanwhile
    is refused by the unique index, and the import rolls back). The filter answers
    "certainly not" for most new refs, which are then inserted without a lookup, and
    "maybe" for every ref created (and about 1 % of the others at a million
    persons), which are looked up as usual. 16 MB, whatever the file's size.
    """

    _SLOTS = 1 << 24

    def __init__(self) -> None:
        self.slots = np.zeros(self._SLOTS, dtype=np.bool_)

    def _positions(self, refs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        hashes = np.fromiter(map(hash, refs), np.int64, len(refs)).view(np.uint64)
        mask = np.uint64(self._SLOTS - 1)
        return hashes & mask, (hashes >> np.uint64(32)) & mask

    def add(self, refs: Sequence[str]) -> None:
        """Remember refs just created."""
        for positions in self._positions(refs):
            self.slots[positions] = True

    def maybe(self, refs: Sequence[str]) -> list[bool]:
        """Per ref: False if it was certainly not created by this import."""
        first, second = self._positions(refs)
        return (self.slots[first] & self.slots[second]).tolist()  # type: ignore[no-any-return]


def _derived(person: Sequence[Any]) -> tuple[int | None, str]:
    """birth_year and search_key of a person's (family_name, given_name, father_name,
    sex, birth_date, community)."""
    family_name, given_name, father_name, _, birth_date, _ = person
    return (
        int(birth_date[:4]) if birth_date else None,
        search_key(family_name, given_name, father_name),
    )


# --- the use case ----------------------------------------------------------------------------


class _CollectorPause:
    """Pauses Python's cyclic garbage collector while an import runs.

    An import allocates millions of short-lived lists and tuples (rows, columns,
    checked chunks) that hold no reference cycles, so reference counting frees each
    chunk as soon as it is done and memory stays flat without the collector. Left
    running, the collector is triggered by those allocations again and again and
    walks the chunk in hand and the parse caches each time: about a sixth of the
    import's time. The collector is process-wide (the web app may run two imports
    at once), so pauses are counted: the first one in stops it (if it was running)
    and the last one out starts it again.
    """

    _lock = threading.Lock()
    _holders = 0
    _restart = False

    @classmethod
    @contextlib.contextmanager
    def held(cls) -> Iterator[None]:
        """The collector paused for a `with` block, or for each call of a function
        this decorates."""
        with cls._lock:
            if cls._holders == 0:
                cls._restart = gc.isenabled()
                gc.disable()
            cls._holders += 1
        try:
            yield
        finally:
            with cls._lock:
                cls._holders -= 1
                if cls._holders == 0 and cls._restart:
                    gc.enable()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _signature(path: Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns


def _sorted(errors: list[CellError]) -> list[CellError]:
    """The errors in row order, then column order (in place: an `ErrorList` keeps its
    counts of the errors not listed)."""
    order = {name: position for position, name in enumerate(RETURN_COLUMNS)}
    errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return errors


def _warnings(warnings: list[CellError]) -> list[CellError]:
    """Unknown columns are reported, never dropped silently; the register has no place
    to keep them, so the warning says they are not imported."""
    return [
        CellError(
            w.row,
            w.column,
            w.value,
            w.message.replace("kept as extra data", "not imported"),
            w.suggestions,
        )
        for w in warnings
    ]


@_CollectorPause.held()
def import_returns(
    factory: Callable[[], UnitOfWork],
    actor: Actor,
    path: str | Path,
    progress: Progress | None = None,
    *,
    file_name: str | None = None,
) -> ImportSummary:
    """Import a returns register file; all or nothing, idempotent, audited.

    `factory` makes units of work on the target database: the programme codes are
    read in one, and everything is written in another, one transaction that is
    committed only when the whole file has been checked without an error. Raises
    `Forbidden` unless the actor may write returns, and `InputFileError` with every
    error of the file (nothing is written then). `file_name` is the name to record
    when `path` is a temporary copy (an upload).
    """
    authorize(actor, "returns", "write")
    began = time.perf_counter()
    source = Path(path)
    signature = _signature(source) if source.is_file() else None
    today = dt.date.today()
    with factory() as uow:
        programmes = programme_codes(uow.session)
    check: _FileCheck | _CheckBeside
    with contextlib.ExitStack() as cleanup:
        # a daemonic process (some servers' workers) may not start processes of its own
        beside = signature is not None and signature[0] >= PARALLEL_BYTES
        if beside and not multiprocessing.current_process().daemon:
            check = _CheckBeside(source, programmes, today)
        else:
            check = _FileCheck(source, programmes, today)
        cleanup.callback(check.close)  # whatever fails from here on stops the checking
        sha256 = _sha256(source) if signature is not None else ""
        writer: _Writer | None = None
        refused: Exception | None = None
        done = 0
        for rows, checked in check.chunks():
            if checked is not None and refused is None:
                if writer is None:
                    writer = _open_writer(cleanup, factory, actor, sha256, check.estimated_rows)
                try:
                    writer.write(*checked)
                except writer.refusals as exc:
                    refused = exc  # stop writing; the checks may name the row (see below)
            done += rows
            if progress:
                progress(done, None)
        outcome = check.outcome
        if outcome.errors:
            raise InputFileError(outcome.errors, outcome.warnings)
        if refused is not None:
            # the driver's message may quote a row's values (a key, a name): only the
            # kind of refusal is passed on, never the values
            raise ImportRefused(
                f"the database refused the import ({type(refused).__name__}); nothing was imported"
            ) from None
        if signature is not None and _signature(source) != signature:
            raise InputFileError([_FILE_CHANGED])
        if writer is None:  # no rows: the import is still recorded
            writer = _open_writer(cleanup, factory, actor, sha256, 0)
        if progress:
            progress(done, outcome.rows)
        writer.finish()
        summary = ImportSummary(
            file_name=file_name or source.name,
            file_sha256=sha256,
            file_format=outcome.file_format,
            encoding=outcome.encoding,
            delimiter=outcome.delimiter,
            rows=outcome.rows,
            created=writer.created,
            updated=writer.updated,
            unchanged=writer.unchanged,
            persons_created=writer.persons_created,
            persons_updated=len(writer.persons_updated),
            seconds=0.0,
            warnings=outcome.warnings,
        )
        audit.record(
            writer.session,
            actor,
            "import",
            "returns_import",
            sha256,
            after={
                key: value
                for key, value in summary.as_dict().items()
                if key not in ("seconds", "warnings")
            }
            | {"written_at": writer.written_at.isoformat()},
        )
        writer.close()
        writer.session.commit()
    summary.seconds = time.perf_counter() - began
    return summary


_FILE_CHANGED = CellError(
    0,
    "",
    "",
    "the file changed while it was being read; nothing was imported. "
    "Import it again once it is complete",
)


def _open_writer(
    cleanup: contextlib.ExitStack,
    factory: Callable[[], UnitOfWork],
    actor: Actor,
    sha256: str,
    rows: int,
) -> _Writer:
    """The writer, in a new unit of work that `cleanup` rolls back unless committed."""
    uow = cleanup.enter_context(factory())
    writer = _Writer(uow.session, actor, sha256, dt.datetime.now(dt.UTC), rows)
    cleanup.callback(writer.close)
    return writer
