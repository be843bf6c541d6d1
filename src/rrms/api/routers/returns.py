"""/returns: arrivals one by one (list, filter, read, create, change) and the register import.

Single arrivals go through `rrms.services.core.records` with the `RETURNS` kind, so they are
authorised, checked and audited like every case record. `POST /returns/import` takes
the register as an uploaded CSV or XLSX file and answers with the import's summary,
or 422 with every error of the file (nothing is imported then).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Annotated, Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from rrms.api.contract import UPLOAD_RESPONSES, UtcDateTime, file_errors
from rrms.api.crud import MAX_ID, VersionedUpdate, crud_router
from rrms.api.deps import ActorDep
from rrms.domain.vocabulary import MAX_UPLOAD_BYTES
from rrms.formats.errors import InputFileError
from rrms.services.core.access import authorize
from rrms.services.core.errors import ServiceError
from rrms.services.returns.arrivals import (
    RETURNS,
    Problem,
    check_country,
    check_municipality,
    check_return_type,
    check_transport_mode,
)
from rrms.services.returns.register_import import import_returns
from rrms.storage.unit_of_work import UnitOfWork

Ref = Annotated[str, Field(min_length=1, max_length=80)]
Place = Annotated[str, Field(max_length=200)]
Word = Annotated[str, Field(min_length=1, max_length=80)]

"""The largest register file accepted (a million arrivals is about 150 MB as CSV)."""


class PayloadTooLarge(ServiceError):
    """The uploaded file is larger than the import accepts."""

    status = 413


class ReturnFields(BaseModel):
    """Fields of an arrival that may be left out (values are checked by the service)."""

    model_config = ConfigDict(extra="forbid")
    family_ref: Ref | None = None
    programme_id: int | None = Field(None, ge=1, le=MAX_ID)
    departure_date: dt.date | None = None
    arrival_point: Place | None = Field(None, description="e.g. Pristina Airport, Merdare")
    destination_settlement: Place | None = None
    secondary_transport: bool | None = Field(None, description="IOM provided onward land transport")
    vulnerable: bool | None = None
    notes: Annotated[str, Field(max_length=4000)] | None = None


class ReturnCreate(ReturnFields):
    """A new arrival; words are accepted in any spelling the import accepts."""

    movement_ref: Ref
    person_id: int = Field(ge=1, le=MAX_ID)
    return_type: Word = Field(description="voluntary or forced")
    sending_country: Word = Field(description="ISO 3166-1 code or English/German name")
    transport_mode: Word = Field(description="air or land (also plane, flight, bus, road)")
    arrival_date: dt.date
    destination_municipality: Word = Field(description="Any spelling; stored as the KAS code")


class ReturnUpdate(VersionedUpdate, ReturnFields):
    """Changes to an arrival, with the version last read."""

    movement_ref: Ref | None = None
    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    return_type: Word | None = None
    sending_country: Word | None = None
    transport_mode: Word | None = None
    arrival_date: dt.date | None = None
    destination_municipality: Word | None = None


class ReturnRead(BaseModel):
    """An arrival as stored (codes: ISO alpha-2 country, KAS municipality)."""

    id: int
    version: int
    movement_ref: str
    person_id: int
    family_ref: str | None
    return_type: str
    programme_id: int | None
    sending_country: str
    transport_mode: str
    departure_date: dt.date | None
    arrival_date: dt.date
    arrival_point: str | None
    destination_municipality: str
    destination_settlement: str | None
    secondary_transport: bool | None
    vulnerable: bool | None
    notes: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


def _canonical(check: Any, value: str | None) -> str | None:
    if value is None:
        return None
    result = check(value)
    if isinstance(result, Problem):
        raise ValueError(result.describe("value", value))
    return str(result)


class ReturnFilter(BaseModel):
    """Exact-value filters for listing arrivals; words and names are read as the import
    reads them ('Deutschland' filters DE, 'Peja' filters 17, 'plane' filters air)."""

    model_config = ConfigDict(extra="forbid")
    return_type: str | None = None
    sending_country: str | None = None
    transport_mode: str | None = None
    destination_municipality: str | None = Field(None, description="Any spelling or KAS code")
    programme_id: int | None = Field(None, ge=1, le=MAX_ID)
    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    secondary_transport: bool | None = None
    vulnerable: bool | None = None

    @field_validator("return_type")
    @classmethod
    def _return_type(cls, value: str | None) -> str | None:
        return _canonical(check_return_type, value)

    @field_validator("sending_country")
    @classmethod
    def _sending_country(cls, value: str | None) -> str | None:
        return _canonical(check_country, value)

    @field_validator("transport_mode")
    @classmethod
    def _transport_mode(cls, value: str | None) -> str | None:
        return _canonical(check_transport_mode, value)

    @field_validator("destination_municipality")
    @classmethod
    def _destination(cls, value: str | None) -> str | None:
        return _canonical(check_municipality, value)


import_router = APIRouter(prefix="/returns", tags=["returns"])


@import_router.post(
    "/import",
    summary="Import the returns register (CSV or XLSX, one row per arrival)",
    response_model=None,
    responses=UPLOAD_RESPONSES,
)
def import_register(
    request: Request, file: UploadFile, actor: ActorDep
) -> dict[str, Any] | JSONResponse:
    """Create or update arrivals and persons from the file, all or nothing.

    Importing the same file again changes nothing (every row is reported unchanged).
    The answer is the import's summary; a file with errors answers 422 with
    `errors` (row, column, value, message, suggestions) and changes nothing.
    """
    authorize(actor, "returns", "write")  # before reading a large upload
    factory = request.app.state.session_factory
    with tempfile.NamedTemporaryFile(prefix="rrms-returns-", suffix=".upload") as copy:
        written = 0
        while block := file.file.read(1 << 20):
            written += len(block)
            if written > MAX_UPLOAD_BYTES:
                raise PayloadTooLarge(
                    f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
                    "import it from the command line (`rrms import returns`)"
                )
            copy.write(block)
        copy.flush()
        try:
            summary = import_returns(
                lambda: UnitOfWork(factory), actor, copy.name, file_name=file.filename
            )
        except InputFileError as exc:
            return file_errors(
                f"{exc.total} error(s) in the file; nothing was imported",
                exc.errors,
                exc.warnings,
            )
    return summary.as_dict()


ROUTERS = [
    import_router,
    crud_router(RETURNS, ReturnCreate, ReturnUpdate, ReturnRead, ReturnFilter),
]
