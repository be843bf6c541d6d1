"""Read a spreadsheet (CSV or XLSX) into rows of trimmed strings, with located errors.

Sending states export lists from whatever program they use: Excel in a German,
Serbian or Albanian locale, LibreOffice, case-management systems. So the reader
detects the format by content, the CSV encoding (UTF-8 with or without BOM,
Windows-1250, Windows-1252) and the delimiter (comma, semicolon, tab) instead of
trusting a setting, and reports what it chose. It never raises on bad input: every
problem becomes a `CellError` (row 0 for the file as a whole), so a caseworker sees
all of them at once.

Two ways in share the detection code: `read_table` reads the whole file into a
`Table` (what screening needs: it looks at every person at once), and `iter_table`
returns a `TableStream` that yields the rows one by one and never holds the file in
memory (what an import of hundreds of thousands of arrivals needs).

Neither way lets a file expand without bound: rows, cells per row, cell length,
CSV line length and (for XLSX) the inflated size of the zip's parts are checked
against `rrms.formats.limits` while the file is streamed, and a file past one is
refused with one row-0 error naming the limit. An XLSX is inspected before openpyxl
opens it (openpyxl reads a sheet's dimension, and without one the whole sheet, when
it opens a workbook): the zip's declared sizes, then a byte scan of each XML part
that counts rows, and the cells of long rows, with `bytes.split` and `bytes.count`.

This module knows nothing about manifest columns; `match_header` maps a header onto
the names a caller knows, and the manifest reader interprets the cells.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import difflib
import gc
import itertools
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Final, cast

from rrms.formats import limits
from rrms.formats.errors import CellError

__all__ = [
    "Table",
    "TableStream",
    "column_key",
    "encoding_label",
    "extra_columns",
    "iter_table",
    "match_header",
    "read_table",
]

ACCEPTED_ENCODINGS: Final = "UTF-8 (with or without BOM), Windows-1250 or Windows-1252"

_HEAD_SIZE: Final = 64 * 1024  # bytes inspected up front for encoding and delimiter
_SCAN_CHUNK: Final = 1024 * 1024  # later chunks, read only while the encoding is undecided
_XLSX_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls or encrypted .xlsx
_ASCII_BYTES: Final = bytes(range(128))
_CONTROL_BYTES: Final = bytes(b for b in range(32) if b not in (9, 10, 13))
_UNICODE_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_LEGACY: Final = ("cp1250", "cp1252")
# Letters expected in Albanian, Serbian (Latin) and German names. Bytes that decode to
# one of these in one legacy code page and to something else in the other decide.
_PLAUSIBLE_LETTERS: Final = frozenset("ëËçÇčČćĆšŠžŽđĐäÄöÖüÜßéÉ")
_DELIMITERS: Final = (",", ";", "\t")


@dataclass
class Table:
    """A spreadsheet read into memory: the header and the data rows with their row numbers.

    `rows` holds `(row number as a spreadsheet shows it, trimmed cells)`; empty rows and
    the HXL hashtag row are left out, and so is any row with fewer cells than the
    header (it is reported in `errors` instead). A row may have more cells than the
    header. XLSX rows are padded with '' to the header's width, since a spreadsheet
    does not store trailing blank cells. Any row-0 error means the file could not be
    read as a whole and `rows` must not be used.
    """

    path: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    hxl_row: list[str] | None = None
    header_row: int = 1
    warnings: list[CellError] = field(default_factory=list)


class TableStream:
    """A spreadsheet opened for reading row by row: header known, rows still on disk.

    `iter_table` fills in the format, encoding, delimiter, header and HXL row before
    the first data row is read; iterating then yields `(row number, trimmed cells)`
    exactly as `Table.rows` would hold them (same skipping of empty and HXL rows,
    same padding of XLSX rows). Problems found while streaming (a short row, a
    decoding error late in a CSV, a damaged sheet) are appended to `errors` as they
    are met, so check `errors` once the rows are exhausted; a row-0 error means the
    rows read so far are not the whole file. A stream can be iterated once; close it
    (or use it as a context manager) to release the file.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.file_format = "csv"
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.header: list[str] = []
        self.header_row = 1
        self.hxl_row: list[str] | None = None
        self.errors: list[CellError] = []
        self.warnings: list[CellError] = []
        """Cells past the last named column (the first row that has any): never silently
        dropped, always said."""
        self._rows: Iterator[tuple[int, list[str]]] = iter(())
        self._closers: list[Callable[[], object]] = []

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows, read from the file as they are asked for."""
        return self._rows

    def close(self) -> None:
        """Release the open file (and workbook); idempotent."""
        self._rows = iter(())
        while self._closers:
            with contextlib.suppress(Exception):
                self._closers.pop()()

    def __enter__(self) -> TableStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def iter_table(path: str | Path) -> TableStream:
    """Open a CSV or XLSX file for streaming, detecting format, encoding and delimiter.

    Memory stays flat whatever the file's size: CSV is parsed by `csv.reader` over the
    open file, XLSX by openpyxl's read-only row iterator. Like `read_table` it never
    raises on content: a file that cannot be opened or decoded gives one row-0 error
    in `TableStream.errors` and no rows.
    """
    return _open_stream(path, intern=False)


def _open_stream(path: str | Path, *, intern: bool) -> TableStream:
    """`iter_table`; `intern` shares repeated cell values, worth it only for rows kept."""
    name = str(path)
    stream = TableStream(name)
    try:
        with open(name, "rb") as probe:
            magic = probe.read(len(_XLSX_MAGIC))
            if magic == _XLSX_MAGIC:
                stream.file_format = "xlsx"
                records = _xlsx_records(name, stream)
            elif magic + probe.read(len(_OLE_MAGIC) - len(magic)) == _OLE_MAGIC:
                stream.file_format = "xls"
                stream.errors.append(
                    _file_error(
                        "this is a legacy Excel (.xls) or password-protected workbook; "
                        "save it as .xlsx (unprotected) or as CSV"
                    )
                )
                return stream
            else:
                probe.seek(0)
                encoding, problem = _detect_encoding(probe)
                if encoding is None:
                    stream.errors.append(_file_error(problem))
                    return stream
                probe.seek(0)
                head = probe.read(_HEAD_SIZE).decode(encoding, errors="replace")
                stream.encoding = encoding
                stream.delimiter = _detect_delimiter(head)
                records = _csv_records(name, stream, encoding, stream.delimiter, intern)
    except OSError as exc:
        stream.errors.append(_file_error(f"cannot read the file: {exc.strerror or exc}"))
        return stream
    if records is None:
        return stream
    joiner, pad = (",", True) if stream.file_format == "xlsx" else (stream.delimiter or ",", False)
    first = _find_header(stream, records)
    if first is not None:
        stream._rows = _data_rows(stream, records, first, joiner, pad)
    return stream


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX file, detecting format, encoding and delimiter; never raises on content.

    The format is chosen by content (an XLSX file is a zip archive), not by the file
    name. Problems are returned in `Table.errors`; a file that cannot be opened or
    decoded gives one error on row 0 naming the problem. This is `iter_table` read
    to the end into memory.
    """
    with _gc_paused(), _open_stream(path, intern=True) as stream:
        rows = list(stream)
    return Table(
        path=stream.path,
        file_format=stream.file_format,
        encoding=stream.encoding,
        delimiter=stream.delimiter,
        header=stream.header,
        rows=rows,
        errors=stream.errors,
        hxl_row=stream.hxl_row,
        header_row=stream.header_row,
        warnings=stream.warnings,
    )


