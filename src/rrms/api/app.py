"""The FastAPI application: routers, and the mapping of service errors to 4xx answers.

The API reads no cookie: a request is signed in by `Authorization: Bearer` alone, which
no other site's page can make a browser send, so it needs no request-forgery token.
Its documentation pages (`/docs`, `/redoc`) are RRMS's own (`rrms.api.docs`), and every
answer carries the security headers (`rrms.http.headers`). What the schema promises about
errors and timestamps, and how it is kept, is in `rrms.api.contract`.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rrms import __version__
from rrms.api.contract import ERROR_RESPONSES, SIGN_IN_RESPONSES, field_location, invalid
from rrms.api.deps import refuse_nul_characters, refuse_repeated_parameters
from rrms.api.docs import add_documentation
from rrms.http.headers import SecurityHeaders
from rrms.services.core.errors import Invalid, ServiceError, TooManyAttempts
from rrms.storage.database import is_busy, session_factory

ROUTER_MODULES = (
    "auth",
    "persons",
    "documents",
    "correction_requests",
    "confidential",
    "screening",
    "users",
    "audit",
    "programmes",
    "assistance",
    "projects",
    "housing",
    "information_requests",
    "trainings",
    "reports",
    "returns",
    "consents",
    "duplicates",
)
"""Modules under `rrms.api.routers`, each exposing `ROUTERS`."""


BUSY = "an import is running; try again in a moment"
"""The answer to a change that could not wait any longer for an import's write lock."""
RETRY_AFTER_SECONDS = 10


def create_app(factory: sessionmaker[Session] | None = None) -> FastAPI:
    """Build the API on the given session factory (default: the configured database)."""
    app = FastAPI(
        title="RRMS API",
        version=__version__,
        description="Return and Reintegration Management System. Sign in at /auth/token "
        "and send the token as 'Authorization: Bearer <token>'.",
        dependencies=[Depends(refuse_nul_characters), Depends(refuse_repeated_parameters)],
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)
    add_documentation(app)
    app.state.session_factory = factory or session_factory()

    @app.exception_handler(ServiceError)
    def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        body: dict[str, object] = {"detail": exc.message}
        if exc.status == 422:
            # The shape of every 422 (`InvalidOut`): the field named last in `loc`.
            field = exc.field if isinstance(exc, Invalid) else None
            body = invalid(field_location(request, field), exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(body, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The default answer repeats the input, which may be a password or a number
        # JSON cannot carry (1e400): say where and what is wrong, never the value.
        problems = [
            {
                "loc": list(error.get("loc", ())),
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(OperationalError)
    def busy(request: Request, exc: OperationalError) -> JSONResponse:
        # SQLite has one writer at a time: a change that waited the whole busy timeout
        # for an import to finish is worth trying again, not a server error
        if not is_busy(exc):
            raise exc
        return JSONResponse(
            {"detail": BUSY},
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(IntegrityError)
    def integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
        return JSONResponse(
            {"detail": "the change conflicts with an existing record or a rule of the database"},
            status_code=409,
        )

    for name in ROUTER_MODULES:
        # Every operation declares the refusals it may answer (`rrms.api.contract`); a
        # route's own declaration of a status wins.
        responses = {**ERROR_RESPONSES, **(SIGN_IN_RESPONSES if name == "auth" else {})}
        for router in import_module(f"rrms.api.routers.{name}").ROUTERS:
            app.include_router(router, responses=responses)
    return app
