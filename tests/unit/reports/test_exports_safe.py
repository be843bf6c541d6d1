"""CSV and XLSX exports: an HXL row, every figure, and never a cell a spreadsheet evaluates."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal

from figures import FROM, TO, returns
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from rrms.formats.safe_cells import is_formula_like
from rrms.reports.disclosure import Cell, Mark, breakdown
from rrms.reports.exports import (
    ExportTable,
    programme_table,
    returns_table,
    write_csv,
    write_xlsx,
)
from rrms.reports.programme_model import (
    MoneyLine,
    ProgrammeReport,
    ProgrammeSection,
    RequestTurnaround,
)

HOSTILE = ('=HYPERLINK("http://evil","x")', "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR")


def csv_rows(table: ExportTable) -> list[list[str]]:
    buffer = io.StringIO(newline="")
    write_csv(table, buffer)
    return list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))


def xlsx_cells(tables: list[ExportTable]) -> list:
    buffer = io.BytesIO()
    write_xlsx(tables, buffer)
    buffer.seek(0)
    workbook = load_workbook(buffer)
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_no_formula(table: ExportTable) -> None:
    for row in csv_rows(table):
        for value in row:
            assert not is_formula_like(value), value
    for cell in xlsx_cells([table]):
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert cell.data_type == "s"
            assert not is_formula_like(cell.value), cell.value


def test_returns_csv_has_the_hxl_row_and_every_figure():
    rows = csv_rows(returns_table(returns()))
    header, hxl = rows[0], rows[1]
    assert hxl[header.index("sending_country")] == "#country+code+asylum"
    assert hxl[header.index("district_name_sq")] == "#adm1+name+dest"
    assert hxl[header.index("municipality_code")] == "#adm2+code+dest"
    assert hxl[header.index("returnees")] == "#reached+returnees"
    assert hxl[header.index("period_from")].startswith("#date")
    data = [dict(zip(header, row, strict=True)) for row in rows[2:]]
    germany = next(
        r for r in data if r["figure"] == "by_sending_country" and r["sending_country"] == "DE"
    )
    assert germany["returnees"] == "350" and germany["sending_country_name"] == "Germany"
    total = next(r for r in data if r["figure"] == "total")
    assert total["returnees"] == "514" and total["period_from"] == FROM.isoformat()
    cumulative = [r for r in data if r["figure"] == "cumulative_by_destination_region"]
    assert {r["district_code"]: r["share_pct"] for r in cumulative}["PRI"] == "37.6"
    assert all(
        r["period_from"] == "1999-06-12" and r["period_to"] == TO.isoformat() for r in cumulative
    )


def test_public_export_writes_marks_and_flags():
    rows = csv_rows(returns_table(returns(public=True, small_country=3)))
    header = rows[0]
    data = [dict(zip(header, row, strict=True)) for row in rows[2:]]
    liechtenstein = next(r for r in data if r["sending_country"] == "LI")
    assert liechtenstein["returnees"] == "<5" and liechtenstein["suppressed"] == "yes"
    assert "3" not in {r["returnees"] for r in data if r["figure"] == "by_sending_country"}


def test_returns_export_with_hostile_programme_codes_has_no_formula():
    assert_no_formula(returns_table(returns()))


def section_with(label: str) -> ProgrammeSection:
    counts = breakdown("by_sector", "Sectors", {label: 7, "trade": 3}, public=False)
    empty = breakdown("x", "X", {}, public=False)
    return ProgrammeSection(
        programme_id=1, code=label, name=label, confidential_unit=None, restricted=False,
        projects_approved_in_period=Cell(2), projects_total=10,
        projects_by_status=breakdown("by_status", "S", {"approved": 10}, public=False),
        projects_by_sector=counts, projects_by_scope=counts,
        direct_beneficiaries=Cell(12), indirect_beneficiaries=Cell(30),
        jobs=breakdown("jobs", "J", {"returnees": 4, "residents": 6}, public=False),
        beneficiaries_by_community=breakdown("c", "C", {label: 12}, public=False),
        grants=(MoneyLine("EUR", Decimal("78310.00"), Cell(25)),), loans=(),
        grants_in_period=(), loans_in_period=(), houses_total=0, houses_by_status=empty,
        houses_handed_over_in_period=Cell(0), requests_in_period=2,
        requests_by_topic=breakdown("by_topic", "T", {label: 2}, public=False),
        turnaround=RequestTurnaround(Cell(2), 4.0, 4.5, 6), requests_open=Cell(0),
        trainings_in_period=Cell(1), participants_in_period=Cell(26),
        trainings_to_date=Cell(1), participants_to_date=Cell(26),
    )  # fmt: skip


def test_programme_export_keeps_money_exact_and_tags_sector_and_currency():
    table = programme_table(ProgrammeReport(FROM, TO, False, (section_with("services"),)))
    header, hxl, *rows = csv_rows(table)
    assert hxl[header.index("sector")] == "#sector"
    assert hxl[header.index("currency")] == "#currency"
    assert hxl[header.index("value")] == "#value"
    grant = next(
        dict(zip(header, r, strict=True))
        for r in rows
        if r[header.index("figure")] == "grants_to_date"
    )
    assert grant["value"] == "78310.00" and grant["currency"] == "EUR" and grant["number"] == "25"
    cells = xlsx_cells([table])
    assert any(c.value == Decimal("78310.00") or c.value == 78310 for c in cells)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(HOSTILE) | st.text(min_size=1, max_size=12))
def test_no_formula_in_any_programme_export(label):
    assert_no_formula(programme_table(ProgrammeReport(FROM, TO, True, (section_with(label),))))


def test_hidden_money_of_few_projects_is_one_suppressed_row():
    """A public grant made up by 1 to 4 projects hides both the amount and the count;
    both say `suppressed`, and the row is written once (it used to raise TypeError)."""
    hidden = MoneyLine("EUR", None, Cell(None, Mark.PRIMARY))
    section = replace(section_with("services"), grants=(hidden,), loans_in_period=(hidden,))
    table = programme_table(ProgrammeReport(FROM, TO, True, (section,)))
    header, _, *rows = csv_rows(table)
    data = [dict(zip(header, row, strict=True)) for row in rows]
    for figure in ("grants_to_date", "loans_in_period"):
        (grant,) = (r for r in data if r["figure"] == figure)
        assert grant["number"] == "<5" and grant["suppressed"] == "yes"
        assert grant["value"] == "" and grant["currency"] == "EUR"
    assert_no_formula(table)
