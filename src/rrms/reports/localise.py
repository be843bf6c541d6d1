"""A report's words in the reader's language: titles, row labels and figures.

Reports are built once, in English (`returns_report`, `programme_report`), and their
JSON is the fixed contract of the specs, never translated. To write a report for a
reader of Albanian or Serbian, :func:`localise` returns a copy whose breakdown titles
and row labels are in that language, which every renderer then reads (HTML, PDF,
charts, the bulletin's sentences, the spreadsheets' name columns):

* sending countries by their name in the language (CLDR's, through Babel);
* communities by their name in the reference list (`name_sq`, `name_sr`);
* districts and municipalities keep their bilingual names ("Pejë/Peć");
* programme names are data, written as recorded;
* every other title and label (return types, statuses, sectors, topics, units) is a
  message of the catalogues, translated by gettext (kept as it is when none).

Figures are written by :func:`figure`: a hidden count keeps its mark (``<5``, ``x``),
any other count gets the locale's separators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass, replace
from functools import cache
from typing import Any, TypeVar

from babel import Locale

from rrms.i18n import N_, Language
from rrms.reference.communities import communities
from rrms.reports.disclosure import Breakdown, Cell, Entry
from rrms.reports.programme_figures import UNKNOWN
from rrms.reports.programme_model import ConfidentialFigures
from rrms.reports.returns_model import country_label

__all__ = ["country_name", "district_title", "figure", "localise"]

T = TypeVar("T")


def figure(cell: Cell, language: Language) -> str:
    """A count as printed in `language`: '1,234', '1.234', or the hidden mark."""
    return cell.mark.value if cell.value is None else language.number(cell.value)


@cache
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def country_name(code: str, language: Language) -> str:
    """A sending country's name in `language` (English from the reference list)."""
    if language.code == "en":
        return country_label(code)
    return _territories(language.locale).get(code) or country_label(code)


def _community_name(code: str, label: str, language: Language) -> str:
    if code == UNKNOWN:
        return language.gettext(label)
    try:
        community = communities().get(code)
    except KeyError:
        return language.gettext(label)
    names = {"en": community.name_en, "sq": community.name_sq, "sr": community.name_sr}
    return names.get(language.code) or community.name_en


def district_title(year: int, last_day: dt.date, language: Language) -> str:
    """The title of a unit's cases by district: 'Cases opened in 2004 (to 31 October),
    by district' (the day left out when the year is whole)."""
    if (last_day.month, last_day.day) == (12, 31):
        return language.gettext(N_("Cases opened in %(year)s, by district")) % {"year": year}
    return language.gettext(N_("Cases opened in %(year)s (to %(day)s), by district")) % {
        "year": year,
        "day": language.day_month(last_day),
    }


def _label(item: Breakdown, entry: Entry, language: Language) -> str:
    if item.name == "by_sending_country":
        return country_name(entry.key, language)
    if item.name == "beneficiaries_by_community":
        return _community_name(entry.key, entry.label, language)
    return language.gettext(entry.label)


def _breakdown(item: Breakdown, language: Language) -> Breakdown:
    entries = tuple(replace(e, label=_label(item, e, language)) for e in item.entries)
    return replace(item, title=language.gettext(item.title), entries=entries)


def _walk(value: Any, language: Language) -> Any:
    if isinstance(value, Breakdown):
        return _breakdown(value, language)
    if isinstance(value, tuple):
        return tuple(_walk(item, language) for item in value)
    if is_dataclass(value) and not isinstance(value, type | Cell):
        changes = {}
        for field in fields(value):
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = _walk(old, language)
            if new is not old:
                changes[field.name] = new
        if isinstance(value, ConfidentialFigures):
            changes["title"] = language.gettext(value.title)
            if value.by_district is not None:
                changes["by_district"] = replace(
                    changes.get("by_district", value.by_district),
                    title=district_title(value.year, value.last_day, language),
                )
        return replace(value, **changes) if changes else value
    return value


def localise(report: T, language: Language) -> T:
    """A copy of a report (returns, programmes) with its words in `language`; the
    figures are the same objects. English returns the report itself."""
    if language.code == "en":
        return report
    result: T = _walk(report, language)
    return result
