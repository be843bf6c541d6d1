"""Entry point of the `rrms` command line: one Typer app, one module per command group."""

import typer

from rrms import __version__
from rrms.cli.screen import screen

app = typer.Typer(
    help="RRMS: Return and Reintegration Management System.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command()(screen)


@app.command()
def version() -> None:
    """Print the RRMS version."""
    typer.echo(__version__)
