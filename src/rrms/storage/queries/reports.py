"""Aggregate queries behind the reports: one grouped query per question, SQLAlchemy Core.

The reports (`rrms.reports`) fold the rows these methods return; they never see SQL.
Each method is one statement, however many records there are, so a report costs a
handful of scans of its tables. Rows come back as the plain dataclasses of
`rrms.domain.report_rows`, with counts as ``int`` and dates as ``datetime.date``.

Dates decide what "to date" means, so that a report on a past quarter stays true after
the records move on: a project's status is the one it had on the period's last day
(completed if completed by then, ongoing if started), and a house's likewise; where a
record lacks the date, its stored status is used.

Money is summed as integer cents in SQL (exact on SQLite, whose NUMERIC is a float).
Statements run on the session's connection (Core, not the ORM's execution path), as
cheap as a hand-written statement (`benchmarks/reports.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Integer, and_, case, cast, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from rrms.domain.report_rows import (
    AnsweredRequest,
    CasesByDistrict,
    CasesByTypeAndStatus,
    CasesByYear,
    CumulativeGroup,
    HousingGroup,
    MoneyGroup,
    MoneyKind,
    OpenRequests,
    PeriodGroup,
    ProgrammeInfo,
    ProjectGroup,
    TopicGroup,
    TrainingGroup,
)
from rrms.storage.queries.base import Queries
from rrms.storage.tables import (
    ConfidentialCase,
    HousingReconstruction,
    InformationRequest,
    Programme,
    Project,
    Return,
    Training,
)


def _between(column: Any, date_from: dt.date, date_to: dt.date) -> ColumnElement[bool]:
    return and_(column >= date_from, column <= date_to)


def _flag_sum(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _cents(column: Any) -> Any:
    return func.sum(cast(func.round(column * 100), Integer))


def _day(value: Any) -> dt.date:
    """A date as the driver returned it (a date, a datetime or ISO text) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


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


