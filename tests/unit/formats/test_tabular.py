import csv
import datetime
import gc
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rrms.formats.tabular import Table, column_key, match_header, read_table

HEADER = "person_ref,family_name,given_name,origin_settlement"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def cells(table: Table) -> list[list[str]]:
    return [row for _, row in table.rows]


# --- encodings ---------------------------------------------------------------------------


def test_utf8_is_detected(tmp_path: Path) -> None:
    text = f"{HEADER}\nDE-1,Krasniqi,Arben,Gjakovë\nDE-2,Đorđević,Jovan,Čačak\n"
    table = read_table(write(tmp_path, "m.csv", text.encode("utf-8")))
    assert table.errors == []
    assert (table.file_format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.header == ["person_ref", "family_name", "given_name", "origin_settlement"]
    assert cells(table) == [
        ["DE-1", "Krasniqi", "Arben", "Gjakovë"],
        ["DE-2", "Đorđević", "Jovan", "Čačak"],
    ]


def test_utf8_with_bom_is_detected_and_the_bom_is_not_in_the_header(tmp_path: Path) -> None:
    text = f"{HEADER}\nDE-1,Gashi,Shpresa,Pejë\n"
    table = read_table(write(tmp_path, "m.csv", text.encode("utf-8-sig")))
    assert table.errors == []
    assert table.encoding == "utf-8-sig"
    assert table.header[0] == "person_ref"
    assert cells(table) == [["DE-1", "Gashi", "Shpresa", "Pejë"]]


def test_cp1250_is_detected_from_serbian_letters(tmp_path: Path) -> None:
    text = f"{HEADER}\nAT-1,Đorđević,Đorđe,Čačak\nAT-2,Jovanović,Miloš,Priština\n"
    table = read_table(write(tmp_path, "m.csv", text.encode("cp1250")))
    assert table.errors == []
    assert table.encoding == "cp1250"
    assert cells(table) == [
        ["AT-1", "Đorđević", "Đorđe", "Čačak"],
        ["AT-2", "Jovanović", "Miloš", "Priština"],
    ]


def test_cp1252_is_detected_for_albanian_and_german_text(tmp_path: Path) -> None:
    text = f"{HEADER}\nDE-1,Krasniqi,Arben,Gjakovë\nDE-2,Müller,Jürgen,Prizren\n"
    table = read_table(write(tmp_path, "m.csv", text.encode("cp1252")))
    assert table.errors == []
    assert table.encoding == "cp1252"
    assert cells(table) == [
        ["DE-1", "Krasniqi", "Arben", "Gjakovë"],
        ["DE-2", "Müller", "Jürgen", "Prizren"],
    ]


def test_cp1252_letters_that_cp1250_lacks_decide(tmp_path: Path) -> None:
    # 0x83 is 'ƒ' in cp1252 and undefined in cp1250
    data = HEADER.encode() + b"\nDE-1,Krasniqi,Arben,\x83x\n"
    assert read_table(write(tmp_path, "m.csv", data)).encoding == "cp1252"


def test_serbian_name_after_the_first_64_kb_still_selects_cp1250(tmp_path: Path) -> None:
    filler = "".join(f"DE-{i},Krasniqi,Arben,Gjakovë\n" for i in range(4000))
    text = f"{HEADER}\n{filler}DE-X,Jovanović,Đorđe,Čačak\n"
    data = text.encode("cp1250")
    assert len(data) > 100_000
    table = read_table(write(tmp_path, "m.csv", data))
    assert table.errors == []
    assert table.encoding == "cp1250"
    assert cells(table)[-1] == ["DE-X", "Jovanović", "Đorđe", "Čačak"]


def test_ascii_start_then_legacy_letters_is_not_mistaken_for_utf8(tmp_path: Path) -> None:
    filler = "".join(f"DE-{i},Gashi,Arben,Peja\n" for i in range(5000))
    text = f"{HEADER}\n{filler}DE-X,Krasniqi,Arbër,Gjakovë\n"
    table = read_table(write(tmp_path, "m.csv", text.encode("cp1252")))
    assert table.errors == []
    assert table.encoding == "cp1252"
    assert cells(table)[-1] == ["DE-X", "Krasniqi", "Arbër", "Gjakovë"]


def test_pure_ascii_is_reported_as_utf8(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "m.csv", f"{HEADER}\nDE-1,Gashi,Arben,Peja\n".encode()))
    assert table.encoding == "utf-8"


