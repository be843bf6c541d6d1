"""What a programme report is: each programme's section, the confidential units' figures,
and their JSON (docs/reports.md).

Every figure here is already protected (a :class:`~rrms.reports.disclosure.Cell`
or :class:`~rrms.reports.disclosure.Breakdown`, hidden counts ``None``):
:func:`rrms.reports.programme_report.programme_report` builds them, and the renderers
(JSON here, HTML, PDF, charts, CSV, XLSX, the bulletin's sentences) only read them.
Money is an exact `Decimal` per currency, never converted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rrms.reports.disclosure import Breakdown, Cell, Mark

__all__ = [
    "ConfidentialFigures",
    "MoneyLine",
    "ProgrammeReport",
    "ProgrammeSection",
    "RequestTurnaround",
]


@dataclass(frozen=True)
class MoneyLine:
    """The grants (or loans) of one currency: the exact amount and how many projects."""

    currency: str
    amount: Decimal | None
    projects: Cell

    @property
    def text(self) -> str:
        """The amount as printed: '78,310.00 EUR', or the hidden mark."""
        if self.amount is None:
            return f"{Mark.PRIMARY.value} projects"
        return f"{self.amount:,.2f} {self.currency}"


@dataclass(frozen=True)
class RequestTurnaround:
    """How long answered information requests took, in days from receipt to answer."""

    answered: Cell
    median_days: float | None
    mean_days: float | None
    longest_days: int | None


@dataclass(frozen=True)
class ProgrammeSection:
    """One programme's achievements for the period and to its last day."""

    programme_id: int
    code: str
    name: str
    confidential_unit: str | None
    restricted: bool
    projects_approved_in_period: Cell
    projects_total: int
    projects_by_status: Breakdown
    projects_by_sector: Breakdown
    projects_by_scope: Breakdown
    direct_beneficiaries: Cell
    indirect_beneficiaries: Cell
    jobs: Breakdown
    beneficiaries_by_community: Breakdown
    grants: tuple[MoneyLine, ...]
    loans: tuple[MoneyLine, ...]
    grants_in_period: tuple[MoneyLine, ...]
    loans_in_period: tuple[MoneyLine, ...]
    houses_total: int
    houses_by_status: Breakdown
    houses_handed_over_in_period: Cell
    requests_in_period: int
    requests_by_topic: Breakdown
    turnaround: RequestTurnaround
    requests_open: Cell
    trainings_in_period: Cell
    participants_in_period: Cell
    trainings_to_date: Cell
    participants_to_date: Cell

    @property
    def has_projects(self) -> bool:
        """Whether the programme had any project by the end of the period."""
        return self.projects_total > 0

    @property
    def has_housing(self) -> bool:
        """Whether the programme rebuilds houses."""
        return self.houses_total > 0

    @property
    def has_requests(self) -> bool:
        """Whether the programme answered or received information requests."""
        return self.requests_in_period > 0 or not (
            self.turnaround.answered.value == 0 and self.requests_open.value == 0
        )

    @property
    def has_trainings(self) -> bool:
        """Whether the programme held trainings by the end of the period."""
        return self.trainings_to_date.value != 0

    def as_json(self) -> dict[str, Any]:
        """The section as JSON (hidden counts null, listed under "suppressed")."""
        out: dict[str, Any] = {"code": self.code, "name": self.name}
        if self.has_projects:
            out["projects"] = {
                "approved_in_period": self.projects_approved_in_period.value,
                "total": self.projects_total,
                "by_status": self.projects_by_status.as_dict(),
                "by_sector": self.projects_by_sector.as_dict(),
                "by_scope": self.projects_by_scope.as_dict(),
                "direct_beneficiaries": self.direct_beneficiaries.value,
                "indirect_beneficiaries": self.indirect_beneficiaries.value,
                "jobs": {"total": self.jobs.total, **self.jobs.as_dict()},
                "beneficiaries_by_community": self.beneficiaries_by_community.as_dict(),
                "grants": _money_json(self.grants),
                "loans": _money_json(self.loans),
                "grants_in_period": _money_json(self.grants_in_period),
                "loans_in_period": _money_json(self.loans_in_period),
            }
            _flag(
                out["projects"],
                {
                    "approved_in_period": self.projects_approved_in_period,
                    "direct_beneficiaries": self.direct_beneficiaries,
                    "indirect_beneficiaries": self.indirect_beneficiaries,
                },
                (
                    self.projects_by_status,
                    self.projects_by_sector,
                    self.projects_by_scope,
                    self.beneficiaries_by_community,
                ),
            )
        if self.has_housing:
            out["housing"] = {
                "total": self.houses_total,
                "by_status": self.houses_by_status.as_dict(),
                "handed_over_in_period": self.houses_handed_over_in_period.value,
            }
            _flag(
                out["housing"],
                {"handed_over_in_period": self.houses_handed_over_in_period},
                (self.houses_by_status,),
            )
        if self.has_requests:
            out["information_requests"] = {
                "received_in_period": self.requests_in_period,
                "by_topic": self.requests_by_topic.as_dict(),
                "answered_in_period": self.turnaround.answered.value,
                "turnaround_days": {
                    "median": self.turnaround.median_days,
                    "mean": self.turnaround.mean_days,
                    "longest": self.turnaround.longest_days,
                },
                "open_at_end": self.requests_open.value,
            }
            _flag(
                out["information_requests"],
                {
                    "answered_in_period": self.turnaround.answered,
                    "open_at_end": self.requests_open,
                },
                (self.requests_by_topic,),
            )
        if self.has_trainings:
            out["trainings"] = {
                "sessions_in_period": self.trainings_in_period.value,
                "participants_in_period": self.participants_in_period.value,
                "sessions_to_date": self.trainings_to_date.value,
                "participants_to_date": self.participants_to_date.value,
            }
            _flag(
                out["trainings"],
                {
                    "sessions_in_period": self.trainings_in_period,
                    "participants_in_period": self.participants_in_period,
                    "sessions_to_date": self.trainings_to_date,
                    "participants_to_date": self.participants_to_date,
                },
                (),
            )
        return out


