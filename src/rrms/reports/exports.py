"""Reports as CSV and XLSX tables with an HXL hashtag row, safe to open in a spreadsheet.

Partners (OCHA, UNHCR, donors' statisticians) load these tables into their own
tools; the second row carries HXL hashtags (https://hxlstandard.org) so that a
tool can tell a destination municipality's code from a sending country's without
reading our column names.

The tables are "long": one row per figure, with the dimension it breaks down in its
own column and the others left blank, so one table holds every breakdown of a
report. A hidden count is written as its mark (``<5`` or ``x``) with ``yes`` in the
``suppressed`` column.

In Albanian or Serbian the first row (the header people read) is in that language,
and name columns hold the names in it (a sending country's, a unit's); the HXL row and
the data stay machine-readable in every language: codes (``by_return_type``,
``voluntary``), ISO dates and plain numbers (real numeric cells in XLSX), so that a
partner's script reads every language's file alike. In English the header keeps the
column codes it has always had.

No cell can be evaluated as a formula: every text cell passes through
:func:`rrms.formats.safe_cells.neutralise_formula` (sector names, topics and
programme names come from users), and XLSX text cells are written with data type
``s`` so that no spreadsheet parses them (control characters XLSX cannot store are
dropped first). Money is written from `Decimal`, never a float.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TextIO

from rrms.formats.safe_cells import neutralise_formula, xml_safe
from rrms.i18n import ENGLISH, N_, Language
from rrms.reports.disclosure import Breakdown, Cell, Entry
from rrms.reports.localise import localise
from rrms.reports.programme_model import MoneyLine, ProgrammeReport, ProgrammeSection
from rrms.reports.returns_model import ReturnsReport

__all__ = [
    "Column",
    "ExportTable",
    "programme_table",
    "returns_table",
    "write_csv",
    "write_xlsx",
]

Value = str | int | float | Decimal | None


@dataclass(frozen=True)
class Column:
    """A column: its header and its HXL hashtag."""

    header: str
    hxl: str


@dataclass
class ExportTable:
    """A report as one long table: columns, and rows keyed by column header.

    `stream` holds further rows already in column order, read once as they are written:
    a list of 100,000 records is exported without being held in memory. The HXL row is
    written when at least one column has a hashtag (a column without one is left blank
    in it, as HXL allows).
    """

    name: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Value]] = field(default_factory=list)
    language: Language = ENGLISH
    """The language of the header row (English: the column codes)."""
    stream: Iterable[Sequence[Value]] = ()

    @property
    def has_hxl(self) -> bool:
        """Whether the table carries an HXL hashtag row under its header."""
        return any(c.hxl for c in self.columns)

    def add(self, *parts: Mapping[str, Value], **values: Value) -> None:
        """Append a row made of `parts` and `values`, later ones filling the same column
        (a hidden count and a hidden amount both say ``suppressed: yes``); unknown
        column names are a programming error."""
        row: dict[str, Value] = {}
        for part in (*parts, values):
            row.update(part)
        unknown = set(row) - {c.header for c in self.columns}
        if unknown:
            raise KeyError(f"no such column: {sorted(unknown)}")
        self.rows.append(row)

    def cells(self) -> Iterable[list[Value]]:
        """Header row, HXL row, then every data row, in column order."""
        yield [header_text(c.header, self.language) for c in self.columns]
        if self.has_hxl:
            yield [c.hxl for c in self.columns]
        for row in self.rows:
            yield [row.get(c.header) for c in self.columns]
        for values in self.stream:
            yield list(values)


RETURNS_COLUMNS = (
    Column("period_from", "#date+start"),
    Column("period_to", "#date+end"),
    Column("figure", "#meta+figure"),
    Column("return_type", "#status+return_type"),
    Column("transport_mode", "#meta+transport"),
    Column("sending_country", "#country+code+asylum"),
    Column("sending_country_name", "#country+name+asylum"),
    Column("programme", "#activity+code"),
    Column("district_code", "#adm1+code+dest"),
    Column("district_name_sq", "#adm1+name+dest"),
    Column("district_name_sr", "#adm1+name+dest+i_sr"),
    Column("municipality_code", "#adm2+code+dest"),
    Column("municipality_name_sq", "#adm2+name+dest"),
    Column("municipality_name_sr", "#adm2+name+dest+i_sr"),
    Column("returnees", "#reached+returnees"),
    Column("share_pct", "#indicator+share_pct"),
    Column("suppressed", "#meta+suppressed"),
)

PROGRAMME_COLUMNS = (
    Column("period_from", "#date+start"),
    Column("period_to", "#date+end"),
    Column("programme", "#activity+code"),
    Column("programme_name", "#activity+name"),
    Column("figure", "#meta+figure"),
    Column("sector", "#sector"),
    Column("category", "#meta+category"),
    Column("district_code", "#adm1+code"),
    Column("number", "#indicator+num"),
    Column("currency", "#currency"),
    Column("value", "#value"),
    Column("suppressed", "#meta+suppressed"),
)


HEADERS: dict[str, str] = {
    "period_from": N_("Period from"),
    "period_to": N_("Period to"),
    "figure": N_("Figure"),
    "return_type": N_("Return type"),
    "transport_mode": N_("Transport"),
    "sending_country": N_("Sending country (code)"),
    "sending_country_name": N_("Sending country"),
    "programme": N_("Programme (code)"),
    "programme_name": N_("Programme"),
    "district_code": N_("District (code)"),
    "district_name_sq": N_("District (Albanian name)"),
    "district_name_sr": N_("District (Serbian name)"),
    "municipality_code": N_("Municipality (code)"),
    "municipality_name_sq": N_("Municipality (Albanian name)"),
    "municipality_name_sr": N_("Municipality (Serbian name)"),
    "returnees": N_("Returnees"),
    "share_pct": N_("Share (%%)"),
    "suppressed": N_("Hidden in the public version"),
    "sector": N_("Sector"),
    "category": N_("Category"),
    "number": N_("Number"),
    "currency": N_("Currency"),
    "value": N_("Amount"),
}
"""Each column code's header for people, as an English message of the catalogues."""


