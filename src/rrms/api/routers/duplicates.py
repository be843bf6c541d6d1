"""/duplicates: the review queue of probable duplicates in the register, and merging.

`rrms dedupe persons` fills the queue; here a caseworker reads it, merges a pair into
one person (`POST /duplicates/{id}/merge`, the caps re-checked and any breach in the
answer), marks it not the same person (`POST /duplicates/{id}/not-same`), and undoes a
merge (`POST /duplicates/merges/{id}/unmerge`). Everything goes through
`rrms.services.identity`, which authorises (`duplicates` and `persons`) and audits.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import MAX_OFFSET, RecordId
from rrms.api.deps import ActorDep, UowDep
from rrms.services.identity.duplicates import (
    also_proposed,
    mark_not_same,
    queue,
    queued_pair,
    read_queued_pair,
)
from rrms.services.identity.merge import merge_pair, merge_view, unmerge

router = APIRouter(prefix="/duplicates", tags=["duplicates"])


class PersonSummary(BaseModel):
    """One of the pair's persons, as the queue names them."""

    id: int
    person_ref: str | None
    family_name: str
    given_name: str
    birth_date: str | None


class PairRead(BaseModel):
    """A pair of the queue: the two persons, the model's probability and evidence."""

    id: int
    version: int
    status: str
    probability: float
    evidence: dict[str, str]
    model: str
    left: PersonSummary
    right: PersonSummary
    found_by: str
    decided_by: str | None
    decided_at: UtcDateTime | None


class AlsoProposedRead(BaseModel):
    """Another open pair naming one of a pair's persons."""

    pair: PairRead
    shared_person_id: int = Field(description="The person the two pairs have in common")
    third: PersonSummary = Field(description="The other pair's other person")
    not_proposed_with: int | None = Field(
        description="The id of the compared pair's person whom `third` is not proposed "
        "with: if those two are different persons, at most one of the pairs is right"
    )


class AlsoProposedPage(BaseModel):
    """The other open pairs beside one pair: the most probable, and how many in all."""

    total: int
    items: list[AlsoProposedRead]


class PairPage(BaseModel):
    """A page of the queue."""

    total: int
    items: list[PairRead]


class Decision(BaseModel):
    """The version of the pair the caller read."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1)


class MergeRequest(Decision):
    """Which of the pair's two persons to keep."""

    keep: int = Field(ge=1, le=2**31 - 1, description="The id of the person kept")


class MergeRead(BaseModel):
    """A merge: who was kept, who merged away, the records moved, the caps breached."""

    id: int
    version: int
    pair_id: int
    kept_person_id: int
    merged_person_id: int
    moved: dict[str, list[int]]
    memberships: list[dict[str, Any]]
    filled: dict[str, Any]
    cap_breaches: list[dict[str, str]]
    merged_by: str
    merged_at: UtcDateTime
    unmerged_by: str | None
    unmerged_at: UtcDateTime | None


def _person(person: Any) -> PersonSummary:
    return PersonSummary(
        id=person.id,
        person_ref=person.person_ref,
        family_name=person.family_name,
        given_name=person.given_name,
        birth_date=person.birth_date,
    )


def _pair(found: Any) -> PairRead:
    pair = found.pair
    return PairRead(
        id=pair.id,
        version=pair.version,
        status=pair.status,
        probability=pair.probability,
        evidence=pair.evidence,
        model=pair.model,
        left=_person(found.left),
        right=_person(found.right),
        found_by=pair.found_by,
        decided_by=pair.decided_by,
        decided_at=pair.decided_at,
    )


def _merge(merge: Any) -> MergeRead:
    return MergeRead.model_validate(merge, from_attributes=True)


@router.get("", response_model=PairPage)
def list_pairs(
    uow: UowDep,
    actor: ActorDep,
    status: Literal["open", "merged", "not_same"] | None = "open",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> PairPage:
    """The queue, most probable first (50 a page); pairs naming a person merged away or
    the subject of a confidential case are never listed."""
    rows, total = queue(uow, actor, status, offset)
    return PairPage(total=total, items=[_pair(row) for row in rows])


@router.get("/merges/{merge_id}", response_model=MergeRead)
def read_merge(uow: UowDep, actor: ActorDep, merge_id: RecordId) -> MergeRead:
    """A merge, with the caps it found breached."""
    return _merge(merge_view(uow, actor, merge_id).merge)


@router.post("/merges/{merge_id}/unmerge", response_model=MergeRead)
def undo_merge(uow: UowDep, actor: ActorDep, merge_id: RecordId, body: Decision) -> MergeRead:
    """Undo a merge: both persons as they were, the pair back in the queue."""
    return _merge(unmerge(uow, actor, merge_id, body.version))


@router.get("/{pair_id}", response_model=PairRead)
def read_pair(uow: UowDep, actor: ActorDep, pair_id: RecordId) -> PairRead:
    """One pair of the queue (the read audited)."""
    return _pair(read_queued_pair(uow, actor, pair_id))


@router.get("/{pair_id}/also-proposed", response_model=AlsoProposedPage)
def read_also_proposed(uow: UowDep, actor: ActorDep, pair_id: RecordId) -> AlsoProposedPage:
    """The other open pairs naming either person of this one (the 20 most probable,
    and how many in all), each with the person it contradicts this pair on, if any."""
    others = also_proposed(uow, actor, queued_pair(uow, actor, pair_id))
    return AlsoProposedPage(
        total=others.total,
        items=[
            AlsoProposedRead(
                pair=_pair(item.queued),
                shared_person_id=item.shared.id,
                third=_person(item.third),
                not_proposed_with=item.apart_from.id if item.apart_from is not None else None,
            )
            for item in others.shown
        ],
    )


@router.post("/{pair_id}/merge", response_model=MergeRead)
def merge(uow: UowDep, actor: ActorDep, pair_id: RecordId, body: MergeRequest) -> MergeRead:
    """Merge the pair into the person `keep`: every record of both is theirs."""
    return _merge(merge_pair(uow, actor, pair_id, body.version, body.keep))


@router.post("/{pair_id}/not-same", response_model=PairRead)
def not_same(uow: UowDep, actor: ActorDep, pair_id: RecordId, body: Decision) -> PairRead:
    """Mark the pair not the same person: closed, never proposed again."""
    mark_not_same(uow, actor, pair_id, body.version)
    return _pair(queued_pair(uow, actor, pair_id))


ROUTERS = [router]
