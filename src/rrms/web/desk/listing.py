"""Reading a list page's address: filters, a date range, the sort order and the page.

The address carries everything (`?status=requested&from=2004-01-01&sort=-amount`), so a
filtered list can be bookmarked, shared with a colleague who may read it, and exported
as it is shown. Each filter is read like the field it filters (a municipality in any
spelling, a status from its choices); an unreadable one is shown beside its input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from rrms.web.desk.spec import Desk, Field
from rrms.web.desk.values import Translate, Unreadable, parse

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
_DATE = Field("date", "date", "date")


@dataclass
class Listing:
    """A list's filters, range, order and page as read from the address."""

    typed: dict[str, str] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)
    spans: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    order: tuple[str, bool] | None = None
    sort: str = ""
    limit: int = DEFAULT_PAGE_SIZE
    offset: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every filter could be read."""
        return not self.errors

    def query(self, **change: Any) -> str:
        """The address's query with some parameters changed (a page, a sort)."""
        params: dict[str, Any] = {k: v for k, v in self.typed.items() if v}
        if self.sort:
            params["sort"] = self.sort
        if self.limit != DEFAULT_PAGE_SIZE:
            params["limit"] = self.limit
        if self.offset:
            params["offset"] = self.offset
        params.update(change)
        return urlencode({k: v for k, v in params.items() if v not in ("", None, 0)})

    def export_query(self) -> str:
        """The address's query for an export: the filters and the sort, every page."""
        return self.query(offset=0, limit=0)

    def sorted_by(self, name: str) -> str:
        """The query that sorts by `name`, descending if already sorted ascending by it."""
        return self.query(sort=f"-{name}" if self.sort == name else name, offset=0)


def _number(text: str | None, default: int, allowed: tuple[int, ...] | None = None) -> int:
    if text is None or not text.isdigit() or len(text) > 10:
        return default
    value = int(text)
    if allowed is not None and value not in allowed:
        return default
    return value


def _intersect(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    """The range inside both inclusive ranges (a None bound is open)."""
    lows = [x for x in (a[0], b[0]) if x is not None]
    highs = [x for x in (a[1], b[1]) if x is not None]
    return (max(lows) if lows else None, min(highs) if highs else None)


def _read_span(
    listing: Listing,
    column: str,
    spec: Field,
    names: tuple[str, str],
    params: Mapping[str, str],
    translate: Translate,
) -> None:
    """Read a range's two bounds (either may be blank) into the listing's spans."""
    bounds: list[Any] = []
    for bound in names:
        text = params.get(bound, "")
        listing.typed[bound] = text
        try:
            bounds.append(parse(spec, text, translate))
        except Unreadable as exc:
            listing.errors[bound] = str(exc)
            bounds.append(None)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        listing.errors[names[1]] = translate("the end of the range is before its start")
    elif bounds[0] is not None or bounds[1] is not None:
        listing.spans[column] = (bounds[0], bounds[1])


def read_listing(
    desk: Desk, params: Mapping[str, str], translate: Translate, today: dt.date | None = None
) -> Listing:
    """The listing the address asks for (`today` for the toggles that depend on it)."""
    listing = Listing()
    for name in desk.filters:
        spec = desk.field(name)
        assert spec is not None, f"{desk.path} filters by {name}, which it does not show"
        text = params.get(name, "")
        listing.typed[name] = text
        try:
            value = parse(spec, text, translate)
        except Unreadable as exc:
            listing.errors[name] = str(exc)
            continue
        if value is not None:
            listing.filters[name] = value
    if desk.date_field is not None:
        _read_span(listing, desk.date_field, _DATE, ("from", "to"), params, translate)
    for name in desk.ranges:
        spec = desk.field(name)
        assert spec is not None, f"{desk.path} narrows {name}, which it does not show"
        _read_span(listing, name, spec, (f"{name}_from", f"{name}_to"), params, translate)
    for toggle in desk.toggles:
        ticked = params.get(toggle.name, "") == "yes"
        listing.typed[toggle.name] = "yes" if ticked else ""
        if not ticked:
            continue
        exact, ranges = toggle.narrow(today or dt.date.today())
        listing.filters.update(exact)
        for name, span in ranges.items():
            listing.spans[name] = _intersect(listing.spans.get(name, (None, None)), span)
    sort = params.get("sort", "")
    if sort.lstrip("-") in desk.sortable:
        listing.sort = sort
        listing.order = (sort.lstrip("-"), sort.startswith("-"))
    elif desk.default_order is not None:
        listing.order = desk.default_order
    listing.limit = _number(params.get("limit"), DEFAULT_PAGE_SIZE, PAGE_SIZES)
    listing.offset = _number(params.get("offset"), 0)
    return listing
