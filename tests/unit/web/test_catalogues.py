"""The Albanian and Serbian page catalogues: complete, current and safe to format.

Every message that Babel extracts from the templates, the page code, the vocabulary
labels and the messages of the services, the domain and the screening engine (with the
project's `babel.cfg`: `N_` marks the latter, rrms/domain/messages.py) must have a
non-fuzzy translation in each catalogue, with the same placeholders as the English
source: Jinja2's new-style gettext formats every page message with `%`, and a page
formats a service's message with `str.format`, so a missing, extra or stray placeholder
would break the page or lose the value. The policy's clauses and lead-ins, quoted in
English on the pages, need a translation too: it is shown beside them as a gloss.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages import frontend
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from rrms.web.i18n import environment

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "src" / "rrms" / "web" / "locale"
LANGUAGES = ["sq", "sr"]
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|%[sdifr]|\{[A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}"
)
BRACE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}")


@cache
def extracted() -> frozenset[str | tuple[str, ...]]:
    """The message ids of a fresh extraction, as `pybabel extract -F babel.cfg .` finds them."""
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse(config)
    found = extract_from_dir(str(ROOT), method_map, options_map)
    return frozenset(message for _filename, _lineno, message, _comments, _context in found)


@cache
def catalogue(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_extraction_finds_the_page_messages() -> None:
    ids = extracted()
    assert "Return and Reintegration Management System" in ids
    assert "Nobody found for “%(q)s”." in ids
    assert len(ids) > 100


def test_the_extraction_finds_the_services_messages_and_the_words() -> None:
    ids = extracted()
    assert (
        "{code} caps {applies_to} at {cap} per person; {used} is already approved or "
        "requested, so {wanted} would exceed it by {excess}"
    ) in ids  # a domain rule (rrms.domain.caps)
    assert "no screening list with id {list_id}" in ids  # a service's refusal
    assert "ethnically mixed marriage" in ids  # a question of the screening (words.py)
    assert any(str(i).startswith("UNMIK does not accept this forced return") for i in ids)


def policy_texts() -> list[str]:
    """The lead-ins and clauses of every bundled policy version, quoted on the pages."""
    from rrms.policy.versions import PolicyCatalogue

    texts: list[str] = []
    for version in PolicyCatalogue.bundled().versions:
        texts += list(version.lead_ins.values()) + [c.text for c in version.clauses]
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_clause_has_a_gloss(language: str) -> None:
    po = catalogue(language)
    missing = [text for text in policy_texts() if not (po.get(text) and po[text].string)]
    assert not missing, f"{language}: clauses without a gloss: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_is_filled_in(language: str) -> None:
    po = catalogue(language)
    assert str(po.locale) == language
    assert po.project == "RRMS" and po.version == "0.1.0"
    header = po.header_comment + "".join(f"{k}: {v}\n" for k, v in po.mime_headers)
    for template in ("FULL NAME", "EMAIL@ADDRESS", "PROJECT", "VERSION", "YEAR-MO-DA"):
        assert template not in header
    expected = {"sq": 2, "sr": 3}[language]
    assert po.num_plurals == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_extracted_message_is_translated(language: str) -> None:
    po = catalogue(language)
    untranslated = []
    for msgid in sorted(extracted(), key=str):
        message = po.get(msgid)
        if message is None or not all(s.strip() for s in forms(message.string or "")):
            untranslated.append(msgid)
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language: str) -> None:
    po = catalogue(language)
    assert not po.fuzzy, f"{language}: the header is marked fuzzy"
    fuzzy = [message.id for message in po if message.id and message.fuzzy]
    assert not fuzzy, f"{language}: fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_and_format(language: str) -> None:
    po = catalogue(language)
    problems = []
    for message in po:
        if not message.id:
            continue
        source = forms(message.id)
        expected = placeholders(source[0])
        variables = {name: "x" for name in re.findall(r"%\(([^)]+)\)", source[0])}
        fields = {name: 1 for name in BRACE_FIELD.findall(source[0])}
        for translated in forms(message.string or ""):
            if placeholders(translated) != expected:
                problems.append((message.id, translated))
                continue
            try:
                if fields:  # a service's message: the page formats it with str.format
                    translated.format(**fields)
                else:  # as Jinja2's new-style gettext does on every call
                    translated % variables
            except (KeyError, ValueError, TypeError, IndexError) as error:
                problems.append((message.id, f"{translated!r}: {error}"))
    assert not problems, f"{language}: placeholders differ: {problems}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sq", "Sistemi i Menaxhimit të Kthimit dhe Riintegrimit"),
        ("sr", "Sistem za upravljanje povratkom i reintegracijom"),
    ],
)
def test_templates_render_the_translation(language: str, expected: str) -> None:
    template = environment(language).from_string(
        '{{ _("Return and Reintegration Management System") }}'
    )
    assert template.render() == expected


def test_placeholders_are_filled_in_the_albanian_text() -> None:
    template = environment("sq").from_string('{{ _("Family %(ref)s", ref=ref) }}')
    assert template.render(ref="F-12") == "Familja F-12"


def test_stored_municipality_codes_are_shown_by_name():
    from rrms.web.i18n import municipality_label

    assert municipality_label("17") == "Pejë/Peć"
    assert municipality_label("20") == "Prizren"
    assert municipality_label(None) == "—"
    assert municipality_label("99") == "99"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "handed over | accept | review"), ("sq", "i dorëzuar | pranohet | për shqyrtim"),
     ("sr", "predato | prihvata se | za razmatranje")],
)  # fmt: skip
def test_stored_codes_are_shown_as_translated_words(language: str, expected: str) -> None:
    template = environment(language).from_string(
        "{{ 'handed_over'|word }} | {{ 'accept'|word }} | {{ 'review'|word }}"
    )
    assert template.render() == expected


def test_a_code_without_a_label_is_shown_as_it_is() -> None:
    assert environment("sq").from_string("{{ 'DE'|word }}|{{ none|word }}").render() == "DE|"


def test_every_label_is_a_message_of_both_catalogues() -> None:
    from rrms.web.words import LABELS

    for language in LANGUAGES:
        po = catalogue(language)
        missing = [label for label in LABELS.values() if not (po.get(label) and po[label].string)]
        assert missing == [], (language, missing)
