"""Request dependencies: the unit of work, the signed-in actor, no NUL characters in text,
no query parameter given twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rrms.services.accounts.users import actor_for_token
from rrms.services.core.access import Actor
from rrms.services.core.errors import NotAuthenticated
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


def get_bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The request's bearer token itself (for signing it out); 401 without one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("sign in first: send 'Authorization: Bearer <token>'")
    return credentials.credentials


BearerTokenDep = Annotated[str, Depends(get_bearer_token)]


NUL_MESSAGE = "text must not contain the NUL character (\\u0000)"


def _nul_locations(value: Any, loc: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                yield [*loc, "(a key)"]
            else:
                yield from _nul_locations(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, [*loc, index])


async def refuse_nul_characters(request: Request) -> None:
    """Refuse text containing NUL (U+0000) in the path, the query or a JSON body with 422,
    naming where: PostgreSQL cannot store it, and would fail the request with a 500.

    Applied to every route by `create_app`. Multipart uploads are not read here: they
    may be large, and the importers check the files' contents.
    """
    found = [
        loc
        for where, values in (("path", request.path_params), ("query", request.query_params))
        for name, value in values.items()
        for loc in _nul_locations({name: value}, [where])
    ]
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:  # FastAPI has answered malformed JSON before this runs
            body = None
        found.extend(_nul_locations(body, ["body"]))
    if found:
        raise RequestValidationError(
            [{"loc": loc, "msg": NUL_MESSAGE, "type": "string_nul"} for loc in found]
        )


def refuse_repeated_parameters(request: Request) -> None:
    """Refuse a query parameter given more than once with 422, naming it.

    Every query parameter of the API is a single value in the schema; FastAPI would
    silently read the last of `?status=open&status=closed`, answering something the
    client did not ask for. Applied to every route by `create_app`.
    """
    repeated = sorted(
        name for name in set(request.query_params) if len(request.query_params.getlist(name)) > 1
    )
    if repeated:
        raise RequestValidationError(
            [
                {"loc": ["query", name], "msg": "give this parameter once", "type": "repeated"}
                for name in repeated
            ]
        )


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
ActorDep = Annotated[Actor, Depends(get_actor)]