def column_key(name: str) -> str:
    """Normalise a column name for matching: 'Person Ref', ' person-ref ' -> 'person_ref'."""
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def extra_columns(header: Sequence[str], mapping: dict[str, int]) -> dict[str, int]:
    """The header's columns that `match_header` did not map, by the name they are kept
    under: the header cell, or "column C" for a column with no name. A duplicated
    known column is an error, not extra data, and is left out."""
    mapped = set(mapping.values())
    keys = {column_key(header[index]) for index in mapped}
    extra: dict[str, int] = {}
    for index, cell in enumerate(header):
        if index in mapped or (cell and column_key(cell) in keys):
            continue
        extra.setdefault(cell or f"column {_column_letter(index)}", index)
    return extra


def match_header(
    header: list[str],
    known: Sequence[str],
    required: Sequence[str],
    *,
    header_row: int = 1,
) -> tuple[dict[str, int], list[CellError], list[CellError]]:
    """Map the known column names onto header positions, as people write them.

    Names match ignoring case, surrounding spaces, and spaces or hyphens versus
    underscores. Returns `(mapping, errors, warnings)`: `mapping` is known name ->
    index of its first occurrence; errors are duplicated columns and missing required
    columns (with the closest unmatched header cells as suggestions); warnings are
    unknown columns, which callers keep as extra data rather than drop silently.
    `header_row` is the header's spreadsheet row number (`Table.header_row`).
    """
    known_by_key = {column_key(name): name for name in (*known, *required)}
    mapping: dict[str, int] = {}
    seen: dict[str, int] = {}
    unknown: list[int] = []
    errors: list[CellError] = []
    warnings: list[CellError] = []
    for index, cell in enumerate(header):
        key = column_key(cell)
        if not key:
            warnings.append(
                CellError(
                    header_row,
                    "",
                    "",
                    f"column {_column_letter(index)} has no name; its cells are kept as extra data",
                )
            )
            continue
        if key in seen:
            first = seen[key]
            errors.append(
                CellError(
                    header_row,
                    cell,
                    cell,
                    f"duplicated column: columns {_column_letter(first)} and "
                    f"{_column_letter(index)} are both {header[first]!r}",
                )
            )
            continue
        seen[key] = index
        if key in known_by_key:
            mapping[known_by_key[key]] = index
        else:
            unknown.append(index)

    unmatched_known = [key for key, name in known_by_key.items() if name not in mapping]
    for index in unknown:
        cell = header[index]
        close = difflib.get_close_matches(column_key(cell), unmatched_known, n=3)
        warnings.append(
            CellError(
                header_row,
                cell,
                "",
                "unknown column kept as extra data",
                tuple(known_by_key[key] for key in close),
            )
        )

    unknown_by_key = {column_key(header[index]): header[index] for index in unknown}
    for name in required:
        if name in mapping:
            continue
        close = difflib.get_close_matches(column_key(name), list(unknown_by_key), n=3)
        errors.append(
            CellError(
                header_row,
                name,
                "",
                "required column is missing",
                tuple(unknown_by_key[key] for key in close),
            )
        )
    return mapping, errors, warnings


