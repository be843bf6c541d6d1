"""Work queues: Return Information Fund requests with their turnaround, and each
confidential unit's own cases (no other unit, not even an administrator, sees them)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from rrms.services.core import records
from rrms.services.programmes.confidential import CONFIDENTIAL_CASES
from rrms.services.programmes.information_requests import INFORMATION_REQUESTS, turnaround_days
from rrms.web.session import PageUow, SignedInPage

router = APIRouter()


@router.get("/information-requests", response_class=HTMLResponse)
def information_requests(
    page: SignedInPage, uow: PageUow, status: str | None = None, offset: int = 0
) -> HTMLResponse:
    """The RIF queue: open requests first by age, with days open or turnaround."""
    assert page.actor is not None
    found = records.list_records(
        uow,
        page.actor,
        INFORMATION_REQUESTS,
        {"status": status or None},
        limit=100,
        offset=max(0, offset),
    )
    today = dt.date.today()
    rows = [
        (r, turnaround_days(r.received_on, r.answered_on), (today - r.received_on).days)
        for r in found.items
    ]
    rows.sort(key=lambda item: (item[0].status != "open", item[0].received_on))
    return page.render("queues/information_requests.html", found=found, rows=rows, status=status)


@router.get("/confidential-cases", response_class=HTMLResponse)
def confidential_cases(
    page: SignedInPage, uow: PageUow, status: str | None = None, offset: int = 0
) -> HTMLResponse:
    """The signed-in unit's own cases."""
    assert page.actor is not None
    found = records.list_records(
        uow,
        page.actor,
        CONFIDENTIAL_CASES,
        {"status": status or None},
        limit=100,
        offset=max(0, offset),
    )
    return page.render("queues/confidential_cases.html", found=found, status=status)


ROUTERS = [router]
