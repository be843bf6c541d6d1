"""What an uploaded file may expand to: refused while streaming, with the limit named.

Issue 13 finding 1: a 2 MB XLSX of one repeated shared string expanded to a million
rows and took a worker to 4.6 GB; a header of a million columns took 1.3 GB. These
tests build such files (tests/support/hostile_files.py) and check that reading them
stops early, in little memory, with one row-0 error naming the limit.
"""

from __future__ import annotations

import pickle
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from rrms.formats import limits
from rrms.formats.errors import CellError, ErrorList, InputFileError
from rrms.formats.tabular import iter_table, read_table
from support.hostile_files import repeated_string_xlsx, wide_header_csv, wide_header_xlsx

HEADER = ["movement_ref", "person_ref", "family_name", "given_name", "return_type"]


def refusal(path: Path) -> tuple[str, int]:
    """Read the file as the services do; return the one error and the traced peak."""
    tracemalloc.start()
    try:
        with iter_table(path) as stream:
            rows = sum(1 for _ in stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 0
    assert [error.row for error in stream.errors] == [0], stream.errors
    return stream.errors[0].message, peak


def test_a_million_rows_of_one_shared_string_are_refused_before_reading(tmp_path: Path) -> None:
    path = repeated_string_xlsx(tmp_path / "rows.xlsx", HEADER, limits.MAX_ROWS + 10)
    assert path.stat().st_size < 4 * 1024 * 1024  # small as sent
    message, peak = refusal(path)
    assert "limit of 1,048,576 rows" in message
    assert peak < 16 * 1024 * 1024, peak
    table = read_table(path)
    assert (table.rows, [e.row for e in table.errors]) == ([], [0])


def test_a_sheet_declaring_too_many_rows_is_refused_by_its_dimension(tmp_path: Path) -> None:
    path = repeated_string_xlsx(tmp_path / "dim.xlsx", HEADER, 3, dimension=True)
    assert read_table(path).errors == []  # a true, small dimension is fine
    path = repeated_string_xlsx(tmp_path / "lie.xlsx", HEADER, 3, dimension="A1:E2000000")
    message, _ = refusal(path)
    assert "limit of 1,048,576 rows (the sheet declares 2,000,000)" in message
    path = repeated_string_xlsx(tmp_path / "wide.xlsx", HEADER, 3, dimension="A1:BAA4")
    assert "limit of 1,000 columns per row (the sheet declares 1,379)" in refusal(path)[0]


def test_a_header_of_a_million_columns_is_refused_in_xlsx(tmp_path: Path) -> None:
    path = wide_header_xlsx(tmp_path / "wide.xlsx", 1_000_000)
    message, peak = refusal(path)
    assert "limit of 1,000 columns per row" in message
    assert peak < 16 * 1024 * 1024, peak


def test_a_header_of_a_million_columns_is_refused_in_csv(tmp_path: Path) -> None:
    path = wide_header_csv(tmp_path / "wide.csv", 1_000_000)
    message, peak = refusal(path)
    assert "limit of 1,048,576 characters per line" in message
    assert peak < 16 * 1024 * 1024, peak


def test_a_csv_row_of_too_many_cells_is_refused(tmp_path: Path) -> None:
    path = wide_header_csv(tmp_path / "wide.csv", 1_001)
    message, _ = refusal(path)
    assert "limit of 1,000 columns per row (row 1 has 1,001)" in message


def test_a_csv_cell_longer_than_excel_allows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("a,b\n1,2\n3," + "x" * (limits.MAX_CELL_CHARS + 1) + "\n")
    with iter_table(path) as stream:
        rows = list(stream)
    assert rows == [(2, ["1", "2"])]  # the rows before it; the error says they are not all
    assert "limit of 32,767 characters per cell (in row 3)" in stream.errors[0].message
    path.write_text('a,b\n1,"' + "y\n" * 20_000 + '"\n')  # long across lines, quoted
    assert "characters per cell" in read_table(path).errors[0].message


def test_a_cell_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("a,b\n1," + "x" * limits.MAX_CELL_CHARS + "\n")
    table = read_table(path)
    assert table.errors == [] and len(table.rows[0][1][1]) == limits.MAX_CELL_CHARS


def test_an_xlsx_cell_longer_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append(["1", "x" * 50])
    path = tmp_path / "long.xlsx"
    workbook.save(path)
    monkeypatch.setattr(limits, "MAX_CELL_CHARS", 49)
    assert "limit of 49 characters per cell (in row 2)" in read_table(path).errors[0].message


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_rows_are_counted_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    path = tmp_path / f"rows.{suffix}"
    if suffix == "csv":
        path.write_text("a,b\n" + "1,2\n" * 10)
    else:
        repeated_string_xlsx(path, ["a", "b"], 10)
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    table = read_table(path)
    assert "limit of 5 rows" in table.errors[-1].message
    assert len(table.rows) <= 4


def test_a_zip_of_too_many_parts_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repeated_string_xlsx(tmp_path / "parts.xlsx", ["a"], 1)
    monkeypatch.setattr(limits, "MAX_XLSX_PARTS", 5)  # the workbook has 6
    assert "limit of 5 parts" in read_table(path).errors[0].message


@pytest.mark.parametrize(
    ("name", "limit", "words"),
    [
        ("MAX_XLSX_UNCOMPRESSED_BYTES", 1000, "bytes uncompressed"),
        ("MAX_XLSX_SHARED_STRINGS_BYTES", 100, "bytes of shared strings"),
    ],
)
def test_inflated_sizes_are_checked_before_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, limit: int, words: str
) -> None:
    path = repeated_string_xlsx(tmp_path / "big.xlsx", HEADER, 50)
    monkeypatch.setattr(limits, name, limit)
    message = read_table(path).errors[0].message
    assert f"limit of {limit:,} {words}" in message