# --- assembling rows (shared by CSV and XLSX) ------------------------------------------


def _find_header(
    stream: TableStream, records: Iterator[tuple[int, list[str]]]
) -> list[tuple[int, list[str]]] | None:
    """Read up to the header and the optional HXL row; return the rows read past them.

    Returns None (with a row-0 error) when the file has no header row.
    """
    for number, cells in records:
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()  # trailing blank header cells are not columns
            stream.header = cells
            stream.header_row = number
            break
    else:
        if not stream.errors:  # a decoding error already says why nothing was read
            stream.errors.append(_file_error("the file is empty: no header row"))
        return None

    first: list[tuple[int, list[str]]] = []
    for number, cells in records:
        if any(cells):
            if all(cell.startswith("#") for cell in cells if cell):
                stream.hxl_row = cells  # HXL hashtags under the header: not data
            else:
                first.append((number, cells))
            break
    return first


def _unnamed_cells_warning(number: int, cells: list[str], width: int) -> CellError:
    """Say that cells lie right of the header's last column (they have no name, so no
    column reads them); said once per file, at the first row that has any."""
    extra = next(index for index in range(width, len(cells)) if cells[index])
    return CellError(
        number,
        _column_letter(extra),
        cells[extra],
        f"cells right of the last named column ({_column_letter(width - 1)}) are not read; "
        "give their column a name in the header to keep them",
    )


