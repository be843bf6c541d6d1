"""The exact figures of every programme, folded from the aggregate queries' rows.

Each question (projects, grants, loans, houses, information requests, trainings) is
one grouped query (`rrms.domain.report_rows.ReportSource`); its rows are folded here into
one :class:`ProgrammeTally` per programme, still exact: disclosure control comes
after (`rrms.reports.programme_report`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rrms.domain.report_rows import MoneyKind, ReportSource

__all__ = ["UNKNOWN", "ProgrammeTally", "code_label", "ranked", "tally_programmes"]

UNKNOWN = "unknown"
"""The key of a category not recorded (a project's community, a case's district)."""


def code_label(code: str) -> str:
    """A code as a label: 'under_reconstruction' -> 'Under reconstruction'."""
    return code.replace("_", " ").capitalize()


def ranked(counter: Counter[str]) -> dict[str, int]:
    """The counts largest first, ties by key."""
    return {key: counter[key] for key in sorted(counter, key=lambda k: (-counter[k], k))}


@dataclass
class ProgrammeTally:
    """Exact figures of one programme while the rows are folded.

    Money is ``currency -> [cents, projects]``.
    """

    approved_in_period: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_sector: Counter[str] = field(default_factory=Counter)
    by_scope: Counter[str] = field(default_factory=Counter)
    by_community: Counter[str] = field(default_factory=Counter)
    direct: int = 0
    indirect: int = 0
    jobs_returnees: int = 0
    jobs_residents: int = 0
    grants: dict[str, list[int]] = field(default_factory=dict)
    loans: dict[str, list[int]] = field(default_factory=dict)
    grants_in_period: dict[str, list[int]] = field(default_factory=dict)
    loans_in_period: dict[str, list[int]] = field(default_factory=dict)
    houses: Counter[str] = field(default_factory=Counter)
    handed_over_in_period: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    turnaround: list[int] = field(default_factory=list)
    requests_open: int = 0
    trainings_in_period: int = 0
    participants_in_period: int = 0
    trainings_to_date: int = 0
    participants_to_date: int = 0

    def empty(self) -> bool:
        """Whether the programme has nothing to report."""
        return not (
            sum(self.by_status.values())
            or sum(self.houses.values())
            or sum(self.topics.values())
            or self.turnaround
            or self.requests_open
            or self.trainings_to_date
        )


def _add_money(target: dict[str, list[int]], currency: str | None, cents: int, n: int) -> None:
    if currency is None or not n:
        return
    entry = target.setdefault(currency, [0, 0])
    entry[0] += cents
    entry[1] += n


def _fold_projects(
    source: ReportSource, tallies: dict[int, ProgrammeTally], date_from: dt.date, date_to: dt.date
) -> None:
    for row in source.projects(date_from, date_to):
        tally = tallies[row.programme_id]
        n = row.projects
        tally.by_status[row.status_at_end] += n
        tally.by_sector[row.sector] += n
        tally.by_scope[row.scope] += n
        tally.by_community[row.beneficiary_community or UNKNOWN] += row.direct
        tally.direct += row.direct
        tally.indirect += row.indirect
        tally.jobs_returnees += row.jobs_returnees
        tally.jobs_residents += row.jobs_residents
        if row.in_period:
            tally.approved_in_period += n
    kinds: tuple[MoneyKind, ...] = ("grant", "loan")
    for kind in kinds:
        for money in source.project_money(kind, date_from, date_to):
            tally = tallies[money.programme_id]
            everything = tally.grants if kind == "grant" else tally.loans
            period = tally.grants_in_period if kind == "grant" else tally.loans_in_period
            _add_money(everything, money.currency, money.cents, money.projects)
            if money.in_period:
                _add_money(period, money.currency, money.cents, money.projects)


def _fold_housing(
    source: ReportSource, tallies: dict[int, ProgrammeTally], date_from: dt.date, date_to: dt.date
) -> None:
    for row in source.houses(date_from, date_to):
        tally = tallies[row.programme_id]
        tally.houses[row.status_at_end] += row.houses
        tally.handed_over_in_period += row.handed_over_in_period


def _fold_requests(
    source: ReportSource, tallies: dict[int, ProgrammeTally], date_from: dt.date, date_to: dt.date
) -> None:
    for received in source.requests_received(date_from, date_to):
        tallies[received.programme_id].topics[received.topic] += received.requests
    for answered in source.requests_answered(date_from, date_to):
        days = (answered.answered_on - answered.received_on).days
        tallies[answered.programme_id].turnaround.append(max(days, 0))
    for still_open in source.requests_open(date_to):
        tallies[still_open.programme_id].requests_open += still_open.requests


def _fold_trainings(
    source: ReportSource, tallies: dict[int, ProgrammeTally], date_from: dt.date, date_to: dt.date
) -> None:
    for row in source.trainings(date_from, date_to):
        tally = tallies[row.programme_id]
        tally.trainings_to_date += row.sessions
        tally.participants_to_date += row.participants
        if row.in_period:
            tally.trainings_in_period += row.sessions
            tally.participants_in_period += row.participants


def tally_programmes(
    source: ReportSource, date_from: dt.date, date_to: dt.date
) -> dict[int, ProgrammeTally]:
    """Every programme's exact figures for the period, by programme id (a programme
    with no row anywhere is absent)."""
    tallies: dict[int, ProgrammeTally] = defaultdict(ProgrammeTally)
    _fold_projects(source, tallies, date_from, date_to)
    _fold_housing(source, tallies, date_from, date_to)
    _fold_requests(source, tallies, date_from, date_to)
    _fold_trainings(source, tallies, date_from, date_to)
    return tallies