def test_error_list_keeps_the_first_of_each_column_and_counts_the_rest() -> None:
    errors = ErrorList(per_column=2)
    for row in range(2, 1_000_002):
        errors.append(CellError(row, "sex", "?", "not a sex"))
    errors.append(CellError(0, "", "", "the file is damaged"))
    errors.extend([CellError(5, "age", "x", "not a number")])
    assert [(e.row, e.column) for e in errors] == [(2, "sex"), (3, "sex"), (0, ""), (5, "age")]
    assert errors.total == 1_000_002
    again = pickle.loads(pickle.dumps(errors))  # the import's checking process sends it
    assert (list(again), again.omitted, again.total) == (list(errors), {"sex": 999_998}, 1_000_002)
    raised = InputFileError(errors)
    assert raised.total == 1_000_002
    assert raised.errors[-1].column == "sex"
    assert "999,998 more error(s) in this column not listed" in raised.errors[-1].message


def test_input_file_error_caps_a_plain_list() -> None:
    errors = [CellError(row, "sex", "?", "not a sex") for row in range(2, 100)]
    raised = InputFileError(errors)
    assert len(raised.errors) == limits.MAX_ERRORS_PER_COLUMN + 1
    assert raised.total == 98


def test_parts_read_whole_are_bounded_and_sheets_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repeated_string_xlsx(tmp_path / "parts.xlsx", HEADER, 5_000)
    with zipfile.ZipFile(path) as archive:
        sizes = {p.filename: p.file_size for p in archive.infolist()}
    sheet = sizes.pop("xl/worksheets/sheet1.xml")
    sizes.pop("xl/sharedStrings.xml")  # bounded by MAX_XLSX_SHARED_STRINGS_BYTES
    largest = max(sizes, key=sizes.__getitem__)
    monkeypatch.setattr(limits, "MAX_XLSX_PART_BYTES", sizes[largest])
    assert sheet > sizes[largest]
    table = read_table(path)  # a sheet larger than the bound is read
    assert table.errors == [] and len(table.rows) == 5_000
    monkeypatch.setattr(limits, "MAX_XLSX_PART_BYTES", sizes[largest] - 1)
    message = read_table(path).errors[0].message
    assert f"bytes in the workbook's part {largest!r}" in message
