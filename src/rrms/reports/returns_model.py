"""What a returns report is: the protected breakdowns of arrivals, and the spec's JSON.

Every figure here is already protected (a :class:`~rrms.reports.disclosure.Cell` or
:class:`~rrms.reports.disclosure.Breakdown`, hidden counts ``None``):
:func:`rrms.reports.returns_report.build_returns_report` builds them, and every renderer
(JSON here, HTML, PDF, charts, CSV, XLSX, the bulletin's sentences) only reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rrms.reference.countries import countries
from rrms.reports.disclosure import Breakdown, Cell, Entry

__all__ = [
    "ProgrammeReturns",
    "ReturnsReport",
    "country_label",
    "share_pct",
]


def share_pct(part: int, whole: int) -> float:
    """`part` as a percentage of `whole`, rounded half up to one decimal (0.0 for 0/0)."""
    if whole == 0:
        return 0.0
    exact = Decimal(part) * 100 / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def country_label(code: str) -> str:
    """The English name of a sending country (the code itself if unknown)."""
    try:
        return countries().get(code).name_en
    except KeyError:
        return code


@dataclass(frozen=True)
class ProgrammeReturns:
    """One programme's arrivals of the period, for its bulletin sentence and chart."""

    programme_id: int
    code: str
    name: str
    total: Cell
    by_transport_mode: Breakdown
    by_sending_country: Breakdown
    by_return_type: Breakdown
    secondary_transport: Cell


@dataclass(frozen=True)
class ReturnsReport:
    """The returns report as it may be shown: public (small counts hidden) or internal."""

    period_from: dt.date
    period_to: dt.date
    public: bool
    total: int
    by_return_type: Breakdown
    by_transport_mode: Breakdown
    by_sending_country: Breakdown
    by_programme: Breakdown
    by_destination_region: Breakdown
    by_destination_municipality: Breakdown
    secondary_period: Cell
    secondary_cumulative: Cell
    cumulative_from: dt.date | None
    cumulative_total: int
    cumulative_by_region: Breakdown
    programmes: tuple[ProgrammeReturns, ...] = field(default=())

    def programme(self, code: str) -> ProgrammeReturns | None:
        """The detail of one programme, if the report may show it."""
        for detail in self.programmes:
            if detail.code == code:
                return detail
        return None

    def to_json(self) -> dict[str, Any]:
        """The spec's JSON object; hidden counts are null and flagged (docs/reports.md)."""
        returns: dict[str, Any] = {
            "total": self.total,
            "by_return_type": self.by_return_type.as_dict(),
            "by_transport_mode": self.by_transport_mode.as_dict(),
            "by_sending_country": self.by_sending_country.as_dict(),
            "by_programme": self.by_programme.as_dict(),
            "by_destination_region": [
                _place(e, "returns") for e in self.by_destination_region.entries
            ],
            "by_destination_municipality": [
                _place(e, "returns") for e in self.by_destination_municipality.entries
            ],
        }
        hidden = {
            item.name: item.suppressed_keys()
            for item in (
                self.by_return_type,
                self.by_transport_mode,
                self.by_sending_country,
                self.by_programme,
            )
            if item.suppressed_keys()
        }
        if hidden:
            returns["suppressed"] = hidden
        secondary: dict[str, Any] = {
            "period": self.secondary_period.value,
            "cumulative": self.secondary_cumulative.value,
        }
        hidden_secondary = [
            name
            for name, cell in (
                ("period", self.secondary_period),
                ("cumulative", self.secondary_cumulative),
            )
            if cell.suppressed
        ]
        if hidden_secondary:
            secondary["suppressed"] = hidden_secondary
        cumulative_regions = []
        for entry in self.cumulative_by_region.entries:
            item = _place(entry, "returns", share_pct=entry.share_pct)
            cumulative_regions.append(item)
        return {
            "period": {"from": self.period_from.isoformat(), "to": self.period_to.isoformat()},
            "returns": returns,
            "secondary_transport": secondary,
            "cumulative": {
                "from": self.cumulative_from.isoformat() if self.cumulative_from else None,
                "to": self.period_to.isoformat(),
                "total": self.cumulative_total,
                "by_destination_region": cumulative_regions,
            },
        }


def _place(entry: Entry, count_key: str, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": entry.key,
        "name_sq": entry.name_sq,
        "name_sr": entry.name_sr,
        count_key: entry.cell.value,
        **extra,
    }
    if entry.cell.suppressed:
        item["suppressed"] = True
    return item
