"""The whole web server: the pages at `/`, the REST API under `/api`, static files.

`rrms serve` (and the README's run command) starts this with uvicorn. Every answer
carries the security headers (`rrms.http.headers`); every request of the pages that
changes something is checked against request forgery (`rrms.web.csrf`). Refusals and
unknown addresses answer a page in the reader's language, except under `/api`, which
answers JSON.
"""

from __future__ import annotations

from importlib import import_module, resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException

from rrms import __version__
from rrms.api.app import RETRY_AFTER_SECONDS, create_app
from rrms.api.docs import ASSETS, assets_directory
from rrms.http.headers import SecurityHeaders
from rrms.services.core.errors import ServiceError
from rrms.storage.database import is_busy, session_factory
from rrms.web import csrf
from rrms.web.session import Page, SignInRequired, actor_from_cookie

PAGE_MODULES = (
    "auth",
    "home",
    "screening",
    "persons",
    "returns",
    "programmes",
    "reports",
    "desk",
    "families",
    "duplicates",
    "sharing",
    "accounts",
)
"""Modules under `rrms.web.pages`, each exposing `ROUTERS`."""


def _error_page(request: Request, status: int, message: str | None = None) -> Response:
    """A refusal as a page in the reader's language, or as JSON under `/api`."""
    if request.url.path == "/api" or request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message or "not found"}, status_code=status)
    return Page(request, actor_from_cookie(request)).render(
        "error.html", status_code=status, message=message, status=status
    )


def create_server(factory: sessionmaker[Session] | None = None) -> FastAPI:
    """Build the server on a session factory (default: the configured database)."""
    factory = factory or session_factory()
    server = FastAPI(
        title="RRMS",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf.check)],
    )
    server.add_middleware(SecurityHeaders)
    server.state.session_factory = factory
    server.mount("/api", create_app(factory))
    server.mount(ASSETS, StaticFiles(directory=assets_directory()), name="api-docs")
    static = Path(str(resources.files("rrms.web") / "static"))
    server.mount("/static", StaticFiles(directory=static), name="static")

    @server.exception_handler(SignInRequired)
    def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/sign-in"})
        return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)

    @server.exception_handler(ServiceError)
    def refused(request: Request, exc: ServiceError) -> Response:
        return _error_page(request, exc.status, exc.message)

    @server.exception_handler(OperationalError)
    def busy(request: Request, exc: OperationalError) -> Response:
        # a page that saves while an import holds SQLite's write lock: say so in the
        # reader's language (error.html, status 503) instead of a server error
        if not is_busy(exc):
            raise exc
        response = _error_page(request, 503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @server.exception_handler(csrf.ForgedRequest)
    def forged(request: Request, exc: csrf.ForgedRequest) -> Response:
        return Page(request, actor_from_cookie(request)).render(
            "error.html", status_code=403, status=403, forged=True
        )

    @server.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        # Starlette's own refusals: an unknown address (404), a method the address does
        # not take (405). Their English "Not Found" says nothing more than the status.
        response = _error_page(request, exc.status_code)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @server.exception_handler(RequestValidationError)
    def bad_address(request: Request, exc: RequestValidationError) -> Response:
        # A page's address or form with a value of the wrong kind (`/persons/abc`):
        # say so in the reader's language rather than answer FastAPI's JSON
        return _error_page(request, 422)

    for name in PAGE_MODULES:
        for router in import_module(f"rrms.web.pages.{name}").ROUTERS:
            server.include_router(router)
    return server
