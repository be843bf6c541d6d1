"""Every report in every form: which forms each report comes in, and their bytes.

The CLI (`rrms report`), the API (`/api/reports/...?format=`) and the web pages
(`/reports/KIND.FORM`) all write a report through here, so that a report offered in a
form by one of them is offered, and written the same way, by the others:

| report | forms |
|---|---|
| returns | json, html, pdf, csv, xlsx |
| programmes | json, html, pdf, csv, xlsx |
| bulletin | html, pdf, xlsx (one sheet per report) |

The bulletin is a document written from both reports; it has no JSON or CSV of its
own (each report has its own).

Every form but JSON is written in a `language` (English by default): HTML and PDF
entirely, CSV and XLSX their header row and name columns (`rrms.reports.exports`). The
JSON is the specs' fixed contract, the same in every language.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from markupsafe import Markup

from rrms.i18n import ENGLISH, Language
from rrms.reports.exports import ExportTable, programme_table, returns_table, write_csv, write_xlsx
from rrms.reports.programme_model import ProgrammeReport
from rrms.reports.rendering import (
    html_to_pdf,
    render_bulletin_html,
    render_programmes_html,
    render_returns_html,
)
from rrms.reports.returns_model import ReturnsReport

__all__ = [
    "BINARY",
    "FORMS",
    "MEDIA_TYPES",
    "Form",
    "bulletin_document",
    "programmes_document",
    "returns_document",
]


class Form(StrEnum):
    """The forms a report can be written in (the file's extension)."""

    json = "json"
    html = "html"
    pdf = "pdf"
    csv = "csv"
    xlsx = "xlsx"


ALL_FORMS = tuple(Form)

FORMS: Mapping[str, tuple[Form, ...]] = {
    "returns": ALL_FORMS,
    "programmes": ALL_FORMS,
    "bulletin": (Form.html, Form.pdf, Form.xlsx),
}
"""The forms each report comes in, by report."""

MEDIA_TYPES: Mapping[Form, str] = {
    Form.json: "application/json",
    Form.html: "text/html; charset=utf-8",
    Form.pdf: "application/pdf",
    Form.csv: "text/csv; charset=utf-8",
    Form.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

BINARY = frozenset({Form.pdf, Form.xlsx})
"""Forms that are not text (never written to a terminal)."""


def _document(
    form: Form,
    payload: Callable[[], dict[str, Any]] | None,
    html: Callable[[], str],
    tables: Callable[[], Sequence[ExportTable]],
) -> bytes:
    if form is Form.json and payload is not None:
        return (json.dumps(payload(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if form is Form.html:
        return html().encode("utf-8")
    if form is Form.pdf:
        return html_to_pdf(html())
    if form is Form.xlsx:
        binary = io.BytesIO()
        write_xlsx(tables(), binary)
        return binary.getvalue()
    if form is Form.csv:
        only = tables()
        if len(only) == 1:
            text = io.StringIO(newline="")
            write_csv(only[0], text)
            return text.getvalue().encode("utf-8")
    raise ValueError(f"this report does not come as {form.value}")


def returns_document(
    report: ReturnsReport,
    form: Form,
    frame: Markup | None = None,
    language: Language = ENGLISH,
) -> bytes:
    """The returns report in `form` and `language`; `frame` tops its HTML on screen
    (see `rendering`)."""
    return _document(
        form,
        report.to_json,
        lambda: render_returns_html(report, frame, language),
        lambda: [returns_table(report, language)],
    )


def programmes_document(
    report: ProgrammeReport,
    form: Form,
    frame: Markup | None = None,
    language: Language = ENGLISH,
) -> bytes:
    """The programme report in `form` and `language`."""
    return _document(
        form,
        report.to_json,
        lambda: render_programmes_html(report, frame, language),
        lambda: [programme_table(report, language)],
    )


def bulletin_document(
    returns: ReturnsReport,
    programmes: ProgrammeReport,
    form: Form,
    frame: Markup | None = None,
    language: Language = ENGLISH,
) -> bytes:
    """The bulletin in `form` (html, pdf, or xlsx with a sheet per report) and `language`."""
    if form not in FORMS["bulletin"]:
        raise ValueError(f"the bulletin does not come as {form.value}")
    return _document(
        form,
        None,
        lambda: render_bulletin_html(returns, programmes, frame, language),
        lambda: [returns_table(returns, language), programme_table(programmes, language)],
    )
