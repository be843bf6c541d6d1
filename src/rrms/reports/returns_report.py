"""The returns report (docs/reports.md, "The returns report"), read from the records.

Donors read these figures in the quarterly bulletin, so they are computed from the
`returns` table, never typed in. Two aggregate queries (`rrms.domain.report_rows.ReportSource`,
in storage) do all the work, however many arrivals there are:

* the period: arrivals from ``from`` to ``to`` grouped by sending country, programme
  and destination municipality, with conditional sums for the binary dimensions
  (return type, transport mode, secondary transport);
* the cumulative: every arrival up to ``to`` grouped by destination municipality,
  with the first arrival on record.

Every breakdown of the spec is a margin of these few thousand groups, folded in
Python; districts come from municipalities through the gazetteer. The result,
:class:`ReturnsFigures`, holds exact counts; :func:`build_returns_report` turns it
into a :class:`~rrms.reports.returns_model.ReturnsReport` of protected cells (public
or internal), which every renderer (JSON, HTML, PDF, charts, CSV, XLSX, bulletin
sentences) reads.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from rrms.domain.report_rows import PeriodGroup, ProgrammeInfo, ReportSource
from rrms.i18n import N_
from rrms.reference.places import gazetteer
from rrms.reports.disclosure import Breakdown, Cell, Mark, breakdown, protect_one
from rrms.reports.returns_model import ProgrammeReturns, ReturnsReport, country_label, share_pct

__all__ = [
    "OTHER_PROGRAMME",
    "ReturnsFigures",
    "build_returns_report",
    "query_returns",
    "returns_report",
]

OTHER_PROGRAMME = "other"
"""The `by_programme` key of arrivals under no listed programme: none recorded, or (in a
public report) a programme whose figures are confidential (counter-trafficking, medical)."""

RETURN_TYPES = ("voluntary", "forced")
TRANSPORT_MODES = ("air", "land")
LABELS = {
    "voluntary": N_("Voluntary"),
    "forced": N_("Forced"),
    "air": N_("By plane"),
    "land": N_("By land"),
}


@dataclass(frozen=True)
class ReturnsFigures:
    """The exact aggregates behind a returns report (no disclosure control yet)."""

    period_from: dt.date
    period_to: dt.date
    groups: tuple[PeriodGroup, ...]
    cumulative: Mapping[str, tuple[int, int]]
    """Municipality code -> (arrivals up to `to`, of which with secondary transport)."""
    first_arrival: dt.date | None
    programmes: Mapping[int, ProgrammeInfo]

    @property
    def total(self) -> int:
        """Arrivals in the period."""
        return sum(group.arrivals for group in self.groups)


def query_returns(source: ReportSource, date_from: dt.date, date_to: dt.date) -> ReturnsFigures:
    """Run the report's two aggregate queries for arrivals from `date_from` to `date_to`."""
    if date_to < date_from:
        raise ValueError(f"the period ends ({date_to}) before it starts ({date_from})")
    groups = tuple(source.arrivals_in_period(date_from, date_to))
    cumulative: dict[str, tuple[int, int]] = {}
    first: dt.date | None = None
    for group in source.arrivals_to_date(date_to):
        cumulative[group.municipality] = (group.arrivals, group.secondary)
        day = group.first_arrival
        first = day if first is None or day < first else first
    return ReturnsFigures(
        period_from=date_from,
        period_to=date_to,
        groups=groups,
        cumulative=cumulative,
        first_arrival=first,
        programmes=source.programmes(),
    )


def _with_names(item: Breakdown, names: Mapping[str, tuple[str, str]]) -> Breakdown:
    entries = tuple(
        replace(entry, name_sq=names[entry.key][0], name_sr=names[entry.key][1])
        for entry in item.entries
    )
    return replace(item, entries=entries)


def _programme_key(info: ProgrammeInfo | None, public: bool) -> str:
    if info is None or (public and info.confidential_unit):
        return OTHER_PROGRAMME
    return info.code


def _ordered(counter: Counter[str], keys: Iterable[str]) -> dict[str, int]:
    return {key: counter.get(key, 0) for key in keys}


def _sorted_keys(counter: Counter[str]) -> list[str]:
    return sorted(counter, key=lambda key: (-counter[key], key))


def _arrival_breakdowns(
    total: int, forced: int, land: int, by_country: Counter[str], public: bool
) -> dict[str, Breakdown]:
    """The breakdowns a period's arrivals have, whether all of them or one programme's:
    by return type, by transport mode, by sending country (largest first)."""
    return {
        "by_return_type": breakdown(
            "by_return_type",
            N_("Arrivals by return type"),
            {"voluntary": total - forced, "forced": forced},
            public,
            labels=LABELS,
            ranked=False,
        ),
        "by_transport_mode": breakdown(
            "by_transport_mode",
            N_("Arrivals by transport mode"),
            {"air": total - land, "land": land},
            public,
            labels=LABELS,
            ranked=False,
        ),
        "by_sending_country": breakdown(
            "by_sending_country",
            N_("Arrivals by sending country"),
            {key: by_country[key] for key in _sorted_keys(by_country)},
            public,
            labels={key: country_label(key) for key in by_country},
        ),
    }


