"""How two birth dates, each perhaps partial, agree: the rule record linkage weighs.

Lists write a birth date as precisely as the sending state knew it: "1980",
"05.1980", "12.05.1980". A year alone agrees with any date in that year; a month
with any day of it. Clerks also swap day and month (an American form read as a
European one: 05.12.1980 for 12.05.1980), and mistype one part. This module names
each of these agreements once, in the words a caseworker reads as evidence, and
orders them strongest first. Record linkage computes the same levels in SQL (see
`rrms.services.identity.model`); a test checks the two agree.
"""

from __future__ import annotations

import enum

from rrms.domain.partial_date import PartialDate

__all__ = ["DateAgreement", "agreement"]


class DateAgreement(enum.Enum):
    """How two birth dates agree, strongest first; the value is the evidence in words."""

    SAME = "same date"
    SWAPPED = "same year, day and month swapped"
    SAME_MONTH_PARTIAL = "same year and month, one date without the day"
    SAME_YEAR_PARTIAL = "same year, one date known only to the year"
    ONE_PART_DIFFERS = "one part of the date differs"
    NEAR_YEAR_PARTIAL = "birth year the same or one apart, one date partial"
    YEARS_APART = "born two or more years apart"
    DIFFERENT = "different"
    UNKNOWN = "unknown in one record"


def agreement(left: PartialDate | None, right: PartialDate | None) -> DateAgreement:
    """The strongest way in which two birth dates agree.

    ``ONE_PART_DIFFERS`` covers two full dates that share two of their three parts
    with the year not more than one apart (a mistyped day, month or year).
    ``YEARS_APART`` sets apart two dates whose years differ by two or more, however
    partial: a clerk mistypes a day or a month far more often than a person's records
    drift by years, while two namesakes are born years apart as often as not.
    """
    if left is None or right is None:
        return DateAgreement.UNKNOWN
    same_year = left.year == right.year
    full = left.day is not None and right.day is not None
    if full and same_year and left.month == right.month and left.day == right.day:
        return DateAgreement.SAME
    if (
        full
        and same_year
        and left.month == right.day
        and left.day == right.month
        and left.month != left.day
    ):
        return DateAgreement.SWAPPED
    if (
        same_year
        and left.month is not None
        and left.month == right.month
        and (left.day is None or right.day is None)
    ):
        return DateAgreement.SAME_MONTH_PARTIAL
    if same_year and (left.month is None or right.month is None):
        return DateAgreement.SAME_YEAR_PARTIAL
    if full and (
        (same_year and (left.month == right.month or left.day == right.day))
        or (abs(left.year - right.year) == 1 and (left.month, left.day) == (right.month, right.day))
    ):
        return DateAgreement.ONE_PART_DIFFERS
    partial = left.day is None or right.day is None
    if partial and abs(left.year - right.year) <= 1:
        return DateAgreement.NEAR_YEAR_PARTIAL
    if abs(left.year - right.year) >= 2:
        return DateAgreement.YEARS_APART
    return DateAgreement.DIFFERENT
