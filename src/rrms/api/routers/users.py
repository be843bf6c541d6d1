"""/users: administrators list and create the accounts that sign in.

Password hashes never leave the service layer: the read model has no field for them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import MAX_OFFSET, RecordId
from rrms.api.deps import ActorDep, UowDep
from rrms.domain.accounts import MIN_PASSWORD_LENGTH
from rrms.domain.vocabulary import Role
from rrms.services.accounts.users import (
    USERS,
    add_user,
    revoke_tokens,
    set_password,
    update_user,
)
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


class UserChange(BaseModel):
    """A change of role or of whether the account is active."""

    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    active: bool | None = Field(
        default=None, description="false deactivates the user and revokes their tokens at once"
    )


class PasswordSet(BaseModel):
    """A new password set by an administrator."""

    model_config = ConfigDict(extra="forbid")
    password: str = Field(description=f"At least {MIN_PASSWORD_LENGTH} characters")


class Revoked(BaseModel):
    """How many live tokens were revoked."""

    revoked: int


@router.patch("/{user_id}", summary="Change a user's role or deactivate them")
def change_user(user_id: RecordId, body: UserChange, uow: UowDep, actor: ActorDep) -> UserOut:
    """Change the role or the active flag (administrators only; audited). Deactivating
    revokes the user's tokens at once."""
    user = update_user(uow, actor, user_id, role=body.role, active=body.active)
    return UserOut.model_validate(snapshot(user))


@router.put("/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT, summary="Set a password")
def set_user_password(
    user_id: RecordId, body: PasswordSet, uow: UowDep, actor: ActorDep
) -> Response:
    """Set a user's password (administrators only; audited) and revoke their tokens."""
    set_password(uow, actor, user_id, body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{user_id}/tokens/revoke", summary="Revoke a user's tokens")
def revoke_user_tokens(user_id: RecordId, uow: UowDep, actor: ActorDep) -> Revoked:
    """Sign the user out everywhere (administrators only; audited)."""
    return Revoked(revoked=revoke_tokens(uow, actor, user_id))


ROUTERS = [router]
