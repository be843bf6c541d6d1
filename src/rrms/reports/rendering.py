"""The HTML and PDF forms of every report: the returns report, the programme report
and the bulletin, with their charts.

HTML comes from the Jinja templates in ``templates/`` (one frame, `report_base.html`,
for every report); the charts are SVG drawn by `rrms.reports.charts` from the same
protected breakdowns as the tables. PDF is the same HTML laid out by WeasyPrint (which
needs the system's Pango library, imported only when a PDF is asked for).

A page that shows a report inside an application (the web pages) passes a ``frame``:
HTML put at the top of the body (the application's header and a way back), which is
for the screen only and never printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from rrms import __version__
from rrms.reports.bulletin import BulletinPart, bulletin_parts, long_date, news_in_brief
from rrms.reports.charts import bar_chart, bars_of, breakdown_chart
from rrms.reports.disclosure import Breakdown
from rrms.reports.programme_model import ProgrammeReport
from rrms.reports.returns_model import ReturnsReport

__all__ = [
    "html_to_pdf",
    "render_bulletin_html",
    "render_programmes_html",
    "render_returns_html",
]


def _chart(item: Breakdown, title: str, value: str, category: str, percent: bool = False) -> Markup:
    """The chart of a breakdown, or nothing for fewer than two bars (its table says it all)."""
    if len(bars_of(item, percent=percent)) < 2:
        return Markup("")
    return Markup(breakdown_chart(item, title, value, category, percent=percent))


def _returns_charts(returns: ReturnsReport) -> dict[str, Markup]:
    return {
        "returns.by_sending_country": _chart(
            returns.by_sending_country,
            "Returnees by sending country",
            "Returnees",
            "Sending country",
        ),
        "returns.by_region": _chart(
            returns.by_destination_region,
            "Returnees by destination district",
            "Returnees",
            "District",
        ),
        "returns.cumulative_regions": _chart(
            returns.cumulative_by_region,
            f"Share of all returnees to date, by district (n = {returns.cumulative_total:,})",
            "Share of returnees (%)",
            "District",
            percent=True,
        ),
    }


def _programme_charts(
    parts: Iterable[BulletinPart], programmes: ProgrammeReport
) -> dict[str, Markup]:
    charts: dict[str, Markup] = {}
    for part in parts:
        code = part.code
        if part.returns is not None and part.returns.by_sending_country.entries:
            charts[f"programme.{code}.countries"] = _chart(
                part.returns.by_sending_country,
                f"{code}: returnees by sending country",
                "Returnees",
                "Sending country",
            )
        section = part.programme
        if section is None:
            continue
        charts[f"programme.{code}.sectors"] = _chart(
            section.projects_by_sector, f"{code}: projects by economic sector", "Projects", "Sector"
        )
        charts[f"programme.{code}.communities"] = _chart(
            section.beneficiaries_by_community,
            f"{code}: direct beneficiaries by community",
            "Beneficiaries",
            "Community",
        )
        charts[f"programme.{code}.houses"] = _chart(
            section.houses_by_status, f"{code}: houses by status", "Houses", "Status"
        )
        charts[f"programme.{code}.topics"] = _chart(
            section.requests_by_topic,
            f"{code}: information requests by topic",
            "Requests received in the period",
            "Topic",
        )
    for unit in programmes.confidential:
        if unit.by_district is not None:
            charts[f"unit.{unit.unit}.districts"] = Markup(
                bar_chart(
                    f"{unit.title}: {unit.by_district.title[:1].lower()}"
                    f"{unit.by_district.title[1:]}",
                    bars_of(unit.by_district),
                    "Cases",
                    "District",
                )
            )
    return charts


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("rrms.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["longdate"] = long_date
    return environment


def _render(
    template: str,
    title: str,
    kicker: str,
    public: bool,
    period: tuple[dt.date, dt.date],
    frame: Markup | None,
    **values: Any,
) -> str:
    return (
        _environment()
        .get_template(template)
        .render(
            title=title,
            kicker=kicker,
            public=public,
            period_from=period[0],
            period_to=period[1],
            version=__version__,
            generated=dt.date.today(),
            frame=frame or Markup(""),
            **values,
        )
    )


def render_returns_html(returns: ReturnsReport, frame: Markup | None = None) -> str:
    """The returns report as an HTML document with its charts (`frame`: see above)."""
    return _render(
        "returns.html",
        "Returns report",
        "RRMS · Returns register",
        returns.public,
        (returns.period_from, returns.period_to),
        frame,
        returns=returns,
        charts=_returns_charts(returns),
    )


def render_programmes_html(programmes: ProgrammeReport, frame: Markup | None = None) -> str:
    """The programme reports as an HTML document with their charts."""
    parts = bulletin_parts(None, programmes)
    return _render(
        "programmes.html",
        "Programme report",
        "RRMS · Reintegration programmes",
        programmes.public,
        (programmes.period_from, programmes.period_to),
        frame,
        programmes=programmes,
        parts=parts,
        charts=_programme_charts(parts, programmes),
    )


def render_bulletin_html(
    returns: ReturnsReport, programmes: ProgrammeReport, frame: Markup | None = None
) -> str:
    """The bulletin: news in brief, the returns, then a section per programme."""
    if returns.public != programmes.public:
        raise ValueError("a bulletin is public or internal as a whole")
    parts = bulletin_parts(returns, programmes)
    return _render(
        "bulletin.html",
        "Returns and reintegration bulletin",
        "RRMS · Quarterly bulletin",
        returns.public,
        (returns.period_from, returns.period_to),
        frame,
        returns=returns,
        programmes=programmes,
        parts=parts,
        news=news_in_brief(returns, programmes),
        charts={**_returns_charts(returns), **_programme_charts(parts, programmes)},
    )


def html_to_pdf(html: str, stylesheet: str | None = None) -> bytes:
    """Lay an HTML report out as PDF with WeasyPrint (needs the system Pango library);
    `stylesheet` is CSS applied on top, for documents whose templates carry no style."""
    from weasyprint import CSS, HTML  # imported here: Pango is only needed for PDFs

    styles = [CSS(string=stylesheet)] if stylesheet else None
    pdf = HTML(string=html).write_pdf(stylesheets=styles)
    if pdf is None:  # pragma: no cover - write_pdf returns bytes without a target
        raise RuntimeError("WeasyPrint produced no PDF")
    return bytes(pdf)
