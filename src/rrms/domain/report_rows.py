"""What the reports' aggregate queries answer: plain rows, no SQL.

The queries live in storage (`rrms.storage.queries.reports.ReportQueries`, handed out
by the unit of work as `uow.reports`); a report receives an object with the methods of
:class:`ReportSource` and folds the rows it returns. So the reports know nothing of
the database, and a test can build one from a stand-in that returns rows by hand.

Every count is an ``int`` (a group that sums nothing sums to 0, never ``None``), every
date a ``datetime.date``, whatever the backend's driver returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = [
    "AnsweredRequest",
    "CasesByDistrict",
    "CasesByTypeAndStatus",
    "CasesByYear",
    "CumulativeGroup",
    "HousingGroup",
    "MoneyGroup",
    "MoneyKind",
    "OpenRequests",
    "PeriodGroup",
    "ProgrammeInfo",
    "ProjectGroup",
    "ReportSource",
    "TopicGroup",
    "TrainingGroup",
]

MoneyKind = Literal["grant", "loan"]


@dataclass(frozen=True)
class ProgrammeInfo:
    """What the report needs to know of a programme: its code, name and confidentiality."""

    id: int
    code: str
    name: str
    confidential_unit: str | None


@dataclass(frozen=True)
class PeriodGroup:
    """Arrivals of the period sharing sending country, programme and destination."""

    sending_country: str
    programme_id: int | None
    municipality: str
    arrivals: int
    forced: int
    land: int
    secondary: int


@dataclass(frozen=True)
class CumulativeGroup:
    """Every arrival up to the period's end to one destination municipality."""

    municipality: str
    arrivals: int
    secondary: int
    first_arrival: dt.date


@dataclass(frozen=True)
class ProjectGroup:
    """Projects approved by the period's end sharing programme, sector, scope, the
    beneficiaries' community, the status on the last day and approval in the period."""

    programme_id: int
    sector: str
    scope: str
    beneficiary_community: str | None
    status_at_end: str
    in_period: bool
    projects: int
    direct: int
    indirect: int
    jobs_returnees: int
    jobs_residents: int


@dataclass(frozen=True)
class MoneyGroup:
    """Grants (or loans) of one programme in one currency: exact cents, how many projects."""

    programme_id: int
    currency: str | None
    in_period: bool
    cents: int
    projects: int


@dataclass(frozen=True)
class HousingGroup:
    """Houses of one programme with the same status on the period's last day."""

    programme_id: int
    status_at_end: str
    houses: int
    handed_over_in_period: int


@dataclass(frozen=True)
class TopicGroup:
    """Information requests of one programme received in the period on one topic."""

    programme_id: int
    topic: str
    requests: int


@dataclass(frozen=True)
class AnsweredRequest:
    """One information request answered in the period: when received, when answered."""

    programme_id: int
    received_on: dt.date
    answered_on: dt.date


@dataclass(frozen=True)
class OpenRequests:
    """Information requests of one programme still open at the period's end."""

    programme_id: int
    requests: int


@dataclass(frozen=True)
class TrainingGroup:
    """Trainings of one programme held by the period's end, in the period or before."""

    programme_id: int
    in_period: bool
    sessions: int
    participants: int


@dataclass(frozen=True)
class CasesByYear:
    """A confidential unit's cases opened in one year (up to the period's end)."""

    unit: str
    year: int
    cases: int


@dataclass(frozen=True)
class CasesByDistrict:
    """A confidential unit's cases opened in one district, as the district was written."""

    unit: str
    district: str | None
    cases: int


@dataclass(frozen=True)
class CasesByTypeAndStatus:
    """One unit's cases opened in the period with the same type and status."""

    case_type: str
    status: str
    cases: int


class ReportSource(Protocol):
    """The aggregate queries the reports are built from (`uow.reports`)."""

    def programmes(self) -> dict[int, ProgrammeInfo]:
        """Every programme by id (a few dozen rows)."""
        ...

    def arrivals_in_period(self, date_from: dt.date, date_to: dt.date) -> list[PeriodGroup]:
        """The period's arrivals by sending country, programme and destination."""
        ...

    def arrivals_to_date(self, date_to: dt.date) -> list[CumulativeGroup]:
        """Every arrival up to `date_to` by destination municipality."""
        ...

    def projects(self, date_from: dt.date, date_to: dt.date) -> list[ProjectGroup]:
        """Projects approved by `date_to`, grouped (see :class:`ProjectGroup`)."""
        ...

    def project_money(
        self, kind: MoneyKind, date_from: dt.date, date_to: dt.date
    ) -> list[MoneyGroup]:
        """Grants or loans of projects approved by `date_to`, per programme and currency."""
        ...

    def houses(self, date_from: dt.date, date_to: dt.date) -> list[HousingGroup]:
        """Houses by programme and status on `date_to`, with those handed over in the period."""
        ...

    def requests_received(self, date_from: dt.date, date_to: dt.date) -> list[TopicGroup]:
        """Information requests received in the period, by programme and topic."""
        ...

    def requests_answered(self, date_from: dt.date, date_to: dt.date) -> list[AnsweredRequest]:
        """Information requests answered in the period, one row each."""
        ...

    def requests_open(self, date_to: dt.date) -> list[OpenRequests]:
        """Information requests received by `date_to` and not answered by then."""
        ...

    def trainings(self, date_from: dt.date, date_to: dt.date) -> list[TrainingGroup]:
        """Trainings held by `date_to`, by programme, in the period or before."""
        ...

    def cases_by_year(self, date_to: dt.date) -> list[CasesByYear]:
        """Confidential cases opened by `date_to`, by unit and year."""
        ...

    def cases_by_district(self, date_from: dt.date, date_to: dt.date) -> list[CasesByDistrict]:
        """Confidential cases opened from `date_from` to `date_to`, by unit and district."""
        ...

    def unit_cases(
        self, unit: str, date_from: dt.date, date_to: dt.date
    ) -> list[CasesByTypeAndStatus]:
        """One unit's cases opened in the period, by type and status."""
        ...
