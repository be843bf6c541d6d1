"""Translations of the pages: English, Albanian and Serbian, from gettext catalogues.

The catalogues are `.po` files under `web/locale/` (extracted with Babel from the
templates and code, see docs/web.md), loaded and compiled in memory by `rrms.i18n`
(which the reports, below the pages, use as well), so no binary `.mo` file is kept in
the repository. One Jinja2 environment per language keeps rendering
thread-safe.

Serbian in Cyrillic (`sr-Cyrl`) has no catalogue of its own: it is the Serbian Latin
catalogue transliterated when first used (`cyrillic`), leaving placeholders, markup and
Latin-only codes (CSV, UNMIK, YYYY-MM-DD) as they are, so the two scripts never drift.

Messages from the services (`rrms.domain.messages.Message`) are translated wherever a
page prints one (`localise`, installed as the environment's `finalize`), and screening
explanations kept as text are read back into their message first (`explanation`). Both
are pure and live below the reports (`rrms.domain.messages.localise`,
`rrms.policy.explain.explanation`), so the screening downloads translate alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from rrms.domain import vocabulary
from rrms.domain.messages import Message, localise
from rrms.i18n import (
    CYRILLIC,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    cyrillic,
    language,
    translations,
)
from rrms.policy.explain import explanation
from rrms.reference.countries import countries
from rrms.reference.places import gazetteer
from rrms.reports.disclosure import Cell
from rrms.reports.localise import figure
from rrms.web.desk.cells import cell_renderers
from rrms.web.words import word_filter

__all__ = [
    "CYRILLIC",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "choose_language",
    "cyrillic",
    "environment",
    "explanation",
    "figure_filters",
    "localise",
    "municipality_label",
    "report_language",
    "translations",
]


@lru_cache(maxsize=len(LANGUAGES))
def environment(language: str) -> Environment:
    """The Jinja2 environment rendering pages in `language`."""
    gettext = translations(language).gettext
    word = word_filter(gettext)
    env = Environment(
        finalize=lambda value: (
            localise(value, gettext, word) if isinstance(value, Message) else value
        ),
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
    env.globals["municipality_choices"] = municipality_choices
    env.globals["option_tags"] = option_tags
    env.globals.update(cell_renderers(gettext, word, municipality_label))
    env.filters["municipality"] = municipality_label
    env.filters["word"] = word
    env.filters["explanation"] = lambda text: explanation(text, gettext, word)
    env.filters.update(figure_filters(report_language(language)))
    return env


def municipality_labels() -> list[str]:
    """The 2004 municipalities as people read them, for a field's suggestions."""
    return sorted(m.label for m in gazetteer().municipalities)


def country_labels() -> list[tuple[str, str]]:
    """(ISO code, English name) of every country, for a field's suggestions."""
    return sorted((c.alpha2, c.name_en) for c in countries().all)


def municipality_choices(fields: Iterable[object] = ()) -> Markup:
    """The `<datalist>` suggestions of municipality fields, and of country fields when
    `fields` has one (drawn once: a list page draws them on every request)."""
    return _datalists(any(getattr(f, "kind", None) == "country" for f in fields))


@lru_cache(maxsize=2)
def _datalists(with_countries: bool) -> Markup:
    tags = "".join(f'<option value="{escape(m)}">' for m in municipality_labels())
    found = f'<datalist id="municipalities">{tags}</datalist>'
    if with_countries:
        found += f'<datalist id="countries">{_option_tags(tuple(country_labels()))}</datalist>'
    return Markup(found)  # noqa: S704 - every value and label is escaped above


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
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("sr-cyrl"):
            return CYRILLIC
        code = tag[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=64)
def _option_tags(options: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in options)


def option_tags(options: tuple[tuple[str, str], ...], selected: str) -> Markup:
    """The `<option>` tags of a select with `selected` marked, built once per list of
    options: 250 countries rendered one by one in Jinja cost a list page 30 ms."""
    tags = _option_tags(options)
    if selected:
        chosen = f'<option value="{escape(selected)}">'
        tags = tags.replace(chosen, chosen[:-1] + " selected>", 1)
    return Markup(tags)  # noqa: S704 - every value and label is escaped above
