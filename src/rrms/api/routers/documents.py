"""/documents: a person's identity and travel documents (list by person, read, create, change).

Every route goes through `rrms.services.core.records` with the `DOCUMENTS` kind, so it is
authorised (`documents` read/write), checked and audited like every case record. The
kind is accepted in any word `DOCUMENT_KINDS` knows ('Reisepass', 'pasaportë',
'пасош') and answered in its canonical form (`passport`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.services.core.errors import Invalid
from rrms.services.records.documents import DOCUMENT_KINDS, DOCUMENTS, document_kind

PersonId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Kind = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        description="One of " + ", ".join(DOCUMENT_KINDS.canonical) + " (or a word for one)",
    ),
]
Number = Annotated[str, Field(max_length=80)]
Issuer = Annotated[str, Field(max_length=200)]


class DocumentFields(BaseModel):
    """Fields of a document that may be left out (values are checked by the service)."""

    model_config = ConfigDict(extra="forbid")
    number: Number | None = None
    issued_by: Issuer | None = Field(None, description="e.g. UNMIK Civil Registration")
    issued_on: dt.date | None = Field(None, description="Not after today")
    expires_on: dt.date | None = Field(None, description="Not before issued_on")


class DocumentCreate(DocumentFields):
    """A new document of a person."""

    person_id: PersonId
    kind: Kind


class DocumentUpdate(VersionedUpdate, DocumentFields):
    """Changes to a document, with the version last read."""

    person_id: PersonId | None = None
    kind: Kind | None = None


class DocumentRead(BaseModel):
    """A document as stored."""

    id: int
    version: int
    person_id: int
    kind: str
    number: str | None
    issued_by: str | None
    issued_on: dt.date | None
    expires_on: dt.date | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


def _kind_filter(value: str) -> str:
    try:
        return document_kind(value)
    except Invalid as exc:
        raise ValueError(exc.message) from None


class DocumentFilter(BaseModel):
    """Exact-value filters for listing documents; `kind` accepts any word for a kind."""

    model_config = ConfigDict(extra="forbid")
    person_id: PersonId | None = None
    kind: Annotated[str, Field(max_length=80), AfterValidator(_kind_filter)] | None = None
    number: Annotated[str, Field(max_length=80), AfterValidator(str.strip)] | None = None


ROUTERS = [crud_router(DOCUMENTS, DocumentCreate, DocumentUpdate, DocumentRead, DocumentFilter)]
