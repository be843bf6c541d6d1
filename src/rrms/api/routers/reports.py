"""/reports: the returns report, the programme report and the bulletin over HTTP.

Thin: the service (`rrms.services.reporting.reports`) decides which version a user gets
(the `reporting` role: public only) and audits the run. `public` left out means the
role's default; `public=false` from the reporting role is 403. `format` asks for the
report in another form than JSON (the bulletin: HTML, PDF or XLSX), written by
`rrms.reports.documents` as by the CLI and the web pages. `language` (en, sq, sr)
writes the HTML, PDF and spreadsheet headers in that language; the JSON is the same in
every language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from rrms.api.deps import ActorDep, UowDep
from rrms.http.headers import content_disposition
from rrms.i18n import Language, language
from rrms.reports.documents import (
    MEDIA_TYPES,
    Form,
    bulletin_document,
    programmes_document,
    returns_document,
)
from rrms.services.reporting import reports as reporting

router = APIRouter(prefix="/reports", tags=["reports"])

DateFrom = Annotated[dt.date, Query(alias="from", description="First day of the period.")]
DateTo = Annotated[dt.date, Query(alias="to", description="Last day of the period, included.")]
Public = Annotated[
    bool | None,
    Query(
        description="true: the public version (small counts hidden); false: internal "
        "(not for the reporting role); absent: the role's default."
    ),
]


class ReportLanguage(StrEnum):
    """The languages a report is written in (`rrms.i18n.LANGUAGES`)."""

    en = "en"
    sq = "sq"
    sr = "sr"
    sr_cyrl = "sr-Cyrl"


LanguageQuery = Annotated[
    ReportLanguage,
    Query(
        alias="language",
        description="Language of the HTML, PDF, charts and spreadsheet headers: en "
        "(the default), sq or sr. JSON is the same in every language.",
    ),
]


def _language(code: ReportLanguage) -> Language:
    return language(code.value)


class BulletinFormat(StrEnum):
    """The forms the bulletin is served in."""

    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"


Format = Annotated[
    Form, Query(description="json (the default), html, pdf, csv or xlsx (docs/reports.md).")
]


def _answers(forms: Iterable[Form]) -> dict[int | str, dict[str, Any]]:
    """The media types a report's 200 answer may have, for the OpenAPI schema."""
    return {200: {"content": {MEDIA_TYPES[form].split(";")[0]: {} for form in forms}}}


def _download(body: bytes, form: Form, name: str) -> Response:
    """A report as a file: inline for HTML, an attachment otherwise."""
    disposition = "inline" if form is Form.html else "attachment"
    return Response(
        body,
        media_type=MEDIA_TYPES[form],
        headers={"Content-Disposition": content_disposition(f"{name}.{form.value}", disposition)},
    )


def _name(kind: str, date_from: dt.date, date_to: dt.date, public: bool) -> str:
    version = "public" if public else "internal"
    return f"{kind}-{date_from.isoformat()}-{date_to.isoformat()}-{version}"


@router.get(
    "/returns",
    summary="The returns report (docs/reports.md)",
    response_model=None,
    responses=_answers(Form),
)
def returns(
    uow: UowDep,
    actor: ActorDep,
    date_from: DateFrom,
    date_to: DateTo,
    public: Public = None,
    format: Format = Form.json,  # noqa: A002 - the query parameter's name
    written_in: LanguageQuery = ReportLanguage.en,
) -> dict[str, Any] | Response:
    """Arrivals of the period by type, transport, country, programme and destination,
    secondary transport, and cumulative totals with district shares: the spec's JSON,
    or the report as HTML, PDF, CSV or XLSX."""
    report = reporting.returns(uow, actor, date_from, date_to, public)
    if format is Form.json:
        return report.to_json()
    name = _name("returns", date_from, date_to, report.public)
    body = returns_document(report, format, language=_language(written_in))
    return _download(body, format, name)


@router.get(
    "/programmes",
    summary="Programme reports for the period",
    response_model=None,
    responses=_answers(Form),
)
def programmes(
    uow: UowDep,
    actor: ActorDep,
    date_from: DateFrom,
    date_to: DateTo,
    public: Public = None,
    format: Format = Form.json,  # noqa: A002 - the query parameter's name
    written_in: LanguageQuery = ReportLanguage.en,
) -> dict[str, Any] | Response:
    """Projects, beneficiaries, jobs, grants and loans, houses, information requests,
    trainings per programme; confidential units' cases by year and district. JSON, or
    the report as HTML, PDF, CSV or XLSX."""
    report = reporting.programmes(uow, actor, date_from, date_to, public)
    if format is Form.json:
        return report.to_json()
    name = _name("programmes", date_from, date_to, report.public)
    body = programmes_document(report, format, language=_language(written_in))
    return _download(body, format, name)


@router.get(
    "/bulletin",
    summary="The quarterly bulletin (HTML, PDF or XLSX)",
    response_class=Response,
    responses=_answers(Form(f.value) for f in BulletinFormat),
)
def bulletin(
    uow: UowDep,
    actor: ActorDep,
    date_from: DateFrom,
    date_to: DateTo,
    public: Public = None,
    format: BulletinFormat = BulletinFormat.html,  # noqa: A002 - the query parameter's name
    written_in: LanguageQuery = ReportLanguage.en,
) -> Response:
    """News in brief written from the records, then the returns and each programme; or
    both reports' tables as XLSX, one sheet each."""
    result = reporting.bulletin(uow, actor, date_from, date_to, public)
    form = Form(format.value)
    body = bulletin_document(
        result.returns, result.programmes, form, language=_language(written_in)
    )
    if form is Form.html:
        return HTMLResponse(body)
    name = _name("bulletin", date_from, date_to, result.returns.public)
    return _download(body, form, name)


ROUTERS = [router]
