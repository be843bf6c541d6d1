"""`rrms subject-access PERSON_ID` and `rrms retention run`: what the persons in the
records are owed (docs/data-protection.md).

`rrms subject-access` acts as an RRMS user named with `--as USERNAME` (or
`RRMS_USER`, else the login name): an administrator gets everything but the
confidential units' cases, a user of a unit gets that unit's cases only. It writes
`subject-access-ID.json` and `subject-access-ID.pdf` into `--out DIR`, readable by
their owner only; `--language sq|sr|sr-Cyrl` writes the PDF in the person's language
(the JSON file is the same in every language).

`rrms retention run` acts, like `rrms db backup`, with the position of whoever can run
`rrms` on the server (an administrator); `--as` names them for the audit log. It is a
dry run unless `--apply` is given.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from rrms.cli.report import ReportLanguage
from rrms.i18n import language as language_of
from rrms.services.accounts.users import active_actor
from rrms.services.core.backups import operator
from rrms.services.core.errors import ServiceError
from rrms.services.core.private_files import write_private
from rrms.services.records.retention import PERIODS_ENV, load_periods, run_retention
from rrms.services.records.subject_access import subject_access
from rrms.storage.database import session_factory
from rrms.storage.unit_of_work import UnitOfWork

EXIT_USAGE = 2

retention_app = typer.Typer(
    help="Anonymise records past their retention period.", no_args_is_help=True
)

AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="RRMS_USER",
        help="Who is doing this, for the audit log; default: your login name.",
    ),
]


def _fail(message: str, status: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(status)


def subject_access_command(
    person_id: Annotated[int, typer.Argument(help="The person's id in RRMS.", min=1)],
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the JSON file and the PDF into.")
    ],
    as_user: AsUser = None,
    language: Annotated[
        ReportLanguage,
        typer.Option(
            "--language",
            "-l",
            help="Language of the PDF (the JSON file is the same in every language).",
        ),
    ] = ReportLanguage.en,
) -> None:
    """Everything RRMS holds on a person, as a JSON file and a PDF (audited)."""
    if out.exists() and not out.is_dir():
        raise _fail(f"--out {out} is not a folder")
    username = as_user or getpass.getuser()
    try:
        with UnitOfWork(session_factory()) as uow:
            actor = active_actor(uow, username)
            if actor is None:
                raise _fail(
                    f"no active RRMS user {username!r}; name one with --as USERNAME "
                    "(an administrator, or a user of a confidential unit)"
                )
            access = subject_access(uow, actor, person_id)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / access.file_name("json")
    pdf_path = out / access.file_name("pdf")
    write_private(json_path, access.json_bytes())
    write_private(pdf_path, access.pdf_bytes(language_of(language.value)))
    typer.echo(f"written: {json_path}\nwritten: {pdf_path}")


@retention_app.command("run")
def retention_run(
    apply: Annotated[
        bool,
        typer.Option(
            "--apply/--dry-run",
            help="Anonymise (--apply) or only count what would change (--dry-run, default).",
        ),
    ] = False,
    periods_file: Annotated[
        Path | None,
        typer.Option(
            "--periods",
            help=f"A TOML file of retention periods in years; default: ${PERIODS_ENV}, "
            "else the documented defaults.",
        ),
    ] = None,
    as_user: AsUser = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Anonymise records past their retention period; a dry run unless --apply."""
    try:
        actor = operator(as_user or getpass.getuser())
        periods = load_periods(periods_file)
        with UnitOfWork(session_factory()) as uow:
            run = run_retention(uow, actor, periods, apply=apply)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    if json_output:
        typer.echo(json.dumps({"applied": run.applied, "counts": run.counts}, indent=1))
        return
    verb = "anonymised" if run.applied else "would be anonymised"
    typer.echo(f"retention {'run' if run.applied else 'dry run'} on {run.today.isoformat()}")
    for kind, years in run.periods.as_dict().items():
        typer.echo(f"  {kind}: {'never' if years is None else f'{years} years'}")
    typer.echo(f"records {verb}:")
    for kind, count in run.counts.items():
        typer.echo(f"  {kind:<22}{count:>8,}")
    typer.echo("  confidential cases are anonymised as due, and counted only for their units")
    if not run.applied:
        typer.echo("nothing was changed: run again with --apply to anonymise")
