"""Translations of the pages: English, Albanian and Serbian, from gettext catalogues.

The catalogues are `.po` files under `web/locale/` (extracted with Babel from the
templates and code, see docs/web.md), compiled in memory at start, so no binary `.mo`
file is kept in the repository. One Jinja2 environment per language keeps rendering
thread-safe.

Serbian in Cyrillic (`sr-Cyrl`) has no catalogue of its own: it is the Serbian Latin
catalogue transliterated when first used (`cyrillic`), leaving placeholders, markup and
Latin-only codes (CSV, UNMIK, YYYY-MM-DD) as they are, so the two scripts never drift.

Messages from the services (`rrms.domain.messages.Message`) are translated wherever a
page prints one (`localise`, installed as the environment's `finalize`), and screening
explanations kept as text are read back into their message first (`explanation`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import cyrtranslit
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, select_autoescape

from rrms.domain import vocabulary
from rrms.domain.messages import Message, Word, WordList
from rrms.policy.explain import QUOTE, parse
from rrms.reference.countries import countries
from rrms.reference.places import gazetteer
from rrms.web.words import LABELS, word_filter

LANGUAGES: dict[str, str] = {
    "en": "English",
    "sq": "Shqip",
    "sr": "Srpski",
    "sr-Cyrl": "\u0421\u0440\u043f\u0441\u043a\u0438",
}
DEFAULT_LANGUAGE = "en"
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
    po = resources.files("rrms.web") / "locale" / language / "LC_MESSAGES" / "messages.po"
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
    env.globals["municipalities"] = municipality_labels
    env.globals["countries"] = country_labels
    env.filters["municipality"] = municipality_label
    env.filters["word"] = word
    env.filters["explanation"] = lambda text: explanation(text, gettext, word)
    return env


def municipality_labels() -> list[str]:
    """The 2004 municipalities as people read them, for a field's suggestions."""
    return sorted(m.label for m in gazetteer().municipalities)


def localise(
    message: Message,
    gettext: Callable[[str], str],
    word: Callable[[object], str],
    quoted: Callable[[Message, str], str] | None = None,
) -> str:
    """A service's message in the page's language, its parameters shown alike.

    The template is looked up in the catalogue and formatted with the parameters: a
    `Word` is shown as its label, a `WordList` as its labels, a `Message` translated in
    turn. A translation that cannot be formatted falls back to the English text, so a
    broken catalogue entry never hides a refusal. `quoted` may add to a translated
    message (a quoted clause's gloss).
    """
    params: dict[str, Any] = {}
    for name, value in message.params.items():
        if isinstance(value, Message):
            params[name] = localise(value, gettext, word, quoted)
        elif isinstance(value, Word):
            params[name] = word(value.code) if value.code in LABELS else str(value)
        elif isinstance(value, WordList):
            params[name] = value.separator.join(word(code) for code in value.codes)
        else:
            params[name] = value
    try:
        text = gettext(message.template).format(**params)
    except (KeyError, IndexError, ValueError):
        text = message.template.format(**params)
    return quoted(message, text) if quoted is not None else text


def explanation(text: object, gettext: Callable[[str], str], word: Callable[[object], str]) -> str:
    """A screening explanation in the page's language; each quoted clause stays in the
    policy's words (English) with a translated gloss beside it in brackets."""
    if text is None:
        return ""
    made = text if isinstance(text, Message) else parse(str(text))
    if made is None:
        return str(text)

    def gloss(message: Message, translated: str) -> str:
        if message.template != QUOTE:
            return translated
        words = [message.params["lead"].strip(), message.params["text"]]
        shown = " ".join(gettext(w) for w in words if w)
        if shown == f"{message.params['lead']}{message.params['text']}":
            return translated
        return f"{translated} [{shown}]"

    return localise(made, gettext, word, gloss)


def country_labels() -> list[tuple[str, str]]:
    """(ISO code, English name) of every country, for a field's suggestions."""
    return sorted((c.alpha2, c.name_en) for c in countries().all)


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
