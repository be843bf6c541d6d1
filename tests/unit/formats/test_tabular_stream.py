"""The streaming reader: same rows, header and errors as read_table, without the file in memory."""

import csv
import datetime
import io
import tracemalloc
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rrms.formats.tabular import iter_table, read_table


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def stream_all(path: Path) -> tuple[list[tuple[int, list[str]]], object]:
    with iter_table(path) as stream:
        rows = list(stream)
    return rows, stream


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.csv", "a,b,c\n1,ë,3\n\n4,5,6\n".encode()),
        ("bom.csv", "a;b\nĐorđe;Čačak\n".encode("utf-8-sig")),
        ("cp1250.csv", "a;b\nĐorđević;Priština\n".encode("cp1250")),
        ("cp1252.csv", "a\tb\nKrasniqi\tGjakovë\n".encode("cp1252")),
        ("hxl.csv", b"a,b\n#x,#y\n1,2\n"),
        ("short.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n"),
        ("leading-blank.csv", b"\n\na,b\n\n1,2\n"),
        ("empty.csv", b"\n ,, \n"),
    ],
)
def test_stream_matches_read_table(tmp_path: Path, name: str, data: bytes) -> None:
    path = write(tmp_path, name, data)
    table = read_table(path)
    with iter_table(path) as stream:
        assert (stream.file_format, stream.encoding, stream.delimiter) == (
            table.file_format,
            table.encoding,
            table.delimiter,
        )
        assert stream.header == table.header  # known before the first row is read
        assert stream.header_row == table.header_row
        assert stream.hxl_row == table.hxl_row
        rows = list(stream)
    assert rows == table.rows
    assert stream.errors == table.errors


def test_short_row_error_is_reported_when_the_row_is_reached(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n")
    with iter_table(path) as stream:
        assert stream.errors == []
        rows = iter(stream)
        assert next(rows) == (2, ["1", "2", "3"])
        assert next(rows) == (4, ["6", "7", "8"])
        assert [(e.row, e.value) for e in stream.errors] == [(3, "4,5")]


def test_late_decoding_error_ends_the_stream_with_a_row_0_error(tmp_path: Path) -> None:
    filler = "".join(f"DE-{i},Gjakovë\n" for i in range(5000))  # UTF-8 from the start
    data = f"person_ref,family_name\n{filler}".encode() + b"DE-X,M\xfcller\n"
    rows, stream = stream_all(write(tmp_path, "m.csv", data))
    assert 0 < len(rows) <= 5000  # the rows before the bad block; not the whole file
    assert [e.row for e in stream.errors] == [0]  # type: ignore[attr-defined]
    assert "not valid UTF-8" in stream.errors[0].message  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("absent.csv", None, "cannot read"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".xlsx"),
        ("utf16.csv", "a,b\n1,2\n".encode("utf-16"), "UTF-16"),
        ("broken.xlsx", b"PK\x03\x04" + bytes(100), "XLSX"),
    ],
)
def test_unreadable_files_give_one_row_0_error_and_no_rows(
    tmp_path: Path, name: str, data: bytes | None, words: str
) -> None:
    path = tmp_path / name if data is None else write(tmp_path, name, data)
    rows, stream = stream_all(path)
    assert rows == []
    assert [e.row for e in stream.errors] == [0]  # type: ignore[attr-defined]
    assert words in stream.errors[0].message  # type: ignore[attr-defined]


def test_xlsx_is_streamed_with_padding_and_typed_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["movement_ref", "arrival_date", "count", "notes"])
    sheet.append(["#id", "#date", None, None])
    sheet.append(["M1", datetime.date(2004, 8, 3), 3.0])
    sheet.append([None, None, None, None])
    sheet.append(["M2", "01.09.2004", 1, "bus"])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    rows, stream = stream_all(path)
    assert stream.file_format == "xlsx"  # type: ignore[attr-defined]
    assert rows == [(3, ["M1", "2004-08-03", "3", ""]), (5, ["M2", "01.09.2004", "1", "bus"])]
    assert rows == read_table(path).rows


def test_closing_early_releases_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", b"a\n1\n2\n3\n")
    stream = iter_table(path)
    assert next(iter(stream)) == (2, ["1"])
    stream.close()
    assert list(stream) == []
    stream.close()  # idempotent


def _peak_while_streaming(path: Path, rows: int) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movement_ref", "person_ref", "family_name", "notes"])
        writer.writerows((f"MOV-{i:07d}", f"KS-{i}", "Krasniqi", f"note {i}") for i in range(rows))
    tracemalloc.start()
    try:
        count = 0
        with iter_table(path) as stream:
            for _ in stream:
                count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows
    return peak


def test_memory_stays_flat_while_streaming(tmp_path: Path) -> None:
    small = _peak_while_streaming(tmp_path / "small.csv", 20_000)
    large = _peak_while_streaming(tmp_path / "large.csv", 80_000)  # 4 times the rows
    assert large < small * 1.25 + 256 * 1024, (small, large)


cell_text = st.text(alphabet=st.sampled_from(list("abcëčšž ,;\t\"'\r\n-=1")), max_size=10)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    rows=st.lists(st.lists(cell_text, min_size=2, max_size=4), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_stream_and_read_table_agree_on_any_csv(
    tmp_path: Path, rows: list[list[str]], delimiter: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["movement_ref", "person_ref", "notes"])
    writer.writerows(rows)
    path = write(tmp_path, "prop.csv", buffer.getvalue().encode())
    table = read_table(path)
    streamed, stream = stream_all(path)
    assert streamed == table.rows
    assert stream.errors == table.errors  # type: ignore[attr-defined]
