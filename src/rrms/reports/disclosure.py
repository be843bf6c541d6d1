"""Disclosure control: what a public report may show of small counts.

A report that says "2 persons returned from Liechtenstein to Shtërpcë in October"
points at a family. The public form of every report (shared/spec/returns.md, last
paragraph) therefore:

* hides every count from 1 to 4 (*primary* suppression, shown as ``<5``);
* where a breakdown then has exactly one hidden cell, also hides its next-smallest
  cell (*secondary* suppression, shown as ``x``), so that the exact total, which
  stays visible, cannot give the hidden cell away.

Zero is not hidden: "nobody" singles nobody out. The next-smallest cell for
secondary suppression is the smallest positive visible cell; only when there is
none is a zero cell hidden instead (then the reader cannot tell which cell holds
the small count). A breakdown of one cell cannot be protected by its neighbours; its
count is hidden if small and the total, by the spec, stays exact.

Breakdowns nested in groups (municipalities within their district) are protected
in each group as well as as a whole, because a district's count minus its visible
municipalities would otherwise reveal a lone hidden municipality.

Cells are made once here and carry no trace of a hidden value: renderers (JSON,
HTML, charts, sentences, CSV/XLSX) only ever see ``None`` for a hidden count.

Figures that must not be *differenced* (the confidential units' cases, which anyone
could otherwise ask for on two consecutive days and subtract) are in addition
published only for whole, closed calendar quarters (:func:`closed_quarter_end`) and
rounded to a multiple of :data:`ROUNDING_BASE` (:func:`round_count`, ``rounded=True``
in :func:`breakdown`): the difference of any two such figures is then a multiple of
5, never a count from 1 to 4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

__all__ = [
    "ROUNDING_BASE",
    "SMALLEST_SHOWN",
    "Breakdown",
    "Cell",
    "Entry",
    "Mark",
    "breakdown",
    "closed_quarter_end",
    "hidden_keys",
    "is_small",
    "protect",
    "protect_one",
    "round_count",
    "shown",
]

SMALLEST_SHOWN = 5
"""The smallest positive count a public report shows; 1 to 4 are hidden."""

ROUNDING_BASE = 5
"""Figures that must not be differenced are shown as multiples of this."""

K = TypeVar("K", bound=Hashable)


def round_count(count: int, base: int = ROUNDING_BASE) -> int:
    """``count`` rounded to the nearest multiple of ``base``.

    Zero stays zero; a positive count never rounds to zero (that would say "nobody").
    With an odd base there are no ties. The difference of two rounded counts is a
    multiple of ``base``, so it can never be a count from 1 to ``base - 1``.
    """
    if count < 0:
        raise ValueError("counts cannot be negative")
    if count == 0:
        return 0
    return max(base, base * ((count + base // 2) // base))


def closed_quarter_end(day: dt.date) -> dt.date:
    """The last day of the last whole calendar quarter ending on or before ``day``.

    ``day`` itself when it is a quarter's last day (31 March, 30 June, 30 September,
    31 December), else the last day of the quarter before the one ``day`` falls in.
    Every ``day`` of a quarter but its last maps to the same date, so figures cut at
    that date are the same whichever day of the quarter a reader asks for.
    """
    following = day + dt.timedelta(days=1)
    if following.day == 1 and following.month in (1, 4, 7, 10):
        return day
    quarter_start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return quarter_start - dt.timedelta(days=1)


class Mark(StrEnum):
    """Why a cell is hidden, as it is printed in tables, charts and exports."""

    NONE = ""
    PRIMARY = "<5"
    SECONDARY = "x"


def is_small(count: int) -> bool:
    """Whether a count is one that a public report must hide (1 to 4)."""
    return 0 < count < SMALLEST_SHOWN


@dataclass(frozen=True)
class Cell:
    """One figure as a report may show it: its value, or None and the reason it is hidden."""

    value: int | None
    mark: Mark = Mark.NONE

    @property
    def suppressed(self) -> bool:
        """Whether the figure is hidden."""
        return self.value is None

    @property
    def text(self) -> str:
        """The figure as printed: '1,234', '<5' or 'x'."""
        return self.mark.value if self.value is None else f"{self.value:,}"

    @property
    def amount(self) -> int:
        """The value for drawing (a hidden cell draws as nothing)."""
        return 0 if self.value is None else self.value


def shown(value: int) -> Cell:
    """A visible cell (internal reports, totals)."""
    return Cell(value)


def protect_one(count: int, public: bool) -> Cell:
    """A count that stands alone (not part of a breakdown): hidden if small in public."""
    if public and is_small(count):
        return Cell(None, Mark.PRIMARY)
    return Cell(count)


def _next_smallest(counts: Mapping[K, int], candidates: Iterable[K], hidden: set[K]) -> K | None:
    order = {key: position for position, key in enumerate(counts)}
    visible = [key for key in candidates if key not in hidden]
    positive = [key for key in visible if counts[key] > 0]
    pool = positive or visible
    if not pool:
        return None
    return min(pool, key=lambda key: (counts[key], order[key]))


def hidden_keys(
    counts: Mapping[K, int], groups: Mapping[K, Hashable] | None = None
) -> dict[K, Mark]:
    """The cells of a breakdown a public report hides, each with its mark.

    ``counts`` is the whole breakdown (zero cells included, in display order: ties
    are broken by that order so the result is deterministic). ``groups`` optionally
    assigns each key to a group that must be protected on its own too.
    """
    if any(count < 0 for count in counts.values()):
        raise ValueError("counts cannot be negative")
    marks: dict[K, Mark] = {key: Mark.PRIMARY for key, count in counts.items() if is_small(count)}
    scopes: list[list[K]] = [list(counts)]
    if groups is not None:
        members: dict[Hashable, list[K]] = {}
        for key in counts:
            members.setdefault(groups[key], []).append(key)
        scopes.extend(members.values())
    changed = True
    while changed:
        changed = False
        for scope in scopes:
            hidden_here = [key for key in scope if key in marks]
            if len(hidden_here) != 1 or len(scope) < 2:
                continue
            extra = _next_smallest(counts, scope, set(marks))
            if extra is not None:
                marks[extra] = Mark.SECONDARY
                changed = True
    return marks


def protect(
    counts: Mapping[K, int],
    public: bool,
    groups: Mapping[K, Hashable] | None = None,
    rounded: bool = False,
) -> dict[K, Cell]:
    """Every cell of a breakdown as the report may show it (all visible when not public).

    ``rounded`` (public only): the visible cells are also rounded (:func:`round_count`).
    """
    if not public:
        return {key: Cell(count) for key, count in counts.items()}
    marks = hidden_keys(counts, groups)
    return {
        key: Cell(None, marks[key])
        if key in marks
        else Cell(round_count(count) if rounded else count)
        for key, count in counts.items()
    }


@dataclass(frozen=True)
class Entry:
    """One line of a breakdown: a category's key, its display label and its cell."""

    key: str
    label: str
    cell: Cell
    name_sq: str = ""
    name_sr: str = ""
    share_pct: float | None = None


