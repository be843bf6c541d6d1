"""/confidential-cases: counter-trafficking and medical cases, each visible only to its unit.

Another unit's case answers 404, exactly like a case that does not exist, and is in no
listing or count; every other role is refused with 403. The unit of a new case is
always the signed-in user's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import MAX_ID, VersionedUpdate, crud_router
from rrms.domain.vocabulary import ConfidentialStatus
from rrms.services.programmes.confidential import CASE_TYPES, CONFIDENTIAL_CASES

CaseType = Annotated[
    str,
    Field(
        min_length=1,
        max_length=60,
        json_schema_extra={"enum": sorted({t for types in CASE_TYPES.values() for t in types})},
    ),
]
"""A case type: the service checks it is one of the signed-in unit's (`CASE_TYPES`)."""
Summary = Annotated[str, Field(max_length=10_000)]
District = Annotated[str, Field(min_length=1, max_length=40)]


class CaseFields(BaseModel):
    """Fields a unit records about a case (values are checked by the service)."""

    model_config = ConfigDict(extra="forbid")
    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    closed_on: dt.date | None = None
    status: ConfidentialStatus | None = None
    district: District | None = Field(
        None, description="UNMIK district: code (PRI, MIT, PEJ, GJA, PRZ, GJI, FER) or name"
    )
    programme_id: int | None = Field(None, ge=1, le=MAX_ID)
    summary: Summary | None = None


class CaseCreate(CaseFields):
    """A new case of the signed-in user's unit."""

    case_type: CaseType = Field(description="One of the unit's case types")
    opened_on: dt.date


class CaseUpdate(VersionedUpdate, CaseFields):
    """Changes to a case, with the version last read."""

    case_type: CaseType | None = None
    opened_on: dt.date | None = None


class CaseRead(BaseModel):
    """A case as stored."""

    id: int
    version: int
    unit: str
    person_id: int | None
    case_type: str
    opened_on: dt.date
    closed_on: dt.date | None
    status: str
    district: str | None
    programme_id: int | None
    summary: str
    created_at: UtcDateTime
    updated_at: UtcDateTime


class CaseFilter(BaseModel):
    """Exact-value filters for listing cases.

    Not `extra="forbid"`: the same query string carries `limit` and `offset`, which a
    forbidding query model would refuse with 422.
    """

    status: ConfidentialStatus | None = None
    case_type: str | None = None
    district: str | None = Field(None, description="District code, e.g. PRI")
    programme_id: int | None = Field(None, ge=1, le=MAX_ID)


ROUTERS = [
    crud_router(
        CONFIDENTIAL_CASES,
        CaseCreate,
        CaseUpdate,
        CaseRead,
        CaseFilter,
        prefix="/confidential-cases",
    )
]
