"""`rrms import returns FILE`: load the returns register into the database, all or nothing.

The command acts as an RRMS user, named with `--as USERNAME` (or the environment
variable `RRMS_USER`, or else the operating-system login name): the user must exist,
be active and have a role that may write returns (caseworker or administrator), and
the audit log records the import under that user. No password is asked: whoever can
run `rrms` on the server can read its database already (see `rrms.cli.admin`); the
name makes the import accountable to the person who ran it.

The database is the configured one (`RRMS_DATABASE_URL`, else `rrms.db`), brought to
the latest schema first, so a new database works. Progress is drawn on standard
error; standard output carries only the summary (text or JSON). A file with errors
prints every one (as `rrms screen` does) and exits with status 2; nothing is imported.
Nothing printed contains a person's data beyond the offending cell values of errors.

After the import, the summary says how many incoming persons are likely persons RRMS
already holds under other references (the linkage model, `rrms.services.identity.checks`;
in JSON the extra field `identity`). Nothing is merged: people decide in the review
queue (`rrms dedupe persons`).
"""

from __future__ import annotations

import getpass
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rrms.cli.file_errors import report_file_errors
from rrms.formats.errors import CellError, InputFileError
from rrms.services.accounts.users import actor_named
from rrms.services.core.access import allowed
from rrms.services.core.errors import ServiceError
from rrms.services.identity.checks import IncomingMatches, file_person_refs, incoming_matches
from rrms.services.returns.register_import import ImportSummary, import_returns
from rrms.storage.database import session_factory, upgrade
from rrms.storage.unit_of_work import UnitOfWork

EXIT_INPUT_ERROR = 2

import_app = typer.Typer(help="Import registers into the database.", no_args_is_help=True)


class SummaryFormat(StrEnum):
    """The forms the import's summary (or its errors) can be printed in."""

    text = "text"
    json = "json"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INPUT_ERROR)


def _report_errors(
    errors: list[CellError], warnings: list[CellError], fmt: SummaryFormat, total: int | None = None
) -> None:
    report_file_errors(errors, warnings, fmt is SummaryFormat.json, "nothing was imported", total)


def _print_summary(
    summary: ImportSummary, fmt: SummaryFormat, matches: IncomingMatches | None
) -> None:
    if fmt is SummaryFormat.json:
        answer = {"valid": True, **summary.as_dict()}
        if matches is not None:
            answer["identity"] = matches.as_dict()
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    source = summary.file_format + (f", {summary.encoding}" if summary.encoding else "")
    typer.echo(
        f"{summary.file_name} ({source}): {summary.rows} rows in {summary.seconds:.1f} s\n"
        f"  arrivals: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged\n"
        f"  persons: {summary.persons_created} created, {summary.persons_updated} updated\n"
        f"  sha256: {summary.file_sha256}"
    )
    if matches is not None:
        typer.echo(
            f"  identity: {matches.matching} of {matches.incoming} incoming persons are likely "
            f"persons already held under another reference (model {matches.model}); "
            "nothing was merged: `rrms dedupe persons` puts them in the review queue"
        )
    for warning in summary.warnings:
        typer.echo(f"  warning: {warning.describe()}")


@import_app.command("returns")
def returns(
    file: Annotated[Path, typer.Argument(help="The register, CSV or XLSX, one row per arrival.")],
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="RRMS_USER",
            help="The RRMS user importing (a caseworker or administrator); "
            "default: your login name.",
        ),
    ] = None,
    fmt: Annotated[
        SummaryFormat, typer.Option("--format", help="Form of the summary or errors.")
    ] = SummaryFormat.text,
) -> None:
    """Import arrivals (docs/returns.md): create or update, never duplicate."""
    if not file.is_file():
        raise _fail(f"no such file: {file}")
    upgrade()
    factory = session_factory()
    username = as_user or getpass.getuser()
    with UnitOfWork(factory) as uow:
        actor = actor_named(uow, username)
    if actor is None:
        raise _fail(
            f"no active RRMS user {username!r}; name one with --as USERNAME "
            "(`rrms user add` creates users)"
        )
    if not allowed(actor, "returns", "write"):
        raise _fail(
            f"the user {username!r} ({actor.role}) may not import returns; "
            "a caseworker or an administrator may"
        )
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("checking", total=None)

    def progress(done: int, total: int | None) -> None:
        description = "checking and writing rows" if total is None else "finishing"
        bar.update(task, completed=done, total=total, description=description)

    try:
        with bar:
            summary = import_returns(lambda: UnitOfWork(factory), actor, file, progress)
    except InputFileError as exc:
        _report_errors(exc.errors, exc.warnings, fmt, exc.total)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except ServiceError as exc:
        raise _fail(exc.message) from None
    matches = None
    if allowed(actor, "persons", "read"):
        with UnitOfWork(factory) as uow:
            matches = incoming_matches(uow, actor, file_person_refs(file))
    _print_summary(summary, fmt, matches)
