"""The API's documentation pages, Swagger UI and ReDoc, served by RRMS itself.

FastAPI's own pages load Swagger UI and ReDoc from a CDN (a blank page without the
internet, and a script from another host) and start them with an inline script, which
the pages' Content-Security-Policy forbids. These pages load the files that the
`fastapi-offline` package ships (mounted at `/static/api-docs/` by the web server) and
start them from `rrms/web/static/api-docs.js`.

Swagger UI runs under the pages' own policy (`rrms.http.headers.CSP`). ReDoc writes
`<style>` elements and runs its search in a worker made from a `blob:`, so its page
allows inline styles and blob workers; its scripts still come from RRMS only. (ReDoc
also shows its maker's logo from their host; the policy refuses it, and ReDoc leaves it
out.)
"""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from rrms.http.headers import CSP

ASSETS = "/static/api-docs"
"""Where the web server serves the Swagger UI and ReDoc files."""

REDOC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
"""ReDoc's policy: it writes `<style>` elements and searches in a `blob:` worker."""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}</head>
<body>
<div id="{element}" data-openapi-url="{openapi}"></div>
<script src="{script}"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def assets_directory() -> Path:
    """The folder of Swagger UI's and ReDoc's files in the `fastapi-offline` package."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def _openapi_url(app: FastAPI, request: Request) -> str:
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return root + (app.openapi_url or "/openapi.json")


def _page(
    title: str, head: str, element: str, openapi: str, script: str, policy: str
) -> HTMLResponse:
    html = _PAGE.format(
        title=escape(title),
        head=head,
        element=element,
        openapi=escape(openapi),
        script=script,
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


def add_documentation(app: FastAPI) -> None:
    """Serve Swagger UI at `/docs` and ReDoc at `/redoc` of the API."""

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        return _page(
            f"{app.title} · Swagger UI",
            f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">\n'
            f'<link rel="icon" href="{ASSETS}/favicon.png">\n',
            "swagger-ui",
            _openapi_url(app, request),
            f"{ASSETS}/swagger-ui-bundle.js",
            CSP,
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        return _page(
            f"{app.title} · ReDoc",
            f'<link rel="icon" href="{ASSETS}/favicon.png">\n',
            "redoc",
            _openapi_url(app, request),
            f"{ASSETS}/redoc.standalone.js",
            REDOC_CSP,
        )
