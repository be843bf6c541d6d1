"""Request dependencies: the unit of work and the signed-in actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rrms.services.access import Actor
from rrms.services.errors import NotAuthenticated
from rrms.services.users import actor_for_token
from rrms.storage.unit_of_work import UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="A token from POST /auth/token")


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    """A unit of work on the app's database for the duration of the request."""
    with UnitOfWork(request.app.state.session_factory) as uow:
        yield uow


def get_actor(
    uow: Annotated[UnitOfWork, Depends(get_uow)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The actor the request's bearer token stands for; 401 without a valid one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("sign in first: send 'Authorization: Bearer <token>'")
    return actor_for_token(uow, credentials.credentials)


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
ActorDep = Annotated[Actor, Depends(get_actor)]
