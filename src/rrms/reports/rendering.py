"""The HTML and PDF forms of every report: the returns report, the programme report
and the bulletin, with their charts.

HTML comes from the Jinja templates in ``templates/`` (one frame, `report_base.html`,
for every report); the charts are SVG drawn by `rrms.reports.charts` from the same
protected breakdowns as the tables. PDF is the same HTML laid out by WeasyPrint (which
needs the system's Pango library, imported only when a PDF is asked for).

Every report is written in a :class:`~rrms.i18n.Language` (English by default): its
words through the catalogues (`rrms.reports.localise` for the figures' titles and
labels, `_()` in the templates), its figures and dates as the locale writes them. The
JSON is never translated.

A page that shows a report inside an application (the web pages) passes a ``frame``:
HTML put at the top of the body (the application's header and a way back), which is
for the screen only and never printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from rrms import __version__
from rrms.i18n import ENGLISH, LANGUAGES, N_, Language
from rrms.i18n import language as i18n_language
from rrms.reports.bulletin import BulletinPart, bulletin_parts, news_in_brief
from rrms.reports.charts import bar_chart, bars_of, breakdown_chart
from rrms.reports.disclosure import Breakdown
from rrms.reports.localise import figure, localise
from rrms.reports.programme_model import ProgrammeReport
from rrms.reports.returns_model import ReturnsReport

__all__ = [
    "html_to_pdf",
    "render_bulletin_html",
    "render_programmes_html",
    "render_returns_html",
]


def _chart(
    item: Breakdown,
    title: str,
    value: str,
    category: str,
    language: Language,
    percent: bool = False,
    **values: object,
) -> Markup:
    """The chart of a breakdown, or nothing for fewer than two bars (its table says it all).

    `title`, `value` and `category` are English messages, translated here; `values` fill
    the title's placeholders."""
    if len(bars_of(item, percent=percent)) < 2:
        return Markup("")
    _ = language.gettext
    return Markup(
        breakdown_chart(
            item,
            _(title) % values,  # every message is %-formatted, so "%%" is a percent sign
            _(value) % {},
            _(category) % {},
            percent=percent,
            language=language,
        )
    )


def _returns_charts(returns: ReturnsReport, language: Language) -> dict[str, Markup]:
    return {
        "returns.by_sending_country": _chart(
            returns.by_sending_country,
            N_("Returnees by sending country"),
            N_("Returnees"),
            N_("Sending country"),
            language,
        ),
        "returns.by_region": _chart(
            returns.by_destination_region,
            N_("Returnees by destination district"),
            N_("Returnees"),
            N_("District"),
            language,
        ),
        "returns.cumulative_regions": _chart(
            returns.cumulative_by_region,
            N_("Share of all returnees to date, by district (n = %(n)s)"),
            N_("Share of returnees (%%)"),
            N_("District"),
            language,
            percent=True,
            n=language.number(returns.cumulative_total),
        ),
    }


def _programme_charts(
    parts: Iterable[BulletinPart], programmes: ProgrammeReport, language: Language
) -> dict[str, Markup]:
    charts: dict[str, Markup] = {}
    for part in parts:
        code = part.code
        if part.returns is not None and part.returns.by_sending_country.entries:
            charts[f"programme.{code}.countries"] = _chart(
                part.returns.by_sending_country,
                N_("%(code)s: returnees by sending country"),
                N_("Returnees"),
                N_("Sending country"),
                language,
                code=code,
            )
        section = part.programme
        if section is None:
            continue
        charts[f"programme.{code}.sectors"] = _chart(
            section.projects_by_sector,
            N_("%(code)s: projects by economic sector"),
            N_("Projects"),
            N_("Sector"),
            language,
            code=code,
        )
        charts[f"programme.{code}.communities"] = _chart(
            section.beneficiaries_by_community,
            N_("%(code)s: direct beneficiaries by community"),
            N_("Beneficiaries"),
            N_("Community"),
            language,
            code=code,
        )
        charts[f"programme.{code}.houses"] = _chart(
            section.houses_by_status,
            N_("%(code)s: houses by status"),
            N_("Houses"),
            N_("Status"),
            language,
            code=code,
        )
        charts[f"programme.{code}.topics"] = _chart(
            section.requests_by_topic,
            N_("%(code)s: information requests by topic"),
            N_("Requests received in the period"),
            N_("Topic"),
            language,
            code=code,
        )
    for unit in programmes.confidential:
        if unit.by_district is not None:
            charts[f"unit.{unit.unit}.districts"] = Markup(
                bar_chart(
                    f"{unit.title}: {unit.by_district.title[:1].lower()}"
                    f"{unit.by_district.title[1:]}",
                    bars_of(unit.by_district, language=language),
                    language.gettext(N_("Cases")),
                    language.gettext(N_("District")),
                    language=language,
                )
            )
    return charts