def _data_rows(
    stream: TableStream,
    records: Iterator[tuple[int, list[str]]],
    first: list[tuple[int, list[str]]],
    joiner: str,
    pad: bool,
) -> Iterator[tuple[int, list[str]]]:
    """Yield the data rows: skip empty ones, pad or report those shorter than the header."""
    width = len(stream.header)
    errors = stream.errors
    for number, cells in itertools.chain(first, records):
        if len(cells) >= width:
            if len(cells) > width and not stream.warnings and any(cells[width:]):
                stream.warnings.append(_unnamed_cells_warning(number, cells, width))
            if any(cells):
                yield number, cells
        elif any(cells):
            if pad:
                cells.extend([""] * (width - len(cells)))
                yield number, cells
            else:
                errors.append(
                    CellError(
                        number,
                        "",
                        joiner.join(cells),
                        f"row has {len(cells)} cells, the header has {width}",
                    )
                )


# --- CSV -----------------------------------------------------------------------------


def _csv_records(
    path: str, stream: TableStream, encoding: str, delimiter: str, intern: bool
) -> Iterator[tuple[int, list[str]]]:
    """Parse the CSV lazily, strictly decoded; a late decoding error is a row-0 error.

    Cells are stripped (and, with `intern`, interned) without per-cell Python code
    (`map` over C functions): interning makes repeated values ('no', 'forced', a
    municipality) one shared object, so a million-row list read into memory needs
    about 0.4 GB instead of 1.5 GB; a stream that drops each row does without. The
    file is opened here (raising OSError to `iter_table`) and closed when the stream
    is closed or exhausted.
    """
    text = open(path, encoding=encoding, errors="strict", newline="")  # noqa: SIM115
    stream._closers.append(text.close)
    read = _BoundedLines(text)
    reader = csv.reader(read, delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        strip = str.strip
        share = sys.intern
        max_rows, max_columns, max_cell = limits.MAX_ROWS, limits.MAX_COLUMNS, limits.MAX_CELL_CHARS
        seen = 0  # characters read before the current record
        try:
            for number, raw in enumerate(reader, 1):
                # Bounds, counted not re-scanned: a cell can only be too long in a
                # record of more characters than a cell may hold.
                if (
                    number > max_rows
                    or len(raw) > max_columns
                    or (read.chars - seen > max_cell and max(map(len, raw), default=0) > max_cell)
                ):
                    stream.errors.append(_limit_error(number, len(raw)))
                    return
                seen = read.chars
                yield number, list(map(share, map(strip, raw)) if intern else map(strip, raw))
        except _LineTooLong:
            stream.errors.append(
                _exceeded(
                    limits.MAX_LINE_CHARS, f"characters per line (line {reader.line_num + 1:,})"
                )
            )
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start : exc.start + 1].hex().upper()
            stream.errors.append(
                _file_error(
                    f"the file is not valid {_encoding_label(encoding)} after line "
                    f"{reader.line_num} (byte 0x{bad}); mixed encodings cannot be read. "
                    f"Save the file as {ACCEPTED_ENCODINGS}"
                )
            )
        except csv.Error as exc:
            stream.errors.append(
                _file_error(f"the CSV cannot be parsed at line {reader.line_num}: {exc}")
            )
        finally:
            text.close()

    return records()


class _LineTooLong(Exception):
    """A CSV line longer than `limits.MAX_LINE_CHARS`."""


