"""Partial and swapped birth dates: how two dates agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.domain.birth_dates import DateAgreement, agreement
from rrms.domain.partial_date import PartialDate

D = PartialDate.parse


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("1980-05-12", "12.05.1980", DateAgreement.SAME),
        ("1980-05-12", "1980-12-05", DateAgreement.SWAPPED),
        ("1980-05-12", "1980-05", DateAgreement.SAME_MONTH_PARTIAL),
        ("1980-05", "1980-05", DateAgreement.SAME_MONTH_PARTIAL),
        ("1980", "1980-05-12", DateAgreement.SAME_YEAR_PARTIAL),
        ("1980", "1980", DateAgreement.SAME_YEAR_PARTIAL),
        ("1980", "12.12.1980", DateAgreement.SAME_YEAR_PARTIAL),
        ("1980-05-12", "1980-05-13", DateAgreement.ONE_PART_DIFFERS),
        ("1980-05-12", "1980-06-12", DateAgreement.ONE_PART_DIFFERS),
        ("1980-05-12", "1981-05-12", DateAgreement.ONE_PART_DIFFERS),
        ("1980", "1981-02-03", DateAgreement.NEAR_YEAR_PARTIAL),
        ("1980-05", "1980-07-01", DateAgreement.NEAR_YEAR_PARTIAL),
        ("1980-05-12", "1980-07-03", DateAgreement.DIFFERENT),
        ("1980-05-12", "1981-07-03", DateAgreement.DIFFERENT),
        ("1980-05-12", "1983-05-12", DateAgreement.YEARS_APART),
        ("1980", "1982", DateAgreement.YEARS_APART),
        ("1980-05", "1978-05-12", DateAgreement.YEARS_APART),
    ],
)
def test_agreement(left: str, right: str, expected: DateAgreement) -> None:
    assert agreement(D(left), D(right)) is expected
    assert agreement(D(right), D(left)) is expected


def test_same_day_and_month_is_not_a_swap() -> None:
    assert agreement(D("1980-05-05"), D("1980-05-05")) is DateAgreement.SAME


def test_a_missing_date_is_unknown() -> None:
    assert agreement(None, D("1980")) is DateAgreement.UNKNOWN
    assert agreement(D("1980"), None) is DateAgreement.UNKNOWN


def test_the_words_are_evidence_a_caseworker_reads() -> None:
    assert DateAgreement.SWAPPED.value == "same year, day and month swapped"


dates = st.builds(
    lambda year, month, day, precision: PartialDate(
        year, month if precision > 0 else None, min(day, 28) if precision > 1 else None
    ),
    st.integers(1930, 2020),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)


@given(dates, dates)
def test_agreement_is_symmetric(left: PartialDate, right: PartialDate) -> None:
    assert agreement(left, right) is agreement(right, left)


@given(dates)
def test_a_date_agrees_with_itself_as_far_as_it_is_known(date: PartialDate) -> None:
    assert agreement(date, date) in {
        DateAgreement.SAME,
        DateAgreement.SAME_MONTH_PARTIAL,
        DateAgreement.SAME_YEAR_PARTIAL,
    }
