"""Report pages: the returns report and the bulletin for a chosen period, public or
internal, on screen and as downloads (the same renderers as `rrms report`)."""

from __future__ import annotations

import datetime as dt
import io
import json

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from rrms.reports import rendering
from rrms.reports.bulletin import news_in_brief
from rrms.reports.exports import programme_table, returns_table, write_csv, write_xlsx
from rrms.services.core.errors import Invalid
from rrms.services.reporting import reports as reporting
from rrms.web.session import PageUow, SignedInPage

router = APIRouter(prefix="/reports")

MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _period(date_from: str | None, date_to: str | None) -> tuple[dt.date, dt.date]:
    try:
        end = dt.date.fromisoformat(date_to) if date_to else dt.date.today()
        start = dt.date.fromisoformat(date_from) if date_from else end - dt.timedelta(days=91)
    except ValueError:
        raise Invalid("dates are written YYYY-MM-DD", "from") from None
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
    news = news_in_brief(figures.returns, figures.programmes)
    return page.render(
        "reports/index.html",
        start=start.isoformat(),
        end=end.isoformat(),
        public=figures.returns.public,
        news=news,
        returns=figures.returns,
    )


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
    """The returns report, programme report or bulletin as HTML, PDF, JSON, CSV or XLSX."""
    assert page.actor is not None
    if kind not in ("returns", "programmes", "bulletin") or extension not in MEDIA:
        raise Invalid(
            "ask for returns, programmes or bulletin as html, pdf, json, csv or xlsx", "kind"
        )
    start, end = _period(date_from, date_to)
    figures = reporting.bulletin(uow, page.actor, start, end, public)
    if extension in ("html", "pdf"):
        if kind == "returns":
            html = rendering.render_returns_html(figures.returns)
        elif kind == "programmes":
            html = rendering.render_programmes_html(figures.programmes)
        else:
            html = rendering.render_bulletin_html(figures.returns, figures.programmes)
        body = html.encode("utf-8") if extension == "html" else rendering.html_to_pdf(html)
    elif extension == "json":
        payload = (
            figures.programmes.to_json() if kind == "programmes" else figures.returns.to_json()
        )
        body = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    else:
        tables = [returns_table(figures.returns)] if kind != "programmes" else []
        if kind != "returns":
            tables.append(programme_table(figures.programmes))
        if extension == "csv":
            text = io.StringIO()
            write_csv(tables[0], text)
            body = text.getvalue().encode("utf-8")
        else:
            binary = io.BytesIO()
            write_xlsx(tables, binary)
            body = binary.getvalue()
    version = "public" if figures.returns.public else "internal"
    name = f"{kind}-{start.isoformat()}-{end.isoformat()}-{version}.{extension}"
    disposition = "inline" if extension == "html" else "attachment"
    return Response(
        body,
        media_type=MEDIA[extension],
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


ROUTERS = [router]
