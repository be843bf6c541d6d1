"""/users: administrators list and create the accounts that sign in.

Password hashes never leave the service layer: the read model has no field for them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import MAX_OFFSET, RecordId
from rrms.api.deps import ActorDep, UowDep
from rrms.domain.accounts import MIN_PASSWORD_LENGTH
from rrms.domain.vocabulary import Role
from rrms.services.accounts.users import USERS, add_user
from rrms.services.core import records
from rrms.services.core.records import MAX_PAGE, snapshot

router = APIRouter(prefix="/users", tags=["users"])


class UserOut(BaseModel):
    """A user account, without its password hash."""

    id: int
    username: str
    full_name: str
    role: str
    language: str
    active: bool
    created_at: UtcDateTime


class UserPage(BaseModel):
    """A page of users."""

    items: list[UserOut]
    total: int
    limit: int
    offset: int


class UserCreate(BaseModel):
    """A new user account."""

    model_config = ConfigDict(extra="forbid")
    username: Annotated[str, Field(min_length=1, max_length=80)]
    # No length rule here: a validation error would echo the password back in its 422
    # body. The service checks the length and names the field without the value.
    password: str = Field(description=f"At least {MIN_PASSWORD_LENGTH} characters")
    role: Role
    full_name: Annotated[str, Field(max_length=200)] = ""
    language: Annotated[str, Field(min_length=2, max_length=5)] = "en"


@router.get("", summary="List users")
def list_users(
    uow: UowDep,
    actor: ActorDep,
    role: Role | None = None,
    active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> UserPage:
    """A page of user accounts (administrators only)."""
    page = records.list_records(
        uow, actor, USERS, {"role": role, "active": active}, limit=limit, offset=offset
    )
    return UserPage(
        items=[UserOut.model_validate(snapshot(u)) for u in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.get("/{user_id}", summary="Read one user")
def read_user(user_id: RecordId, uow: UowDep, actor: ActorDep) -> UserOut:
    """One user account (administrators only)."""
    return UserOut.model_validate(snapshot(records.get_record(uow, actor, USERS, user_id)))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a user")
def create_user(body: UserCreate, uow: UowDep, actor: ActorDep) -> UserOut:
    """Create an account with an Argon2-hashed password (administrators only)."""
    user = add_user(
        uow,
        actor,
        body.username,
        body.password,
        body.role,
        full_name=body.full_name,
        language=body.language,
    )
    return UserOut.model_validate(snapshot(user))


ROUTERS = [router]
