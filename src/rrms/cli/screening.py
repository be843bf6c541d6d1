"""`rrms screening reply|export LIST_ID`: what the office sends back for a recorded list.

`rrms screen` screens a file; a list recorded through the API or the screening page
then collects the officers' decisions. These commands write, from those recorded
decisions, the reply to the sending state (a PDF letter or an XLSX workbook, in
English, or German for a German-speaking sending state) and the export of the
decisions (CSV or XLSX). They act as an RRMS user named with `--as USERNAME` (or
`RRMS_USER`, else the login name), who must hold a screening role; every generation is
audited. The files hold personal data, so they are written readable by their owner only.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rrms.services.accounts.users import active_actor
from rrms.services.core.access import Actor
from rrms.services.core.errors import ServiceError
from rrms.services.core.private_files import write_private
from rrms.services.screening import reply as screening_reply
from rrms.storage.database import session_factory
from rrms.storage.unit_of_work import UnitOfWork

EXIT_USAGE = 2

screening_app = typer.Typer(
    help="A recorded list's reply to the sending state and its decisions export.",
    no_args_is_help=True,
)


class ReplyFormat(StrEnum):
    """The forms of the reply: a letter, or a workbook for the sending state's systems."""

    pdf = "pdf"
    xlsx = "xlsx"


class ReplyLanguage(StrEnum):
    """The reply's languages: German only for a German-speaking sending state."""

    en = "en"
    de = "de"


class ExportFormat(StrEnum):
    """The forms of the decisions export."""

    csv = "csv"
    xlsx = "xlsx"


ListId = Annotated[int, typer.Argument(help="The recorded list's id.", min=1)]
AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="RRMS_USER",
        help="The screening officer generating it, for the letter and the audit log; "
        "default: your login name.",
    ),
]
Out = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="The file to write; default: named after the list."),
]


Build = Callable[[UnitOfWork, Actor], screening_reply.Document]
"""What a command generates, given the unit of work and the user it acts as."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _generate(as_user: str | None, out: Path | None, build: Build) -> None:
    """Run `build(uow, actor)` as the named user and write the document it returns."""
    username = as_user or getpass.getuser()
    try:
        with UnitOfWork(session_factory()) as uow:
            actor = active_actor(uow, username)
            if actor is None:
                raise _fail(
                    f"no active RRMS user {username!r}; name a screening officer with --as USERNAME"
                )
            document = build(uow, actor)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    target = out or Path(document.file_name)
    write_private(target, document.body)
    typer.echo(f"written: {target}", err=True)


@screening_app.command("reply")
def reply(
    list_id: ListId,
    fmt: Annotated[ReplyFormat, typer.Option("--format", "-f", help="Letter or workbook.")] = (
        ReplyFormat.pdf
    ),
    language: Annotated[
        ReplyLanguage,
        typer.Option("--language", "-l", help="German only for German-speaking states."),
    ] = ReplyLanguage.en,
    out: Out = None,
    as_user: AsUser = None,
) -> None:
    """The reply to the sending state from the recorded decisions (audited)."""
    _generate(
        as_user,
        out,
        lambda uow, actor: screening_reply.reply_letter(
            uow, actor, list_id, fmt.value, language.value
        ),
    )


@screening_app.command("export")
def export(
    list_id: ListId,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Table form.")] = (
        ExportFormat.csv
    ),
    out: Out = None,
    as_user: AsUser = None,
) -> None:
    """A recorded list's decisions, with the recommendations, as CSV or XLSX (audited)."""
    _generate(
        as_user,
        out,
        lambda uow, actor: screening_reply.export_decisions(uow, actor, list_id, fmt.value),
    )
