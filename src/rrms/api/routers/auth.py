"""/auth/token: sign in with a username and password, receive a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from rrms.api.deps import UowDep
from rrms.services.accounts.users import issue_token

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


ROUTERS = [router]
