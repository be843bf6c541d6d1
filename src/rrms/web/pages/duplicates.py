"""The review queue of probable duplicates: the queue, two persons side by side, merge,
"not the same person", and the page after a merge (caps breached, undo).

Every read and decision goes through `rrms.services.identity` (authorised, audited);
the side-by-side view reads each person as their own page does
(`rrms.services.records.overview.person_overview`: only the parts the reader's role may
read) and their documents through the record path. A pair naming a person with a
confidential case is never shown: the service answers as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.services.core import records
from rrms.services.core.access import Actor, allowed
from rrms.services.identity.duplicates import (
    QUEUE_PAGE,
    also_proposed,
    also_proposed_counts,
    mark_not_same,
    queue,
    queued_pair,
)
from rrms.services.identity.link import EVIDENCE_FIELDS
from rrms.services.identity.merge import merge_pair, merge_view, unmerge
from rrms.services.records.documents import DOCUMENTS
from rrms.services.records.overview import PersonOverview, person_overview
from rrms.web.session import PageUow, SignedInPage

router = APIRouter(prefix="/duplicates")


@router.get("", response_class=HTMLResponse)
def duplicates_queue(
    page: SignedInPage, uow: PageUow, status: str = "open", offset: int = 0
) -> HTMLResponse:
    """The queue: pairs most probable first, with the evidence in words and how many
    other pairs propose either person."""
    assert page.actor is not None
    rows, total = queue(uow, page.actor, status or None, max(0, offset))
    return page.render(
        "duplicates/queue.html",
        rows=rows,
        also=also_proposed_counts(uow, page.actor, rows),
        total=total,
        status=status,
        offset=max(0, offset),
        page_size=QUEUE_PAGE,
        evidence_fields=EVIDENCE_FIELDS,
    )


def _documents(uow: PageUow, actor: Actor, person_id: int) -> list[Any] | None:
    if not allowed(actor, "documents", "read"):
        return None
    found = records.list_records(uow, actor, DOCUMENTS, {"person_id": person_id}, limit=100)
    return list(found.items)


@router.get("/{pair_id}", response_class=HTMLResponse)
def compare(page: SignedInPage, uow: PageUow, pair_id: int) -> HTMLResponse:
    """Two persons side by side: every field and the records the reader may read, and
    the other pairs that propose either of them."""
    assert page.actor is not None
    found = queued_pair(uow, page.actor, pair_id)
    pair, left_id, right_id = found.pair, found.left.id, found.right.id
    sides: list[tuple[PersonOverview, list[Any] | None]] = [
        (person_overview(uow, page.actor, person_id), _documents(uow, page.actor, person_id))
        for person_id in (left_id, right_id)
    ]
    return page.render(
        "duplicates/compare.html",
        pair=uow.duplicates.pair(pair_id) or pair,
        sides=sides,
        also=also_proposed(uow, page.actor, found),
        evidence_fields=EVIDENCE_FIELDS,
    )


@router.post("/{pair_id}/merge", response_model=None)
def merge(
    page: SignedInPage,
    uow: PageUow,
    pair_id: int,
    version: Annotated[int, Form(ge=1)],
    keep: Annotated[int, Form(ge=1)],
) -> Response:
    """Merge the pair into the person kept, then show the merge (and any cap breached)."""
    assert page.actor is not None
    done = merge_pair(uow, page.actor, pair_id, version, keep)
    return RedirectResponse(f"/duplicates/merges/{done.id}", status_code=303)


@router.post("/{pair_id}/not-same", response_model=None)
def not_same(
    page: SignedInPage, uow: PageUow, pair_id: int, version: Annotated[int, Form(ge=1)]
) -> Response:
    """Mark the pair not the same person; back to the queue."""
    assert page.actor is not None
    mark_not_same(uow, page.actor, pair_id, version)
    return RedirectResponse("/duplicates", status_code=303)


@router.get("/merges/{merge_id}", response_class=HTMLResponse)
def merged(page: SignedInPage, uow: PageUow, merge_id: int) -> HTMLResponse:
    """The merge: who was kept, what moved, the caps breached, and undoing it."""
    assert page.actor is not None
    view = merge_view(uow, page.actor, merge_id)
    moved = {key.split(".")[0]: len(ids) for key, ids in view.merge.moved.items()}
    return page.render("duplicates/merged.html", view=view, merge=view.merge, moved=moved)


@router.post("/merges/{merge_id}/unmerge", response_model=None)
def undo(
    page: SignedInPage, uow: PageUow, merge_id: int, version: Annotated[int, Form(ge=1)]
) -> Response:
    """Undo the merge; back to the pair, both persons again."""
    assert page.actor is not None
    done = unmerge(uow, page.actor, merge_id, version)
    return RedirectResponse(f"/duplicates/{done.pair_id}", status_code=303)


ROUTERS = [router]
