"""Programme reports: what each reintegration programme achieved, read from the records.

The bulletin reports, per programme, projects by economic sector and status,
individual and community projects, direct and indirect beneficiaries, jobs held by
returnees and by residents, grants and loans, houses rebuilt, Return Information
Fund requests and trainings. Each figure is one grouped query over its table
(`rrms.reports.rows.ReportSource`, in storage), folded per programme
(`programme_figures`); here the exact figures are protected and assembled into a
:class:`~rrms.reports.programme_model.ProgrammeReport`.

Dates decide what "to date" means, so that a report on a past quarter stays true
after the records move on: a project counts from its approval, its status is the one
it had on the last day of the period (completed if completed by then, ongoing if
started), and a house's status likewise. Where a record lacks the date, its stored
status is used.

Money is summed as integer cents (exact on SQLite, whose NUMERIC is a float) and
returned as `Decimal`, per currency; amounts are never converted.

Confidential units (counter-trafficking, medical) report their cases only by year and
by district to anyone outside the unit (`programme_confidential`), and public reports
keep to that level for confidential programmes too (their trainings, which concern
trainees, still show).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rrms.reference.communities import communities
from rrms.reference.places import gazetteer
from rrms.reports.disclosure import Breakdown, Cell, Mark, breakdown, is_small, protect_one
from rrms.reports.rows import MoneyKind, ProgrammeInfo, ReportSource

__all__ = [
    "ConfidentialFigures",
    "MoneyLine",
    "ProgrammeReport",
    "ProgrammeSection",
    "RequestTurnaround",
    "programme_report",
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

    ``by_district`` covers the year of the period's end and is left out when that
    year's count is hidden (its total would give it away). ``detail`` (cases of the
    period by type and status) is filled only for the unit's own internal reports.
    """

    unit: str
    title: str
    year: int
    by_year: Breakdown
    by_district: Breakdown | None
    detail: tuple[Breakdown, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The unit's figures as JSON."""
        out: dict[str, Any] = {
            "unit": self.unit,
            "year": self.year,
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


# --- exact figures, folded from the queries' rows ------------------------------------


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


# --- confidential units ------------------------------------------------------------


UNIT_TITLES = {"counter_trafficking": "Counter trafficking", "medical": "Migration health"}


def confidential_figures(
    source: ReportSource,
    date_from: dt.date,
    date_to: dt.date,
    public: bool,
    viewer_unit: str | None,
) -> tuple[ConfidentialFigures, ...]:
    """Every unit's figures as `viewer_unit` (None: a user of no unit) may see them."""
    places = gazetteer()
    district_codes = [d.code for d in places.districts]
    district_labels = {d.code: d.label for d in places.districts}
    district_labels[UNKNOWN] = "District not recorded"
    by_name = {}
    for d in places.districts:
        for name in (d.code, d.name_sq, d.name_sr):
            by_name[name.casefold()] = d.code
    by_year: dict[str, Counter[str]] = defaultdict(Counter)
    for row in source.cases_by_year(date_to):
        by_year[row.unit][str(row.year)] += row.cases
    year = date_to.year
    by_district: dict[str, Counter[str]] = defaultdict(Counter)
    for place in source.cases_by_district(dt.date(year, 1, 1), date_to):
        code = by_name.get((place.district or "").casefold(), UNKNOWN)
        by_district[place.unit][code] += place.cases
    result = []
    for unit in sorted(set(by_year) | set(by_district)):
        years_counts = by_year[unit]
        year_breakdown = breakdown(
            "cases_by_year",
            "Cases opened, by year",
            {key: years_counts[key] for key in sorted(years_counts)},
            public or viewer_unit != unit,
            ranked=False,
        )
        district_counts = by_district[unit]
        keys = district_codes + ([UNKNOWN] if district_counts.get(UNKNOWN) else [])
        protected = public or viewer_unit != unit
        district_breakdown: Breakdown | None = breakdown(
            "cases_by_district",
            f"Cases opened in {year}, by district",
            {key: district_counts.get(key, 0) for key in keys},
            protected,
            labels=district_labels,
        )
        if year_breakdown.get(str(year)).suppressed:
            district_breakdown = None
        detail: tuple[Breakdown, ...] = ()
        if not public and viewer_unit == unit:
            detail = _unit_detail(source, unit, date_from, date_to)
        result.append(
            ConfidentialFigures(
                unit=unit,
                title=UNIT_TITLES.get(unit, code_label(unit)),
                year=year,
                by_year=year_breakdown,
                by_district=district_breakdown,
                detail=detail,
            )
        )
    return tuple(result)


def _unit_detail(
    source: ReportSource, unit: str, date_from: dt.date, date_to: dt.date
) -> tuple[Breakdown, ...]:
    types: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for row in source.unit_cases(unit, date_from, date_to):
        types[row.case_type] += row.cases
        statuses[row.status] += row.cases
    return (
        breakdown(
            "cases_in_period_by_type",
            "Cases opened in the period, by type",
            ranked(types),
            False,
            labels={t: code_label(t) for t in types},
        ),
        breakdown(
            "cases_in_period_by_status",
            "Cases opened in the period, by status now",
            ranked(statuses),
            False,
            labels={s: code_label(s) for s in statuses},
        ),
    )


# --- protection and assembly ------------------------------------------------------


PROJECT_STATUSES = ("approved", "ongoing", "completed")
PROJECT_SCOPES = ("individual", "community")
HOUSING_STATUSES = ("assessed", "under_reconstruction", "finished", "handed_over")
CENTS = Decimal("0.01")


def _community_label(code: str) -> str:
    if code == UNKNOWN:
        return "Not recorded"
    try:
        return communities().get(code).name_en
    except KeyError:
        return code_label(code)


def _money(lines: Mapping[str, list[int]], public: bool) -> tuple[MoneyLine, ...]:
    result = []
    for currency in sorted(lines):
        cents, n = lines[currency]
        hide = public and is_small(n)
        result.append(
            MoneyLine(
                currency=currency,
                amount=None if hide else (Decimal(cents) * CENTS).quantize(CENTS),
                projects=protect_one(n, public),
            )
        )
    return tuple(result)


def _turnaround(days: list[int], public: bool) -> RequestTurnaround:
    answered = protect_one(len(days), public)
    if not days or answered.suppressed:
        return RequestTurnaround(answered, None, None, None)
    return RequestTurnaround(
        answered=answered,
        median_days=float(statistics.median(days)),
        mean_days=round(statistics.fmean(days), 1),
        longest_days=max(days),
    )


def _section(info: ProgrammeInfo, tally: ProgrammeTally, public: bool) -> ProgrammeSection:
    restricted = public and info.confidential_unit is not None
    if restricted:
        trainings_only = ProgrammeTally(
            trainings_in_period=tally.trainings_in_period,
            participants_in_period=tally.participants_in_period,
            trainings_to_date=tally.trainings_to_date,
            participants_to_date=tally.participants_to_date,
        )
        tally = trainings_only
    jobs = {"returnees": tally.jobs_returnees, "residents": tally.jobs_residents}
    return ProgrammeSection(
        programme_id=info.id,
        code=info.code,
        name=info.name,
        confidential_unit=info.confidential_unit,
        restricted=restricted,
        projects_approved_in_period=protect_one(tally.approved_in_period, public),
        projects_total=sum(tally.by_status.values()),
        projects_by_status=breakdown(
            "by_status",
            "Projects by status at the end of the period",
            {status: tally.by_status[status] for status in PROJECT_STATUSES},
            public,
            labels={s: code_label(s) for s in PROJECT_STATUSES},
            ranked=False,
        ),
        projects_by_sector=breakdown(
            "by_sector",
            "Projects by economic sector",
            ranked(tally.by_sector),
            public,
            labels={s: code_label(s) for s in tally.by_sector},
        ),
        projects_by_scope=breakdown(
            "by_scope",
            "Individual and community projects",
            {scope: tally.by_scope[scope] for scope in PROJECT_SCOPES},
            public,
            labels={s: code_label(s) for s in PROJECT_SCOPES},
            ranked=False,
        ),
        direct_beneficiaries=Cell(tally.direct),  # the total of beneficiaries_by_community
        indirect_beneficiaries=protect_one(tally.indirect, public),
        jobs=breakdown(
            "jobs",
            "Long-term jobs created, by who holds them",
            jobs,
            public,
            labels={"returnees": "Held by returnees", "residents": "Held by residents"},
            ranked=False,
        ),
        beneficiaries_by_community=breakdown(
            "beneficiaries_by_community",
            "Direct beneficiaries by community",
            ranked(tally.by_community),
            public,
            labels={c: _community_label(c) for c in tally.by_community},
        ),
        grants=_money(tally.grants, public),
        loans=_money(tally.loans, public),
        grants_in_period=_money(tally.grants_in_period, public),
        loans_in_period=_money(tally.loans_in_period, public),
        houses_total=sum(tally.houses.values()),
        houses_by_status=breakdown(
            "by_status",
            "Houses by status at the end of the period",
            {status: tally.houses[status] for status in HOUSING_STATUSES},
            public,
            labels={s: code_label(s) for s in HOUSING_STATUSES},
            ranked=False,
        ),
        houses_handed_over_in_period=protect_one(tally.handed_over_in_period, public),
        requests_in_period=sum(tally.topics.values()),
        requests_by_topic=breakdown(
            "by_topic",
            "Information requests received, by topic",
            ranked(tally.topics),
            public,
            labels={t: code_label(t) for t in tally.topics},
        ),
        turnaround=_turnaround(tally.turnaround, public),
        requests_open=protect_one(tally.requests_open, public),
        trainings_in_period=protect_one(tally.trainings_in_period, public),
        participants_in_period=protect_one(tally.participants_in_period, public),
        trainings_to_date=protect_one(tally.trainings_to_date, public),
        participants_to_date=protect_one(tally.participants_to_date, public),
    )


def programme_report(
    source: ReportSource,
    date_from: dt.date,
    date_to: dt.date,
    public: bool,
    viewer_unit: str | None = None,
) -> ProgrammeReport:
    """Every programme's achievements for the period (and to its last day).

    ``viewer_unit`` is the confidential unit of the user the report is for: only that
    unit's cases are shown in detail, and only in an internal report.
    """
    if date_to < date_from:
        raise ValueError(f"the period ends ({date_to}) before it starts ({date_from})")
    programmes = source.programmes()
    tallies = tally_programmes(source, date_from, date_to)
    sections = tuple(
        _section(programmes[programme_id], tallies[programme_id], public)
        for programme_id in sorted(tallies)
        if programme_id in programmes and not tallies[programme_id].empty()
    )
    return ProgrammeReport(
        period_from=date_from,
        period_to=date_to,
        public=public,
        sections=tuple(s for s in sections if _worth_showing(s)),
        confidential=confidential_figures(source, date_from, date_to, public, viewer_unit),
    )


def _worth_showing(section: ProgrammeSection) -> bool:
    return (
        section.has_projects or section.has_housing or section.has_requests or section.has_trainings
    )
