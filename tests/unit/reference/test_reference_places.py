from __future__ import annotations

import pytest

from rrms.reference.communities import COMMUNITY_CODES
from rrms.reference.places import (
    MIXED,
    Gazetteer,
    Municipality,
    gazetteer,
)
from rrms.reference.text import fold, latin_to_cyrillic

G = gazetteer()
MUNICIPALITIES = G.municipalities


def code_of(name: str) -> str | None:
    found = G.municipality(name)
    return found.kas_code if found else None


def test_gazetteer_is_cached_and_complete() -> None:
    assert gazetteer() is G
    assert len(MUNICIPALITIES) == 30
    assert [m.kas_code for m in MUNICIPALITIES] == [f"{i:02d}" for i in range(1, 31)]
    assert len(G.districts) == 7


def test_load_builds_an_equal_gazetteer() -> None:
    fresh = Gazetteer.load()
    assert fresh.municipalities == G.municipalities
    assert fresh.districts == G.districts


@pytest.mark.parametrize("m", MUNICIPALITIES, ids=lambda m: m.kas_code)
def test_every_municipality_resolves_by_each_of_its_names(m: Municipality) -> None:
    for name in (m.name_sq, m.name_sr, m.name_sr_cyrl, m.label, m.kas_code):
        assert G.municipality(name) == m, name
        assert G.municipality(name.upper()) == m, name
        assert G.municipality(f"  {name.lower()} ") == m, name
    assert G.municipality(fold(m.name_sq)) == m
    assert G.municipality(fold(m.name_sr)) == m


@pytest.mark.parametrize("m", MUNICIPALITIES, ids=lambda m: m.kas_code)
def test_cyrillic_column_is_the_transliteration_of_the_serbian_name(m: Municipality) -> None:
    assert m.name_sr_cyrl == latin_to_cyrillic(m.name_sr)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # Albanian, indefinite and definite
        ("Pejë", "17"),
        ("Peja", "17"),
        ("Prishtina", "19"),
        ("Prishtine", "19"),
        ("Gjakova", "02"),
        ("Mitrovica", "11"),
        ("Ferizaji", "25"),
        ("Podujeva", "18"),
        ("Vushtrria", "27"),
        ("Fushë Kosova", "09"),
        ("Fushe-Kosove", "09"),
        ("Malisheva", "30"),
        ("Suhareka", "24"),
        ("Gjilani", "04"),
        ("Shtimja", "22"),
        ("Novobërda", "14"),
        # Serbian Latin, with and without diacritics
        ("Peć", "17"),
        ("Pec", "17"),
        ("Đakovica", "02"),
        ("Djakovica", "02"),
        ("Dakovica", "02"),
        ("Uroševac", "25"),
        ("Urosevac", "25"),
        ("Zvecan", "29"),
        ("Priština", "19"),
        ("Pristina", "19"),
        ("Gnjilane", "04"),
        ("Kosovo Polje", "09"),
        ("Novo Brdo", "14"),
        ("Štrpce", "23"),
        ("Strpce", "23"),
        # Serbian Cyrillic
        ("Пећ", "17"),
        ("Ђаковица", "02"),
        ("ПРИШТИНА", "19"),
        ("Урошевац", "25"),
        # old prefixed and alternative names
        ("Kosovska Mitrovica", "11"),
        ("Titova Mitrovica", "11"),
        ("Kosovska Kamenica", "10"),
        ("Kamenica", "10"),
        ("Drenas", "03"),
        ("Gllogovc", "03"),
        ("Besianë", "18"),
        # codes, as typed and as a spreadsheet stores them
        ("17", "17"),
        ("7", "07"),
        ("07", "07"),
        ("7.0", "07"),
        # bilingual forms
        ("Pejë/Peć", "17"),
        ("Pejë / Peć", "17"),
        ("Peć (Pejë)", "17"),
        ("Prishtinë - Priština", "19"),
        ("PRIZREN", "20"),
    ],
)
def test_municipality_spellings(name: str, code: str) -> None:
    assert code_of(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Gračanica", "19"),
        ("Graçanicë", "19"),
        ("Gracanica", "19"),
        ("Грачаница", "19"),
        ("North Mitrovica", "11"),
        ("Mitrovica North", "11"),
        ("Mitrovica (North)", "11"),
        ("Mitrovicë e Veriut", "11"),
        ("Severna Mitrovica", "11"),
        ("Junik", "01"),
        ("Mamusha", "20"),
        ("Mamushë", "20"),
        ("Mamuša", "20"),
        ("Hani i Elezit", "07"),
        ("Elez Han", "07"),
        ("Đeneral Janković", "07"),
        ("Deneral Jankovic", "07"),
        ("Kllokot", "26"),
        ("Klokot", "26"),
        ("Partesh", "04"),
        ("Parteš", "04"),
        ("Ranillug", "10"),
        ("Ranilug", "10"),
    ],
)
def test_municipalities_created_after_2004_map_to_their_2004_municipality(
    name: str, code: str
) -> None:
    assert code_of(name) == code