def _programme_detail(
    info: ProgrammeInfo, groups: list[PeriodGroup], total_cell: Cell, public: bool
) -> ProgrammeReturns:
    countries_counter: Counter[str] = Counter()
    land = forced = secondary = 0
    for group in groups:
        countries_counter[group.sending_country] += group.arrivals
        land += group.land
        forced += group.forced
        secondary += group.secondary
    total = sum(countries_counter.values())
    return ProgrammeReturns(
        programme_id=info.id,
        code=info.code,
        name=info.name,
        total=total_cell,
        **_arrival_breakdowns(total, forced, land, countries_counter, public),
        secondary_transport=protect_one(secondary, public),
    )


def build_returns_report(figures: ReturnsFigures, public: bool) -> ReturnsReport:
    """Fold the aggregates into the spec's breakdowns and protect them if `public`."""
    places = gazetteer()
    districts = places.districts
    municipalities = places.municipalities
    district_of = {m.kas_code: places.district_of(m).code for m in municipalities}
    municipality_names = {m.kas_code: (m.name_sq, m.name_sr) for m in municipalities}
    district_names = {d.code: (d.name_sq, d.name_sr) for d in districts}

    total = figures.total
    forced = sum(g.forced for g in figures.groups)
    land = sum(g.land for g in figures.groups)
    by_country: Counter[str] = Counter()
    by_programme: Counter[str] = Counter()
    by_municipality: Counter[str] = Counter()
    by_programme_id: dict[int, list[PeriodGroup]] = {}
    for group in figures.groups:
        by_country[group.sending_country] += group.arrivals
        info = figures.programmes.get(group.programme_id) if group.programme_id else None
        by_programme[_programme_key(info, public)] += group.arrivals
        by_municipality[group.municipality] += group.arrivals
        if info is not None and not (public and info.confidential_unit):
            by_programme_id.setdefault(info.id, []).append(group)
    by_district: Counter[str] = Counter()
    for code, count in by_municipality.items():
        by_district[district_of.get(code, "")] += count

    region_report = _with_names(
        breakdown(
            "by_destination_region",
            N_("Arrivals by destination district"),
            _ordered(by_district, (d.code for d in districts)),
            public,
            labels={d.code: d.label for d in districts},
        ),
        district_names,
    )
    municipality_report = _with_names(
        breakdown(
            "by_destination_municipality",
            N_("Arrivals by destination municipality"),
            _ordered(by_municipality, (m.kas_code for m in municipalities)),
            public,
            labels={m.kas_code: m.label for m in municipalities},
            groups=district_of,
        ),
        municipality_names,
    )
    municipality_report = _hide_within_hidden_districts(
        municipality_report, region_report, district_of
    )

    programme_report = breakdown(
        "by_programme",
        N_("Arrivals by programme"),
        {key: by_programme[key] for key in _sorted_keys(by_programme)},
        public,
        labels={
            **{info.code: info.name for info in figures.programmes.values()},
            OTHER_PROGRAMME: N_("Other or no programme"),
        },
    )
    details = []
    for programme_id, groups in sorted(by_programme_id.items()):
        info = figures.programmes[programme_id]
        cell = programme_report.get(info.code)
        if cell.suppressed:
            continue  # its detail would give its hidden total away
        details.append(_programme_detail(info, groups, cell, public))

    cumulative_municipality: Counter[str] = Counter()
    secondary_cumulative = 0
    for code, (arrivals, secondary) in figures.cumulative.items():
        cumulative_municipality[district_of.get(code, "")] += arrivals
        secondary_cumulative += secondary
    cumulative_total = sum(cumulative_municipality.values())
    cumulative_regions = _with_names(
        breakdown(
            "by_destination_region",
            N_("Arrivals since the first record, by destination district"),
            _ordered(cumulative_municipality, (d.code for d in districts)),
            public,
            labels={d.code: d.label for d in districts},
        ),
        district_names,
    )
    cumulative_regions = replace(
        cumulative_regions,
        entries=tuple(
            replace(
                entry,
                share_pct=None
                if entry.cell.suppressed
                else share_pct(entry.cell.amount, cumulative_total),
            )
            for entry in cumulative_regions.entries
        ),
    )
    return ReturnsReport(
        period_from=figures.period_from,
        period_to=figures.period_to,
        public=public,
        total=total,
        **_arrival_breakdowns(total, forced, land, by_country, public),
        by_programme=programme_report,
        by_destination_region=region_report,
        by_destination_municipality=municipality_report,
        secondary_period=protect_one(sum(g.secondary for g in figures.groups), public),
        secondary_cumulative=protect_one(secondary_cumulative, public),
        cumulative_from=figures.first_arrival,
        cumulative_total=cumulative_total,
        cumulative_by_region=cumulative_regions,
        programmes=tuple(details),
    )


def _hide_within_hidden_districts(
    municipalities: Breakdown, regions: Breakdown, district_of: Mapping[str, str]
) -> Breakdown:
    """Hide every municipality of a hidden district: their sum would reveal it."""
    hidden = set(regions.suppressed_keys())
    if not hidden:
        return municipalities
    entries = []
    for entry in municipalities.entries:
        if district_of.get(entry.key) in hidden and not entry.cell.suppressed:
            entry = replace(entry, cell=Cell(None, Mark.SECONDARY))
        entries.append(entry)
    visible = [e for e in entries if not e.cell.suppressed]
    hidden_entries = sorted((e for e in entries if e.cell.suppressed), key=lambda e: e.key)
    return replace(municipalities, entries=tuple(visible + hidden_entries))


def returns_report(
    source: ReportSource, date_from: dt.date, date_to: dt.date, public: bool
) -> ReturnsReport:
    """Query and build the returns report in one call."""
    return build_returns_report(query_returns(source, date_from, date_to), public)