class _BoundedLines:
    """The CSV's lines for `csv.reader`, none longer than `limits.MAX_LINE_CHARS`.

    `readline` with a size stops a line of any length at the bound, so a one-line file
    of 200 MB is refused after reading a megabyte, before it is split into cells.
    `chars` counts the characters handed out (one addition per line: the hot path of
    an import of a million rows stays cheap).
    """

    def __init__(self, text: IO[str]) -> None:
        self._readline = text.readline
        self._limit = limits.MAX_LINE_CHARS + 2  # the bound plus a \r\n line end
        self.chars = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._readline(self._limit)
        if not line:
            raise StopIteration
        length = len(line)
        if length >= self._limit and line[-1] not in "\r\n":
            raise _LineTooLong
        self.chars += length
        return line


def _limit_error(number: int, cells: int) -> CellError:
    """The error of a row past a bound (rows, cells per row or cell length)."""
    if number > limits.MAX_ROWS:
        return _exceeded(limits.MAX_ROWS, "rows")
    if cells > limits.MAX_COLUMNS:
        return _exceeded(limits.MAX_COLUMNS, f"columns per row (row {number} has {cells:,})")
    return _exceeded(limits.MAX_CELL_CHARS, f"characters per cell (in row {number})")


def _exceeded(limit: int, what: str) -> CellError:
    """The one error of a file past a bound: it names the bound and what to do."""
    return _file_error(
        f"the file exceeds the limit of {limit:,} {what}; "
        "split it into smaller files or remove what is not needed"
    )


def _detect_encoding(stream: IO[bytes]) -> tuple[str | None, str]:
    """Choose the CSV encoding: `(codec name, '')`, or `(None, reason)` if none fits.

    UTF-8 wins as soon as non-ASCII bytes decode as UTF-8 (text in a legacy code page
    almost never does). Otherwise Windows-1250 and Windows-1252 are compared: a byte
    undefined in one rules it out, else the one yielding more letters of Albanian,
    Serbian and German names wins. Only the first 64 KB are read unless they are
    pure ASCII or do not decide; then the scan continues in binary chunks (cheap).
    When both code pages give the same text throughout, cp1252 is reported.
    """
    head = stream.read(_HEAD_SIZE)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    for bom, name in _UNICODE_BOMS:
        if head.startswith(bom):
            return None, (
                f"the file is encoded as {name}, which is not accepted; "
                f"save it as {ACCEPTED_ENCODINGS}"
            )
    if b"\x00" in head:
        return None, (
            "the file contains NUL bytes: it is UTF-16 without a byte order mark or not a "
            f"text file at all; accepted are CSV in {ACCEPTED_ENCODINGS}, or XLSX"
        )
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(head) // 100):
        return None, (
            "the file contains control characters: it is not a CSV text file; "
            f"accepted are CSV in {ACCEPTED_ENCODINGS}, or XLSX"
        )

    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_possible = True
    possible = dict.fromkeys(_LEGACY, True)
    score = dict.fromkeys(_LEGACY, 0)
    chunk = head
    while chunk:
        if not chunk.isascii():
            if utf8_possible:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_possible = False
                else:
                    return "utf-8", ""
            high = chunk.translate(None, _ASCII_BYTES)
            for codec in _LEGACY:
                if possible[codec]:
                    try:
                        score[codec] += _plausibility(high.decode(codec))
                    except UnicodeDecodeError:
                        possible[codec] = False
            candidates = [codec for codec in _LEGACY if possible[codec]]
            if not candidates:
                return None, (
                    f"the file's encoding is not recognised; save it as {ACCEPTED_ENCODINGS}"
                )
            if len(candidates) == 1:
                return candidates[0], ""
            if score["cp1250"] != score["cp1252"]:
                return max(candidates, key=score.__getitem__), ""
        chunk = stream.read(_SCAN_CHUNK)
    return ("utf-8" if utf8_possible else "cp1252"), ""


def _plausibility(text: str) -> int:
    """Score decoded non-ASCII text: name letters count for, stray symbols against."""
    total = 0
    for char in text:
        if char in _PLAUSIBLE_LETTERS:
            total += 2
        elif unicodedata.category(char)[0] == "S" or char in "¹²³¼½¾¡¿ˇ˘˛˝˙":
            total -= 1
    return total


