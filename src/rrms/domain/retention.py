"""Retention: how long each kind of record keeps the personal data in it, and what is
left of a record once that time is over.

A record past its retention period is *anonymised*, not deleted: names, the father's
name, the day and month of birth, document numbers, settlements and free text are
removed; ids, references, municipality codes, years, dates of the steps the reports
count, statuses and amounts stay, so every report's figures stay the same. The
periods are data (`RetentionPeriods`), with the defaults of `DEFAULT_PERIODS`
(justified in docs/data-protection.md) and an installation's own in a TOML file.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_

__all__ = [
    "DEFAULT_PERIODS",
    "KINDS",
    "REMOVED",
    "RetentionPeriods",
    "anonymised_person",
    "is_due",
    "parse_periods",
]

REMOVED: Final[str] = "[removed]"
"""What a required text field holds once its content is removed."""

MAX_YEARS: Final[int] = 100


@dataclass(frozen=True)
class RetentionPeriods:
    """Years each kind of record keeps its personal data after the event that starts
    the period; None keeps it for ever."""

    persons: int | None = 10
    """After the person's last activity: a return, an assistance step, a decision, a
    closed case or correction request, or an edit of their record."""
    screening_decisions: int | None = 5
    """After the list is closed: the last decision of a list with none left undecided."""
    information_requests: int | None = 5
    """After the request was answered (answered or closed; an open one is kept)."""
    confidential_cases: int | None = 10
    """After the case is closed."""
    correction_requests: int | None = 5
    """After the request is closed (corrected or refused)."""
    audit_log: int | None = None
    """Never: the log is the evidence of who did what, and a hash chain."""

    def as_dict(self) -> dict[str, int | None]:
        """Kind -> years (None: kept for ever)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT_PERIODS: Final = RetentionPeriods()
KINDS: Final[tuple[str, ...]] = tuple(DEFAULT_PERIODS.as_dict())


def parse_periods(text: str, source: str = "the retention file") -> RetentionPeriods:
    """Read periods from TOML (`persons = 10`, `audit_log = "never"`), keys at the top
    level or under `[retention]`; unnamed kinds keep their defaults.

    `RuleBroken` names the kind (the field) that is unknown or not a number of years.
    """
    try:
        data: Mapping[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleBroken(
            N_("{source} is not TOML: {exc}", source=source, exc=exc), "retention"
        ) from None
    if isinstance(data.get("retention"), dict):
        data = data["retention"]
    values: dict[str, int | None] = {}
    for kind, value in data.items():
        if kind not in KINDS:
            raise RuleBroken(
                N_(
                    "{source} names an unknown kind {kind!r}; kinds: {kinds}",
                    source=source,
                    kind=kind,
                    kinds=", ".join(KINDS),
                ),
                kind,
            )
        if value == "never":
            values[kind] = None
        elif isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_YEARS:
            values[kind] = value
        else:
            raise RuleBroken(
                N_(
                    "{kind} in {source} must be a number of years from 1 to {max_years} or "
                    '"never", not {value!r}',
                    kind=kind,
                    source=source,
                    max_years=MAX_YEARS,
                    value=value,
                ),
                kind,
            )
    if values.get("audit_log") is not None:
        raise RuleBroken(
            N_('audit_log must be "never": the log is a hash chain that cannot lose entries'),
            "audit_log",
        )
    return RetentionPeriods(**{**DEFAULT_PERIODS.as_dict(), **values})


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def is_due(last: dt.date, years: int | None, today: dt.date) -> bool:
    """Whether a period of `years` that started on `last` is over on `today`."""
    return years is not None and _years_after(last, years) <= today


def anonymised_person(birth_year: int | None) -> dict[str, Any]:
    """A person's columns once anonymised: no name, no day of birth, no place below the
    municipality, nothing typed freely; the birth year and the municipality stay."""
    return {
        "family_name": REMOVED,
        "given_name": REMOVED,
        "father_name": None,
        "search_key": "",
        "sex": None,
        "community": None,
        "birth_date": str(birth_year) if birth_year is not None else None,
        "origin_settlement": None,
        "notes": None,
    }