def header_text(code: str, language: Language) -> str:
    """A column's header in `language`: the code in English, the words otherwise."""
    if language.code == ENGLISH.code or code not in HEADERS:
        return code
    return language.gettext(HEADERS[code]) % {}  # "%%" is a percent sign


def _count(column: str, cell: Cell) -> dict[str, Value]:
    """A count in its column: the number, or the mark and ``suppressed: yes``."""
    if cell.suppressed:
        return {column: cell.text, "suppressed": "yes"}
    return {column: cell.value}


def returns_table(report: ReturnsReport, language: Language = ENGLISH) -> ExportTable:
    """Every figure of the returns report, one row each; the header and the name
    columns in `language`."""
    report = localise(report, language)
    table = ExportTable("returns", RETURNS_COLUMNS, language=language)
    period: dict[str, Value] = {
        "period_from": report.period_from.isoformat(),
        "period_to": report.period_to.isoformat(),
    }
    cumulative: dict[str, Value] = {
        "period_from": report.cumulative_from.isoformat() if report.cumulative_from else None,
        "period_to": report.period_to.isoformat(),
    }

    def add(figure: str, cell: Cell, dates: dict[str, Value] = period, /, **values: Value) -> None:
        table.add(dates, {"figure": figure}, _count("returnees", cell), values)

    add("total", Cell(report.total))
    for entry in report.by_return_type.entries:
        add("by_return_type", entry.cell, return_type=entry.key)
    for entry in report.by_transport_mode.entries:
        add("by_transport_mode", entry.cell, transport_mode=entry.key)
    for entry in report.by_sending_country.entries:
        add(
            "by_sending_country",
            entry.cell,
            sending_country=entry.key,
            sending_country_name=entry.label,
        )
    for entry in report.by_programme.entries:
        add("by_programme", entry.cell, programme=entry.key)
    for entry in report.by_destination_region.entries:
        add("by_destination_region", entry.cell, **_district(entry))
    for entry in report.by_destination_municipality.entries:
        add(
            "by_destination_municipality",
            entry.cell,
            municipality_code=entry.key,
            municipality_name_sq=entry.name_sq,
            municipality_name_sr=entry.name_sr,
        )
    add("secondary_transport", report.secondary_period)
    add("secondary_transport_cumulative", report.secondary_cumulative, cumulative)
    add("cumulative_total", Cell(report.cumulative_total), cumulative)
    for entry in report.cumulative_by_region.entries:
        add(
            "cumulative_by_destination_region",
            entry.cell,
            cumulative,
            share_pct=entry.share_pct if entry.share_pct is not None else entry.cell.text,
            **_district(entry),
        )
    return table


def _district(entry: Entry) -> dict[str, Value]:
    return {
        "district_code": entry.key,
        "district_name_sq": entry.name_sq,
        "district_name_sr": entry.name_sr,
    }


