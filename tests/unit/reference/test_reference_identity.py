"""A record's identity in comparable form: places, documents, blanks."""

from __future__ import annotations

import pytest

from rrms.domain.partial_date import PartialDate
from rrms.reference.identity import identity_fields, municipality_key, place_key


@pytest.mark.parametrize("name", ["Pejë", "Peja", "Peć", "Pec", "Пећ", "PEJE", "17"])
def test_a_municipality_in_any_spelling_is_its_kas_code(name: str) -> None:
    assert municipality_key(name) == place_key(name) == "17"


def test_a_place_outside_kosovo_is_kept_as_canonical_text() -> None:
    assert municipality_key("Stuttgart") is None
    assert place_key("Stuttgart") == "stutgart"
    assert place_key("  ") is None


def test_fields_of_a_record() -> None:
    fields = identity_fields(
        family_name="Krasniqi",
        given_name="Agim",
        father_name="Bajram",
        sex="m",
        birth_date=PartialDate(1980, 5),
        community="albanian",
        municipality="Peć",
        settlement="",
        document_number="P 123.456",
    )
    assert fields.family_spelling == "krasniqi"
    assert fields.family_canonical == "krasniCi"
    assert fields.family_key == "krsnc"
    assert fields.given_canonical == "agim"
    assert (fields.birth_year, fields.birth_month, fields.birth_day) == (1980, 5, None)
    assert fields.municipality == "17"
    assert fields.document_number == "P123456"
    assert fields.settlement is None


def test_blank_is_unknown_never_an_empty_value() -> None:
    fields = identity_fields()
    assert all(value is None for value in fields.as_row().values())


def test_a_birth_place_in_kosovo_stands_in_for_an_unknown_municipality() -> None:
    assert (
        identity_fields(birth_place="Ђаковица").municipality
        == identity_fields(municipality="Gjakovë").municipality
    )
    assert identity_fields(birth_place="Ђаковица", municipality="Peja").municipality == "17"


def test_a_known_settlement_is_named_alike_in_both_languages() -> None:
    albanian = identity_fields(municipality="Prishtinë", settlement="Graçanicë")
    serbian = identity_fields(municipality="Priština", settlement="Грачаница")
    assert albanian.settlement == serbian.settlement is not None