@pytest.mark.parametrize(
    ("name", "majority"),
    [
        ("Gračanica", "serb"),
        ("North Mitrovica", "serb"),
        ("Partesh", "serb"),
        ("Kllokot", "serb"),
        ("Ranillug", "serb"),
        ("Mamusha", "turk"),
        ("Junik", "albanian"),
        ("Hani i Elezit", "albanian"),
        ("Graçanicë/Gračanica", "serb"),
    ],
)
def test_later_municipality_settlement(name: str, majority: str) -> None:
    settlement = G.later_municipality_settlement(name)
    assert settlement is not None
    assert settlement.majority == majority
    municipality = G.municipality(name)
    assert municipality is not None
    assert settlement.municipality_kas == municipality.kas_code


@pytest.mark.parametrize("name", ["Pejë", "Velika Hoča", "Goraždevac", "Mitrovica", "", "Foo"])
def test_later_municipality_settlement_is_none_for_other_names(name: str) -> None:
    assert G.later_municipality_settlement(name) is None


@pytest.mark.parametrize(
    "name",
    ["", "   ", "Kosovo", "Beograd", "Pejja", "Pejë/Prizren", "Pejë/Foo", "0", "31", "Gora Gora"],
)
def test_unknown_municipality_is_none(name: str) -> None:
    assert G.municipality(name) is None


@pytest.mark.parametrize(
    ("typo", "label"),
    [
        ("Prishtine", "Prishtinë/Priština"),
        ("Prishtinn", "Prishtinë/Priština"),
        ("Pejja", "Pejë/Peć"),
        ("Gjilanii", "Gjilan/Gnjilane"),
        ("Urosevack", "Ferizaj/Uroševac"),
        ("Mitrovca", "Mitrovicë/Kosovska Mitrovica"),
        ("Gracanca", "Prishtinë/Priština"),
    ],
)
def test_closest_municipalities_first_suggestion(typo: str, label: str) -> None:
    suggestions = G.closest_municipalities(typo)
    assert suggestions[0] == label
    assert len(suggestions) == 3
    assert len(set(suggestions)) == 3


def test_closest_municipalities_returns_n_labels() -> None:
    assert len(G.closest_municipalities("zzzz", n=5)) == 5
    assert len(G.closest_municipalities("zzzz", n=0)) == 1


def test_labels() -> None:
    assert code_of("Pejë/Peć") == "17"
    peje = G.municipality("17")
    assert peje is not None
    assert peje.label == "Pejë/Peć"
    prizren = G.municipality("20")
    assert prizren is not None
    assert prizren.label == "Prizren"


def test_municipality_majorities_are_community_codes_or_mixed() -> None:
    for m in MUNICIPALITIES:
        assert m.majority in (*COMMUNITY_CODES, MIXED)
    north = [m.name_sq for m in MUNICIPALITIES if m.majority == "serb"]
    assert sorted(north) == ["Leposaviq", "Shtërpcë", "Zubin Potok", "Zveçan"]


def test_district_codes_and_names() -> None:
    assert [d.code for d in G.districts] == ["PRI", "MIT", "PEJ", "GJA", "PRZ", "GJI", "FER"]
    by_code = {d.code: d for d in G.districts}
    assert by_code["PRI"].name_sq == "Prishtinë"
    assert by_code["PRI"].name_sr == "Priština"
    assert by_code["GJA"].name_sr == "Đakovica"