class ReportQueries(Queries):
    """Aggregate queries behind the reports (the methods of
    `rrms.domain.report_rows.ReportSource`)."""

    def _connection(self) -> Connection:
        return self.session.connection()

    # --- programmes and arrivals ----------------------------------------------------------

    def programmes(self) -> dict[int, ProgrammeInfo]:
        """Every programme by id (a few dozen rows)."""
        table = Programme.__table__
        rows = self._connection().execute(
            select(table.c.id, table.c.code, table.c.name, table.c.confidential_unit)
        )
        return {
            row.id: ProgrammeInfo(row.id, row.code, row.name, row.confidential_unit) for row in rows
        }

    def arrivals_in_period(self, date_from: dt.date, date_to: dt.date) -> list[PeriodGroup]:
        """The period's arrivals by sending country, programme and destination, with
        conditional sums for return type, transport mode and secondary transport."""
        r = Return.__table__
        one = 1
        period = (
            select(
                r.c.sending_country,
                r.c.programme_id,
                r.c.destination_municipality,
                func.count().label("arrivals"),
                func.sum(case((r.c.return_type == "forced", one), else_=0)).label("forced"),
                func.sum(case((r.c.transport_mode == "land", one), else_=0)).label("land"),
                func.sum(case((r.c.secondary_transport.is_(True), one), else_=0)).label(
                    "secondary"
                ),
            )
            .where(and_(r.c.arrival_date >= date_from, r.c.arrival_date <= date_to))
            .group_by(r.c.sending_country, r.c.programme_id, r.c.destination_municipality)
        )
        return [
            PeriodGroup(
                sending_country=row.sending_country,
                programme_id=row.programme_id,
                municipality=row.destination_municipality,
                arrivals=int(row.arrivals),
                forced=int(row.forced or 0),
                land=int(row.land or 0),
                secondary=int(row.secondary or 0),
            )
            for row in self._connection().execute(period)
        ]

    def arrivals_to_date(self, date_to: dt.date) -> list[CumulativeGroup]:
        """Every arrival up to `date_to` by destination municipality, with the first."""
        r = Return.__table__
        one = 1
        cumulative = (
            select(
                r.c.destination_municipality,
                func.count().label("arrivals"),
                func.sum(case((r.c.secondary_transport.is_(True), one), else_=0)).label(
                    "secondary"
                ),
                func.min(r.c.arrival_date).label("first"),
            )
            .where(r.c.arrival_date <= date_to)
            .group_by(r.c.destination_municipality)
        )
        return [
            CumulativeGroup(
                municipality=row.destination_municipality,
                arrivals=int(row.arrivals),
                secondary=int(row.secondary or 0),
                first_arrival=_day(row.first),
            )
            for row in self._connection().execute(cumulative)
        ]

    # --- projects, houses, requests, trainings --------------------------------------------

    def projects(self, date_from: dt.date, date_to: dt.date) -> list[ProjectGroup]:
        """Projects approved by `date_to` by programme, sector, scope, community, status
        on `date_to` and approval in the period, with their beneficiaries and jobs."""
        p = Project.__table__.c
        status = _project_status(date_to).label("status_at_end")
        in_period = case((_between(p.approved_on, date_from, date_to), 1), else_=0).label(
            "in_period"
        )
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
        return [
            ProjectGroup(
                programme_id=row.programme_id,
                sector=row.sector,
                scope=row.scope,
                beneficiary_community=row.beneficiary_community,
                status_at_end=row.status_at_end,
                in_period=bool(row.in_period),
                projects=int(row.n),
                direct=int(row.direct or 0),
                indirect=int(row.indirect or 0),
                jobs_returnees=int(row.jobs_returnees or 0),
                jobs_residents=int(row.jobs_residents or 0),
            )
            for row in self._connection().execute(query)
        ]

    def project_money(
        self, kind: MoneyKind, date_from: dt.date, date_to: dt.date
    ) -> list[MoneyGroup]:
        """Grants or loans of projects approved by `date_to`, per programme, currency and
        approval in the period, summed as integer cents."""
        p = Project.__table__.c
        amount = p[f"{kind}_amount"]
        currency = p[f"{kind}_currency"]
        in_period = case((_between(p.approved_on, date_from, date_to), 1), else_=0).label(
            "in_period"
        )
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
        return [
            MoneyGroup(
                programme_id=row.programme_id,
                currency=row.currency,
                in_period=bool(row.in_period),
                cents=int(row.cents or 0),
                projects=int(row.n or 0),
            )
            for row in self._connection().execute(money)
        ]

    def houses(self, date_from: dt.date, date_to: dt.date) -> list[HousingGroup]:
        """Houses by programme and status on `date_to`, with those handed over in the period."""
        h = HousingReconstruction.__table__.c
        status = _house_status(date_to).label("status_at_end")
        query = select(
            h.programme_id,
            status,
            func.count().label("n"),
            _flag_sum(_between(h.handed_over_on, date_from, date_to)).label("handed"),
        ).group_by(h.programme_id, status)
        return [
            HousingGroup(
                programme_id=row.programme_id,
                status_at_end=row.status_at_end,
                houses=int(row.n),
                handed_over_in_period=int(row.handed or 0),
            )
            for row in self._connection().execute(query)
        ]

    def requests_received(self, date_from: dt.date, date_to: dt.date) -> list[TopicGroup]:
        """Information requests (of a programme) received in the period, by topic."""
        r = InformationRequest.__table__.c
        received = (
            select(r.programme_id, r.topic, func.count().label("n"))
            .where(_between(r.received_on, date_from, date_to), r.programme_id.is_not(None))
            .group_by(r.programme_id, r.topic)
        )
        return [
            TopicGroup(programme_id=row.programme_id, topic=row.topic, requests=int(row.n))
            for row in self._connection().execute(received)
        ]

    def requests_answered(self, date_from: dt.date, date_to: dt.date) -> list[AnsweredRequest]:
        """Information requests (of a programme) answered in the period, one row each."""
        r = InformationRequest.__table__.c
        answered = select(r.programme_id, r.received_on, r.answered_on).where(
            _between(r.answered_on, date_from, date_to), r.programme_id.is_not(None)
        )
        return [
            AnsweredRequest(
                programme_id=row.programme_id,
                received_on=_day(row.received_on),
                answered_on=_day(row.answered_on),
            )
            for row in self._connection().execute(answered)
        ]

    def requests_open(self, date_to: dt.date) -> list[OpenRequests]:
        """Information requests received by `date_to`, not answered by then, not closed."""
        r = InformationRequest.__table__.c
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
        return [
            OpenRequests(programme_id=row.programme_id, requests=int(row.n))
            for row in self._connection().execute(still_open)
        ]

    def trainings(self, date_from: dt.date, date_to: dt.date) -> list[TrainingGroup]:
        """Trainings (of a programme) held by `date_to`, in the period or before."""
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
        return [
            TrainingGroup(
                programme_id=row.programme_id,
                in_period=bool(row.in_period),
                sessions=int(row.n),
                participants=int(row.participants or 0),
            )
            for row in self._connection().execute(query)
        ]

    # --- confidential cases ----------------------------------------------------------------

    def cases_by_year(self, date_to: dt.date) -> list[CasesByYear]:
        """Confidential cases opened by `date_to`, by unit and year of opening."""
        c = ConfidentialCase.__table__.c
        connection = self._connection()
        year_expr: ColumnElement[Any] = func.extract("year", c.opened_on)
        if connection.dialect.name == "sqlite":
            year_expr = cast(func.strftime("%Y", c.opened_on), Integer)
        years = (
            select(c.unit, year_expr.label("year"), func.count().label("n"))
            .where(c.opened_on <= date_to)
            .group_by(c.unit, year_expr)
        )
        return [
            CasesByYear(unit=row.unit, year=int(row.year), cases=int(row.n))
            for row in connection.execute(years)
        ]

    def cases_by_district(self, date_from: dt.date, date_to: dt.date) -> list[CasesByDistrict]:
        """Confidential cases opened from `date_from` to `date_to`, by unit and district
        (as written on the case)."""
        c = ConfidentialCase.__table__.c
        districts = (
            select(c.unit, c.district, func.count().label("n"))
            .where(c.opened_on >= date_from, c.opened_on <= date_to)
            .group_by(c.unit, c.district)
        )
        return [
            CasesByDistrict(unit=row.unit, district=row.district, cases=int(row.n))
            for row in self._connection().execute(districts)
        ]

    def unit_cases(
        self, unit: str, date_from: dt.date, date_to: dt.date
    ) -> list[CasesByTypeAndStatus]:
        """One unit's cases opened in the period, by type and status (now)."""
        c = ConfidentialCase.__table__.c
        rows = self._connection().execute(
            select(c.case_type, c.status, func.count().label("n"))
            .where(c.unit == unit, _between(c.opened_on, date_from, date_to))
            .group_by(c.case_type, c.status)
        )
        return [
            CasesByTypeAndStatus(case_type=row.case_type, status=row.status, cases=int(row.n))
            for row in rows
        ]
