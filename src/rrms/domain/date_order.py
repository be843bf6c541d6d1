"""Dates that must follow each other: requested before approved before paid.

A record's steps are dated (a project approved, started, completed); a later step
dated before an earlier one is a typing error, whichever step was typed last. Missing
dates are skipped: a step not reached yet has no date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_, Word

__all__ = ["check_dates_in_order"]


def _label(name: str) -> str:
    return name.replace("_", " ")


def check_dates_in_order(values: Mapping[str, Any], names: Sequence[str]) -> None:
    """Refuse dates that run backwards (e.g. finished before started), naming the later one.

    `names` lists the fields in the order their dates must follow; `RuleBroken` names the
    first field whose date is before an earlier field's.
    """
    previous: tuple[str, dt.date] | None = None
    for name in names:
        value = values.get(name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            raise RuleBroken(
                N_(
                    "{name} {date} is before {earlier} {earlier_date}",
                    name=Word(name, _label(name)),
                    date=value.isoformat(),
                    earlier=Word(previous[0], _label(previous[0])),
                    earlier_date=previous[1].isoformat(),
                ),
                name,
            )
        previous = (name, value)
