"""`rrms serve`: run the web application and the API."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start RRMS's web pages (at /) and REST API (at /api), the database brought up to date."""
    import uvicorn

    from rrms.storage.database import upgrade
    from rrms.web.server import create_server

    upgrade()
    typer.echo(f"RRMS at http://{host}:{port}/ (API documentation at /api/docs)")
    uvicorn.run(create_server(), host=host, port=port, log_level="warning", access_log=False)
