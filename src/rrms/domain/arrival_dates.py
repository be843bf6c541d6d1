"""An arrival's dates: known to the day, never in the future, never before the departure.

The same rules hold for an arrival recorded on its own and for every row of an imported
register (`rrms.services.returns`), which words their refusals for the user; here they
are plain functions of dates, so that they can be tested without a database.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from rrms.domain.messages import N_
from rrms.domain.partial_date import PartialDate

__all__ = [
    "FULL_DATE_FORMS",
    "arrives_before_departure",
    "future_problem",
    "parse_full_date",
]

FULL_DATE_FORMS = ("YYYY-MM-DD", "DD.MM.YYYY")
"""The ways a full date may be written (a register's dates are one or the other)."""

Day = TypeVar("Day", dt.date, str)
"""A day as a date, or as ISO text (YYYY-MM-DD), which sorts in the order of the days."""


def parse_full_date(text: str) -> dt.date | None:
    """The day written in `text` ('YYYY-MM-DD' or 'DD.MM.YYYY'); None when it is blank.

    An arrival is recorded to the day, so a year, or a month of a year, is not enough.
    Raises `ValueError` saying what is wrong (not a date; a date with no day).
    """
    if not text.strip():
        return None
    partial = PartialDate.parse(text)
    if not partial.is_full():
        raise ValueError(N_("a full date is needed (day, month and year)"))
    return partial.earliest()


def future_problem(day: dt.date, today: dt.date) -> str | None:
    """Why `day` cannot be an arrival's date on `today` (it lies after it), or None."""
    if day > today:
        return f"the date is in the future (today is {today.isoformat()})"
    return None


def arrives_before_departure(arrival: Day | None, departure: Day | None) -> bool:
    """Whether an arrival is dated before its departure, which cannot be; a date not
    known (None) contradicts nothing. Both are dates, or both ISO text."""
    return arrival is not None and departure is not None and arrival < departure
