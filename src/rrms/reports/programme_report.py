"""Programme reports: what each reintegration programme achieved, read from the records.

The bulletin reports, per programme, projects by economic sector and status,
individual and community projects, direct and indirect beneficiaries, jobs held by
returnees and by residents, grants and loans, houses rebuilt, Return Information
Fund requests and trainings. Each figure here is one grouped query over its table
(SQLAlchemy Core, no service in between), folded per programme.

Dates decide what "to date" means, so that a report on a past quarter stays true
after the records move on: a project counts from its approval, its status is the one
it had on the last day of the period (completed if completed by then, ongoing if
started), and a house's status likewise. Where a record lacks the date, its stored
status is used.

Money is summed as integer cents in SQL (exact on SQLite, whose NUMERIC is a float)
and returned as `Decimal`, per currency; amounts are never converted.

Confidential units (counter-trafficking, medical) report their cases only by year
and by district to anyone outside the unit, and public reports keep to that level for
confidential programmes too (their trainings, which concern trainees, still show).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Integer, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from rrms.reference.communities import communities
from rrms.reference.places import gazetteer
from rrms.reports.disclosure import Breakdown, Cell, Mark, breakdown, is_small, protect_one
from rrms.reports.returns_report import ProgrammeInfo, read_programmes
from rrms.storage.tables import (
    ConfidentialCase,
    HousingReconstruction,
    InformationRequest,
    Project,
    Training,
)

__all__ = [
    "ConfidentialFigures",
    "MoneyLine",
    "ProgrammeReport",
    "ProgrammeSection",
    "RequestTurnaround",
    "programme_report",
]

PROJECT_STATUSES = ("approved", "ongoing", "completed")
PROJECT_SCOPES = ("individual", "community")
HOUSING_STATUSES = ("assessed", "under_reconstruction", "finished", "handed_over")
UNKNOWN = "unknown"
UNIT_TITLES = {"counter_trafficking": "Counter trafficking", "medical": "Migration health"}
CENTS = Decimal("0.01")


def _label(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _community_label(code: str) -> str:
    if code == UNKNOWN:
        return "Not recorded"
    try:
        return communities().get(code).name_en
    except KeyError:
        return _label(code)


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


# --- queries --------------------------------------------------------------------------


def _connection(bind: Session | Connection) -> Connection:
    return bind.connection() if isinstance(bind, Session) else bind


def _between(column: Any, date_from: dt.date, date_to: dt.date) -> ColumnElement[bool]:
    return and_(column >= date_from, column <= date_to)


def _flag_sum(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _cents(column: Any) -> Any:
    return func.sum(cast(func.round(column * 100), Integer))


def _project_status(date_to: dt.date) -> Any:
    p = Project.__table__.c
    return case(
        (p.completed_on <= date_to, literal("completed")),
        (and_(p.completed_on.is_(None), p.status == "completed"), literal("completed")),
        (p.started_on <= date_to, literal("ongoing")),
        (and_(p.started_on.is_(None), p.status == "ongoing"), literal("ongoing")),
        else_=literal("approved"),
    )


def _house_status(date_to: dt.date) -> Any:
    h = HousingReconstruction.__table__.c
    return case(
        (h.handed_over_on <= date_to, literal("handed_over")),
        (h.finished_on <= date_to, literal("finished")),
        (h.started_on <= date_to, literal("under_reconstruction")),
        (
            and_(h.handed_over_on.is_(None), h.finished_on.is_(None), h.started_on.is_(None)),
            h.status,
        ),
        else_=literal("assessed"),
    )


@dataclass
class _Tally:
    """Exact figures of one programme while the rows are folded."""

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
        return not (
            sum(self.by_status.values())
            or sum(self.houses.values())
            or sum(self.topics.values())
            or self.turnaround
            or self.requests_open
            or self.trainings_to_date
        )


def _add_money(target: dict[str, list[int]], currency: str | None, cents: Any, n: Any) -> None:
    if currency is None or not n:
        return
    entry = target.setdefault(currency, [0, 0])
    entry[0] += int(cents or 0)
    entry[1] += int(n)


def _read_projects(
    connection: Connection, tallies: dict[int, _Tally], date_from: dt.date, date_to: dt.date
) -> None:
    p = Project.__table__.c
    status = _project_status(date_to).label("status_at_end")
    in_period = case((_between(p.approved_on, date_from, date_to), 1), else_=0).label("in_period")
    query = (
        select(
            p.programme_id,
            p.sector,
            p.scope,
            p.beneficiary_community,
            status,
            in_period,
            func.count().label("n"),
            func.sum(p.direct_beneficiaries).label("direct"),
            func.sum(p.indirect_beneficiaries).label("indirect"),
            func.sum(p.jobs_returnees).label("jobs_returnees"),
            func.sum(p.jobs_residents).label("jobs_residents"),
        )
        .where(p.approved_on <= date_to)
        .group_by(p.programme_id, p.sector, p.scope, p.beneficiary_community, status, in_period)
    )
    for row in connection.execute(query):
        tally = tallies[row.programme_id]
        n = int(row.n)
        tally.by_status[row.status_at_end] += n
        tally.by_sector[row.sector] += n
        tally.by_scope[row.scope] += n
        tally.by_community[row.beneficiary_community or UNKNOWN] += int(row.direct or 0)
        tally.direct += int(row.direct or 0)
        tally.indirect += int(row.indirect or 0)
        tally.jobs_returnees += int(row.jobs_returnees or 0)
        tally.jobs_residents += int(row.jobs_residents or 0)
        if row.in_period:
            tally.approved_in_period += n
    for kind in ("grant", "loan"):
        amount = p[f"{kind}_amount"]
        currency = p[f"{kind}_currency"]
        money = (
            select(
                p.programme_id,
                currency.label("currency"),
                in_period,
                _cents(amount).label("cents"),
                func.count(amount).label("n"),
            )
            .where(and_(p.approved_on <= date_to, amount.is_not(None)))
            .group_by(p.programme_id, currency, in_period)
        )
        for row in connection.execute(money):
            tally = tallies[row.programme_id]
            everything = tally.grants if kind == "grant" else tally.loans
            period = tally.grants_in_period if kind == "grant" else tally.loans_in_period
            _add_money(everything, row.currency, row.cents, row.n)
            if row.in_period:
                _add_money(period, row.currency, row.cents, row.n)


def _read_housing(
    connection: Connection, tallies: dict[int, _Tally], date_from: dt.date, date_to: dt.date
) -> None:
    h = HousingReconstruction.__table__.c
    status = _house_status(date_to).label("status_at_end")
    query = select(
        h.programme_id,
        status,
        func.count().label("n"),
        _flag_sum(_between(h.handed_over_on, date_from, date_to)).label("handed"),
    ).group_by(h.programme_id, status)
    for row in connection.execute(query):
        tally = tallies[row.programme_id]
        tally.houses[row.status_at_end] += int(row.n)
        tally.handed_over_in_period += int(row.handed or 0)


def _read_requests(
    connection: Connection, tallies: dict[int, _Tally], date_from: dt.date, date_to: dt.date
) -> None:
    r = InformationRequest.__table__.c
    received = (
        select(r.programme_id, r.topic, func.count().label("n"))
        .where(_between(r.received_on, date_from, date_to), r.programme_id.is_not(None))
        .group_by(r.programme_id, r.topic)
    )
    for row in connection.execute(received):
        tallies[row.programme_id].topics[row.topic] += int(row.n)
    answered = select(r.programme_id, r.received_on, r.answered_on).where(
        _between(r.answered_on, date_from, date_to), r.programme_id.is_not(None)
    )
    for row in connection.execute(answered):
        days = (_day(row.answered_on) - _day(row.received_on)).days
        tallies[row.programme_id].turnaround.append(max(days, 0))
    still_open = (
        select(r.programme_id, func.count().label("n"))
        .where(
            r.received_on <= date_to,
            r.programme_id.is_not(None),
            or_(r.answered_on.is_(None), r.answered_on > date_to),
            r.status != "closed",
        )
        .group_by(r.programme_id)
    )
    for row in connection.execute(still_open):
        tallies[row.programme_id].requests_open += int(row.n)


def _read_trainings(
    connection: Connection, tallies: dict[int, _Tally], date_from: dt.date, date_to: dt.date
) -> None:
    t = Training.__table__.c
    in_period = case((_between(t.held_on, date_from, date_to), 1), else_=0).label("in_period")
    query = (
        select(
            t.programme_id,
            in_period,
            func.count().label("n"),
            func.sum(t.participants).label("participants"),
        )
        .where(t.held_on <= date_to, t.programme_id.is_not(None))
        .group_by(t.programme_id, in_period)
    )
    for row in connection.execute(query):
        tally = tallies[row.programme_id]
        tally.trainings_to_date += int(row.n)
        tally.participants_to_date += int(row.participants or 0)
        if row.in_period:
            tally.trainings_in_period += int(row.n)
            tally.participants_in_period += int(row.participants or 0)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- protection and assembly ------------------------------------------------------------


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


def _ranked(counter: Counter[str]) -> dict[str, int]:
    return {key: counter[key] for key in sorted(counter, key=lambda k: (-counter[k], k))}


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


def _section(info: ProgrammeInfo, tally: _Tally, public: bool) -> ProgrammeSection:
    restricted = public and info.confidential_unit is not None
    if restricted:
        trainings_only = _Tally(
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
            labels={s: _label(s) for s in PROJECT_STATUSES},
            ranked=False,
        ),
        projects_by_sector=breakdown(
            "by_sector",
            "Projects by economic sector",
            _ranked(tally.by_sector),
            public,
            labels={s: _label(s) for s in tally.by_sector},
        ),
        projects_by_scope=breakdown(
            "by_scope",
            "Individual and community projects",
            {scope: tally.by_scope[scope] for scope in PROJECT_SCOPES},
            public,
            labels={s: _label(s) for s in PROJECT_SCOPES},
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
            _ranked(tally.by_community),
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
            labels={s: _label(s) for s in HOUSING_STATUSES},
            ranked=False,
        ),
        houses_handed_over_in_period=protect_one(tally.handed_over_in_period, public),
        requests_in_period=sum(tally.topics.values()),
        requests_by_topic=breakdown(
            "by_topic",
            "Information requests received, by topic",
            _ranked(tally.topics),
            public,
            labels={t: _label(t) for t in tally.topics},
        ),
        turnaround=_turnaround(tally.turnaround, public),
        requests_open=protect_one(tally.requests_open, public),
        trainings_in_period=protect_one(tally.trainings_in_period, public),
        participants_in_period=protect_one(tally.participants_in_period, public),
        trainings_to_date=protect_one(tally.trainings_to_date, public),
        participants_to_date=protect_one(tally.participants_to_date, public),
    )


def _confidential(
    connection: Connection,
    date_from: dt.date,
    date_to: dt.date,
    public: bool,
    viewer_unit: str | None,
) -> tuple[ConfidentialFigures, ...]:
    c = ConfidentialCase.__table__.c
    places = gazetteer()
    district_codes = [d.code for d in places.districts]
    district_labels = {d.code: d.label for d in places.districts}
    district_labels[UNKNOWN] = "District not recorded"
    by_name = {}
    for d in places.districts:
        for name in (d.code, d.name_sq, d.name_sr):
            by_name[name.casefold()] = d.code
    year_expr: ColumnElement[Any] = func.extract("year", c.opened_on)
    if connection.dialect.name == "sqlite":
        year_expr = cast(func.strftime("%Y", c.opened_on), Integer)
    years = (
        select(c.unit, year_expr.label("year"), func.count().label("n"))
        .where(c.opened_on <= date_to)
        .group_by(c.unit, year_expr)
    )
    by_year: dict[str, Counter[str]] = defaultdict(Counter)
    for row in connection.execute(years):
        by_year[row.unit][str(int(row.year))] += int(row.n)
    year = date_to.year
    districts = (
        select(c.unit, c.district, func.count().label("n"))
        .where(c.opened_on >= dt.date(year, 1, 1), c.opened_on <= date_to)
        .group_by(c.unit, c.district)
    )
    by_district: dict[str, Counter[str]] = defaultdict(Counter)
    for row in connection.execute(districts):
        code = by_name.get((row.district or "").casefold(), UNKNOWN)
        by_district[row.unit][code] += int(row.n)
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
            detail = _unit_detail(connection, unit, date_from, date_to)
        result.append(
            ConfidentialFigures(
                unit=unit,
                title=UNIT_TITLES.get(unit, _label(unit)),
                year=year,
                by_year=year_breakdown,
                by_district=district_breakdown,
                detail=detail,
            )
        )
    return tuple(result)


def _unit_detail(
    connection: Connection, unit: str, date_from: dt.date, date_to: dt.date
) -> tuple[Breakdown, ...]:
    c = ConfidentialCase.__table__.c
    rows = connection.execute(
        select(c.case_type, c.status, func.count().label("n"))
        .where(c.unit == unit, _between(c.opened_on, date_from, date_to))
        .group_by(c.case_type, c.status)
    ).all()
    types: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for row in rows:
        types[row.case_type] += int(row.n)
        statuses[row.status] += int(row.n)
    return (
        breakdown(
            "cases_in_period_by_type",
            "Cases opened in the period, by type",
            _ranked(types),
            False,
            labels={t: _label(t) for t in types},
        ),
        breakdown(
            "cases_in_period_by_status",
            "Cases opened in the period, by status now",
            _ranked(statuses),
            False,
            labels={s: _label(s) for s in statuses},
        ),
    )


def programme_report(
    bind: Session | Connection,
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
    connection = _connection(bind)
    programmes = read_programmes(connection)
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    _read_projects(connection, tallies, date_from, date_to)
    _read_housing(connection, tallies, date_from, date_to)
    _read_requests(connection, tallies, date_from, date_to)
    _read_trainings(connection, tallies, date_from, date_to)
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
        confidential=_confidential(connection, date_from, date_to, public, viewer_unit),
    )


def _worth_showing(section: ProgrammeSection) -> bool:
    return (
        section.has_projects or section.has_housing or section.has_requests or section.has_trainings
    )
