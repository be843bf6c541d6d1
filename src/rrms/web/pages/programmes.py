"""Programme pages: each programme's eligibility, cap, assistance, projects, indicators
and charts, from the same reports the bulletin uses."""

from __future__ import annotations

import datetime as dt
import re
from html import escape, unescape
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from rrms.reports.charts import bars_of, breakdown_chart
from rrms.reports.disclosure import Breakdown
from rrms.services.core import records
from rrms.services.programmes.assistance import ASSISTANCE, assistance_totals
from rrms.services.programmes.housing import HOUSING
from rrms.services.programmes.programmes import PROGRAMMES
from rrms.services.programmes.projects import PROJECTS
from rrms.services.programmes.trainings import TRAININGS
from rrms.services.reporting import reports as reporting
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


def _chart(item: Breakdown, title: str, value: str, category: str) -> Markup | None:
    """A chart when it has at least two bars (one bar says no more than its table)."""
    if len(bars_of(item)) < 2:
        return None
    return Markup(csp_safe_svg(breakdown_chart(item, title, value, category)))


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
    section = figures.programmes.section(row.code)
    arrivals = figures.returns.programme(row.code)
    charts: dict[str, Any] = {}
    if arrivals is not None:
        charts["countries"] = _chart(
            arrivals.by_sending_country,
            f"{row.code}: returnees by sending country",
            "Returnees",
            "Sending country",
        )
    if section is not None:
        charts["sectors"] = _chart(
            section.projects_by_sector,
            f"{row.code}: projects by economic sector",
            "Projects",
            "Sector",
        )
        charts["communities"] = _chart(
            section.beneficiaries_by_community,
            f"{row.code}: direct beneficiaries by community",
            "Beneficiaries",
            "Community",
        )
        charts["topics"] = _chart(
            section.requests_by_topic,
            f"{row.code}: information requests by topic",
            "Requests",
            "Topic",
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
