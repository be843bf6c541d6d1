"""/audit: administrators read the audit log and check its hash chain.

Administrators oversee who did what and when, but must not see what a confidential
unit recorded: for entries about confidential cases the values before and after and the
case id are withheld (the hash chain is still verified over the full entries).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from rrms.api.crud import MAX_ID, MAX_OFFSET
from rrms.api.deps import ActorDep, UowDep
from rrms.services.core import records
from rrms.services.core.access import authorize
from rrms.services.core.audit import verify_chain
from rrms.services.core.records import MAX_PAGE, RecordKind
from rrms.storage.tables import AuditEntry

AUDIT: RecordKind[AuditEntry] = RecordKind(
    entity="audit",
    table=AuditEntry,
    filterable=("user_id", "username", "action", "entity", "entity_id"),
)
"""The audit log as records: reading it is authorised, and is itself audited."""

CONFIDENTIAL_ENTITIES = frozenset({"confidential_cases"})
"""Entities whose audit entries show only who, when and what action — not the content."""

WITHHELD = "withheld: confidential unit"

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEntryOut(BaseModel):
    """One audit entry as an administrator sees it."""

    id: int
    at: dt.datetime
    user_id: int | None
    username: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    """A page of audit entries, oldest first."""

    items: list[AuditEntryOut]
    total: int
    limit: int
    offset: int


class ChainProblemOut(BaseModel):
    """An entry whose hash or link does not match."""

    entry_id: int
    problem: str


class VerifyOut(BaseModel):
    """The result of recomputing the hash chain."""

    intact: bool
    entries: int
    problems: list[ChainProblemOut] = Field(default_factory=list)


def _out(entry: AuditEntry) -> AuditEntryOut:
    confidential = entry.entity in CONFIDENTIAL_ENTITIES
    withheld = {"withheld": WITHHELD}
    return AuditEntryOut(
        id=entry.id,
        at=entry.at,
        user_id=entry.user_id,
        username=entry.username,
        action=entry.action,
        entity=entry.entity,
        entity_id="-" if confidential else entry.entity_id,
        before=withheld if confidential and entry.before is not None else entry.before,
        after=withheld if confidential and entry.after is not None else entry.after,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


@router.get("", summary="Read the audit log")
def entries(
    uow: UowDep,
    actor: ActorDep,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    username: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> AuditPage:
    """A page of audit entries, oldest first, filtered by exact values (administrators)."""
    given = {
        "user_id": user_id,
        "username": username,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
    }
    filters = {name: value for name, value in given.items() if value is not None}
    page = records.list_records(uow, actor, AUDIT, filters, limit, offset)
    return AuditPage(
        items=[_out(e) for e in page.items], total=page.total, limit=limit, offset=offset
    )


@router.get("/verify", summary="Check the audit log's hash chain")
def verify(uow: UowDep, actor: ActorDep) -> VerifyOut:
    """Recompute every hash: any changed, deleted or reordered entry is reported."""
    authorize(actor, "audit", "read")
    problems = [
        ChainProblemOut(entry_id=p.entry_id, problem=p.problem) for p in verify_chain(uow.session)
    ]
    total = uow.session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return VerifyOut(intact=not problems, entries=total, problems=problems)


ROUTERS = [router]
