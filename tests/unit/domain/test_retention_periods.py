"""Retention periods: defaults, an installation's TOML file, when a period is over."""

from __future__ import annotations

import datetime as dt

import pytest

from rrms.domain.errors import RuleBroken
from rrms.domain.retention import (
    DEFAULT_PERIODS,
    KINDS,
    REMOVED,
    anonymised_person,
    is_due,
    parse_periods,
)


def test_the_documented_defaults() -> None:
    assert DEFAULT_PERIODS.as_dict() == {
        "persons": 10,
        "screening_decisions": 5,
        "information_requests": 5,
        "confidential_cases": 10,
        "correction_requests": 5,
        "audit_log": None,
    }


def test_a_file_overrides_some_kinds_and_keeps_the_rest() -> None:
    periods = parse_periods('[retention]\npersons = 7\nconfidential_cases = "never"\n')
    assert periods.persons == 7 and periods.confidential_cases is None
    assert periods.screening_decisions == DEFAULT_PERIODS.screening_decisions
    assert parse_periods("persons = 3").persons == 3


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("people = 3", "people"),
        ("persons = 0", "persons"),
        ("persons = -1", "persons"),
        ("persons = 2.5", "persons"),
        ("persons = true", "persons"),
        ('persons = "ten"', "persons"),
        ("persons = 101", "persons"),
        ("audit_log = 5", "audit_log"),
        ("persons = ", "retention"),
    ],
)
def test_a_bad_file_names_the_kind(text: str, field: str) -> None:
    with pytest.raises(RuleBroken) as refused:
        parse_periods(text)
    assert refused.value.field == field


def test_a_period_is_over_on_its_anniversary() -> None:
    assert not is_due(dt.date(2004, 6, 30), 10, dt.date(2014, 6, 29))
    assert is_due(dt.date(2004, 6, 30), 10, dt.date(2014, 6, 30))
    assert is_due(dt.date(2004, 2, 29), 1, dt.date(2005, 2, 28))
    assert not is_due(dt.date(1900, 1, 1), None, dt.date(2100, 1, 1)), "never"


def test_an_anonymised_person_keeps_only_the_birth_year() -> None:
    values = anonymised_person(1970)
    assert values["birth_date"] == "1970"
    assert values["family_name"] == values["given_name"] == REMOVED
    assert values["father_name"] is values["notes"] is values["origin_settlement"] is None
    assert "origin_municipality" not in values and "person_ref" not in values
    assert anonymised_person(None)["birth_date"] is None
    assert "audit_log" in KINDS
