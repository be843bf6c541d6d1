"""The start page: the work waiting for the signed-in user's role, and their recent work.

Each queue is a count that links to the list it counts, filtered; a queue shows only
to roles that may read its records, so the page never shows a figure the role may not
see (a confidential unit's cases are counted for that unit alone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from rrms.services.core.access import Actor, allowed
from rrms.services.core.recent_work import RecentChange, recent_changes
from rrms.services.core.records import count_records
from rrms.services.programmes.assistance import ASSISTANCE, DECIDING_ROLE
from rrms.services.programmes.confidential import CONFIDENTIAL_CASES
from rrms.services.programmes.information_requests import (
    INFORMATION_REQUESTS,
    overdue_narrowing,
    turnaround_target,
)
from rrms.services.screening.decisions import count_undecided_lists
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.desk.spec import N_
from rrms.web.session import PageUow, SignedInPage

router = APIRouter()

RECORD_PAGES = {
    "assistance": "/assistance/{}",
    "projects": "/projects/{}",
    "housing": "/housing/{}",
    "information_requests": "/information-requests/{}",
    "trainings": "/trainings/{}",
    "confidential_cases": "/confidential-cases/{}",
    "persons": "/persons/{}",
    "returns": "/arrivals/{}",
    "screening": "/screening/lists/{}",
}
"""Where each kind of record a user may have changed is shown."""

ENTITY_LABELS = {
    "assistance": N_("Assistance"),
    "projects": N_("Project"),
    "housing": N_("House"),
    "information_requests": N_("Information request"),
    "trainings": N_("Training"),
    "confidential_cases": N_("Confidential case"),
    "persons": N_("Person"),
    "returns": N_("Arrival"),
    "screening": N_("Screening list"),
    "documents": N_("Document"),
    "families": N_("Family"),
    "users": N_("User"),
    "consents": N_("Consent"),
    "correction_requests": N_("Correction request"),
    "programmes": N_("Programme"),
}


@dataclass(frozen=True)
class Queue:
    """One count of waiting work, the list it opens, and whether it is urgent."""

    label: str
    count: int
    link: str
    urgent: bool = False


def work_queues(uow: UnitOfWork, actor: Actor, today: dt.date) -> list[Queue]:
    """The queues the actor's role works on, each counted under its read permission."""
    queues: list[Queue] = []
    if allowed(actor, "assistance", "read"):
        waiting = count_records(uow, actor, ASSISTANCE, {"status": "requested"})
        label = (
            N_("Assistance awaiting your approval")
            if actor.role == DECIDING_ROLE
            else N_("Assistance awaiting approval")
        )
        queues.append(Queue(label, waiting, "/assistance?status=requested"))
        if actor.role == DECIDING_ROLE:
            approved = count_records(uow, actor, ASSISTANCE, {"status": "approved"})
            queues.append(
                Queue(N_("Approved assistance to pay"), approved, "/assistance?status=approved")
            )
    if allowed(actor, "information_requests", "read"):
        open_ = count_records(uow, actor, INFORMATION_REQUESTS, {"status": "open"})
        overdue, received = overdue_narrowing(today)
        late = count_records(uow, actor, INFORMATION_REQUESTS, overdue, spans=received)
        queues.append(
            Queue(N_("Information requests open"), open_, "/information-requests?status=open")
        )
        queues.append(
            Queue(
                N_("Information requests overdue"),
                late,
                "/information-requests?status=open&overdue=yes",
                urgent=late > 0,
            )
        )
    if allowed(actor, "screening", "read"):
        undecided = count_undecided_lists(uow, actor)
        queues.append(
            Queue(N_("Screening lists with undecided persons"), undecided, "/screening/lists")
        )
    if actor.unit is not None and allowed(actor, "confidential_cases", "read"):
        cases = count_records(uow, actor, CONFIDENTIAL_CASES, {"status": "open"})
        queues.append(
            Queue(N_("Open cases of your unit"), cases, "/confidential-cases?status=open")
        )
    return queues


def _recent(uow: UnitOfWork, actor: Actor) -> list[tuple[RecentChange, str | None, str]]:
    shown = []
    for change in recent_changes(uow, actor):
        page = RECORD_PAGES.get(change.entity)
        label = ENTITY_LABELS.get(change.entity, change.entity.replace("_", " "))
        shown.append((change, page.format(change.entity_id) if page else None, label))
    return shown


@router.get("/", response_class=HTMLResponse)
def home(page: SignedInPage, uow: PageUow) -> HTMLResponse:
    """The work waiting for the user's role, their recent records, and the way in to
    everything else the role allows."""
    assert page.actor is not None
    today = dt.date.today()
    return page.render(
        "home.html",
        queues=work_queues(uow, page.actor, today),
        recent=_recent(uow, page.actor),
        turnaround=turnaround_target() if page.can("information_requests") else None,
    )


ROUTERS = [router]
