"""The languages RRMS writes in, for the pages and the reports alike: English, Albanian
and Serbian (Latin script, and Cyrillic as a choice: `sr-Cyrl`, the Serbian Latin
catalogue transliterated when first used, placeholders, markup and Latin-only codes
kept, so the two scripts never drift).

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
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

import cyrtranslit
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

__all__ = [
    "BABEL_LOCALES",
    "CYRILLIC",
    "DEFAULT_LANGUAGE",
    "ENGLISH",
    "LANGUAGES",
    "N_",
    "Language",
    "cyrillic",
    "language",
    "translations",
]

LANGUAGES: dict[str, str] = {
    "en": "English",
    "sq": "Shqip",
    "sr": "Srpski",
    "sr-Cyrl": "\u0421\u0440\u043f\u0441\u043a\u0438",
}
"""The languages of the pages and reports, by code, named in themselves."""

DEFAULT_LANGUAGE = "en"

BABEL_LOCALES: dict[str, str] = {"en": "en", "sq": "sq", "sr": "sr_Latn", "sr-Cyrl": "sr"}
"""The CLDR locale of each language: Serbian is written in Latin script (Babel's bare
`sr` is Cyrillic, which `sr-Cyrl` uses)."""

CYRILLIC = "sr-Cyrl"
"""Serbian in Cyrillic script: the Serbian Latin catalogue, transliterated."""

_KEEP_LATIN = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]"  # %(name)s
    r"|%[sdifr%]"  # %s, %%
    r"|\{[A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}"  # {name}, {name!r}, {amount:,}
    r"|<[^>]*>|&[#A-Za-z0-9]+;"  # markup and entities
    r"|https?://\S+|/[A-Za-z0-9_./-]+"  # addresses
    r"|\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9-]*\b"  # codes: CSV, UNMIK, AVR-VD, ID
    r"|\b[A-Za-z0-9]*\d[A-Za-z0-9_-]*\b"  # A1, 2004, YYYY-MM-DD parts with digits
    r"|\bYYYY-MM(?:-DD)?\b|\b[a-z]+_[a-z_]+\b"  # date forms, column names
    r"|\b(?:RRMS|IOM|UNHCR|UNMIK|KAS|HXL|PDF|XLSX|CSV|JSON|HTML|SHA)\b"
)


def cyrillic(text: str) -> str:
    """Serbian Latin text in Cyrillic, with placeholders, markup and codes kept Latin."""
    kept: list[str] = []

    def hold(found: re.Match[str]) -> str:
        kept.append(found.group(0))
        return f"\x00{len(kept) - 1}\x00"

    held = _KEEP_LATIN.sub(hold, text)
    written = cyrtranslit.to_cyrillic(held, "sr")
    return re.sub("\x00(\\d+)\x00", lambda found: kept[int(found.group(1))], written)


def _read_catalogue(language: str) -> Catalog:
    po = resources.files("rrms").joinpath("web", "locale", language, "LC_MESSAGES", "messages.po")
    with po.open("rb") as source:
        return read_po(source, locale=language)


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    """The gettext translations of a language (English: the source strings)."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return NullTranslations()
    if language == CYRILLIC:
        catalog = _read_catalogue("sr")
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.string, tuple | list):
                message.string = tuple(cyrillic(form) for form in message.string)
            elif message.string:
                message.string = cyrillic(message.string)
    else:
        catalog = _read_catalogue(language)
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
