"""The checks of a register row: every cell, column by column over a chunk of rows.

A register of a million arrivals has a few thousand distinct dates, countries and
municipality spellings, so each distinct cell value is checked once (`ValueCache`),
with the same checks as single records (`rrms.services.returns.arrivals`): a value the
API refuses is refused by the import with the same words. A chunk's cells are checked
column by column, as the manifest reader does for a whole list. Nothing here reads a
file or a database: the programme codes come in as a mapping, the rows as lists of
cells, and every problem goes out as a `CellError` (row, column, value, message).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rrms.domain.arrival_dates import arrives_before_departure
from rrms.domain.messages import N_, message_of
from rrms.domain.partial_date import MAX_YEAR, MIN_YEAR, PartialDate
from rrms.formats.errors import CellError
from rrms.formats.vocabulary import INVALID, SEX
from rrms.reference.communities import communities
from rrms.services.returns.arrivals import (
    REQUIRED,
    Problem,
    check_country,
    check_date,
    check_municipality,
    check_programme,
    check_return_type,
    check_transport_mode,
    check_yes_no,
)

__all__ = [
    "HASH_MASK",
    "REQUIRED_COLUMNS",
    "RETURN_COLUMNS",
    "CheckedChunk",
    "RowChecker",
    "ValueCache",
    "hash32",
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
HASH_MASK = 0xFFFFFFFF
"""Hashes of values kept across rows are cut to 32 bits (`hash32`)."""


class ValueCache(dict[str, Any]):
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
        return REQUIRED if result is None else result

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
        return Problem(N_("not a sex value"), tuple(SEX.closest(text)))
    return value


def _community(text: str) -> str | None | Problem:
    if not text:
        return None
    code = communities().parse(text)
    if code is None:
        return Problem(N_("unknown community"), tuple(communities().closest(text)))
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
        return Problem(message_of(exc), ("YYYY-MM-DD", "DD.MM.YYYY", "YYYY-MM", "YYYY"))
    return date.isoformat(), date.year


def hash32(value: Any) -> int:
    """A 32-bit hash of a normalised value; 0 stands for blank (unknown)."""
    if value is None or isinstance(value, Problem):
        return 0
    return hash(value) & HASH_MASK or 1


def _hashed(cache: ValueCache, raw: str) -> int:
    return hash32(cache[raw])


@dataclass
class CheckedChunk:
    """Checked rows: spreadsheet row numbers, raw cells and normalised values by column."""

    rows: list[int]
    raw: dict[str, Sequence[str]]
    values: dict[str, list[Any]]


class RowChecker:
    """Checks chunks of rows column by column, keeping one cache per coded column for
    the whole file (warm caches for every chunk, and for a second reading)."""

    def __init__(self, index: dict[str, int], programmes: dict[str, int], today: dt.date):
        self.index = index
        self.coded: dict[str, ValueCache] = {
            "return_type": ValueCache(check_return_type),
            "programme": ValueCache(partial(check_programme, codes=programmes)),
            "sending_country": ValueCache(check_country),
            "transport_mode": ValueCache(check_transport_mode),
            "departure_date": ValueCache(_iso(check_date)),
            "arrival_date": ValueCache(_required(_iso(partial(check_date, today=today)))),
            "destination_municipality": ValueCache(check_municipality),
            "secondary_transport": ValueCache(check_yes_no),
            "vulnerable": ValueCache(check_yes_no),
            "sex": ValueCache(_sex),
            "birth_date": ValueCache(_birth_date),
            "community": ValueCache(_community),
        }
        self.hashes: dict[str, ValueCache] = {
            name: ValueCache(partial(_hashed, self.coded[name]))
            for name in ("sex", "birth_date", "community")
        }
        """`hash32` of each person field's normalised value, by raw cell value."""

    def check(
        self, chunk: Sequence[tuple[int, list[str]]], errors: list[CellError]
    ) -> CheckedChunk:
        """Check and normalise a chunk; every problem is appended to `errors`."""
        rows = [number for number, _ in chunk]
        columns = list(zip(*(cells for _, cells in chunk), strict=False))
        blank: tuple[str, ...] = ("",) * len(rows)
        raw: dict[str, Sequence[str]] = {}
        for name in RETURN_COLUMNS:
            position = self.index.get(name)
            raw[name] = blank if position is None else columns[position]
        values: dict[str, list[Any]] = {}
        self._text(rows, raw, values, errors)
        self._coded(rows, raw, values, errors)
        if "departure_date" in self.index:
            self._date_order(rows, raw, values, errors)
        return CheckedChunk(rows=rows, raw=raw, values=values)

    def _text(
        self,
        rows: list[int],
        raw: dict[str, Sequence[str]],
        values: dict[str, list[Any]],
        errors: list[CellError],
    ) -> None:
        """Free-text columns: required cells present, values within the column's size."""
        for name, limit in _TEXT_LIMITS.items():
            column = raw[name]
            if name not in self.index:
                values[name] = [None] * len(rows)
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

    def _coded(
        self,
        rows: list[int],
        raw: dict[str, Sequence[str]],
        values: dict[str, list[Any]],
        errors: list[CellError],
    ) -> None:
        """Coded columns (words, places, dates, yes/no): each distinct value checked once;
        the chunk is searched for errors only when it holds a value known to be bad."""
        for name, cache in self.coded.items():
            column = raw[name]
            if name not in self.index:
                values[name] = [None] * len(rows)
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

    @staticmethod
    def _date_order(
        rows: list[int],
        raw: dict[str, Sequence[str]],
        values: dict[str, list[Any]],
        errors: list[CellError],
    ) -> None:
        """An arrival cannot come before its departure (dates as ISO text by now)."""
        arrivals = values["arrival_date"]
        for position, departure in enumerate(values["departure_date"]):
            if departure is None:
                continue
            if arrives_before_departure(arrivals[position], departure):
                errors.append(
                    CellError(
                        rows[position],
                        "arrival_date",
                        raw["arrival_date"][position],
                        f"the arrival is before the departure ({departure})",
                    )
                )
