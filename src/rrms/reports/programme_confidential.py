"""The confidential units' figures: cases by year and by district, and (for the unit
itself) by type and status.

Confidential units (counter-trafficking, medical) report their cases only by year and
by district to anyone outside the unit, with small counts hidden as in a public
report; the district table covers the year of the figures' last day and is left out
when that year's count is hidden (its total would give it away). Only a user of the
unit, in an internal report, sees the unit's cases of the period by type and status.

Outside the unit (and in every public report) these figures must not be differenced:
anyone may ask for a report ending on any day, and two reports ending on consecutive
days would otherwise give the cases opened on that day. So, as the bulletin does, they
cover whole, closed calendar quarters only — cases opened up to the last day of the
last quarter ending on or before the period's end (`closed_quarter_end`), which the
report states — and are rounded to a multiple of 5 (`round_count`). Every report
ending in the same quarter shows the same figures, and any two figures differ by a
multiple of 5, never by 1 to 4. The unit sees its own cases exactly, to the period's
end, in an internal report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from rrms.domain.report_rows import ReportSource
from rrms.i18n import ENGLISH, N_
from rrms.reference.places import gazetteer
from rrms.reports.disclosure import ROUNDING_BASE, Breakdown, breakdown, closed_quarter_end
from rrms.reports.localise import district_title
from rrms.reports.programme_figures import UNKNOWN, code_label, ranked
from rrms.reports.programme_model import ConfidentialFigures

__all__ = ["UNIT_TITLES", "confidential_figures"]

UNIT_TITLES = {"counter_trafficking": N_("Counter trafficking"), "medical": N_("Migration health")}

_Counts = tuple[dict[str, Counter[str]], dict[str, Counter[str]]]


def confidential_figures(
    source: ReportSource,
    date_from: dt.date,
    date_to: dt.date,
    public: bool,
    viewer_unit: str | None,
) -> tuple[ConfidentialFigures, ...]:
    """Every unit's figures as `viewer_unit` (None: a user of no unit) may see them."""
    closed = closed_quarter_end(date_to)
    outside = _counts(source, closed)
    own = _counts(source, date_to) if not public and viewer_unit is not None else None
    units = set(outside[0]) | set(outside[1])
    if own is not None and viewer_unit is not None and own[0].get(viewer_unit):
        units.add(viewer_unit)
    result = []
    for unit in sorted(units):
        protected = public or viewer_unit != unit
        by_year, by_district = outside if protected or own is None else own
        result.append(
            _unit_figures(
                source,
                unit,
                (by_year.get(unit, Counter()), by_district.get(unit, Counter())),
                protected,
                closed if protected else date_to,
                (date_from, date_to) if not public and viewer_unit == unit else None,
            )
        )
    return tuple(result)


def _counts(source: ReportSource, last_day: dt.date) -> _Counts:
    """Cases opened up to `last_day` by unit and year, and in its year by unit and district."""
    by_name = {}
    for d in gazetteer().districts:
        for name in (d.code, d.name_sq, d.name_sr):
            by_name[name.casefold()] = d.code
    by_year: dict[str, Counter[str]] = defaultdict(Counter)
    for row in source.cases_by_year(last_day):
        by_year[row.unit][str(row.year)] += row.cases
    by_district: dict[str, Counter[str]] = defaultdict(Counter)
    for place in source.cases_by_district(dt.date(last_day.year, 1, 1), last_day):
        code = by_name.get((place.district or "").casefold(), UNKNOWN)
        by_district[place.unit][code] += place.cases
    return by_year, by_district


def _unit_figures(
    source: ReportSource,
    unit: str,
    counts: tuple[Counter[str], Counter[str]],
    protected: bool,
    last_day: dt.date,
    detail_period: tuple[dt.date, dt.date] | None,
) -> ConfidentialFigures:
    """One unit's figures up to `last_day`; `protected`: as anyone outside it may see
    them (small counts hidden, rounded); `detail_period`: with its cases by type and
    status (the unit's own internal report)."""
    years_counts, district_counts = counts
    places = gazetteer()
    district_labels = {d.code: d.label for d in places.districts}
    district_labels[UNKNOWN] = N_("District not recorded")
    year = last_day.year
    year_breakdown = breakdown(
        "cases_by_year",
        N_("Cases opened, by year"),
        {key: years_counts[key] for key in sorted(years_counts)},
        protected,
        ranked=False,
        rounded=protected,
    )
    keys = [d.code for d in places.districts]
    if district_counts.get(UNKNOWN):
        keys.append(UNKNOWN)
    district_breakdown: Breakdown | None = breakdown(
        "cases_by_district",
        district_title(year, last_day, ENGLISH),
        {key: district_counts.get(key, 0) for key in keys},
        protected,
        labels=district_labels,
        rounded=protected,
    )
    if year_breakdown.get(str(year)).suppressed:
        district_breakdown = None
    detail: tuple[Breakdown, ...] = ()
    if detail_period is not None:
        detail = _unit_detail(source, unit, *detail_period)
    return ConfidentialFigures(
        unit=unit,
        title=UNIT_TITLES.get(unit, code_label(unit)),
        year=year,
        by_year=year_breakdown,
        by_district=district_breakdown,
        detail=detail,
        last_day=last_day,
        rounded_to=ROUNDING_BASE if protected else None,
    )


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
            N_("Cases opened in the period, by type"),
            ranked(types),
            False,
            labels={t: code_label(t) for t in types},
        ),
        breakdown(
            "cases_in_period_by_status",
            N_("Cases opened in the period, by status now"),
            ranked(statuses),
            False,
            labels={s: code_label(s) for s in statuses},
        ),
    )
