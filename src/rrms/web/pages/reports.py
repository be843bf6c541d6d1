"""Report pages: the returns report, the programme report and the bulletin for a chosen
period, public or internal, on screen and as downloads (`rrms.reports.documents`, the
same as `rrms report` and the API). A report on screen carries RRMS's header and a way
back to the reports page. Reports are written in the page's language (`rrms.i18n`), the
JSON excepted."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from rrms.domain.messages import N_
from rrms.http.headers import DOCUMENT_CSP, content_disposition
from rrms.reports.bulletin import news_in_brief
from rrms.reports.documents import (
    FORMS,
    MEDIA_TYPES,
    Form,
    bulletin_document,
    programmes_document,
    returns_document,
)
from rrms.reports.localise import localise
from rrms.services.core.errors import Invalid
from rrms.services.reporting import reports as reporting
from rrms.web.i18n import environment, report_language
from rrms.web.session import Page, PageUow, SignedInPage

router = APIRouter(prefix="/reports")


def _period(date_from: str | None, date_to: str | None) -> tuple[dt.date, dt.date]:
    try:
        end = dt.date.fromisoformat(date_to) if date_to else dt.date.today()
        start = dt.date.fromisoformat(date_from) if date_from else end - dt.timedelta(days=91)
    except ValueError:
        raise Invalid(N_("dates are written YYYY-MM-DD"), "from") from None
    return start, end


@router.get("", response_class=HTMLResponse)
def reports(
    page: SignedInPage,
    uow: PageUow,
    date_from: str | None = None,
    date_to: str | None = None,
    public: bool | None = None,
) -> HTMLResponse:
    """The period form and, for a chosen period, the bulletin's news in brief."""
    assert page.actor is not None
    start, end = _period(date_from, date_to)
    figures = reporting.bulletin(uow, page.actor, start, end, public)
    written_in = report_language(page.language)
    news = news_in_brief(
        localise(figures.returns, written_in), localise(figures.programmes, written_in), written_in
    )
    return page.render(
        "reports/index.html",
        start=start.isoformat(),
        end=end.isoformat(),
        public=figures.returns.public,
        news=news,
        returns=figures.returns,
    )


def _frame(page: Page, start: dt.date, end: dt.date, public: bool) -> Markup:
    """RRMS's header and a way back to this period's reports, above a report on screen."""
    query = urlencode(
        {
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
            "public": "true" if public else "false",
        }
    )
    html = (
        environment(page.language)
        .get_template("reports/frame.html")
        .render(request=page.request, actor=page.actor, can=page.can, back=f"/reports?{query}")
    )
    return Markup(html)


@router.get("/{kind}.{extension}")
def document(
    page: SignedInPage,
    uow: PageUow,
    kind: str,
    extension: str,
    date_from: str | None = None,
    date_to: str | None = None,
    public: bool | None = None,
) -> Response:
    """The returns report or programme report as HTML, PDF, JSON, CSV or XLSX, or the
    bulletin as HTML, PDF or XLSX (`rrms.reports.documents.FORMS`)."""
    actor = page.actor
    assert actor is not None
    if extension not in FORMS.get(kind, ()):
        raise Invalid(
            N_(
                "ask for returns or programmes as html, pdf, json, csv or xlsx, or for the "
                "bulletin as html, pdf or xlsx"
            ),
            "kind",
        )
    form = Form(extension)
    start, end = _period(date_from, date_to)
    written_in = report_language(page.language)

    def frame(shown_publicly: bool) -> Markup | None:
        return _frame(page, start, end, shown_publicly) if form is Form.html else None

    if kind == "returns":
        returns = reporting.returns(uow, actor, start, end, public)
        shown_publicly = returns.public
        body = returns_document(returns, form, frame(shown_publicly), written_in)
    elif kind == "programmes":
        programmes = reporting.programmes(uow, actor, start, end, public)
        shown_publicly = programmes.public
        body = programmes_document(programmes, form, frame(shown_publicly), written_in)
    else:
        both = reporting.bulletin(uow, actor, start, end, public)
        shown_publicly = both.returns.public
        body = bulletin_document(
            both.returns, both.programmes, form, frame(shown_publicly), written_in
        )
    version = "public" if shown_publicly else "internal"
    name = f"{kind}-{start.isoformat()}-{end.isoformat()}-{version}.{extension}"
    headers = {"Content-Disposition": content_disposition(name, "attachment")}
    if form is Form.html:  # a document of its own, with its own style sheet
        headers = {
            "Content-Disposition": content_disposition(name, "inline"),
            "Content-Security-Policy": DOCUMENT_CSP,
        }
    return Response(body, media_type=MEDIA_TYPES[form], headers=headers)


ROUTERS = [router]
