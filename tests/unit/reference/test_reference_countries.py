from __future__ import annotations

import pytest

from rrms.reference.countries import KOSOVO, Countries, countries

K = countries()


def test_countries_are_cached_and_complete() -> None:
    assert countries() is K
    assert len(K.all) >= 250
    assert len({c.alpha2 for c in K.all}) == len(K.all)
    assert len({c.alpha3 for c in K.all}) == len(K.all)
    assert Countries.load().all == K.all


def test_every_country_parses_by_codes_and_names() -> None:
    for country in K.all:
        for text in (
            country.alpha2,
            country.alpha2.lower(),
            country.alpha3,
            country.alpha3.lower(),
            country.name_en,
            country.name_de,
            country.name_en.upper(),
        ):
            assert K.parse(text) == country, text


@pytest.mark.parametrize(
    ("text", "alpha2"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("Bundesrepublik Deutschland", "DE"),
        ("CH", "CH"),
        ("Schweiz", "CH"),
        ("Switzerland", "CH"),
        ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("Osterreich", "AT"),
        ("Niederlande", "NL"),
        ("Holland", "NL"),
        ("Netherlands", "NL"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("United Kingdom", "GB"),
        ("Vereinigtes Königreich", "GB"),
        ("Schweden", "SE"),
        ("Sweden", "SE"),
        ("Norway", "NO"),
        ("Belgien", "BE"),
        ("Frankreich", "FR"),
        ("Italien", "IT"),
        ("Dänemark", "DK"),
        ("Daenemark", "DK"),
        ("Luxemburg", "LU"),
        ("Luxembourg", "LU"),
        ("Türkei", "TR"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("Macedonia", "MK"),
        ("Serbia", "RS"),
        ("Serbien", "RS"),
        ("Montenegro", "ME"),
        ("Serbia and Montenegro", "RS"),
        ("Serbien und Montenegro", "RS"),
        ("SCG", "RS"),
        ("Albanien", "AL"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d Ivoire", "CI"),
        ("South Korea", "KR"),
        ("Deutschland/Germany", "DE"),
    ],
)
def test_parse(text: str, alpha2: str) -> None:
    country = K.parse(text)
    assert country is not None
    assert country.alpha2 == alpha2


@pytest.mark.parametrize(
    "text",
    [
        "XK",
        "xk",
        "XKX",
        "Kosovo",
        "KOSOVO",
        "Kosova",
        "Kosovë",
        "Kosove",
        "Kosovo (UNSCR 1244)",
        "Kosovo*",
        "Republika e Kosovës",
        "Косово",
    ],
)
def test_kosovo(text: str) -> None:
    assert K.parse(text) == KOSOVO


def test_kosovo_constant() -> None:
    assert Countries.KOSOVO == KOSOVO
    assert K.KOSOVO == KOSOVO
    assert K.get("xk") == KOSOVO
    assert (KOSOVO.alpha2, KOSOVO.alpha3) == ("XK", "XKX")


@pytest.mark.parametrize("text", ["", "Atlantis", "XX", "Germany/France", "Europe"])
def test_unknown_is_none(text: str) -> None:
    assert K.parse(text) is None


@pytest.mark.parametrize(
    ("typo", "name_en"),
    [
        ("Germani", "Germany"),
        ("Deutschlant", "Germany"),
        ("Swizerland", "Switzerland"),
        ("Kosowo", "Kosovo"),
        ("DUE", "Germany"),
    ],
)
def test_closest(typo: str, name_en: str) -> None:
    suggestions = K.closest(typo)
    assert suggestions[0] == name_en
    assert len(suggestions) == 3
