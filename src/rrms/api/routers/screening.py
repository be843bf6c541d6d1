"""/screening: upload a notification list, read its recommendations, record decisions.

An upload is screened and stored in one request: the list, every person's
recommendation (with policy version, clauses, missing facts and explanation), and an
audit entry. A file with errors stores nothing and answers 422 with every error, each
located by row and column, as `rrms screen` prints them.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UPLOAD_RESPONSES, UtcDateTime, file_errors
from rrms.api.crud import MAX_OFFSET, RecordId
from rrms.api.deps import ActorDep, UowDep
from rrms.domain.vocabulary import MAX_UPLOAD_BYTES, Outcome
from rrms.formats.errors import InputFileError
from rrms.http.headers import content_disposition
from rrms.policy.versions import PolicyError
from rrms.services.core.access import authorize
from rrms.services.core.errors import Invalid
from rrms.services.core.records import MAX_PAGE, snapshot
from rrms.services.screening import corrections, decisions
from rrms.services.screening import reply as screening_reply

"""Largest list accepted (about a million persons as CSV)."""


router = APIRouter(prefix="/screening", tags=["screening"])


class ScreeningListOut(BaseModel):
    """A recorded list: the file it came from, the policy version and date used."""

    id: int
    file_name: str
    file_sha256: str
    sending_country: str | None
    policy_version: str
    as_of: dt.date
    screened_by: int
    screened_at: UtcDateTime
    persons: int
    encoding: str | None = Field(None, description="The CSV encoding detected")
    warnings: list[dict[str, Any]] | None = Field(
        None, description="The list's warnings: unknown columns, cells right of the header"
    )
    closed_by: int | None = None
    closed_at: UtcDateTime | None = Field(None, description="Set once closed: frozen since")


class UploadOut(ScreeningListOut):
    """A list just screened and stored, with its summary and the file's warnings."""

    families: int
    summary: dict[str, int]


class ProgressOut(BaseModel):
    """How far the officers are with a list."""

    recommended: dict[str, int]
    decided: dict[str, int]
    undecided: int
    overridden: int = Field(description="Decisions that differ from the recommendation")


class ScreeningListDetail(ScreeningListOut):
    """A recorded list with its progress."""

    progress: ProgressOut


class ScreeningListPage(BaseModel):
    """A page of recorded lists, newest first."""

    items: list[ScreeningListOut]
    total: int
    limit: int
    offset: int


class DecisionOut(BaseModel):
    """One person of a list: the engine's recommendation and the officer's decision."""

    id: int
    version: int
    list_id: int
    person_ref: str
    family_ref: str
    person_id: int | None
    policy_version: str
    recommendation: str
    clauses: list[str]
    missing: list[str]
    explanation: str
    decision: str | None
    reason: str | None
    decided_by: int | None
    decided_at: UtcDateTime | None
    family_name: str | None = Field(None, description="As written on the list, any script")
    given_name: str | None = None
    birth_date: str | None = Field(None, description="As given: YYYY, YYYY-MM or YYYY-MM-DD")
    sex: str | None = None
    community: str | None = None
    origin_municipality: str | None = Field(None, description="As written on the list")


class DecisionPage(BaseModel):
    """A page of a list's persons, in list order."""

    items: list[DecisionOut]
    total: int
    limit: int
    offset: int


class DecisionIn(BaseModel):
    """The officer's decision on one person, with the version they read."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1, description="The decision's version when the officer read it")
    decision: Outcome
    reason: Annotated[str, Field(max_length=4000)] | None = Field(
        None, description="Required when the decision differs from the recommendation"
    )


class AnswerIn(BaseModel):
    """An answer to one open question of a recorded list's person; blank withdraws it."""

    model_config = ConfigDict(extra="forbid")
    fact: Annotated[str, Field(max_length=40, description="The list's column, e.g. mixed_marriage")]
    value: Annotated[str, Field(max_length=200)] = ""


class ManyDecisionIn(DecisionIn):
    """One person's decision in a decision of many."""

    id: int = Field(ge=1, description="The person's decision id")


