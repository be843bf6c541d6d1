"""Stored values of a desk record as the reader sees them, in their language.

A list page shows fifty rows of eight or nine values. Drawn by a Jinja macro, one call
per value, they cost a list page at a million persons a third of its 150 ms budget
(`benchmarks/web.py`), so the values are drawn here in Python: `show` one value (a
record page), `show_row` a list row's cells in one call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from rrms.web.desk.spec import Field

__all__ = ["cell_renderers"]

UNKNOWN = '<span class="unknown">—</span>'


def cell_renderers(
    gettext: Callable[[str], str],
    word: Callable[[object], str],
    municipality: Callable[[str | None], str],
) -> dict[str, Callable[..., Markup]]:
    """The template globals `show(field, value, programme_names)` and
    `show_row(row, fields, programme_names)` of one language."""

    def html(field: Field, value: Any, programme_names: Mapping[int, str] | None) -> str:
        if value is None or value == "":
            return UNKNOWN
        kind = field.kind
        if kind == "choice":
            return escape(word(value))
        if kind == "municipality":
            return escape(municipality(value))
        if kind == "yes_no":
            return escape(gettext("yes") if value else gettext("no"))
        if kind == "person":
            ident = escape(value)
            return f'<a href="/persons/{ident}">{escape(gettext("Person"))} {ident}</a>'
        if kind == "programme":
            name = (programme_names or {}).get(value) or f"{gettext('Programme')} {value}"
            return f'<a href="/programmes/{escape(value)}">{escape(name)}</a>'
        if kind == "textarea":
            return f'<span class="long-text">{escape(value)}</span>'
        return escape(value)

    def show(field: Field, value: Any, programme_names: Mapping[int, str] | None = None) -> Markup:
        return Markup(html(field, value, programme_names))  # noqa: S704 - escaped in html()

    def show_row(
        row: Any, fields: Iterable[Field], programme_names: Mapping[int, str] | None = None
    ) -> Markup:
        cells = (f"<td>{html(f, getattr(row, f.name), programme_names)}</td>" for f in fields)
        return Markup("".join(cells))  # noqa: S704 - every value is escaped in html()

    return {"show": show, "show_row": show_row}
