"""The screening pages: upload a list, see errors or results, answer open questions,
download the result, record it, and take the officer's decisions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.domain.messages import N_, message_of
from rrms.domain.vocabulary import OUTCOMES
from rrms.formats.errors import CellError, InputFileError
from rrms.formats.tabular import encoding_label
from rrms.http.headers import content_disposition
from rrms.policy.facts import CATEGORICAL_FACTS, YES_NO_FACTS
from rrms.policy.versions import PolicyError
from rrms.reports.screening import ScreeningReport
from rrms.services.core.access import authorize
from rrms.services.core.errors import Invalid
from rrms.services.identity.checks import list_checks
from rrms.services.screening import corrections, upload_results, uploads
from rrms.services.screening import decisions as screening_decisions
from rrms.services.screening import reply as screening_reply
from rrms.services.screening.screen import screen_manifest
from rrms.web.i18n import report_language
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
        raise Invalid(N_("{text!r} is not a date YYYY-MM-DD", text=text), "as_of") from None


def _question_kind(fact: str) -> tuple[str, tuple[str, ...]]:
    """How an open question is asked: a choice of words, or free text."""
    if fact in YES_NO_FACTS:
        return "choice", ("yes", "no")
    if fact in CATEGORICAL_FACTS:
        return "choice", CATEGORICAL_FACTS[fact].categories
    return "text", ()


def _questions(missing: list[str], answered: dict[str, str]) -> list[tuple[str, str]]:
    """The questions a person's row asks: those still open, then those already answered
    (which stay open to correction), each with its current answer ('' if none)."""
    asked = [(fact, "") for fact in missing]
    return asked + [(fact, value) for fact, value in answered.items() if fact not in missing]


def _answered_by_ref(answers: dict[tuple[str, str], str]) -> dict[str, dict[str, str]]:
    by_ref: dict[str, dict[str, str]] = {}
    for (ref, fact), value in answers.items():
        by_ref.setdefault(ref, {})[fact] = value
    return by_ref


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
        report = screen_manifest(
            stored.path, _as_of(as_of), answers=stored.answers, file_name=stored.file_name
        )
    except InputFileError as exc:
        return stored, None, exc
    except PolicyError as exc:
        raise Invalid(message_of(exc), "as_of") from exc
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
        raise Invalid(message_of(exc), "as_of") from exc
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
        warnings=screened.warnings,
        encoding=screened.encoding,
        questions=_questions,
        answered=_answered_by_ref(stored.answers),
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
    """The result as CSV, XLSX or PDF, in the page's language (docs/reports.md)."""
    stored, report, errors = _screen(page, upload_id, as_of)
    if report is None:
        raise Invalid(N_("the list has errors; correct them before downloading a result"), "file")
    written_in = report_language(page.language)
    stem = stored.file_name.rsplit(".", 1)[0] + "-screening"
    if extension == "csv":
        text = io.StringIO()
        report.write_csv(text, notes=True, language=written_in)
        body, media = text.getvalue().encode("utf-8-sig"), "text/csv"
    elif extension == "xlsx":
        binary = io.BytesIO()
        report.write_xlsx(binary, written_in)
        body, media = (
            binary.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif extension == "pdf":
        body, media = report.pdf_bytes(written_in), "application/pdf"
    else:
        raise Invalid(N_("download as csv, xlsx or pdf"), "extension")
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
        raise Invalid(N_("the list has errors; correct them before recording it"), "file")
    assert page.actor is not None
    screened = screening_decisions.record_screening(
        uow, page.actor, report, stored.file_name, stored.sha256, answers=stored.answers
    )
    return RedirectResponse(f"/screening/lists/{screened.id}", status_code=303)


@router.get("/lists", response_class=HTMLResponse)
def lists(page: SignedInPage, uow: PageUow, offset: int = 0, sort: str = "") -> HTMLResponse:
    """Recorded screenings, newest first or sorted by a date, a page at a time with the
    total."""
    assert page.actor is not None
    if sort.lstrip("-") not in screening_decisions.LIST_ORDERS:
        sort = ""
    order = (sort.lstrip("-"), sort.startswith("-")) if sort else None
    found = screening_decisions.list_screenings(
        uow, page.actor, limit=50, offset=max(0, offset), order=order
    )
    counts = screening_decisions.progress_of(uow, page.actor, [s.id for s in found.items])
    return page.render(
        "screening/lists.html", found=found, counts=counts, outcomes=OUTCOMES, sort=sort
    )


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
    given = corrections.answers_of(uow, page.actor, [d.id for d in found.items])
    return page.render(
        "screening/decisions.html",
        screened=screened,
        found=found,
        progress=done,
        outcomes=tuple(reversed(OUTCOMES)),
        answered={
            i: {fact: a.value for fact, a in by_fact.items()} for i, by_fact in given.items()
        },
        questions=_questions,
        question_kind=_question_kind,
        warnings=[_described(w) for w in screened.warnings or []],
        encoding=encoding_label(screened.encoding) or None,
        reply_languages=screening_reply.reply_languages(uow, page.actor, list_id),
    )


def _described(warning: dict[str, Any]) -> dict[str, Any]:
    """A stored warning with its one-line text, as the results page shows it."""
    error = CellError(
        warning["row"],
        warning["column"],
        warning["value"],
        warning["message"],
        tuple(warning.get("suggestions", ())),
    )
    return {**warning, "text": error.describe()}


@router.post("/decisions/{decision_id}/answers", response_model=None)
async def correct(page: SignedInPage, uow: PageUow, request: Request, decision_id: int) -> Response:
    """Give or correct a recorded list's person's answers; the family is screened again."""
    assert page.actor is not None
    form = await request.form()
    current = corrections.answers_of(uow, page.actor, [decision_id]).get(decision_id, {})
    family = []
    for key, value in form.multi_items():
        if not key.startswith(ANSWER_PREFIX) or not isinstance(value, str):
            continue
        fact = key[len(ANSWER_PREFIX) :]
        known = current.get(fact)
        if value.strip() != (known.value if known else ""):
            family = corrections.answer(uow, page.actor, decision_id, fact, value)
    row = (
        screening_decisions.get_decision(uow, page.actor, decision_id) if not family else family[0]
    )
    return RedirectResponse(
        f"/screening/lists/{row.list_id}?offset={_offset(form)}#decision-{decision_id}",
        status_code=303,
    )


def _offset(form: Any) -> int:
    text = str(form.get("offset") or "0")
    return int(text) if text.isdigit() else 0


@router.post("/lists/{list_id}/accept", response_model=None)
async def accept(page: SignedInPage, uow: PageUow, request: Request, list_id: int) -> Response:
    """Accept the recommendations of the page shown, of one family, or of every person
    recommended accept or object, in one action."""
    assert page.actor is not None
    form = await request.form()
    shown: dict[int, int] = {}
    for item in form.getlist("shown"):
        decision_id, _, version = str(item).partition(":")
        if not (decision_id.isdigit() and version.isdigit()):
            raise Invalid(N_("{item!r} is not a person shown on the page", item=item), "shown")
        shown[int(decision_id)] = int(version)
    family_ref = str(form.get("family_ref") or "") or None
    screening_decisions.accept_recommendations(
        uow, page.actor, list_id, str(form.get("scope") or ""), family_ref, shown
    )
    return RedirectResponse(f"/screening/lists/{list_id}?offset={_offset(form)}", status_code=303)


@router.post("/lists/{list_id}/close", response_model=None)
def close(page: SignedInPage, uow: PageUow, list_id: int) -> Response:
    """Close a list whose every person is decided: it is frozen from now on."""
    assert page.actor is not None
    screening_decisions.close_list(uow, page.actor, list_id)
    return RedirectResponse(f"/screening/lists/{list_id}", status_code=303)


def _document(document: screening_reply.Document) -> Response:
    return Response(
        document.body,
        media_type=document.media_type,
        headers={"Content-Disposition": content_disposition(document.file_name)},
    )


@router.get("/lists/{list_id}/export.{extension}")
def export_decisions(page: SignedInPage, uow: PageUow, list_id: int, extension: str) -> Response:
    """The list's recorded decisions as CSV or XLSX (audited)."""
    assert page.actor is not None
    return _document(screening_reply.export_decisions(uow, page.actor, list_id, extension))


@router.get("/lists/{list_id}/reply.{extension}")
def reply_letter(
    page: SignedInPage, uow: PageUow, list_id: int, extension: str, language: str = "en"
) -> Response:
    """The reply to the sending state, PDF letter or XLSX, from the recorded decisions."""
    assert page.actor is not None
    return _document(screening_reply.reply_letter(uow, page.actor, list_id, extension, language))


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