class ManyDecisionsIn(BaseModel):
    """Decisions on many persons of one list, taken together (all or none)."""

    model_config = ConfigDict(extra="forbid")
    decisions: Annotated[list[ManyDecisionIn], Field(min_length=1, max_length=MAX_PAGE)]


class AcceptIn(BaseModel):
    """Accept the recommendations of a page, of a family, or of every person
    recommended accept or object; only undecided persons are decided."""

    model_config = ConfigDict(extra="forbid")
    scope: Literal["page", "family", "accept_or_object"]
    family_ref: Annotated[str, Field(max_length=80)] | None = None
    shown: dict[int, int] | None = Field(
        None, description="For scope page: each person's decision id and the version shown"
    )


class AcceptedOut(BaseModel):
    """How many persons were decided."""

    decided: int


def _save_upload(upload: UploadFile, path: Path) -> None:
    size = 0
    with open(path, "wb") as out:
        while block := upload.file.read(1 << 20):
            size += len(block)
            if size > MAX_UPLOAD_BYTES:
                raise HTTPException(
                    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                    f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
                )
            out.write(block)


@router.post(
    "/lists",
    status_code=status.HTTP_201_CREATED,
    response_model=UploadOut,
    summary="Screen and record a notification list",
    responses=UPLOAD_RESPONSES,
)
def upload(
    uow: UowDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="The notification list, CSV or XLSX")],
    as_of: Annotated[dt.date | None, Form(description="Screening date (default: today)")] = None,
) -> Any:
    """Screen the uploaded list under the policy in force on `as_of` and store the result."""
    authorize(actor, decisions.ENTITY, "write")
    with tempfile.TemporaryDirectory(prefix="rrms-upload-") as folder:
        path = Path(folder) / "list"
        _save_upload(file, path)
        try:
            screened, report = decisions.screen_and_record(
                uow, actor, path, as_of, file.filename or "upload"
            )
        except InputFileError as exc:
            return file_errors(
                f"{exc.total} error(s) in the file; nothing was stored",
                exc.errors,
                exc.warnings,
            )
        except PolicyError as exc:
            raise Invalid(str(exc), "as_of") from exc
    return UploadOut(
        **snapshot(screened),
        families=len(report.family_labels),
        summary=report.result.summary(),
    )


