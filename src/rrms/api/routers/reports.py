"""/reports: the returns report, the programme report and the bulletin over HTTP.

Thin: the service (`rrms.services.reporting.reports`) decides which version a user gets
(the `reporting` role: public only) and audits the run. `public` left out means the
role's default; `public=false` from the reporting role is 403.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from rrms.api.deps import ActorDep, UowDep
from rrms.reports.rendering import html_to_pdf, render_bulletin_html
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


class BulletinFormat(StrEnum):
    """The forms the bulletin is served in."""

    html = "html"
    pdf = "pdf"


@router.get("/returns", summary="The returns report (shared/spec/returns.md)")
def returns(
    uow: UowDep, actor: ActorDep, date_from: DateFrom, date_to: DateTo, public: Public = None
) -> dict[str, Any]:
    """Arrivals of the period by type, transport, country, programme and destination,
    secondary transport, and cumulative totals with district shares."""
    return reporting.returns(uow, actor, date_from, date_to, public).to_json()


@router.get("/programmes", summary="Programme reports for the period")
def programmes(
    uow: UowDep, actor: ActorDep, date_from: DateFrom, date_to: DateTo, public: Public = None
) -> dict[str, Any]:
    """Projects, beneficiaries, jobs, grants and loans, houses, information requests,
    trainings per programme; confidential units' cases by year and district."""
    return reporting.programmes(uow, actor, date_from, date_to, public).to_json()


@router.get(
    "/bulletin",
    summary="The quarterly bulletin (HTML or PDF)",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def bulletin(
    uow: UowDep,
    actor: ActorDep,
    date_from: DateFrom,
    date_to: DateTo,
    public: Public = None,
    format: BulletinFormat = BulletinFormat.html,  # noqa: A002 - the query parameter's name
) -> Response:
    """News in brief written from the records, then the returns and each programme."""
    result = reporting.bulletin(uow, actor, date_from, date_to, public)
    html = render_bulletin_html(result.returns, result.programmes)
    if format is BulletinFormat.pdf:
        return Response(html_to_pdf(html), media_type="application/pdf")
    return HTMLResponse(html)


ROUTERS = [router]
