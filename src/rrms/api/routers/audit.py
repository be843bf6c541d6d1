"""/audit: administrators read the audit log and check its hash chain.

What an administrator may see of an entry (confidential content withheld) and the
chain's check are decided in `rrms.services.core.audit_log`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import MAX_ID, MAX_OFFSET
from rrms.api.deps import ActorDep, UowDep
from rrms.services.core.audit_log import list_entries, verify_audit_log
from rrms.services.core.records import MAX_PAGE

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEntryOut(BaseModel):
    """One audit entry as an administrator sees it."""

    id: int
    at: UtcDateTime
    user_id: int | None
    username: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str | None = Field(
        description="The hash of the entry before; null when that entry's content is withheld"
    )
    hash: str | None = Field(description="null when the entry's content is withheld")


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
    """A page of audit entries, oldest first, filtered by exact values (administrators).
    Entries about confidential cases carry no case id and no hashes, and `entity_id`
    never matches them."""
    given = {
        "user_id": user_id,
        "username": username,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
    }
    filters = {name: value for name, value in given.items() if value is not None}
    page, shown = list_entries(uow, actor, filters, limit, offset)
    return AuditPage(
        items=[AuditEntryOut.model_validate(e) for e in shown],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.get("/verify", summary="Check the audit log's hash chain")
def verify(uow: UowDep, actor: ActorDep) -> VerifyOut:
    """Recompute every hash: any changed, deleted or reordered entry is reported."""
    report = verify_audit_log(uow, actor)
    return VerifyOut(
        intact=report.intact,
        entries=report.entries,
        problems=[ChainProblemOut(entry_id=p.entry_id, problem=p.problem) for p in report.problems],
    )


ROUTERS = [router]
