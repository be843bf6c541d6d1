"""Entry point of the `rrms` command line: one Typer app, one module per command group."""

import typer

from rrms import __version__
from rrms.cli.admin import audit_app, db_app, user_app
from rrms.cli.backups import db_backup, db_restore
from rrms.cli.data_protection import retention_app, subject_access_command
from rrms.cli.dedupe import dedupe_app
from rrms.cli.imports import import_app
from rrms.cli.link import link, link_train
from rrms.cli.report import demo, report_app
from rrms.cli.screen import screen
from rrms.cli.screening import screening_app
from rrms.cli.serve import serve
from rrms.cli.share import share_app

app = typer.Typer(
    help="RRMS: Return and Reintegration Management System.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command()(screen)
app.command()(serve)
db_app.command("backup")(db_backup)
db_app.command("restore")(db_restore)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(report_app, name="report")
app.add_typer(import_app, name="import")
app.add_typer(share_app, name="share")
app.add_typer(screening_app, name="screening")
app.command(name="demo")(demo)
app.command(name="subject-access")(subject_access_command)
app.add_typer(retention_app, name="retention")
app.command(name="link")(link)
app.command(name="link-train")(link_train)
app.add_typer(dedupe_app, name="dedupe")


@app.command()
def version() -> None:
    """Print the RRMS version."""
    typer.echo(__version__)
