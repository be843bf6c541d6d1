"""/persons and /families: recording persons and families, their members, search in any script."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import MAX_OFFSET, RecordId, VersionedUpdate, crud_router
from rrms.api.deps import ActorDep, UowDep
from rrms.services.core.records import snapshot
from rrms.services.records import persons

Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=2000)]


class PersonFields(BaseModel):
    """Fields a caseworker records about a person (values are checked by the service)."""

    model_config = ConfigDict(extra="forbid")
    person_ref: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    father_name: Name | None = None
    sex: Annotated[str, Field(max_length=20)] | None = Field(None, description="f, m or x")
    birth_date: Annotated[str, Field(max_length=12)] | None = Field(
        None, description="YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY"
    )
    community: Annotated[str, Field(max_length=40)] | None = None
    origin_municipality: Annotated[str, Field(max_length=80)] | None = Field(
        None, description="Any spelling; stored as the KAS code"
    )
    origin_settlement: Name | None = None
    notes: Text | None = None


class PersonCreate(PersonFields):
    """A new person."""

    family_name: Name
    given_name: Name


class PersonUpdate(VersionedUpdate, PersonFields):
    """Changes to a person, with the version last read."""

    family_name: Name | None = None
    given_name: Name | None = None


class PersonRead(BaseModel):
    """A person as stored."""

    id: int
    version: int
    person_ref: str | None
    family_name: str
    given_name: str
    father_name: str | None
    sex: str | None
    birth_date: str | None
    birth_year: int | None
    community: str | None
    origin_municipality: str | None
    origin_settlement: str | None
    notes: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class PersonFilter(BaseModel):
    """Exact-value filters for listing persons."""

    model_config = ConfigDict(extra="forbid")
    person_ref: str | None = None
    community: str | None = None
    origin_municipality: str | None = Field(None, description="KAS code, e.g. 17")
    birth_year: int | None = Field(None, ge=1, le=9999)
    sex: str | None = None


class FamilyCreate(BaseModel):
    """A new family unit."""

    model_config = ConfigDict(extra="forbid")
    family_ref: Annotated[str, Field(min_length=1, max_length=80)]
    notes: Text | None = None


class FamilyUpdate(VersionedUpdate):
    """Changes to a family."""

    family_ref: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    notes: Text | None = None


class FamilyRead(BaseModel):
    """A family as stored."""

    id: int
    version: int
    family_ref: str
    notes: str | None


class FamilyFilter(BaseModel):
    """Filters for listing families."""

    model_config = ConfigDict(extra="forbid")
    family_ref: str | None = None


class MemberIn(BaseModel):
    """A person's place in a family."""

    model_config = ConfigDict(extra="forbid")
    person_id: int = Field(ge=1, le=2**31 - 1)
    relationship: Annotated[str, Field(min_length=1, max_length=40)]


class MemberOut(BaseModel):
    """A recorded family membership."""

    family_id: int
    person_id: int
    relationship: str


class MembershipOut(MemberOut):
    """A family membership with the family's reference and the person's names."""

    family_ref: str
    family_name: str
    given_name: str


search_router = APIRouter(prefix="/persons", tags=["persons"])


@search_router.get("/search", summary="Find persons by name in any script or spelling")
def search(
    uow: UowDep,
    actor: ActorDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[PersonRead]:
    """Persons whose names contain every word of `q` ("Djordjevic" finds "Đorđević")."""
    return [
        PersonRead.model_validate(snapshot(p))
        for p in persons.search_persons(uow, actor, q, limit, offset)
    ]


@search_router.get("/similar", summary="Persons who may already be recorded")
def similar(
    uow: UowDep,
    actor: ActorDep,
    family_name: Annotated[str, Query(min_length=1, max_length=200)],
    given_name: Annotated[str, Query(min_length=1, max_length=200)],
    birth_date: Annotated[str | None, Query(max_length=12)] = None,
) -> list[PersonRead]:
    """The duplicate warning shown before creating a person."""
    return [
        PersonRead.model_validate(snapshot(p))
        for p in persons.similar_persons(uow, actor, family_name, given_name, birth_date)
    ]


@search_router.get("/{person_id}/families", summary="The families a person belongs to")
def person_families(person_id: RecordId, uow: UowDep, actor: ActorDep) -> list[MembershipOut]:
    """Each family of the person, with the person's relationship to its head."""
    return [
        MembershipOut.model_validate(asdict(m))
        for m in persons.families_of_person(uow, actor, person_id)
    ]


members_router = APIRouter(prefix="/families", tags=["families"])


@members_router.put("/{family_id}/members", summary="Add a person to a family")
def put_member(family_id: RecordId, body: MemberIn, uow: UowDep, actor: ActorDep) -> MemberOut:
    """Record (or change) a person's relationship within a family.

    The relationship is to the family's head: head, spouse, child, parent, sibling,
    grandchild, grandparent, other_relative, caregiver or other (also 'wife', 'son',
    'mother', ...). An unknown word is a 422 naming the field and the valid ones.
    """
    member = persons.add_member(uow, actor, family_id, body.person_id, body.relationship)
    return MemberOut(
        family_id=member.family_id,
        person_id=member.person_id,
        relationship=member.relationship_to_head,
    )


@members_router.get("/{family_id}/members", summary="The members of a family")
def get_members(family_id: RecordId, uow: UowDep, actor: ActorDep) -> list[MembershipOut]:
    """Every member of the family with their relationship to its head."""
    return [
        MembershipOut.model_validate(asdict(m))
        for m in persons.family_members(uow, actor, family_id)
    ]


ROUTERS = [
    search_router,
    crud_router(persons.PERSONS, PersonCreate, PersonUpdate, PersonRead, PersonFilter),
    members_router,
    crud_router(persons.FAMILIES, FamilyCreate, FamilyUpdate, FamilyRead, FamilyFilter),
]
