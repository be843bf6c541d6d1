"""/consents: a person's consents (list by person, read, record, withdraw), and
/sharing: the pseudonymised export for a partner and the sharing log.

The consent routes go through `rrms.services.core.records` with the `CONSENTS` kind, so
they are authorised (`consents` read/write), checked and audited like every case
record. A consent's terms are not changed after it is recorded: `PATCH` only records
its withdrawal (`withdrawn_on`; who withdrew it is the signed-in user).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.api.deps import ActorDep, UowDep
from rrms.http.headers import content_disposition
from rrms.services.records.consents import CONSENTS
from rrms.services.records.sharing import export_for_sharing, sharing_log

PersonId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Purpose = Literal[
    "case_management", "reintegration_assistance", "referral_to_partner", "research", "reporting"
]
Category = Literal["identity", "demographics", "returns", "assistance", "projects", "documents"]
Recipient = Annotated[str, Field(min_length=1, max_length=200)]

"""`CONSENT_PURPOSES` and `DATA_CATEGORIES` of `rrms.domain.vocabulary`, spelt out for the
schema; tests/unit/domain/test_one_vocabulary.py keeps them equal."""


class ConsentCreate(BaseModel):
    """A consent given by a person."""

    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    purpose: Purpose
    scope: list[Category] = Field(min_length=1, description="The categories of data covered")
    recipients: list[Recipient] = Field(
        min_length=1, max_length=20, description="Who may receive the data, e.g. IOM, UNHCR"
    )
    given_on: dt.date = Field(description="Not after today")


class ConsentUpdate(VersionedUpdate):
    """The withdrawal of a consent, with the version last read."""

    withdrawn_on: dt.date = Field(description="Not before given_on, not after today")


class ConsentRead(BaseModel):
    """A consent as stored."""

    id: int
    version: int
    person_id: int
    purpose: str
    scope: list[str]
    recipients: list[str]
    given_on: dt.date
    recorded_by: int | None
    withdrawn_on: dt.date | None
    withdrawn_by: int | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class ConsentFilter(BaseModel):
    """Exact-value filters for listing consents."""

    model_config = ConfigDict(extra="forbid")
    person_id: PersonId | None = None
    purpose: Purpose | None = None


class SharingRequest(BaseModel):
    """What to export, for whom and why."""

    model_config = ConfigDict(extra="forbid")
    purpose: Purpose
    recipient: Recipient
    format: Literal["csv", "xlsx"] = "csv"
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")


class SharingLogRead(BaseModel):
    """One export of the sharing log."""

    id: int
    at: UtcDateTime
    user_id: int | None
    username: str
    purpose: str
    recipient: str
    period_from: dt.date | None
    period_to: dt.date | None
    consent_ids: list[int]
    records: int
    withheld: int
    file_format: str
    file_sha256: str


sharing = APIRouter(prefix="/sharing", tags=["sharing"])


@sharing.post(
    "/exports",
    summary="A pseudonymised export for a partner (CSV or XLSX), logged",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/octet-stream": {}}}},
)
def export(body: SharingRequest, uow: UowDep, actor: ActorDep) -> Response:
    """Only persons whose consent covers the purpose and names the recipient; 422 naming
    the purpose when nobody's does."""
    shared = export_for_sharing(
        uow, actor, body.purpose, body.recipient, body.format, body.date_from, body.date_to
    )
    return Response(
        shared.data,
        media_type=shared.media_type,
        headers={
            "Content-Disposition": content_disposition(shared.file_name),
            "X-RRMS-Records": str(shared.records),
            "X-RRMS-SHA256": shared.sha256,
        },
    )


@sharing.get("/log", summary="The latest exports, newest first")
def log(
    uow: UowDep, actor: ActorDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[SharingLogRead]:
    """To whom, why, under which consents, when, by whom, how many records, the hash."""
    return [
        SharingLogRead.model_validate(e, from_attributes=True)
        for e in sharing_log(uow, actor, limit)
    ]


ROUTERS = [
    crud_router(CONSENTS, ConsentCreate, ConsentUpdate, ConsentRead, ConsentFilter),
    sharing,
]
