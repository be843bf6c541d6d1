"""Report figures built by hand, without a database, for the rendering tests."""

from __future__ import annotations

import datetime as dt

from rrms.domain.report_rows import PeriodGroup, ProgrammeInfo
from rrms.reports.programme_model import ProgrammeReport
from rrms.reports.returns_model import ReturnsReport
from rrms.reports.returns_report import ReturnsFigures, build_returns_report

FROM = dt.date(2004, 8, 1)
TO = dt.date(2004, 10, 31)

PROGRAMMES = {
    1: ProgrammeInfo(1, "AVR", "Assisted Voluntary Returns", None),
    2: ProgrammeInfo(2, '=HYPERLINK("http://evil","SMR")', "+SUM(A1:A9)", None),
    3: ProgrammeInfo(3, "CT", "Counter Trafficking", "counter_trafficking"),
}


def avr_quarter(land: int = 31, small_country: int = 0) -> ReturnsFigures:
    """The bulletin's AVR quarter: 472 arrivals, 441 by plane, `land` by land."""
    groups = [
        PeriodGroup("DE", 1, "19", 310, 0, 0, 300),
        PeriodGroup("NL", 1, "25", 52, 0, 0, 50),
        PeriodGroup("GB", 1, "17", 46, 0, 0, 46),
        PeriodGroup("BE", 1, "02", 22, 0, 0, 22),
        PeriodGroup("HR", 1, "19", 16, 0, min(land, 16), 16),
        PeriodGroup("AT", 1, "20", 26, 0, land - min(land, 16), 26),
        PeriodGroup("CH", 3, "20", 2, 0, 0, 2),
        PeriodGroup("DE", 2, "19", 40, 40, 0, 0),
    ]
    if small_country:
        groups.append(PeriodGroup("LI", 2, "12", small_country, 0, 0, 0))
    return ReturnsFigures(
        period_from=FROM,
        period_to=TO,
        groups=tuple(groups),
        cumulative={"19": (70_590, 5_000), "25": (27_973, 2_000), "17": (24_594, 1_613),
                    "02": (16_709, 500), "20": (16_333, 300), "12": (16_146, 100),
                    "04": (15_394, 100)},
        first_arrival=dt.date(1999, 6, 12),
        programmes=PROGRAMMES,
    )  # fmt: skip


def returns(public: bool = False, **kwargs: int) -> ReturnsReport:
    return build_returns_report(avr_quarter(**kwargs), public)


def no_programmes(public: bool = False) -> ProgrammeReport:
    return ProgrammeReport(FROM, TO, public, ())