def _detect_delimiter(head: str) -> str:
    """Pick the delimiter by counting candidates outside quotes in the header line.

    Lines holding only delimiters and spaces (empty rows) before the header are
    skipped. On a tie, csv.Sniffer decides among the tied candidates, else the first
    of comma, semicolon, tab.
    """
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = False
    has_text = False
    for char in head:
        if char == '"':
            in_quotes = not in_quotes
            has_text = True
        elif in_quotes:
            continue
        elif char in "\r\n":
            if has_text:
                break
            counts = dict.fromkeys(_DELIMITERS, 0)
        elif char in counts:
            counts[char] += 1
        elif not char.isspace():
            has_text = True
    best = max(counts.values())
    tied = [delimiter for delimiter in _DELIMITERS if counts[delimiter] == best]
    if best == 0 or len(tied) == 1:
        return tied[0]
    try:
        return csv.Sniffer().sniff(head, delimiters="".join(tied)).delimiter
    except csv.Error:
        return tied[0]


# --- XLSX ----------------------------------------------------------------------------


def _xlsx_records(path: str, stream: TableStream) -> Iterator[tuple[int, list[str]]] | None:
    """Stream the first sheet of a workbook; cells become text as a person would type them.

    openpyxl's read-only mode parses the sheet's XML as rows are asked for, so memory
    does not grow with the sheet. Returns None (with a row-0 error) for a workbook
    that cannot be opened or has no sheet.
    """
    import openpyxl  # deferred: only XLSX input pays for the import

    problem = _xlsx_bounds(path)
    if problem is not None:
        stream.errors.append(problem)
        return None
    handle = open(path, "rb")  # noqa: SIM115 - a file object: openpyxl judges paths by name
    stream._closers.append(handle.close)
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        stream.errors.append(_file_error(f"not a readable XLSX workbook: {exc}"))
        stream.close()
        return None
    stream._closers.append(workbook.close)
    if not workbook.worksheets:
        stream.errors.append(_file_error("the workbook has no sheet"))
        stream.close()
        return None
    sheet = workbook.worksheets[0]

    problem = _declared_dimension_problem(sheet)
    if problem is not None:
        stream.errors.append(problem)
        stream.close()
        return None

    def records() -> Iterator[tuple[int, list[str]]]:
        max_rows, max_columns, max_cell = limits.MAX_ROWS, limits.MAX_COLUMNS, limits.MAX_CELL_CHARS
        try:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # stored dimensions may be wrong; read what is there
            values = cast(Iterator[tuple[object, ...]], sheet.iter_rows(values_only=True))
            for number, row in enumerate(values, 1):
                cells = [_cell_text(value) for value in row]
                if (
                    number > max_rows
                    or len(cells) > max_columns
                    or (cells and max(map(len, cells)) > max_cell)
                ):
                    stream.errors.append(_limit_error(number, len(cells)))
                    return
                yield number, cells
        except Exception as exc:  # a damaged sheet fails while streaming
            stream.errors.append(_file_error(f"the workbook could not be read completely: {exc}"))
        finally:
            workbook.close()
            handle.close()

    return records()


_SHEET_DATA: Final = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData[\s/>]")
_LONG_ROW_BYTES: Final = 64 * 1024
"""XML bytes of a row past which its cells are counted while scanning (a row of a
thousand plain cells is about 30 KB)."""
_ZIP_END: Final = b"PK\x05\x06"


