"""Translations of the pages: English, Albanian and Serbian, from gettext catalogues.

The catalogues are `.po` files under `web/locale/` (extracted with Babel from the
templates and code, see docs/web.md), loaded and compiled in memory by `rrms.i18n`
(which the reports, below the pages, use as well), so no binary `.mo` file is kept in
the repository. One Jinja2 environment per language keeps rendering
thread-safe.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from rrms.domain import vocabulary
from rrms.i18n import DEFAULT_LANGUAGE, LANGUAGES, Language, language, translations
from rrms.reference.places import gazetteer
from rrms.reports.disclosure import Cell
from rrms.reports.localise import figure
from rrms.web.words import word_filter

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "choose_language",
    "environment",
    "figure_filters",
    "municipality_label",
    "report_language",
    "translations",
]


@lru_cache(maxsize=len(LANGUAGES))
def environment(language: str) -> Environment:
    """The Jinja2 environment rendering pages in `language`."""
    env = Environment(
        loader=PackageLoader("rrms.web", "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["LANGUAGES"] = LANGUAGES
    env.globals["language"] = language
    env.globals["vocabulary"] = vocabulary
    env.filters["municipality"] = municipality_label
    env.filters["word"] = word_filter(translations(language).gettext)
    env.filters.update(figure_filters(report_language(language)))
    return env


def report_language(code: str) -> Language:
    """The :class:`~rrms.i18n.Language` of a page's language code, in which the page's
    figures and the reports it serves are written (English for a code it does not know)."""
    return language(code if code in LANGUAGES else DEFAULT_LANGUAGE)


def figure_filters(lang: Language) -> dict[str, object]:
    """The filters `number`, `money` and `date`: figures and dates as the page's locale
    writes them (`{{ total|number }}`, `{{ amount|money("EUR") }}`, `{{ day|date }}`).

    A report's count (`Cell`) is its figure or its hidden mark; a value that is not a
    number or a date ("—", None) is shown as it is; a date may be a `date` or its ISO
    text.
    """

    def number(value: object, digits: int | None = None) -> object:
        if isinstance(value, Cell):  # a report's count: hidden ones keep their mark
            return figure(value, lang)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return lang.number(value, digits)
        return "" if value is None else value

    def money(value: object, currency: str | None = None) -> object:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return lang.money(value, currency)
        return "" if value is None else value

    def date(value: object, form: str = "short") -> object:
        day = value
        if isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(day, dt.datetime):
            day = day.date()
        if not isinstance(day, dt.date):
            return "" if value is None else value
        return lang.date(day) if form == "long" else lang.short_date(day)

    return {"number": number, "money": money, "date": date}


def municipality_label(code: str | None) -> str:
    """A stored KAS code as people read it, "Pejë/Peć"; an unknown code as it is."""
    if not code:
        return "—"
    found = gazetteer().municipality(code)
    return found.label if found is not None else code


def choose_language(cookie: str | None, user_language: str | None, accept: str | None) -> str:
    """The user's language: their explicit choice, their profile, the browser's, English."""
    for candidate in (cookie, user_language):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
