"""The sharing page: a pseudonymised export for a partner, as a download, and the log of
exports (programme managers and administrators; the same service as `rrms share export`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from rrms.domain.messages import N_
from rrms.http.headers import content_disposition
from rrms.services.core.errors import Invalid
from rrms.services.records.sharing import export_for_sharing, sharing_log
from rrms.web.session import PageUow, SignedInPage

router = APIRouter(prefix="/sharing")


def _date(text: str, field: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(
            N_("{field} is not a date (YYYY-MM-DD): {text!r}", field=field, text=text), field
        ) from None


@router.get("", response_class=HTMLResponse)
def sharing(page: SignedInPage, uow: PageUow) -> HTMLResponse:
    """The export form and the latest exports."""
    assert page.actor is not None
    return page.render("sharing/index.html", log=sharing_log(uow, page.actor), values={})


@router.post("/export", response_model=None)
def export(
    page: SignedInPage,
    uow: PageUow,
    purpose: Annotated[str, Form(max_length=40)],
    recipient: Annotated[str, Form(max_length=200)],
    file_format: Annotated[str, Form(alias="format", max_length=4)] = "csv",
    date_from: Annotated[str, Form(alias="from", max_length=12)] = "",
    date_to: Annotated[str, Form(alias="to", max_length=12)] = "",
) -> Response:
    """The export as a download; a refusal (no consent covers the purpose) on the page."""
    assert page.actor is not None
    values = {"purpose": purpose, "recipient": recipient, "from": date_from, "to": date_to}
    try:
        shared = export_for_sharing(
            uow,
            page.actor,
            purpose,
            recipient,
            file_format,
            _date(date_from, "from"),
            _date(date_to, "to"),
        )
    except Invalid as exc:
        return page.render(
            "sharing/index.html",
            status_code=422,
            log=sharing_log(uow, page.actor),
            values=values,
            error=exc.message,
        )
    return Response(
        shared.data,
        media_type=shared.media_type,
        headers={
            "Content-Disposition": content_disposition(shared.file_name),
        },
    )


ROUTERS = [router]
