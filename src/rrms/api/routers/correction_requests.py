"""/correction_requests: a person's requests to correct what RRMS holds about them.

Every route goes through `rrms.services.core.records` with the `CORRECTION_REQUESTS`
kind: authorised (`correction_requests` read/write), checked and audited. Who took a
request down and who closed it are the signed-in users, never given in the body.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.services.records.corrections import CORRECTION_REQUESTS, MAX_TEXT, CorrectionStatus

PersonId = Annotated[int, Field(ge=1, le=2**31 - 1)]
What = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Reason = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


class CorrectionCreate(BaseModel):
    """A request taken down: whose data, what they say is wrong, and when they asked."""

    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    what: What = Field(description="What the person says is wrong, and what it should say")
    requested_on: dt.date | None = Field(None, description="Default: today")


class CorrectionUpdate(VersionedUpdate):
    """Closing a request (`corrected`, or `refused` with the reason), or rewording it."""

    what: What | None = None
    requested_on: dt.date | None = None
    status: CorrectionStatus | None = None
    refusal_reason: Reason | None = Field(None, description="Required when refused")
    closed_on: dt.date | None = Field(None, description="Default: the day of closing")


class CorrectionRead(BaseModel):
    """A correction request as stored."""

    id: int
    version: int
    person_id: int
    what: str
    requested_on: dt.date
    recorded_by: str
    status: str
    refusal_reason: str | None
    closed_on: dt.date | None
    closed_by: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class CorrectionFilter(BaseModel):
    """Exact-value filters for listing requests."""

    model_config = ConfigDict(extra="forbid")
    person_id: PersonId | None = None
    status: CorrectionStatus | None = None


ROUTERS = [
    crud_router(
        CORRECTION_REQUESTS, CorrectionCreate, CorrectionUpdate, CorrectionRead, CorrectionFilter
    )
]