def _xlsx_bounds(path: str) -> CellError | None:
    """Check a workbook against the limits before openpyxl opens it; None when within.

    The zip's directory gives each part's inflated size (Python's zip reader stops a
    part at its declared size, so the declaration bounds what is read). Then every
    XML part is inflated in 1 MB blocks and its row and cell tags counted
    (`_sheet_problem`), so a sheet of too many rows, or a row of too many cells, is
    refused before any of it becomes Python objects; a workbook within the bounds
    costs this one pass, a small part of openpyxl's parse.
    """
    problem = _zip_directory_problem(path)
    if problem is not None:
        return problem
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            inflated = sum(part.file_size for part in parts)
            if inflated > limits.MAX_XLSX_UNCOMPRESSED_BYTES:
                return _exceeded(
                    limits.MAX_XLSX_UNCOMPRESSED_BYTES,
                    f"bytes uncompressed (the workbook inflates to {inflated:,})",
                )
            kinds = _content_types(archive, parts)
            for part in parts:
                problem = _part_problem(part, kinds.get(part.filename.lstrip("/"), ""))
                if problem is None and part.filename.casefold().endswith(".xml"):
                    with archive.open(part) as source:  # any part may be read as a sheet
                        problem = _sheet_problem(source)
                if problem is not None:
                    return problem
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError) as exc:
        return _file_error(f"not a readable XLSX workbook: {exc}")
    return None


_OVERRIDE: Final = re.compile(r"<(?:\w+:)?Override\b([^>]*)>")
_PART_NAME: Final = re.compile(r'PartName\s*=\s*["\']/?([^"\']+)')
_CONTENT_TYPE: Final = re.compile(r'ContentType\s*=\s*["\']([^"\']+)')
_UNREAD_KINDS: Final = (
    "pivotcache",
    "pivottable",
    "table+xml",
    "comments+xml",
    "externallink",
    "querytable",
    "vmldrawing",
)
"""Content types of parts openpyxl's read-only mode never opens (they may be large)."""
_ALWAYS_READ: Final = ("[content_types].xml", "xl/styles.xml", "xl/theme/", "docprops/")


