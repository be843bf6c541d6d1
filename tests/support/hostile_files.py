# ruff: noqa: E501 - the parts of a workbook are long lines of XML
"""Small files that expand to huge tables: what an attacker uploads to exhaust a worker.

Written part by part with `zipfile` (the sheet is streamed into the archive, never
held whole), so a test builds a million-row workbook in a second or two.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)  # fmt: skip
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)  # fmt: skip
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _workbook(path: Path, strings: list[str], rows: object, dimension: str | None) -> Path:
    """A workbook whose sheet XML is `rows` (an iterable of XML text), streamed in."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        shared = "".join(f"<si><t>{text}</t></si>" for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            buffer: list[str] = []
            for text in rows:  # type: ignore[attr-defined]
                buffer.append(text)
                if len(buffer) >= 10_000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write("".join(buffer).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def repeated_string_xlsx(
    path: Path, header: list[str], rows: int, *, dimension: bool | str = False
) -> Path:
    """A header, then `rows` rows whose every cell is one shared string ('x'); the
    sheet declares its true dimension (`dimension=True`), a given one, or none."""
    strings = [*header, "x"]
    width = len(header)
    repeat = len(strings) - 1

    def sheet() -> object:
        cells = "".join(f'<c r="{_column(i)}1" t="s"><v>{i}</v></c>' for i in range(width))
        yield f'<row r="1">{cells}</row>'
        row = "<row>" + f'<c t="s"><v>{repeat}</v></c>' * width + "</row>"  # r is optional
        block = row * 10_000
        for _ in range(rows // 10_000):
            yield block
        yield row * (rows % 10_000)

    ref = f"A1:{_column(width - 1)}{rows + 1}" if dimension is True else dimension or None
    return _workbook(path, strings, sheet(), ref)


def wide_header_xlsx(path: Path, columns: int) -> Path:
    """One header row of `columns` cells of one shared string, no dimension declared."""
    row = '<row r="1">' + '<c t="s"><v>0</v></c>' * columns + "</row>"
    return _workbook(path, ["column"], [row], None)


def wide_header_csv(path: Path, columns: int, first: str = "") -> Path:
    """A CSV whose header has `columns` cells ('c1,c2,...'), then one short row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(first)
        handle.write(",".join(f"c{i}" for i in range(columns)))
        handle.write("\n1,2\n")
    return path