@dataclass(frozen=True)
class Breakdown:
    """A protected breakdown of a total by one dimension, in display order.

    ``total`` is the exact total (totals stay exact, per the spec) — rounded like the
    cells in a ``rounded`` breakdown; entries appear
    largest first when ``ranked``, with hidden cells after the visible ones so that
    their position does not tell how large they are.
    """

    name: str
    title: str
    entries: tuple[Entry, ...]
    total: int

    def suppressed_keys(self) -> list[str]:
        """The keys whose counts are hidden."""
        return [entry.key for entry in self.entries if entry.cell.suppressed]

    def visible(self) -> list[Entry]:
        """The entries whose counts are shown."""
        return [entry for entry in self.entries if not entry.cell.suppressed]

    def get(self, key: str) -> Cell:
        """The cell of one key (a key absent from the breakdown counts zero)."""
        for entry in self.entries:
            if entry.key == key:
                return entry.cell
        return Cell(0)

    def as_dict(self) -> dict[str, int | None]:
        """The breakdown as a JSON object, key -> count (None when hidden)."""
        return {entry.key: entry.cell.value for entry in self.entries}


def breakdown(
    name: str,
    title: str,
    counts: Mapping[str, int],
    public: bool,
    labels: Mapping[str, str] | None = None,
    ranked: bool = True,
    groups: Mapping[str, Hashable] | None = None,
    rounded: bool = False,
) -> Breakdown:
    """Protect a breakdown and order it for display.

    ``counts`` in its natural order (used to break ties and, when not ``ranked``, as
    the display order). Ranked breakdowns are sorted by count, largest first; in a
    public report hidden cells follow the visible ones in key order, so that their
    position tells nothing of their size.

    ``rounded`` (public only): cells and total are rounded to a multiple of
    :data:`ROUNDING_BASE`, and ranking uses the rounded values, so that the order does
    not tell two cells of the same rounded value apart.
    """
    rounding = public and rounded
    cells = protect(counts, public, groups, rounded=rounding)
    order = {key: position for position, key in enumerate(counts)}
    keys = list(counts)
    if ranked:
        visible = sorted(
            (k for k in keys if not cells[k].suppressed),
            key=lambda k: (-cells[k].amount if rounding else -counts[k], order[k]),
        )
        keys = visible + sorted(k for k in keys if cells[k].suppressed)
    entries = tuple(
        Entry(key=key, label=(labels or {}).get(key, key), cell=cells[key]) for key in keys
    )
    total = sum(counts.values())
    return Breakdown(
        name=name,
        title=title,
        entries=entries,
        total=round_count(total) if rounding else total,
    )
