"""Dates known only to the year or the month, as sending states often record birth dates.

A list may say a person was born "1944" or "03.1944". Padding that to 1944-01-01 would
invent a day and, at an age threshold, a wrong answer; so the date is kept as precise
as it was written and callers ask for the earliest or latest day it can stand for
(e.g. "certainly over 60" uses `latest()`, "possibly over 60" uses `earliest()`).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from rrms.domain.messages import N_

__all__ = ["MAX_YEAR", "MIN_YEAR", "PartialDate"]

#: Birth dates before this year are typing errors in a returns list, not data.
MIN_YEAR = 1850
#: Dates after this year are typing errors too (e.g. 20223 shortened wrongly).
MAX_YEAR = 2100

_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or MM.YYYY"

# ISO forms: 1944, 1944-03, 1944-03-07 (a one-digit month or day is tolerated).
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
# Central-European forms: 07.03.1944, 7.3.1944, 03.1944; Serbian usage adds a final dot.
_DOTTED = re.compile(r"(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})\.?", re.ASCII)


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day; never padded to a made-up day.

    Ordering is deliberately not defined: "1944" is neither before nor after
    "1944-06-01". Compare `earliest()` / `latest()` instead.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        """Refuse impossible dates at construction, so no invalid value can exist."""
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(
                N_(
                    "year {year} is outside {min_year}-{max_year}",
                    year=self.year,
                    min_year=MIN_YEAR,
                    max_year=MAX_YEAR,
                )
            )
        if self.month is None:
            if self.day is not None:
                raise ValueError(N_("a day without a month is not a date"))
            return
        if not 1 <= self.month <= 12:
            raise ValueError(N_("month {month} does not exist (months are 1-12)", month=self.month))
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                month_name = calendar.month_name[self.month]
                raise ValueError(
                    N_(
                        "day {day} does not exist: {month_name} {year} has {last} days",
                        day=self.day,
                        month_name=month_name,
                        year=self.year,
                        last=last,
                    )
                )

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read a date in one of the written forms sending states use.

        Accepts 'YYYY', 'YYYY-MM', 'YYYY-MM-DD', 'DD.MM.YYYY' (also 'D.M.YYYY', an
        optional final dot as in Serbian usage) and 'MM.YYYY', with surrounding
        spaces. Raises ValueError with a message fit for a person for anything else
        and for dates that do not exist ('31.02.1980', '1980-13').
        """
        stripped = text.strip()
        if not stripped:
            raise ValueError(N_("empty date"))
        day: str | None
        month: str | None
        if match := _ISO.fullmatch(stripped):
            year, month, day = match.group(1), match.group(2), match.group(3)
        elif match := _DOTTED.fullmatch(stripped):
            day, month, year = match.group(1), match.group(2), match.group(3)
        else:
            raise ValueError(
                N_("not a date: {stripped!r} (expected {forms})", stripped=stripped, forms=_FORMS)
            )
        try:
            return cls(int(year), _int_or_none(month), _int_or_none(day))
        except ValueError as exc:
            raise ValueError(
                N_("impossible date {stripped!r}: {exc}", stripped=stripped, exc=exc)
            ) from None

    def earliest(self) -> datetime.date:
        """Return the first day this date can stand for (1944 -> 1944-01-01)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> datetime.date:
        """Return the last day this date can stand for (1944-02 -> 1944-02-29)."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    def is_full(self) -> bool:
        """Tell whether the day is known, i.e. earliest() == latest()."""
        return self.day is not None

    def isoformat(self) -> str:
        """Write the date as precisely as it is known: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()


def _int_or_none(text: str | None) -> int | None:
    return None if text is None else int(text)
