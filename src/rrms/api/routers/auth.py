"""/auth/token: sign in with a username and password, receive a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.deps import ActorDep, BearerTokenDep, UowDep
from rrms.domain.accounts import MIN_PASSWORD_LENGTH
from rrms.services.accounts.users import change_own_password, issue_token, revoke_token

router = APIRouter(prefix="/auth", tags=["auth"])


class Credentials(BaseModel):
    """A username and password."""

    model_config = ConfigDict(extra="forbid")
    username: Annotated[str, Field(min_length=1, max_length=80)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class TokenOut(BaseModel):
    """A bearer token, valid for 12 hours."""

    access_token: str
    token_type: str = "bearer"


@router.post("/token", summary="Sign in")
def token(body: Credentials, request: Request, uow: UowDep) -> TokenOut:
    """Exchange credentials for a bearer token; 401 for wrong credentials, 429 (with
    `Retry-After`) after too many attempts for the account or from the address."""
    address = request.client.host if request.client else None
    return TokenOut(access_token=issue_token(uow, body.username, body.password, address))


class PasswordChange(BaseModel):
    """The signed-in user's current password and the new one."""

    model_config = ConfigDict(extra="forbid")
    # No length rules: a validation error would echo the password back in its 422.
    current_password: str
    new_password: str = Field(
        description=f"At least {MIN_PASSWORD_LENGTH} characters, not a common password, "
        "not containing the username"
    )


@router.post("/sign-out", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
def sign_out(uow: UowDep, actor: ActorDep, token: BearerTokenDep) -> Response:
    """Revoke the calling token at once (audited); other sessions stay signed in."""
    revoke_token(uow, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, summary="Change own password")
def change_password(body: PasswordChange, uow: UowDep, actor: ActorDep) -> Response:
    """Change the signed-in user's password under the password policy; every token of
    the user (this one included) is revoked, so sign in again with the new one."""
    change_own_password(uow, actor, body.current_password, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


ROUTERS = [router]
