"""The screening pages: upload a list, see errors or results, answer open questions,
download the result, record it, and take the officer's decisions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.domain.vocabulary import OUTCOMES
from rrms.formats.errors import InputFileError
from rrms.http.headers import content_disposition
from rrms.policy.facts import CATEGORICAL_FACTS, YES_NO_FACTS
from rrms.policy.versions import PolicyError
from rrms.reports.screening import ScreeningReport
from rrms.services.core.access import authorize
from rrms.services.core.errors import Invalid
from rrms.services.identity.checks import list_checks
from rrms.services.screening import decisions as screening_decisions
from rrms.services.screening import upload_results, uploads
from rrms.services.screening.screen import screen_manifest
from rrms.web.session import PageUow, SignedInPage
from rrms.web.uploads import read_upload

router = APIRouter(prefix="/screening")

ANSWER_PREFIX = "answer|"


def _as_of(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{text!r} is not a date YYYY-MM-DD", "as_of") from None


def _question_kind(fact: str) -> tuple[str, tuple[str, ...]]:
    """How an open question is asked: a choice of words, or free text."""
    if fact in YES_NO_FACTS:
        return "choice", ("yes", "no")
    if fact in CATEGORICAL_FACTS:
        return "choice", CATEGORICAL_FACTS[fact].categories
    return "text", ()


@router.get("", response_class=HTMLResponse)
def upload_form(page: SignedInPage) -> HTMLResponse:
    """The upload form."""
    assert page.actor is not None
    authorize(page.actor, "screening", "write")
    return page.render("screening/upload.html", today=dt.date.today().isoformat())


@router.post("", response_model=None)
async def upload(
    page: SignedInPage,
    file: Annotated[UploadFile, File()],
    as_of: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Keep the uploaded list privately and show its screening."""
    _as_of(as_of)
    data = await read_upload(file)
    assert page.actor is not None
    stored = uploads.store_upload(page.actor, file.filename or "list", data)
    return RedirectResponse(f"/screening/work/{stored.upload_id}?as_of={as_of}", status_code=303)


def _screen(
    page: SignedInPage, upload_id: str, as_of: str | None
) -> tuple[uploads.Upload, ScreeningReport | None, InputFileError | None]:
    assert page.actor is not None
    stored = uploads.open_upload(page.actor, upload_id)
    try:
        report = screen_manifest(stored.path, _as_of(as_of), answers=stored.answers)
    except InputFileError as exc:
        return stored, None, exc
    except PolicyError as exc:
        raise Invalid(str(exc), "as_of") from exc
    return stored, report, None


FAMILIES_PER_PAGE = 100
"""Families shown on one page of results: a list of 100,000 persons was one 127 MB page."""


def _results(
    page: SignedInPage,
    uow: PageUow,
    upload_id: str,
    as_of: str | None,
    template: str,
    offset: int = 0,
) -> HTMLResponse:
    assert page.actor is not None
    stored = uploads.open_upload(page.actor, upload_id)
    try:
        screened = upload_results.screened_upload(stored, _as_of(as_of))
    except InputFileError as errors:
        return page.render(
            "screening/errors.html",
            status_code=422,
            upload=stored,
            errors=errors.errors,
            total=errors.total,
            warnings=errors.warnings,
        )
    except PolicyError as exc:
        raise Invalid(str(exc), "as_of") from exc
    total = len(screened.families)
    offset = min(max(0, offset), max(0, total - 1))
    families = screened.families[offset : offset + FAMILIES_PER_PAGE]
    on_page = [ref for family in families for ref in family["members"]]
    # What RRMS already knows of the page's persons: the identity context is asked
    # here, in the web layer, since the screening context may not depend on it.
    known = list_checks(uow, page.actor, stored.path, on_page, list_sha256=stored.sha256)
    return page.render(
        template,
        upload=stored,
        policy_id=screened.policy_id,
        by_ref={ref: screened.persons[ref] for f in families for ref in f["members"]},
        known=known,
        families=families,
        pages={"offset": offset, "limit": FAMILIES_PER_PAGE, "total": total},
        summary=screened.summary,
        as_of=screened.as_of,
        question_kind=_question_kind,
        clauses=screened.clauses,
    )


@router.get("/work/{upload_id}", response_class=HTMLResponse)
def results(
    page: SignedInPage, uow: PageUow, upload_id: str, as_of: str | None = None, offset: int = 0
) -> HTMLResponse:
    """The list's errors, or its results per family and per person, a page at a time,
    each person with what RRMS already knows of them."""
    return _results(page, uow, upload_id, as_of, "screening/results.html", offset)


