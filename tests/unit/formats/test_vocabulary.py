import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.formats.vocabulary import (
    INVALID,
    RELATIONSHIP,
    RETURN_TYPE,
    SEX,
    SUPPORT_AVAILABILITY,
    TRANSPORT_MODE,
    TREATMENT_AVAILABILITY,
    YES_NO,
    Invalid,
    Vocabulary,
    fold,
)

ALL = [
    YES_NO,
    SEX,
    RELATIONSHIP,
    TREATMENT_AVAILABILITY,
    SUPPORT_AVAILABILITY,
    RETURN_TYPE,
    TRANSPORT_MODE,
]

ACCEPTED = [
    # yes / no in English, German, Albanian, Serbian (Latin and Cyrillic)
    *[
        (YES_NO, word, "yes")
        for word in ["yes", "Y", "1", "TRUE", "ja", "J", "po", "Da", "да", "ДА"]
    ],
    *[(YES_NO, word, "no") for word in ["no", "n", "0", "False", "nein", "jo", "ne", "не", "Не"]],
    *[
        (SEX, word, "f")
        for word in ["f", "F", "female", "w", "W", "weiblich", "ž", "Ž", "z", "ženski", "zenski"]
    ],
    *[(SEX, word, "f") for word in ["Femër", "femer", "ж", "Ж", "женски"]],
    *[(SEX, word, "m") for word in ["m", "M", "male", "männlich", "mashkull", "muški", "м", "М"]],
    *[(SEX, word, "x") for word in ["x", "X", "divers"]],
    *[
        (RELATIONSHIP, word, word)
        for word in [
            "head",
            "spouse",
            "child",
            "parent",
            "sibling",
            "grandchild",
            "grandparent",
            "other_relative",
            "caregiver",
            "other",
        ]
    ],
    (RELATIONSHIP, "other relative", "other_relative"),
    (RELATIONSHIP, "Other-Relative", "other_relative"),
    (RELATIONSHIP, "  HEAD ", "head"),
    *[(TREATMENT_AVAILABILITY, word, "available") for word in ["available", "Available"]],
    *[(TREATMENT_AVAILABILITY, word, "rarely") for word in ["rarely", "rare", "rarely available"]],
    *[
        (TREATMENT_AVAILABILITY, word, "unavailable")
        for word in ["unavailable", "not available", "Not_Available", "none"]
    ],
    (SUPPORT_AVAILABILITY, "available", "available"),
    *[(SUPPORT_AVAILABILITY, word, "unavailable") for word in ["unavailable", "not available"]],
    *[
        (RETURN_TYPE, word, "forced")
        for word in [
            "forced",
            "Abschiebung",
            "zwangsweise",
            "erzwungen",
            "i detyruar",
            "detyruar",
            "prinudno",
            "prisilno",
            "deportation",
        ]
    ],
    *[
        (RETURN_TYPE, word, "voluntary")
        for word in [
            "voluntary",
            "Freiwillig",
            "vullnetar",
            "vullnetare",
            "dobrovoljno",
            "dobrovoljni",
        ]
    ],
    *[(TRANSPORT_MODE, word, "air") for word in ["air", "plane", "Flight"]],
    *[(TRANSPORT_MODE, word, "land") for word in ["land", "bus", "road"]],
]


@pytest.mark.parametrize(("vocabulary", "word", "value"), ACCEPTED)
def test_accepted_words_give_the_canonical_value(
    vocabulary: Vocabulary, word: str, value: str
) -> None:
    assert vocabulary.parse(word) == value
    assert vocabulary.parse(f"  {word}\t") == value


@pytest.mark.parametrize("vocabulary", ALL, ids=lambda v: v.name)
def test_blank_is_unknown(vocabulary: Vocabulary) -> None:
    assert vocabulary.parse("") is None
    assert vocabulary.parse("   ") is None


@pytest.mark.parametrize("vocabulary", ALL, ids=lambda v: v.name)
def test_every_canonical_value_parses_to_itself(vocabulary: Vocabulary) -> None:
    for value in vocabulary.canonical:
        assert vocabulary.parse(value) == value
        assert vocabulary.parse(value.upper()) == value


@pytest.mark.parametrize(
    ("vocabulary", "word"),
    [
        (YES_NO, "x"),
        (YES_NO, "oui"),
        (YES_NO, "non"),
        (YES_NO, "maybe"),
        (YES_NO, "2"),
        (SEX, "q"),
        (SEX, "unknown"),
        (RELATIONSHIP, "cousin twice removed"),
        (TREATMENT_AVAILABILITY, "sometimes"),
        (SUPPORT_AVAILABILITY, "rarely"),
        (RETURN_TYPE, "voluntarily-ish"),
        (TRANSPORT_MODE, "sea"),
    ],
)
def test_unknown_words_are_invalid(vocabulary: Vocabulary, word: str) -> None:
    assert vocabulary.parse(word) is INVALID


@pytest.mark.parametrize(
    ("vocabulary", "word", "best"),
    [
        (YES_NO, "yse", "yes"),
        (YES_NO, "nien", "no"),
        (SEX, "femal", "f"),
        (RELATIONSHIP, "sibbling", "sibling"),
        (RELATIONSHIP, "grandchld", "grandchild"),
        (TREATMENT_AVAILABILITY, "availble", "available"),
        (SUPPORT_AVAILABILITY, "unavailabel", "unavailable"),
        (RETURN_TYPE, "freiwilig", "voluntary"),
        (RETURN_TYPE, "forcd", "forced"),
        (TRANSPORT_MODE, "plain", "air"),
    ],
)
def test_closest_suggests_the_intended_value_first(
    vocabulary: Vocabulary, word: str, best: str
) -> None:
    assert vocabulary.parse(word) is INVALID
    suggestions = vocabulary.closest(word)
    assert suggestions[0] == best
    assert set(suggestions) <= set(vocabulary.canonical)


def test_closest_offers_the_whole_small_vocabulary_when_nothing_is_close() -> None:
    assert YES_NO.closest("x") == ["yes", "no"]
    assert RELATIONSHIP.closest("qqqq") == []
    assert len(RELATIONSHIP.closest("child", n=2)) <= 2


def test_invalid_is_a_singleton_sentinel() -> None:
    assert isinstance(INVALID, Invalid)
    assert repr(INVALID) == "INVALID"
    assert INVALID is Invalid.INVALID


def test_fold_removes_case_and_diacritics_but_keeps_cyrillic() -> None:
    assert fold(" Femër ") == "femer"
    assert fold("ŽENSKI") == "zenski"
    assert fold("Other_Relative") == "other relative"
    assert fold("Ж") == "ж"


def test_conflicting_synonyms_are_refused() -> None:
    with pytest.raises(ValueError, match="accepted for both"):
        Vocabulary("broken", {"a": ("x",), "b": ("X",)})


@pytest.mark.parametrize("vocabulary", ALL, ids=lambda v: v.name)
@given(text=st.text(max_size=20))
def test_parse_never_raises_and_returns_a_known_result(vocabulary: Vocabulary, text: str) -> None:
    result = vocabulary.parse(text)
    assert result is None or result is INVALID or result in vocabulary.canonical
    assert all(value in vocabulary.canonical for value in vocabulary.closest(text))