def test_invalid_utf8_late_in_the_file_is_a_row_0_error(tmp_path: Path) -> None:
    filler = "".join(f"DE-{i},Krasniqi,Arben,Gjakovë\n" for i in range(4000))
    data = f"{HEADER}\n{filler}".encode() + b"DE-X,M\xfcller,Hans,Prizren\n"
    table = read_table(write(tmp_path, "m.csv", data))
    assert table.encoding == "utf-8"
    assert [error.row for error in table.errors] == [0]
    assert "not valid UTF-8" in table.errors[0].message
    assert "Windows-1250" in table.errors[0].message


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_refused_naming_the_accepted_encodings(
    tmp_path: Path, codec: str
) -> None:
    text = f"{HEADER}\nDE-1,Krasniqi,Arben,Gjakovë\n"
    table = read_table(write(tmp_path, "m.csv", text.encode(codec)))
    assert len(table.errors) == 1
    error = table.errors[0]
    assert error.row == 0
    assert "UTF-8" in error.message and "Windows-1250" in error.message
    assert table.rows == []


def test_binary_garbage_is_a_row_0_error(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    table = read_table(write(tmp_path, "m.csv", data))
    assert [error.row for error in table.errors] == [0]
    assert "Windows-1252" in table.errors[0].message


def test_control_characters_without_nul_are_refused(tmp_path: Path) -> None:
    data = bytes(b for b in range(1, 32)) * 100
    table = read_table(write(tmp_path, "m.csv", data))
    assert [error.row for error in table.errors] == [0]


def test_legacy_xls_is_refused_with_advice(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    table = read_table(write(tmp_path, "m.xls", data))
    assert [error.row for error in table.errors] == [0]
    assert ".xlsx" in table.errors[0].message


def test_missing_file_is_a_row_0_error(tmp_path: Path) -> None:
    table = read_table(tmp_path / "absent.csv")
    assert [error.row for error in table.errors] == [0]


def test_empty_file_is_a_row_0_error(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "m.csv", b"\n\n ,, \n"))
    assert [error.row for error in table.errors] == [0]
    assert "empty" in table.errors[0].message


# --- delimiters and quoting --------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [HEADER.split(","), ["DE-1", "Krasniqi", "Arben", "Gjakovë"]]
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.errors == []
    assert table.delimiter == delimiter
    assert cells(table) == [rows[1]]


def test_semicolon_file_with_commas_in_values(tmp_path: Path) -> None:
    text = "person_ref;family_name;notes\nDE-1;Krasniqi;lives in Peja, with son, 2 daughters\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.delimiter == ";"
    assert cells(table) == [["DE-1", "Krasniqi", "lives in Peja, with son, 2 daughters"]]


def test_quoted_header_cells_do_not_confuse_detection(tmp_path: Path) -> None:
    text = '"a,b";"c,d";e\n1;2;3\n'
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.delimiter == ";"
    assert table.header == ["a,b", "c,d", "e"]


def test_quoted_fields_with_delimiters_newlines_and_quotes(tmp_path: Path) -> None:
    text = (
        "person_ref,family_name,notes\r\n"
        'DE-1,Krasniqi,"needs insulin, daily\r\nand a wheelchair"\r\n'
        'DE-2,"Gashi, Hoxha","said ""no"""\r\n'
        "DE-3,Berisha,\r\n"
    )
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.errors == []
    assert table.rows == [
        (2, ["DE-1", "Krasniqi", "needs insulin, daily\r\nand a wheelchair"]),
        (3, ["DE-2", "Gashi, Hoxha", 'said "no"']),
        (4, ["DE-3", "Berisha", ""]),
    ]


# --- rows --------------------------------------------------------------------------------


def test_values_are_trimmed(tmp_path: Path) -> None:
    text = " person_ref , family_name \n  DE-1 ,\tKrasniqi\u00a0\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.header == ["person_ref", "family_name"]
    assert cells(table) == [["DE-1", "Krasniqi"]]


def test_hxl_row_is_skipped_and_kept(tmp_path: Path) -> None:
    text = "person_ref,family_name,notes\n#person+id,#person+name,\nDE-1,Krasniqi,x\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.hxl_row == ["#person+id", "#person+name", ""]
    assert table.rows == [(3, ["DE-1", "Krasniqi", "x"])]


def test_a_later_row_of_hashtags_is_data(tmp_path: Path) -> None:
    text = "a,b\n1,2\n#x,#y\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.hxl_row is None
    assert table.rows == [(2, ["1", "2"]), (3, ["#x", "#y"])]


def test_empty_rows_are_skipped_and_row_numbers_stay_as_the_spreadsheet_shows(
    tmp_path: Path,
) -> None:
    text = "\na,b\n\n1,2\n,\n  ,  , \n\n3,4\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.header_row == 2
    assert table.rows == [(4, ["1", "2"]), (8, ["3", "4"])]
    assert table.errors == []


def test_short_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    text = "a,b,c\n1,2,3\n4,5\n6,7,8\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert len(table.errors) == 1
    error = table.errors[0]
    assert (error.row, error.column, error.value) == (3, "", "4,5")
    assert error.message == "row has 2 cells, the header has 3"
    assert table.rows == [(2, ["1", "2", "3"]), (4, ["6", "7", "8"])]


def test_every_short_row_is_reported(tmp_path: Path) -> None:
    text = "a;b;c\nx\n1;2;3\ny;z\n\nw\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert [(error.row, error.value) for error in table.errors] == [
        (2, "x"),
        (4, "y;z"),
        (6, "w"),
    ]