def _content_types(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Part name -> declared content type (lower case), from `[Content_Types].xml`."""
    manifest = next((p for p in parts if p.filename == "[Content_Types].xml"), None)
    if manifest is None or manifest.file_size > limits.MAX_XLSX_PART_BYTES:
        return {}  # openpyxl refuses the first; `_part_problem` the second
    text = archive.read(manifest).decode("utf-8", errors="replace")
    kinds: dict[str, str] = {}
    for attributes in _OVERRIDE.findall(text):
        name, kind = _PART_NAME.search(attributes), _CONTENT_TYPE.search(attributes)
        if name and kind:
            kinds[name.group(1)] = kind.group(1).casefold()
    return kinds


def _part_problem(part: zipfile.ZipInfo, kind: str) -> CellError | None:
    """A part's inflated size against its bound: a worksheet has the workbook's, shared
    strings theirs, a part openpyxl never opens in read-only mode none of its own, and
    every other part (styles, theme, workbook, relationships: read whole, into
    objects) `MAX_XLSX_PART_BYTES`."""
    size, name = part.file_size, part.filename.casefold()
    if kind.endswith("sharedstrings+xml"):
        if size > limits.MAX_XLSX_SHARED_STRINGS_BYTES:
            return _exceeded(
                limits.MAX_XLSX_SHARED_STRINGS_BYTES,
                f"bytes of shared strings (the workbook has {size:,})",
            )
        return None
    always = name.endswith(".rels") or name.startswith(_ALWAYS_READ)
    if not always and (
        kind.endswith("worksheet+xml")
        or any(word in kind for word in _UNREAD_KINDS)
        or not name.endswith((".xml", ".vml"))
    ):
        return None
    if size > limits.MAX_XLSX_PART_BYTES:
        return _exceeded(
            limits.MAX_XLSX_PART_BYTES, f"bytes in the workbook's part {part.filename[:100]!r}"
        )
    return None


def _declared_dimension_problem(sheet: object) -> CellError | None:
    """Refuse a sheet whose declared dimension (`<dimension ref="A1:E9"/>`) is past
    the bounds, before a row is read; a sheet may declare none."""
    rows = getattr(sheet, "max_row", None) or 0
    columns = getattr(sheet, "max_column", None) or 0
    if rows > limits.MAX_ROWS:
        return _exceeded(limits.MAX_ROWS, f"rows (the sheet declares {rows:,})")
    if columns > limits.MAX_COLUMNS:
        return _exceeded(limits.MAX_COLUMNS, f"columns per row (the sheet declares {columns:,})")
    return None


def _zip_directory_problem(path: str) -> CellError | None:
    """Refuse a zip whose directory lists more than `MAX_XLSX_PARTS` parts, read from
    its end record before `zipfile` builds an object per part."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))  # end record (22 bytes) + longest comment
        tail = handle.read()
    end = tail.rfind(_ZIP_END)
    if end < 0 or len(tail) < end + 22:
        return None  # not a zip after all: openpyxl says so
    entries = int.from_bytes(tail[end + 10 : end + 12], "little")
    if entries > limits.MAX_XLSX_PARTS:  # 0xFFFF (a ZIP64 archive) is over it too
        return _exceeded(limits.MAX_XLSX_PARTS, "parts in the workbook's zip archive")
    return None


def _sheet_problem(source: IO[bytes]) -> CellError | None:
    """Count a sheet's rows and the cells of its long rows; the first bound passed.

    Parts without `<sheetData>` are not sheets and pass. Rows are found by splitting
    each block at the row tag (`bytes.split`, no per-row Python); only a row longer
    than `_LONG_ROW_BYTES` of XML (a few hundred normal cells) has its cell tags
    counted, so a normal sheet costs little more than inflating it.
    """
    rows = row_bytes = row_cells = 0
    carry = b""
    row_tag = cell_tags = None
    while block := source.read(_SCAN_CHUNK):
        data = carry + block
        if row_tag is None:
            found = _SHEET_DATA.search(data)
            if found is None:
                carry = data[-64:]
                continue
            prefix = b"<" + found.group(1)
            row_tag = prefix + b"row"
            cell_tags = (prefix + b"c ", prefix + b"c>", prefix + b"c/")
            data = data[found.end() :]
        keep = len(row_tag) - 1  # a tag cut by the block's end is found in the next
        data, carry = data[:-keep], data[-keep:]
        pieces = data.split(row_tag)
        rows += len(pieces) - 1
        if rows > limits.MAX_ROWS:
            return _exceeded(limits.MAX_ROWS, "rows")
        if row_bytes + len(pieces[0]) <= _LONG_ROW_BYTES and (
            len(pieces) == 1 or max(map(len, pieces)) <= _LONG_ROW_BYTES
        ):
            row_bytes = row_bytes + len(data) if len(pieces) == 1 else len(pieces[-1])
            row_cells = 0
            continue
        assert cell_tags is not None
        for position, piece in enumerate(pieces):
            if position:
                row_bytes = row_cells = 0
            row_bytes += len(piece)
            if row_bytes > _LONG_ROW_BYTES:
                row_cells += sum(map(piece.count, cell_tags))
                if row_cells > limits.MAX_COLUMNS:
                    return _exceeded(limits.MAX_COLUMNS, f"columns per row (row {rows:,})")
    return None


def _cell_text(value: object) -> str:
    """Render a cell value as text: 12.0 -> '12', dates -> 'YYYY-MM-DD', empty -> ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


# --- helpers -------------------------------------------------------------------------


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of cell lists are created.

    The rows hold no reference cycles, but each allocation batch makes the collector
    walk every list built so far: with it running, reading 1,000,000 rows takes ~9 s
    instead of ~4 s. The previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _file_error(message: str) -> CellError:
    return CellError(0, "", "", message)


def encoding_label(encoding: str | None) -> str:
    """The name a person knows an encoding by ('Windows-1250', 'UTF-8'), for reports
    of the encoding detected; '' for a file without one (XLSX)."""
    return _encoding_label(encoding) if encoding else ""


def _encoding_label(encoding: str) -> str:
    return {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8",
        "cp1250": "Windows-1250",
        "cp1252": "Windows-1252",
    }.get(encoding, encoding)


def _column_letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based index: 0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
