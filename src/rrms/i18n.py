"""The languages RRMS writes in, for the pages and the reports alike: English, Albanian
and Serbian (Latin script).

Reports are written below the web layer (`rrms.reports`), and the CLI and the API
write them too, so the translations cannot be loaded by the pages alone: this module
loads the gettext catalogues (`src/rrms/web/locale/{sq,sr}/LC_MESSAGES/messages.po`,
where the pages' tools keep them; compiled in memory, no `.mo` file is kept) and
formats numbers, money and dates for a locale with Babel. It imports nothing of RRMS,
so every layer may use it (the import contracts place it beside `formats`).

A :class:`Language` is what a renderer receives: its gettext functions and its Babel
formatting. English keeps the figures and dates RRMS has always printed ("1,234",
"1 August 2004"); Albanian and Serbian are written as CLDR says ("1 234,5" with a
no-break space in Albanian, "1.234,5" in Serbian; "1 gusht 2004", "1. avgust 2004.").
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

__all__ = [
    "BABEL_LOCALES",
    "DEFAULT_LANGUAGE",
    "ENGLISH",
    "LANGUAGES",
    "N_",
    "Language",
    "language",
    "translations",
]

LANGUAGES: dict[str, str] = {"en": "English", "sq": "Shqip", "sr": "Srpski"}
"""The languages of the pages and reports, by code, named in themselves."""

DEFAULT_LANGUAGE = "en"

BABEL_LOCALES: dict[str, str] = {"en": "en", "sq": "sq", "sr": "sr_Latn"}
"""The CLDR locale of each language: Serbian is written in Latin script (Babel's bare
`sr` is Cyrillic)."""


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    """The gettext translations of a language (English: the source strings)."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return NullTranslations()
    po = resources.files("rrms").joinpath("web", "locale", language, "LC_MESSAGES", "messages.po")
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def N_(text: str) -> str:  # noqa: N802 - the name Babel's extractor looks for
    """Mark an English text for extraction; it is translated where it is shown."""
    return text


Number = int | float | Decimal


@dataclass(frozen=True)
class Language:
    """One language as a renderer needs it: gettext, and numbers and dates for its locale.

    Hashable by its code, so that renderers memoised on their arguments (charts) can
    take it.
    """

    code: str
    locale: str
    catalogue: NullTranslations = field(compare=False, repr=False)

    def gettext(self, message: str) -> str:
        """`message` in this language (itself when the catalogue lacks it)."""
        return self.catalogue.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of a message for `count` (Serbian has three, Albanian two)."""
        return self.catalogue.ngettext(singular, plural, count)

    def number(self, value: Number, digits: int | None = None) -> str:
        """A figure with the locale's separators; `digits`: exactly that many decimals."""
        if digits is None:
            return format_decimal(value, locale=self.locale)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def money(self, amount: Number, currency: str | None = None) -> str:
        """An amount with two decimals, and its currency code after it when given."""
        text = self.number(amount, 2)
        return f"{text} {currency}" if currency else text

    def percent(self, share: float) -> str:
        """A share in percent with one decimal: '29.8%', '29,8%'."""
        return self.number(share, 1) + "%"

    def date(self, day: dt.date) -> str:
        """A date as prose writes it: '1 August 2004', '1 gusht 2004', '1. avgust 2004.'."""
        if self.code == DEFAULT_LANGUAGE:
            return f"{day.day} {day:%B %Y}"
        return format_date(day, "long", locale=self.locale)

    def short_date(self, day: dt.date) -> str:
        """A date in a table: 'Aug 1, 2004', '1 gush 2004', '1. 8. 2004.'."""
        return format_date(day, "medium", locale=self.locale)

    def month_year(self, day: dt.date) -> str:
        """'August 2004', 'gusht 2004', 'avgust 2004'."""
        if self.code == DEFAULT_LANGUAGE:
            return f"{day:%B %Y}"
        return format_date(day, "LLLL y", locale=self.locale)

    def month(self, day: dt.date) -> str:
        """'August', 'gusht', 'avgust'."""
        if self.code == DEFAULT_LANGUAGE:
            return f"{day:%B}"
        return format_date(day, "LLLL", locale=self.locale)

    def day_month(self, day: dt.date) -> str:
        """'31 October', '31 tetor', '31. oktobar'."""
        if self.code == DEFAULT_LANGUAGE:
            return f"{day.day} {day:%B}"
        return format_date(day, "d MMMM" if self.code == "sq" else "d. MMMM", locale=self.locale)


@lru_cache(maxsize=len(LANGUAGES))
def language(code: str) -> Language:
    """The language of a code of :data:`LANGUAGES`; any other code is refused, naming the
    codes there are (the CLI's and the API's `--language` check with this)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}: use one of {', '.join(LANGUAGES)}")
    return Language(code, BABEL_LOCALES[code], translations(code))


ENGLISH = language(DEFAULT_LANGUAGE)