def test_long_rows_keep_their_extra_cells(tmp_path: Path) -> None:
    text = "a,b\n1,2,3,\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert cells(table) == [["1", "2", "3", ""]]


def test_trailing_blank_header_cells_are_not_columns(tmp_path: Path) -> None:
    text = "a;b;;\n1;2\n"
    table = read_table(write(tmp_path, "m.csv", text.encode()))
    assert table.header == ["a", "b"]
    assert table.errors == []


def test_reading_restores_the_garbage_collector(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", b"a,b\n1,2\n")
    assert gc.isenabled()
    read_table(path)
    assert gc.isenabled()
    gc.disable()
    try:
        read_table(path)
        assert not gc.isenabled()
    finally:
        gc.enable()


cell_text = st.text(alphabet=st.sampled_from(list("abcëçčćšžđ ÄÖÜß,;\t\"'\r\n-=1")), max_size=12)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    codec=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_whatever_csv_writes_is_read_back(
    tmp_path: Path, rows: list[list[str]], delimiter: str, codec: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["person_ref", "family_name", "notes"])
    writer.writerows(rows)
    path = write(tmp_path, "prop.csv", buffer.getvalue().encode(codec))
    table = read_table(path)
    expected = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(rows, 2)
        if any(cell.strip() for cell in row)
    ]
    assert table.errors == []
    assert table.delimiter == delimiter
    assert table.rows == expected


# --- XLSX --------------------------------------------------------------------------------


