from __future__ import annotations

import pytest

from rrms.reference.communities import COMMUNITY_CODES, Communities, communities

C = communities()


def test_communities_are_cached_and_in_code_order() -> None:
    assert communities() is C
    assert tuple(c.code for c in C.all) == COMMUNITY_CODES
    assert Communities.load().all == C.all


@pytest.mark.parametrize("code", COMMUNITY_CODES)
def test_every_code_and_name_parses(code: str) -> None:
    community = C.get(code)
    for word in (
        code,
        code.upper(),
        community.name_en,
        community.name_sq,
        community.name_sr,
        community.name_de,
    ):
        assert C.parse(word) == code, word


@pytest.mark.parametrize(
    ("word", "code"),
    [
        # English
        ("Albanian", "albanian"),
        ("kosovo albanian", "albanian"),
        ("Kosovo Serb", "serb"),
        ("serbian", "serb"),
        ("Roma", "roma"),
        ("Egyptian", "egyptian"),
        ("Bosniak", "bosniak"),
        ("Turkish", "turk"),
        ("Croat", "croat"),
        ("Montenegrin", "montenegrin"),
        # Albanian
        ("shqiptar", "albanian"),
        ("shqiptare", "albanian"),
        ("Shqiptarë", "albanian"),
        ("rom", "roma"),
        ("romë", "roma"),
        ("ashkalinj", "ashkali"),
        ("egjiptian", "egyptian"),
        ("boshnjak", "bosniak"),
        ("goran", "gorani"),
        ("turk", "turk"),
        ("kroat", "croat"),
        ("malazez", "montenegrin"),
        # Serbian, Latin and Cyrillic, with and without diacritics
        ("albanac", "albanian"),
        ("srbin", "serb"),
        ("Србин", "serb"),
        ("srpska", "serb"),
        ("ashkalija", "ashkali"),
        ("aškalija", "ashkali"),
        ("Ашкалија", "ashkali"),
        ("egipćanin", "egyptian"),
        ("egipcanin", "egyptian"),
        ("bošnjak", "bosniak"),
        ("bosnjak", "bosniak"),
        ("goranac", "gorani"),
        ("turčin", "turk"),
        ("hrvat", "croat"),
        ("crnogorac", "montenegrin"),
        ("Црногорац", "montenegrin"),
        # German
        ("Albaner", "albanian"),
        ("Serbe", "serb"),
        ("Ägypter", "egyptian"),
        ("Aegypter", "egyptian"),
        ("Bosniake", "bosniak"),
        ("Türke", "turk"),
        ("Tuerke", "turk"),
        ("Kroate", "croat"),
        ("Montenegriner", "montenegrin"),
        ("Sonstige", "other"),
        # bilingual form
        ("shqiptar/Albanac", "albanian"),
        ("  SERB  ", "serb"),
    ],
)
def test_parse(word: str, code: str) -> None:
    assert C.parse(word) == code


@pytest.mark.parametrize(
    "word", ["", "muslim", "musliman", "Bosnian", "RAE", "gypsy", "unknown", "shqiptar/srbin"]
)
def test_ambiguous_or_unknown_words_are_not_parsed(word: str) -> None:
    assert C.parse(word) is None


@pytest.mark.parametrize(
    ("typo", "code"),
    [("shqiptr", "albanian"), ("srbn", "serb"), ("ashkaly", "ashkali"), ("bosnjk", "bosniak")],
)
def test_closest(typo: str, code: str) -> None:
    suggestions = C.closest(typo)
    assert suggestions[0] == code
    assert len(suggestions) == 3
    assert set(suggestions) <= set(COMMUNITY_CODES)


def test_get() -> None:
    assert C.get("serb").name_sr == "Srbin"
    assert C.get("turk").name_de == "Türke"
    with pytest.raises(KeyError):
        C.get("martian")