@pytest.mark.parametrize(
    ("municipality", "district"),
    [
        ("Pejë", "PEJ"),
        ("Istog", "PEJ"),
        ("Klinë", "PEJ"),
        ("Deçan", "GJA"),
        ("Rahovec", "GJA"),
        ("Gjakovë", "GJA"),
        ("Prishtinë", "PRI"),
        ("Novobërdë", "PRI"),
        ("Gllogoc", "PRI"),
        ("Leposaviq", "MIT"),
        ("Skënderaj", "MIT"),
        ("Vushtrri", "MIT"),
        ("Dragash", "PRZ"),
        ("Malishevë", "PRZ"),
        ("Kamenicë", "GJI"),
        ("Viti", "GJI"),
        ("Shtime", "FER"),
        ("Shtërpcë", "FER"),
        ("Kaçanik", "FER"),
    ],
)
def test_district_of(municipality: str, district: str) -> None:
    m = G.municipality(municipality)
    assert m is not None
    assert G.district_of(m).code == district


def test_every_district_has_municipalities() -> None:
    counts = {d.code: 0 for d in G.districts}
    for m in MUNICIPALITIES:
        counts[G.district_of(m).code] += 1
    assert counts == {"PRI": 7, "MIT": 6, "PEJ": 3, "GJA": 3, "PRZ": 4, "GJI": 3, "FER": 4}


@pytest.mark.parametrize(
    ("name", "municipality_kas", "name_sr", "majority"),
    [
        ("Velika Hoča", None, "Velika Hoča", "serb"),
        ("Hoçë e Madhe", "16", "Velika Hoča", "serb"),
        ("Gorazhdec", "17", "Goraždevac", "serb"),
        ("Гораждевац", None, "Goraždevac", "serb"),
        ("Gorazdevac", "Peja", "Goraždevac", "serb"),
        ("Laplje Selo", "19", "Laplje Selo", "serb"),
        ("Osojane", "06", "Osojane", "serb"),
        ("Sigë", "17", "Siga", "serb"),
        ("Brestovik", "17", "Brestovik", "serb"),
        ("Plementina", "15", "Plemetina", "serb"),
        ("Babimoc", "15", "Babin Most", "serb"),
        ("Restelica", "05", "Restelica", "gorani"),
        ("Brod", "Dragash", "Brod", "gorani"),
        ("Mamushë", "20", "Mamuša", "turk"),
        ("Gracanica", "19", "Gračanica", "serb"),
        ("Mitrovica (North)", "11", "Severna Mitrovica", "serb"),
        ("Mitrovicë e Veriut/Severna Mitrovica", "11", "Severna Mitrovica", "serb"),
        ("Donje Ljubinje", "20", "Donje Ljubinje", "bosniak"),
    ],
)
def test_settlement_lookup(
    name: str, municipality_kas: str | None, name_sr: str, majority: str
) -> None:
    settlement = G.settlement(name, municipality_kas)
    assert settlement is not None
    assert settlement.name_sr == name_sr
    assert settlement.majority == majority


def test_settlement_municipality_restriction() -> None:
    assert G.settlement("Velika Hoča", "17") is None
    assert G.settlement("Goraždevac", "16") is None
    assert G.settlement("Gračanica", "Pejë") is None
    assert G.settlement("Gračanica", "not a municipality") is None
    assert G.settlement("Brod", "23") is None


def test_unknown_settlement_is_none() -> None:
    assert G.settlement("Peja") is None
    assert G.settlement("") is None
    assert G.settlement("Nowhere", "17") is None


def test_settlements_are_consistent() -> None:
    codes = {m.kas_code for m in MUNICIPALITIES}
    for s in G.settlements:
        assert s.municipality_kas in codes
        assert s.majority in COMMUNITY_CODES
        assert G.settlement(s.name_sq, s.municipality_kas) == s
        assert G.settlement(s.name_sr, s.municipality_kas) == s
        assert G.settlement(latin_to_cyrillic(s.name_sr), s.municipality_kas) == s
