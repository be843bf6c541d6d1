"""A desk list as a CSV or XLSX file: every record the filters match, in the order shown.

The file holds the list's columns with the record's number first, headed in the
reader's language, each value as the list shows it (words in the reader's language,
municipalities by name, programmes by code); an HXL hashtag row follows the header when
one of the columns has a documented hashtag. The project's safe writers
(`rrms.reports.exports`) keep every text cell from being read as a formula. Reading the
rows, refusing a list too long to export, and the one audit entry are the service's
(`rrms.services.core.records.export_records`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from fastapi.responses import Response

from rrms.http.headers import content_disposition
from rrms.reports.exports import Column, ExportTable, Value, write_csv, write_xlsx
from rrms.web.desk.spec import Desk, Field
from rrms.web.i18n import municipality_label
from rrms.web.words import word_filter

__all__ = ["FORMS", "ExportForm", "export_response", "file_name", "table_of", "write"]

ExportForm = Literal["csv", "xlsx"]
FORMS: tuple[ExportForm, ...] = ("csv", "xlsx")
MEDIA: Mapping[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(
    spec: Field,
    value: Any,
    word: Callable[[object], str],
    translate: Callable[[str], str],
    programmes: Mapping[int, str],
) -> Value:
    """One value as the list shows it, in a type a spreadsheet keeps exact."""
    if value is None:
        return None
    if spec.kind == "choice":
        return word(value)
    if spec.kind == "municipality":
        return municipality_label(value)
    if spec.kind == "yes_no":
        return translate("yes") if value else translate("no")
    if spec.kind == "programme":
        return programmes.get(value, str(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return value
    return str(value)


def table_of(
    desk: Desk,
    fields: Mapping[str, Field],
    rows: Iterable[Any],
    translate: Callable[[str], str],
    programmes: Mapping[int, str],
) -> ExportTable:
    """The list's columns over `rows`, read once as the file is written."""
    word = word_filter(translate)
    shown: Sequence[Field] = [fields[name] for name in desk.columns]
    columns = (
        Column(translate("Number"), "#meta+id"),
        *(Column(translate(f.label), f.hxl) for f in shown),
    )
    if not any(f.hxl for f in shown):
        columns = (Column(columns[0].header, ""), *columns[1:])

    def values() -> Iterable[list[Value]]:
        for row in rows:
            yield [
                row.id,
                *(_cell(f, getattr(row, f.name), word, translate, programmes) for f in shown),
            ]

    return ExportTable(name=translate(desk.title), columns=columns, stream=values())


def file_name(desk: Desk, form: ExportForm) -> str:
    """The download's name: the list and the day, `arrivals-2004-11-15.xlsx`."""
    return f"{desk.path.strip('/')}-{dt.date.today().isoformat()}.{form}"


def write(table: ExportTable, form: ExportForm) -> bytes:
    """The table as the file's bytes (CSV with a byte order mark, for spreadsheets)."""
    if form == "xlsx":
        binary = io.BytesIO()
        write_xlsx([table], binary)
        return binary.getvalue()
    text = io.StringIO(newline="")
    write_csv(table, text)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def export_response(body: bytes, desk: Desk, form: ExportForm) -> Response:
    """The file as a download, named through `content_disposition`."""
    return Response(
        body,
        media_type=MEDIA[form],
        headers={"Content-Disposition": content_disposition(file_name(desk, form))},
    )