def _money_json(lines: tuple[MoneyLine, ...]) -> dict[str, Any]:
    return {
        line.currency: {
            "amount": None if line.amount is None else str(line.amount),
            "projects": line.projects.value,
            **({"suppressed": True} if line.amount is None else {}),
        }
        for line in lines
    }


def _flag(target: dict[str, Any], cells: Mapping[str, Cell], items: tuple[Breakdown, ...]) -> None:
    hidden: dict[str, Any] = {name: True for name, cell in cells.items() if cell.suppressed}
    for item in items:
        keys = item.suppressed_keys()
        if keys:
            hidden[item.name] = keys
    if hidden:
        target["suppressed"] = hidden


@dataclass(frozen=True)
class ConfidentialFigures:
    """A confidential unit's cases at the level outsiders may see (year, district).

    The figures count cases opened up to ``last_day``: for anyone outside the unit, the
    last day of the last whole quarter ending on or before the period's end, with every
    figure rounded to a multiple of ``rounded_to`` (None: exact, the unit's own view).
    ``by_district`` covers the year of ``last_day`` and is left out when that year's
    count is hidden (its total would give it away). ``detail`` (cases of the period by
    type and status) is filled only for the unit's own internal reports.
    """

    unit: str
    title: str
    year: int
    by_year: Breakdown
    by_district: Breakdown | None
    last_day: dt.date
    detail: tuple[Breakdown, ...] = ()
    rounded_to: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The unit's figures as JSON."""
        out: dict[str, Any] = {
            "unit": self.unit,
            "year": self.year,
            "cases_to": self.last_day.isoformat(),
            "rounded_to": self.rounded_to,
            "cases_by_year": self.by_year.as_dict(),
            "cases_by_district": None if self.by_district is None else self.by_district.as_dict(),
        }
        for item in self.detail:
            out[item.name] = item.as_dict()
        _flag(out, {}, tuple(x for x in (self.by_year, self.by_district, *self.detail) if x))
        return out


@dataclass(frozen=True)
class ProgrammeReport:
    """Every programme's section, and the confidential units' figures, for a period."""

    period_from: dt.date
    period_to: dt.date
    public: bool
    sections: tuple[ProgrammeSection, ...]
    confidential: tuple[ConfidentialFigures, ...] = field(default=())

    def section(self, code: str) -> ProgrammeSection | None:
        """The section of one programme, if it had anything to report."""
        for section in self.sections:
            if section.code == code:
                return section
        return None

    def to_json(self) -> dict[str, Any]:
        """The report as one JSON object (docs/reports.md)."""
        return {
            "period": {"from": self.period_from.isoformat(), "to": self.period_to.isoformat()},
            "public": self.public,
            "programmes": [section.as_json() for section in self.sections],
            "confidential_units": [unit.as_json() for unit in self.confidential],
        }