@router.get("/lists", summary="Recorded lists, newest first")
def lists(
    uow: UowDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ScreeningListPage:
    """A page of the recorded lists."""
    page = decisions.list_screenings(uow, actor, limit, offset)
    return ScreeningListPage(
        items=[ScreeningListOut.model_validate(snapshot(s)) for s in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/lists/{list_id}", summary="One recorded list and its progress")
def one_list(list_id: RecordId, uow: UowDep, actor: ActorDep) -> ScreeningListDetail:
    """The list with counts of recommendations and decisions."""
    screened = decisions.get_screening(uow, actor, list_id)
    done = decisions.progress(uow, actor, list_id)
    return ScreeningListDetail(
        **snapshot(screened),
        progress=ProgressOut(
            recommended=done.recommended,
            decided=done.decided,
            undecided=done.undecided,
            overridden=done.overridden,
        ),
    )


@router.get("/lists/{list_id}/decisions", summary="A list's persons with recommendation")
def list_decisions(
    list_id: RecordId,
    uow: UowDep,
    actor: ActorDep,
    recommendation: Outcome | None = None,
    decision: Outcome | None = None,
    undecided: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> DecisionPage:
    """A page of the list's persons in list order; filter by outcome or by undecided."""
    page = decisions.list_decisions(
        uow, actor, list_id, limit, offset, recommendation, decision, undecided
    )
    return DecisionPage(
        items=[DecisionOut.model_validate(snapshot(d)) for d in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/decisions/{decision_id}", summary="One person's recommendation and decision")
def one_decision(decision_id: RecordId, uow: UowDep, actor: ActorDep) -> DecisionOut:
    """The recommendation (with policy version and clauses) and the decision, if made."""
    return DecisionOut.model_validate(snapshot(decisions.get_decision(uow, actor, decision_id)))


@router.patch("/decisions/{decision_id}", summary="Record the officer's decision")
def decide(decision_id: RecordId, body: DecisionIn, uow: UowDep, actor: ActorDep) -> DecisionOut:
    """The officer's final word; a reason is required when it differs from the engine's."""
    row = decisions.decide(uow, actor, decision_id, body.version, body.decision, body.reason)
    return DecisionOut.model_validate(snapshot(row))


@router.post(
    "/decisions/{decision_id}/answers",
    summary="Give or correct an answer; the family is screened again",
)
def answer(
    decision_id: RecordId, body: AnswerIn, uow: UowDep, actor: ActorDep
) -> list[DecisionOut]:
    """The family's persons as now recommended; refused once the list is closed."""
    family = corrections.answer(uow, actor, decision_id, body.fact, body.value)
    return [DecisionOut.model_validate(snapshot(d)) for d in family]


@router.post("/lists/{list_id}/decisions", summary="Decide on many persons at once")
def decide_many(
    list_id: RecordId, body: ManyDecisionsIn, uow: UowDep, actor: ActorDep
) -> list[DecisionOut]:
    """All or none; a decision that differs from its recommendation needs its reason."""
    entries = [
        decisions.DecisionEntry(d.id, d.version, d.decision, d.reason) for d in body.decisions
    ]
    rows = decisions.decide_many(uow, actor, list_id, entries)
    return [DecisionOut.model_validate(snapshot(d)) for d in rows]


@router.post("/lists/{list_id}/accept", summary="Accept recommendations in bulk")
def accept(list_id: RecordId, body: AcceptIn, uow: UowDep, actor: ActorDep) -> AcceptedOut:
    """Decide as recommended for the undecided persons of a page, a family, or every
    person recommended accept or object; each decision audited per person."""
    done = decisions.accept_recommendations(
        uow, actor, list_id, body.scope, body.family_ref, body.shown
    )
    return AcceptedOut(decided=done)


@router.post("/lists/{list_id}/close", summary="Close a decided list: it is frozen")
def close(list_id: RecordId, uow: UowDep, actor: ActorDep) -> ScreeningListOut:
    """Allowed once every person is decided; no answers or decisions change after."""
    return ScreeningListOut.model_validate(snapshot(decisions.close_list(uow, actor, list_id)))


def _document(document: screening_reply.Document) -> Response:
    return Response(
        document.body,
        media_type=document.media_type,
        headers={"Content-Disposition": content_disposition(document.file_name)},
    )


ExportFormat = Literal["csv", "xlsx"]
ReplyFormat = Literal["pdf", "xlsx"]
ReplyLanguage = Literal["en", "de"]

_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {} for media in screening_reply.MEDIA_TYPES.values()}}
}


@router.get(
    "/lists/{list_id}/export",
    summary="A list's recorded decisions as CSV or XLSX",
    response_class=Response,
    responses=_FILE_RESPONSES,
)
def export_decisions(
    list_id: RecordId,
    uow: UowDep,
    actor: ActorDep,
    fmt: Annotated[ExportFormat, Query(alias="format")] = "csv",
) -> Response:
    """Every recorded decision of the list with its recommendation; formula-safe, audited."""
    return _document(screening_reply.export_decisions(uow, actor, list_id, fmt))


@router.get(
    "/lists/{list_id}/reply",
    summary="The reply to the sending state, as a PDF letter or XLSX",
    response_class=Response,
    responses=_FILE_RESPONSES,
)
def reply_letter(
    list_id: RecordId,
    uow: UowDep,
    actor: ActorDep,
    fmt: Annotated[ReplyFormat, Query(alias="format")] = "pdf",
    language: ReplyLanguage = "en",
) -> Response:
    """Per person the decision (accepted, not accepted with the policy clauses quoted, or
    pending with the open questions), from the recorded decisions; German only for a
    German-speaking sending state. Every generation is audited."""
    return _document(screening_reply.reply_letter(uow, actor, list_id, fmt, language))


ROUTERS = [router]
