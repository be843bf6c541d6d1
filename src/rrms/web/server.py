"""The whole web server: the pages at `/`, the REST API under `/api`, static files.

`rrms serve` (and the README's run command) starts this with uvicorn.
"""

from __future__ import annotations

from importlib import import_module, resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from rrms import __version__
from rrms.api.app import create_app
from rrms.services.core.errors import ServiceError
from rrms.storage.database import session_factory
from rrms.web.session import Page, SignInRequired, actor_from_cookie

PAGE_MODULES = (
    "auth",
    "home",
    "screening",
    "persons",
    "returns",
    "programmes",
    "reports",
    "queues",
    "sharing",
)
"""Modules under `rrms.web.pages`, each exposing `ROUTERS`."""


def create_server(factory: sessionmaker[Session] | None = None) -> FastAPI:
    """Build the server on a session factory (default: the configured database)."""
    factory = factory or session_factory()
    server = FastAPI(title="RRMS", version=__version__, docs_url=None, redoc_url=None)
    server.state.session_factory = factory
    server.mount("/api", create_app(factory))
    static = Path(str(resources.files("rrms.web") / "static"))
    server.mount("/static", StaticFiles(directory=static), name="static")

    @server.exception_handler(SignInRequired)
    def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/sign-in"})
        return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)

    @server.exception_handler(ServiceError)
    def refused(request: Request, exc: ServiceError) -> HTMLResponse:
        return Page(request, actor_from_cookie(request)).render(
            "error.html", status_code=exc.status, message=exc.message, status=exc.status
        )

    for name in PAGE_MODULES:
        for router in import_module(f"rrms.web.pages.{name}").ROUTERS:
            server.include_router(router)
    return server
