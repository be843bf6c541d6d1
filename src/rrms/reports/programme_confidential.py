"""The confidential units' figures: cases by year and by district, and (for the unit
itself) by type and status.

Confidential units (counter-trafficking, medical) report their cases only by year and
by district to anyone outside the unit, with small counts hidden as in a public
report; the district table covers the year of the period's end and is left out when
that year's count is hidden (its total would give it away). Only a user of the unit,
in an internal report, sees the unit's cases of the period by type and status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from rrms.domain.report_rows import ReportSource
from rrms.reference.places import gazetteer
from rrms.reports.disclosure import Breakdown, breakdown
from rrms.reports.programme_figures import UNKNOWN, code_label, ranked
from rrms.reports.programme_model import ConfidentialFigures

__all__ = ["UNIT_TITLES", "confidential_figures"]

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