@lru_cache(maxsize=len(LANGUAGES))
def _environment(code: str) -> Environment:
    """The reports' templates in one language: `_()` translates, and the filters write
    figures and dates as its locale does (`number`, `money`, `percent`, `figure`,
    `longdate`, `monthyear`)."""
    language = i18n_language(code)
    environment = Environment(
        loader=PackageLoader("rrms.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(language.catalogue, newstyle=True)  # type: ignore[attr-defined]
    environment.filters["longdate"] = language.date
    environment.filters["monthyear"] = language.month_year
    environment.filters["number"] = language.number
    environment.filters["money"] = language.money
    environment.filters["percent"] = language.percent
    environment.filters["figure"] = lambda cell: figure(cell, language)
    environment.globals["lang"] = language.code
    return environment


def _render(
    template: str,
    title: str,
    kicker: str,
    public: bool,
    period: tuple[dt.date, dt.date],
    frame: Markup | None,
    language: Language,
    **values: Any,
) -> str:
    _ = language.gettext
    return (
        _environment(language.code)
        .get_template(template)
        .render(
            title=_(title),
            kicker=_(kicker),
            public=public,
            period_from=period[0],
            period_to=period[1],
            version=__version__,
            generated=dt.date.today(),
            frame=frame or Markup(""),
            **values,
        )
    )


def render_returns_html(
    returns: ReturnsReport, frame: Markup | None = None, language: Language = ENGLISH
) -> str:
    """The returns report as an HTML document with its charts, in `language` (`frame`:
    see above)."""
    returns = localise(returns, language)
    return _render(
        "returns.html",
        N_("Returns report"),
        N_("RRMS · Returns register"),
        returns.public,
        (returns.period_from, returns.period_to),
        frame,
        language,
        returns=returns,
        charts=_returns_charts(returns, language),
    )


def render_programmes_html(
    programmes: ProgrammeReport, frame: Markup | None = None, language: Language = ENGLISH
) -> str:
    """The programme reports as an HTML document with their charts, in `language`."""
    programmes = localise(programmes, language)
    parts = bulletin_parts(None, programmes)
    return _render(
        "programmes.html",
        N_("Programme report"),
        N_("RRMS · Reintegration programmes"),
        programmes.public,
        (programmes.period_from, programmes.period_to),
        frame,
        language,
        programmes=programmes,
        parts=parts,
        charts=_programme_charts(parts, programmes, language),
    )


def render_bulletin_html(
    returns: ReturnsReport,
    programmes: ProgrammeReport,
    frame: Markup | None = None,
    language: Language = ENGLISH,
) -> str:
    """The bulletin: news in brief, the returns, then a section per programme, in
    `language`."""
    if returns.public != programmes.public:
        raise ValueError("a bulletin is public or internal as a whole")
    returns = localise(returns, language)
    programmes = localise(programmes, language)
    parts = bulletin_parts(returns, programmes)
    return _render(
        "bulletin.html",
        N_("Returns and reintegration bulletin"),
        N_("RRMS · Quarterly bulletin"),
        returns.public,
        (returns.period_from, returns.period_to),
        frame,
        language,
        returns=returns,
        programmes=programmes,
        parts=parts,
        news=news_in_brief(returns, programmes, language),
        charts={
            **_returns_charts(returns, language),
            **_programme_charts(parts, programmes, language),
        },
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