def make_workbook(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Manifest"
    sheet.append(["person_ref", " family_name ", "birth_date", "children", "weight", "notes"])
    sheet.append(["#person+id", "#person+name", "#date", None, None, None])
    sheet.append(["DE-1", "Krasniqi  ", datetime.date(1975, 3, 14), 3, 72.5, None])
    sheet.append([None, None, None, None, None, None])
    sheet.append(
        ["DE-2", "Đorđević", datetime.datetime(1939, 1, 2, 0, 0), 12.0, 70.0, "lives alone"]
    )
    sheet.append(["DE-3", "Gashi", "1981", None, None, None])
    sheet.append(["DE-4", True])
    other = workbook.create_sheet("Other")
    other.append(["not", "this", "sheet"])
    workbook.active = 1  # the first sheet is read even when another one is active
    workbook.save(path)


def test_xlsx_first_sheet_is_read_with_typed_cells_as_text(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    make_workbook(path)
    table = read_table(path)
    assert table.errors == []
    assert (table.file_format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert table.header == [
        "person_ref",
        "family_name",
        "birth_date",
        "children",
        "weight",
        "notes",
    ]
    assert table.hxl_row is not None and table.hxl_row[0] == "#person+id"
    assert table.rows == [
        (3, ["DE-1", "Krasniqi", "1975-03-14", "3", "72.5", ""]),
        (5, ["DE-2", "Đorđević", "1939-01-02", "12", "70", "lives alone"]),
        (6, ["DE-3", "Gashi", "1981", "", "", ""]),
        (7, ["DE-4", "true", "", "", "", ""]),
    ]


def test_xlsx_is_detected_by_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    make_workbook(path)
    renamed = tmp_path / "manifest.csv"
    renamed.write_bytes(path.read_bytes())
    table = read_table(renamed)
    assert table.file_format == "xlsx"
    assert table.errors == []
    assert len(table.rows) == 4


def test_damaged_xlsx_is_a_row_0_error(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "m.xlsx", b"PK\x03\x04" + bytes(100)))
    assert table.file_format == "xlsx"
    assert [error.row for error in table.errors] == [0]


# --- header matching ---------------------------------------------------------------------

KNOWN = ["person_ref", "family_ref", "family_name", "given_name", "sex", "notes"]
REQUIRED = ["person_ref", "family_name", "given_name"]


def test_column_key_normalises_case_spaces_and_hyphens() -> None:
    assert column_key(" Person Ref ") == "person_ref"
    assert column_key("PERSON-REF") == "person_ref"
    assert column_key("person_ref") == "person_ref"


def test_header_matches_case_and_space_insensitively() -> None:
    header = [" PERSON_REF", "Family Name", "given-name", "Sex"]
    mapping, errors, warnings = match_header(header, KNOWN, REQUIRED)
    assert mapping == {"person_ref": 0, "family_name": 1, "given_name": 2, "sex": 3}
    assert errors == []
    assert warnings == []


def test_missing_required_column_is_an_error_with_suggestions() -> None:
    header = ["person_ref", "familyname", "given_name"]
    mapping, errors, warnings = match_header(header, KNOWN, REQUIRED)
    assert "family_name" not in mapping
    assert len(errors) == 1
    error = errors[0]
    assert (error.row, error.column, error.value) == (1, "family_name", "")
    assert error.message == "required column is missing"
    assert error.suggestions == ("familyname",)
    assert [warning.column for warning in warnings] == ["familyname"]


def test_every_missing_required_column_is_reported() -> None:
    _, errors, _ = match_header(["notes"], KNOWN, REQUIRED)
    assert [error.column for error in errors] == REQUIRED


def test_duplicated_column_is_an_error() -> None:
    header = ["person_ref", "family_name", "given_name", "Family Name"]
    mapping, errors, _ = match_header(header, KNOWN, REQUIRED)
    assert mapping["family_name"] == 1
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (1, "Family Name")
    assert "columns B and D" in errors[0].message


def test_unknown_column_is_a_warning_with_the_closest_known_names() -> None:
    header = ["person_ref", "family_name", "given_name", "gender", "note", "phone"]
    mapping, errors, warnings = match_header(header, KNOWN, REQUIRED)
    assert errors == []
    assert [warning.column for warning in warnings] == ["gender", "note", "phone"]
    assert all(warning.message == "unknown column kept as extra data" for warning in warnings)
    assert all(warning.row == 1 for warning in warnings)
    assert warnings[1].suggestions[0] == "notes"
    assert "gender" not in mapping


def test_unnamed_column_in_the_middle_is_a_warning() -> None:
    header = ["person_ref", "", "family_name", "given_name"]
    _, errors, warnings = match_header(header, KNOWN, REQUIRED)
    assert errors == []
    assert len(warnings) == 1
    assert "column B" in warnings[0].message


def test_header_row_number_can_be_given() -> None:
    _, errors, _ = match_header(["notes"], KNOWN, REQUIRED, header_row=3)
    assert {error.row for error in errors} == {3}


def test_example_manifest_reads_cleanly() -> None:
    example = Path("/work/shared/spec/examples/manifest-example.csv")
    if not example.exists():
        pytest.skip("shared spec not available")
    table = read_table(example)
    assert table.errors == []
    assert len(table.header) == 28
    assert table.rows[2][1][2] == "Jovanović"


def test_cells_right_of_the_header_are_said_not_dropped_silently(tmp_path):
    from rrms.formats.tabular import iter_table, read_table

    path = tmp_path / "list.csv"
    path.write_text("a,b\n1,2\n3,4,,\n5,6,lost,also lost\n7,8,again\n", encoding="utf-8")
    table = read_table(path)
    assert [cells[:2] for _, cells in table.rows] == [
        ["1", "2"],
        ["3", "4"],
        ["5", "6"],
        ["7", "8"],
    ]
    assert len(table.warnings) == 1  # once per file, at the first row with such cells
    warning = table.warnings[0]
    assert (warning.row, warning.column, warning.value) == (4, "C", "lost")
    assert "not read" in warning.message
    with iter_table(path) as stream:
        list(stream)
    assert stream.warnings == table.warnings
    path.write_text("a,b\n1,2\n3,4,,\n", encoding="utf-8")
    assert read_table(path).warnings == []  # blank cells beyond the header are nothing