def _section_rows(table: ExportTable, period: dict[str, Value], section: ProgrammeSection) -> None:
    base = {**period, "programme": section.code, "programme_name": section.name}

    def add(figure: str, cell: Cell, **values: Value) -> None:
        table.add(base, {"figure": figure}, _count("number", cell), values)

    def add_breakdown(figure: str, item: Breakdown, column: str = "category") -> None:
        for entry in item.entries:
            add(figure, entry.cell, **{column: entry.key})

    def add_money(figure: str, lines: Sequence[MoneyLine]) -> None:
        for line in lines:
            hidden = line.amount is None
            add(
                figure,
                line.projects,
                currency=line.currency,
                value=line.amount,
                **({"suppressed": "yes"} if hidden else {}),
            )

    if section.has_projects:
        add("projects_total", Cell(section.projects_total))
        add("projects_approved_in_period", section.projects_approved_in_period)
        add_breakdown("projects_by_status", section.projects_by_status)
        add_breakdown("projects_by_sector", section.projects_by_sector, "sector")
        add_breakdown("projects_by_scope", section.projects_by_scope)
        add("direct_beneficiaries", section.direct_beneficiaries)
        add("indirect_beneficiaries", section.indirect_beneficiaries)
        add("jobs_total", Cell(section.jobs.total))
        add_breakdown("jobs", section.jobs)
        add_breakdown("beneficiaries_by_community", section.beneficiaries_by_community)
        add_money("grants_to_date", section.grants)
        add_money("loans_to_date", section.loans)
        add_money("grants_in_period", section.grants_in_period)
        add_money("loans_in_period", section.loans_in_period)
    if section.has_housing:
        add("houses_total", Cell(section.houses_total))
        add_breakdown("houses_by_status", section.houses_by_status)
        add("houses_handed_over_in_period", section.houses_handed_over_in_period)
    if section.has_requests:
        add("requests_received_in_period", Cell(section.requests_in_period))
        add_breakdown("requests_by_topic", section.requests_by_topic)
        add("requests_answered_in_period", section.turnaround.answered)
        turnaround = section.turnaround
        for name, days in (
            ("turnaround_median_days", turnaround.median_days),
            ("turnaround_mean_days", turnaround.mean_days),
            ("turnaround_longest_days", turnaround.longest_days),
        ):
            if days is not None:
                table.add(base, figure=name, number=days)
        add("requests_open_at_end", section.requests_open)
    if section.has_trainings:
        add("trainings_in_period", section.trainings_in_period)
        add("participants_in_period", section.participants_in_period)
        add("trainings_to_date", section.trainings_to_date)
        add("participants_to_date", section.participants_to_date)


def programme_table(report: ProgrammeReport, language: Language = ENGLISH) -> ExportTable:
    """Every figure of the programme report, one row each; the header and the units'
    names in `language`."""
    report = localise(report, language)
    table = ExportTable("programmes", PROGRAMME_COLUMNS, language=language)
    period: dict[str, Value] = {
        "period_from": report.period_from.isoformat(),
        "period_to": report.period_to.isoformat(),
    }
    for section in report.sections:
        _section_rows(table, period, section)
    for unit in report.confidential:
        # the units' figures count cases up to their own last day (a closed quarter's
        # end, outside the unit), which the rows say in period_to
        base = {
            **period,
            "period_to": unit.last_day.isoformat(),
            "programme": unit.unit,
            "programme_name": unit.title,
        }
        for entry in unit.by_year.entries:
            table.add(
                base, _count("number", entry.cell), figure="cases_by_year", category=entry.key
            )
        if unit.by_district is not None:
            for entry in unit.by_district.entries:
                table.add(
                    base,
                    _count("number", entry.cell),
                    figure=f"cases_{unit.year}_by_district",
                    district_code=entry.key,
                )
        for item in unit.detail:
            for entry in item.entries:
                table.add(base, _count("number", entry.cell), figure=item.name, category=entry.key)
    return table


def _safe_text(value: Value) -> Value:
    return neutralise_formula(value) if isinstance(value, str) else value


def write_csv(table: ExportTable, out: TextIO) -> None:
    """Write the table as UTF-8 CSV (header row, HXL row, data), formula-safe."""
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table.cells():
        writer.writerow(["" if v is None else _safe_text(v) for v in row])


def write_xlsx(tables: Sequence[ExportTable], target: str | Path | IO[bytes]) -> None:
    """Write one sheet per table; text cells are plain strings, never formulas.

    The workbook is written in openpyxl's write-only mode, row by row, so memory stays
    flat however long a table (or its `stream`) is."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet: Any = workbook.create_sheet(table.name[:31])
        sheet.freeze_panes = "A3" if table.has_hxl else "A2"
        for row in table.cells():
            cells: list[Any] = []
            for value in row:
                if value is None:
                    cells.append(None)
                elif isinstance(value, str):
                    # control characters XLSX cannot hold go first, so that none hides a
                    # leading '=' from the neutralising that follows
                    cell = WriteOnlyCell(sheet, value=neutralise_formula(xml_safe(value)))
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    workbook.save(target)
