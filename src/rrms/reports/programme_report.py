"""Programme reports: what each reintegration programme achieved, read from the records.

The bulletin reports, per programme, projects by economic sector and status,
individual and community projects, direct and indirect beneficiaries, jobs held by
returnees and by residents, grants and loans, houses rebuilt, Return Information
Fund requests and trainings. Each figure is one grouped query over its table
(`rrms.domain.report_rows.ReportSource`, in storage), folded per programme
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
from collections.abc import Mapping
from decimal import Decimal

from rrms.domain.report_rows import ProgrammeInfo, ReportSource
from rrms.i18n import N_
from rrms.reference.communities import communities
from rrms.reports.disclosure import Cell, breakdown, is_small, protect_one
from rrms.reports.programme_confidential import confidential_figures
from rrms.reports.programme_figures import (
    UNKNOWN,
    ProgrammeTally,
    code_label,
    ranked,
    tally_programmes,
)
from rrms.reports.programme_model import (
    MoneyLine,
    ProgrammeReport,
    ProgrammeSection,
    RequestTurnaround,
)

__all__ = ["programme_report"]

PROJECT_STATUSES = ("approved", "ongoing", "completed")
PROJECT_SCOPES = ("individual", "community")
HOUSING_STATUSES = ("assessed", "under_reconstruction", "finished", "handed_over")
CENTS = Decimal("0.01")


def _community_label(code: str) -> str:
    if code == UNKNOWN:
        return N_("Not recorded")
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
            N_("Projects by status at the end of the period"),
            {status: tally.by_status[status] for status in PROJECT_STATUSES},
            public,
            labels={s: code_label(s) for s in PROJECT_STATUSES},
            ranked=False,
        ),
        projects_by_sector=breakdown(
            "by_sector",
            N_("Projects by economic sector"),
            ranked(tally.by_sector),
            public,
            labels={s: code_label(s) for s in tally.by_sector},
        ),
        projects_by_scope=breakdown(
            "by_scope",
            N_("Individual and community projects"),
            {scope: tally.by_scope[scope] for scope in PROJECT_SCOPES},
            public,
            labels={s: code_label(s) for s in PROJECT_SCOPES},
            ranked=False,
        ),
        direct_beneficiaries=Cell(tally.direct),  # the total of beneficiaries_by_community
        indirect_beneficiaries=protect_one(tally.indirect, public),
        jobs=breakdown(
            "jobs",
            N_("Long-term jobs created, by who holds them"),
            jobs,
            public,
            labels={"returnees": N_("Held by returnees"), "residents": N_("Held by residents")},
            ranked=False,
        ),
        beneficiaries_by_community=breakdown(
            "beneficiaries_by_community",
            N_("Direct beneficiaries by community"),
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
            N_("Houses by status at the end of the period"),
            {status: tally.houses[status] for status in HOUSING_STATUSES},
            public,
            labels={s: code_label(s) for s in HOUSING_STATUSES},
            ranked=False,
        ),
        houses_handed_over_in_period=protect_one(tally.handed_over_in_period, public),
        requests_in_period=sum(tally.topics.values()),
        requests_by_topic=breakdown(
            "by_topic",
            N_("Information requests received, by topic"),
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
