"""The name normaliser: every spelling family, both directions, Cyrillic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.reference.names import (
    canonical,
    document_key,
    has_cyrillic,
    sound_key,
    spelling,
    to_latin,
)

# Each group is one name as the region's writers spell it; every member must give the
# group's canonical form. Albanian first, then Serbian Latin, Serbian Latin without
# diacritics, Serbian Cyrillic, German/Swiss/Austrian by ear, Swedish, Dutch.
SAME_NAME: dict[str, tuple[str, ...]] = {
    # xh / dž / dsch / dzj (and dz, Serbian without the caron)
    "Jaferi": ("Xhaferi", "Džaferi", "Dzaferi", "Џафери", "Dschaferi", "Djaferi", "Dzjaferi"),
    # q / ć / tsch / tj
    "krasniCi": ("Krasniqi", "Krasnići", "Краснићи", "Krasnitschi", "Krasnitji", "Krasnitsji"),
    # sh / š / sch / sj
    "beriSa": ("Berisha", "Beriša", "Бериша", "Berischa", "Berisja"),
    # zh / ž / sch / zj
    "Suja": ("Zhuja", "Žuja", "Жуја", "Schuja", "Zjuja"),
    # ç / č / tsch, th / t
    "taCi": ("Thaçi", "Tači", "Тачи", "Thatschi", "Tatschi"),
    # gj / đ / dj
    "Joka": ("Gjoka", "Đoka", "Djoka", "Ђока"),
    "JorJeviC": ("Đorđević", "Ђорђевић", "Djordjević", "Djordjewitsch", "DJORDJEVIĆ"),
    # ë / e
    "Cendrim": ("Qëndrim", "Qendrim", "Ћендрим", "Ćendrim", "Tschendrim"),
    "arber": ("Arbër", "Arber", "Арбер", "ARBËR"),
    # y / i, ü / i
    "ilber": ("Ylber", "Ilber", "Илбер", "Ülber"),
    "bitiCi": ("Bytyqi", "Bytyçi", "Bitići", "Битићи", "Bütütschi"),
    # y / j before a vowel, Dutch oe / u
    "jusuf": ("Jusuf", "Yusuf", "Јусуф", "Joesoef"),
    # v / w, -vić / -witsch / -vich
    "miloSeviC": ("Milošević", "Милошевић", "Miloschewitsch", "Miloshevich"),
    "vesel": ("Vesel", "Wesel", "Веселл"),
    # German ch for h
    "mihajlo": ("Mihajlo", "Michajlo", "Михајло"),
    # doubled letters, Albanian ll / rr and dh
    "hasani": ("Hasani", "Hassani", "Хасани"),
    "dardan": ("Dardan", "Dhardan", "Dardann"),
    "rustemi": ("Rustemi", "Rrustemi"),
    # Serbian lj, nj survive as Albanian writes them too
    "ljubiSa": ("Ljubiša", "Љубиша", "LJUBIŠA", "Ljubischa"),
    "njomza": ("Njomza", "Њомза"),
}


@pytest.mark.parametrize(
    ("expected", "name"),
    [(expected, name) for expected, names in SAME_NAME.items() for name in names],
)
def test_every_spelling_of_a_name_gives_its_canonical_form(expected: str, name: str) -> None:
    assert canonical(name) == expected


@pytest.mark.parametrize("names", list(SAME_NAME.values()))
def test_spellings_of_one_name_share_a_sound_key(names: tuple[str, ...]) -> None:
    assert len({sound_key(name) for name in names}) == 1


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # Serbian Latin written without diacritics: the canonical form keeps č apart
        # from c, the sound key does not.
        ("Krasniqi", "Krasnici"),
        ("Berisha", "Berisa"),
        ("Đorđević", "Dordevic"),
        ("Thaçi", "Taci"),
        ("Žarko", "Zarko"),
        # ë dropped, e for i, a doubled vowel
        ("Mërgim", "Mrgim"),
        ("Lirije", "Lirie"),
    ],
)
def test_diacritics_lost_still_sound_alike(left: str, right: str) -> None:
    assert sound_key(left) == sound_key(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Krasniqi", "Berisha"),
        ("Agim", "Arben"),
        ("Shala", "Gashi"),
        ("Petrović", "Pavlović"),
        ("Emir", "Amir"),
    ],
)
def test_different_names_stay_different(left: str, right: str) -> None:
    assert canonical(left) != canonical(right)


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Краснићи", "Krasnići"),
        ("Џафери", "Džaferi"),
        ("Ђорђевић", "Đorđević"),
        ("ЉУБИША", "LjUBIŠA"),
        ("Ѓорѓи", "Gjorgji"),  # Macedonian
        ("Юрий", "Yurij"),  # Russian letters a Serbian table lacks
    ],
)
def test_cyrillic_goes_through_the_transliteration_library(cyrillic: str, latin: str) -> None:
    assert has_cyrillic(cyrillic)
    assert to_latin(cyrillic) == latin
    assert not has_cyrillic(to_latin(cyrillic))


def test_latin_text_is_left_alone() -> None:
    assert to_latin("Krasniqi Ëë") == "Krasniqi Ëë"
    assert not has_cyrillic("Đorđević")


def test_spelling_keeps_diacritics_and_tidies_spaces() -> None:
    assert spelling("  ĐORĐEVIĆ ") == "đorđević"
    assert spelling("ЂОРЂЕВИЋ") == "ђорђевић"  # its own script: that is transliteration
    assert spelling("Krasniqi-Berisha") == "krasniqi berisha"
    assert spelling("D'Amico") == "damico"
    assert spelling("") == ""


def test_several_words_keep_their_order() -> None:
    assert canonical("Krasniqi-Berisha") == "krasniCi beriSa"
    assert sound_key("Krasniqi Berisha") == "krsncbrs"


@pytest.mark.parametrize(
    ("written", "key"),
    [("P 123-456.7", "P1234567"), ("p1234567", "P1234567"), ("П-12 34", "P1234"), ("", "")],
)
def test_document_numbers_lose_punctuation(written: str, key: str) -> None:
    assert document_key(written) == key


@given(st.text(max_size=30))
def test_normalising_never_fails_and_is_stable(text: str) -> None:
    form = canonical(text)
    assert canonical(form.lower()) == canonical(form.lower())
    assert " " not in form.strip() or "  " not in form
    assert sound_key(text) == sound_key(text)
    assert spelling(spelling(text)) == spelling(text)


@given(st.sampled_from([name for names in SAME_NAME.values() for name in names]))
def test_case_does_not_matter(name: str) -> None:
    assert canonical(name.upper()) == canonical(name.lower()) == canonical(name)
