"""Translations of the pages: English, Albanian and Serbian, from gettext catalogues.

The catalogues are `.po` files under `web/locale/` (extracted with Babel from the
templates and code, see docs/web.md), compiled in memory at start, so no binary `.mo`
file is kept in the repository. One Jinja2 environment per language keeps rendering
thread-safe.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from rrms.domain import vocabulary
from rrms.reference.places import gazetteer
from rrms.web.words import word_filter

LANGUAGES: dict[str, str] = {"en": "English", "sq": "Shqip", "sr": "Srpski"}
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    """The gettext translations of a language (English: the source strings)."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return NullTranslations()
    po = resources.files("rrms.web") / "locale" / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


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
    env.globals["municipalities"] = municipality_labels
    env.globals["option_tags"] = option_tags
    env.filters["municipality"] = municipality_label
    env.filters["word"] = word_filter(translations(language).gettext)
    return env


def municipality_labels() -> list[str]:
    """The 2004 municipalities as people read them, for a field's suggestions."""
    return sorted(m.label for m in gazetteer().municipalities)


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
