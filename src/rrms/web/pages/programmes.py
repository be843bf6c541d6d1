"""Programme pages: each programme's eligibility, cap, assistance, projects, indicators
and charts, from the same reports the bulletin uses, in the page's language (words,
figures, money and dates: the `number`, `money` and `date` filters)."""

from __future__ import annotations

import datetime as dt
import re
from html import escape, unescape
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from rrms.i18n import N_, Language
from rrms.reports.charts import bars_of, breakdown_chart
from rrms.reports.disclosure import Breakdown
from rrms.reports.localise import localise
from rrms.services.core import records
from rrms.services.programmes.assistance import ASSISTANCE, assistance_totals
from rrms.services.programmes.housing import HOUSING
from rrms.services.programmes.programmes import PROGRAMMES
from rrms.services.programmes.projects import PROJECTS
from rrms.services.programmes.trainings import TRAININGS
from rrms.services.reporting import reports as reporting
from rrms.web.i18n import report_language
from rrms.web.session import PageUow, SignedInPage

router = APIRouter(prefix="/programmes")

RECORDS_SHOWN = 50
"""How many of a programme's projects, houses and trainings its page lists (the
latest first); the full list is the desk's, filtered by the programme."""

UNDER_PROGRAMME = (
    ("projects", PROJECTS, ("approved_on", True)),
    ("housing", HOUSING, ("house_ref", False)),
    ("trainings", TRAININGS, ("held_on", True)),
)
"""(permission entity, record kind, order) of the records listed under a programme."""

FIRST_RECORDS = dt.date(1999, 6, 12)
"""UNMIK's mandate began: no programme reports from before."""


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>")
_SVG_OPENING = re.compile(r"<svg\b")


def _attributes(declarations: str) -> str:
    """`fill: #fff; stroke-width: 0.8` as SVG presentation attributes."""
    found = []
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            found.append(f' {name.strip()}="{escape(value.strip(), quote=True)}"')
    return "".join(found)


def csp_safe_svg(svg: str) -> str:
    """A matplotlib SVG drawn the same under a policy that allows no inline style.

    matplotlib writes `style="fill: …"` attributes and a `<style>` element, which the
    pages' Content-Security-Policy (`style-src 'self'`) refuses. Each declaration it
    writes is also an SVG presentation attribute (`fill="…"`), which no policy blocks;
    the `<style>` element's rule for every element becomes attributes of the `<svg>`,
    which its elements inherit.
    """
    inherited = ""
    element = _STYLE_ELEMENT.search(svg)
    if element is not None:
        inherited = _attributes(element.group(1))
        svg = svg[: element.start()] + svg[element.end() :]
    svg = _STYLE_ATTRIBUTE.sub(lambda found: _attributes(unescape(found.group(1))), svg)
    return _SVG_OPENING.sub(lambda found: found.group(0) + inherited, svg, count=1)


def _chart(
    item: Breakdown, title: str, value: str, category: str, code: str, language: Language
) -> Markup | None:
    """A chart when it has at least two bars (one bar says no more than its table), its
    words (English messages here) and figures in the page's language."""
    if len(bars_of(item)) < 2:
        return None
    _ = language.gettext
    svg = breakdown_chart(item, _(title) % {"code": code}, _(value), _(category), language=language)
    return Markup(csp_safe_svg(svg))


@router.get("", response_class=HTMLResponse)
def programmes(page: SignedInPage, uow: PageUow) -> HTMLResponse:
    """All programmes."""
    assert page.actor is not None
    found = records.list_records(uow, page.actor, PROGRAMMES, {}, limit=200)
    return page.render("programmes/list.html", found=found)


@router.get("/{programme_id}", response_class=HTMLResponse)
def programme(page: SignedInPage, uow: PageUow, programme_id: int) -> HTMLResponse:
    """One programme and what it achieved, from its start (or 1999) to today."""
    assert page.actor is not None
    row = records.get_record(uow, page.actor, PROGRAMMES, programme_id)
    start = max(row.period_start or FIRST_RECORDS, FIRST_RECORDS)
    end = dt.date.today()
    figures = reporting.bulletin(uow, page.actor, start, end)
    written_in = report_language(page.language)
    section = localise(figures.programmes, written_in).section(row.code)
    arrivals = localise(figures.returns, written_in).programme(row.code)
    charts: dict[str, Any] = {}
    if arrivals is not None:
        charts["countries"] = _chart(
            arrivals.by_sending_country,
            N_("%(code)s: returnees by sending country"),
            N_("Returnees"),
            N_("Sending country"),
            row.code,
            written_in,
        )
    if section is not None:
        charts["sectors"] = _chart(
            section.projects_by_sector,
            N_("%(code)s: projects by economic sector"),
            N_("Projects"),
            N_("Sector"),
            row.code,
            written_in,
        )
        charts["communities"] = _chart(
            section.beneficiaries_by_community,
            N_("%(code)s: direct beneficiaries by community"),
            N_("Beneficiaries"),
            N_("Community"),
            row.code,
            written_in,
        )
        charts["topics"] = _chart(
            section.requests_by_topic,
            N_("%(code)s: information requests by topic"),
            N_("Requests"),
            N_("Topic"),
            row.code,
            written_in,
        )
    assistance = None
    if page.can("assistance"):
        totals = assistance_totals(uow, page.actor, row.id)
        latest = max(0, sum(t.count for t in totals) - 20)
        assistance = {
            "totals": totals,
            "latest": records.list_records(
                uow, page.actor, ASSISTANCE, {"programme_id": row.id}, limit=20, offset=latest
            ),
        }
    under = {
        entity: records.list_records(
            uow, page.actor, kind, {"programme_id": row.id}, RECORDS_SHOWN, order=order
        )
        for entity, kind, order in UNDER_PROGRAMME
        if page.can(entity)
    }
    return page.render(
        "programmes/programme.html",
        programme=row,
        under=under,
        assistance=assistance,
        section=section,
        arrivals=arrivals,
        charts={k: v for k, v in charts.items() if v is not None},
        period=(start, end),
        public=figures.returns.public,
    )


ROUTERS = [router]