@router.post("/work/{upload_id}/answers", response_class=HTMLResponse)
async def answer(
    page: SignedInPage, uow: PageUow, request: Request, upload_id: str
) -> HTMLResponse:
    """Record answers to open questions and show the outcomes they lead to."""
    form = await request.form()
    given: dict[tuple[str, str], str] = {}
    for key, value in form.multi_items():
        if key.startswith(ANSWER_PREFIX) and isinstance(value, str):
            _, ref, column = key.split("|", 2)
            given[(ref, column)] = value
    assert page.actor is not None
    uploads.save_answers(page.actor, upload_id, given)
    as_of = str(form.get("as_of") or "") or None
    offset = str(form.get("offset") or "0")
    template = (
        "screening/results_body.html"
        if request.headers.get("hx-request")
        else "screening/results.html"
    )
    return _results(page, uow, upload_id, as_of, template, int(offset) if offset.isdigit() else 0)


@router.get("/work/{upload_id}/download.{extension}")
def download(
    page: SignedInPage, upload_id: str, extension: str, as_of: str | None = None
) -> Response:
    """The result as CSV, XLSX or PDF."""
    stored, report, errors = _screen(page, upload_id, as_of)
    if report is None:
        raise Invalid("the list has errors; correct them before downloading a result", "file")
    stem = stored.file_name.rsplit(".", 1)[0] + "-screening"
    if extension == "csv":
        text = io.StringIO()
        report.write_csv(text)
        body, media = text.getvalue().encode("utf-8-sig"), "text/csv"
    elif extension == "xlsx":
        binary = io.BytesIO()
        report.write_xlsx(binary)
        body, media = (
            binary.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif extension == "pdf":
        body, media = report.pdf_bytes(), "application/pdf"
    else:
        raise Invalid("download as csv, xlsx or pdf", "extension")
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": content_disposition(f"{stem}.{extension}")},
    )


@router.post("/work/{upload_id}/record")
async def record(
    page: SignedInPage, uow: PageUow, request: Request, upload_id: str
) -> RedirectResponse:
    """Store the screening (recommendations, policy version) for the officer's decisions."""
    form = await request.form()
    stored, report, errors = _screen(page, upload_id, str(form.get("as_of") or "") or None)
    if report is None:
        raise Invalid("the list has errors; correct them before recording it", "file")
    assert page.actor is not None
    screened = screening_decisions.record_screening(
        uow, page.actor, report, stored.file_name, stored.sha256
    )
    return RedirectResponse(f"/screening/lists/{screened.id}", status_code=303)


@router.get("/lists", response_class=HTMLResponse)
def lists(page: SignedInPage, uow: PageUow, offset: int = 0) -> HTMLResponse:
    """Recorded screenings, newest first."""
    assert page.actor is not None
    found = screening_decisions.list_screenings(uow, page.actor, limit=50, offset=max(0, offset))
    return page.render("screening/lists.html", found=found)


@router.get("/lists/{list_id}", response_class=HTMLResponse)
def decisions(
    page: SignedInPage, uow: PageUow, list_id: int, undecided: bool | None = None, offset: int = 0
) -> HTMLResponse:
    """A recorded list's recommendations, with a decision form for each person."""
    assert page.actor is not None
    screened = screening_decisions.get_screening(uow, page.actor, list_id)
    found = screening_decisions.list_decisions(
        uow, page.actor, list_id, limit=100, offset=max(0, offset), undecided=undecided
    )
    done = screening_decisions.progress(uow, page.actor, list_id)
    return page.render(
        "screening/decisions.html",
        screened=screened,
        found=found,
        progress=done,
        outcomes=tuple(reversed(OUTCOMES)),
    )


@router.post("/decisions/{decision_id}", response_model=None)
def decide(
    page: SignedInPage,
    uow: PageUow,
    decision_id: int,
    version: Annotated[int, Form()],
    decision: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Record the officer's decision; a reason is required where it differs."""
    assert page.actor is not None
    row = screening_decisions.decide(
        uow, page.actor, decision_id, version, decision, reason.strip() or None
    )
    return RedirectResponse(f"/screening/lists/{row.list_id}#decision-{row.id}", status_code=303)


ROUTERS = [router]
