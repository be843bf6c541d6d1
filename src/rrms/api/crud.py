"""A router for one kind of record: list (paginated, filtered), read, create, update.

Every route calls `rrms.services.core.records`, which authorises and audits; the router
only translates HTTP to the service call and back. Updates carry the `version` the
client last read; a stale version answers 409 Conflict.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field
from pydantic import create_model as derive_model

from rrms.api.deps import ActorDep, UowDep
from rrms.services.core import records
from rrms.services.core.records import MAX_PAGE, RecordKind, snapshot

MAX_ID = 2**31 - 1
"""The largest id the databases' 32-bit integer keys hold."""

RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id")]
"""Ids fit the databases' 32-bit integer keys; anything else is a 422, not a 500."""

MAX_OFFSET = MAX_ID
"""No table holds more rows than it has ids: a larger offset is a 422, not the 500 of a
number the database cannot take (SQLite stops at 2**63 - 1)."""


class PageOut(BaseModel):
    """A page of records: `items` holds the kind's read model (see `page_of`)."""

    total: int = Field(description="Records that match, on every page")
    limit: int
    offset: int


def page_of(read_model: type[BaseModel]) -> type[PageOut]:
    """The page model of one kind of record, so that the schema describes its items."""
    return derive_model(
        f"{read_model.__name__}Page",
        __base__=PageOut,
        __doc__=f"A page of records ({read_model.__name__}).",
        items=(list[read_model], ...),  # type: ignore[valid-type]
    )


class VersionedUpdate(BaseModel):
    """Base of update bodies: the version the client read, and only the fields to change."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1, description="The record's version when the client read it")


def crud_router(
    kind: RecordKind[Any],
    create_model: type[BaseModel],
    update_model: type[VersionedUpdate],
    read_model: type[BaseModel],
    filter_model: type[BaseModel],
    prefix: str | None = None,
) -> APIRouter:
    """Build the four routes of one kind of record."""
    name = prefix or f"/{kind.entity}"
    router = APIRouter(prefix=name, tags=[kind.entity])
    label = kind.entity.replace("_", " ")

    query_model = derive_model(
        f"{filter_model.__name__}Page",
        __base__=filter_model,
        limit=(int, Field(50, ge=1, le=MAX_PAGE, description="Records per page")),
        offset=(int, Field(0, ge=0, le=MAX_OFFSET, description="Records to skip")),
    )

    page_model = page_of(read_model)

    @router.get("", summary=f"List {label}", response_model=page_model)
    def list_(
        uow: UowDep,
        actor: ActorDep,
        query: Annotated[query_model, Query()],  # type: ignore[valid-type]
    ) -> Any:
        filters = query.model_dump(exclude_none=True)  # type: ignore[attr-defined]
        limit, offset = filters.pop("limit"), filters.pop("offset")
        page = records.list_records(uow, actor, kind, filters, limit, offset)
        return page_model(  # type: ignore[call-arg]
            items=[read_model.model_validate(snapshot(r)) for r in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )

    @router.get("/{record_id}", summary=f"Read one of the {label}")
    def read(record_id: RecordId, uow: UowDep, actor: ActorDep) -> read_model:  # type: ignore[valid-type]
        return read_model.model_validate(snapshot(records.get_record(uow, actor, kind, record_id)))

    @router.post("", status_code=status.HTTP_201_CREATED, summary=f"Create one of the {label}")
    def create(body: create_model, uow: UowDep, actor: ActorDep) -> read_model:  # type: ignore[valid-type]
        row = records.create_record(uow, actor, kind, body.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
        return read_model.model_validate(snapshot(row))

    @router.patch("/{record_id}", summary=f"Change one of the {label}")
    def update(record_id: RecordId, body: update_model, uow: UowDep, actor: ActorDep) -> read_model:  # type: ignore[valid-type]
        changes = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        version = changes.pop("version")
        row = records.update_record(uow, actor, kind, record_id, version, changes)
        return read_model.model_validate(snapshot(row))

    return router
