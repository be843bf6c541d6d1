"""`rrms serve`: run the web application and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Load the demo data set and demo accounts first if the database has no "
            "arrivals yet (the README's run command).",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes: the pages are spread over this many CPU cores.",
        ),
    ] = 2,
) -> None:
    """Start RRMS's web pages (at /) and REST API (at /api), the database brought up to date."""
    import uvicorn
    from rich.console import Console

    from rrms.storage.database import upgrade

    upgrade()
    if demo:
        prepare_demo(Console(stderr=True, highlight=False))
    typer.echo(f"RRMS at http://{host}:{port}/ (API documentation at /api/docs)")
    # From the import string, so that each worker process builds its own server.
    uvicorn.run(
        "rrms.web.server:create_server",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def prepare_demo(console: Console, history_scale: float = 1.0) -> bool:
    """Load the demo data and accounts into a migrated database without arrivals; True
    if loaded.

    A database that already has arrivals is left alone, whether they are the demo's
    (a second `make run`) or real ones: the demo is never mixed with real returnees.
    """
    from rrms.cli.report import DEMO_ACCOUNTS_FILE, load_demo_database
    from rrms.demo.loader import has_arrivals
    from rrms.storage.database import session_factory

    if not has_arrivals(session_factory()):
        load_demo_database(console, history_scale=history_scale)
        return True
    if DEMO_ACCOUNTS_FILE.exists():
        console.print(f"demo data already loaded; sign-in accounts in {DEMO_ACCOUNTS_FILE}")
    else:
        console.print("the database has arrivals already: the demo was not loaded")
    return False
