"""`rrms db backup FILE` and `rrms db restore FILE`: a copy of the whole database.

Like the other `rrms db` commands these act with the position of whoever runs them on
the server (an administrator, see `rrms.cli.admin`); `--as NAME` (or `RRMS_USER`, else
the login name) says who that is, and the audit log records it with the file's name.
The file holds personal data: it is written readable by its owner only.

Exit status 2 for a refusal (a file already there, a database that is not empty, a
file that is not a backup), 1 when a restored audit log's hash chain is broken.
"""

from __future__ import annotations

import getpass
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from rrms.services.core.backups import (
    Contents,
    RestoredBackup,
    WrittenBackup,
    back_up,
    operator,
    restore,
)
from rrms.services.core.errors import ServiceError
from rrms.storage.database import database_url, get_engine

EXIT_REFUSED = 2
EXIT_BROKEN_CHAIN = 1


class OutputFormat(StrEnum):
    """How the result is printed."""

    text = "text"
    json = "json"


AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="RRMS_USER",
        help="Who is doing this, for the audit log; default: your login name.",
    ),
]
Format = Annotated[OutputFormat, typer.Option("--format", help="Form of the summary.")]


def _fail(message: str, status: int = EXIT_REFUSED) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(status)


def _database_error(exc: OperationalError | ProgrammingError) -> typer.Exit:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    if isinstance(exc, ProgrammingError) or "no such table" in reason:
        return _fail("the database is not ready (no RRMS tables); run `rrms db upgrade` first")
    return _fail(f"the database cannot be opened: {reason}")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    value = size / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def _tables(contents: Contents) -> Table:
    table = Table("table", "rows", box=None, pad_edge=False)
    table.columns[1].justify = "right"
    for name, rows in contents.tables.items():
        table.add_row(name, f"{rows:,}")
    return table


def _contents_json(contents: Contents) -> dict[str, Any]:
    return {"tables": dict(contents.tables), "rows": contents.rows}


def db_backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (0600, owner only).")],
    as_user: AsUser = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace FILE if it exists already.")
    ] = False,
    fmt: Format = OutputFormat.text,
) -> None:
    """Back the whole database up into FILE, consistent while the server runs.

    SQLite: the online backup API; PostgreSQL: pg_dump --format=custom. The backup is
    recorded in the audit log first, so the file contains its own record.
    """
    try:
        actor = operator(as_user or getpass.getuser())
        written = back_up(get_engine(), actor, file, overwrite=overwrite)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    except (OperationalError, ProgrammingError) as exc:
        raise _database_error(exc) from None
    _print_backup(written, fmt)


def _print_backup(written: WrittenBackup, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        answer = {
            "file": str(written.path),
            "backend": written.backend,
            "bytes": written.size,
            **_contents_json(written.contents),
        }
        typer.echo(json.dumps(answer, indent=1))
        return
    console = Console(highlight=False, soft_wrap=True)
    console.print(_tables(written.contents))
    kind = "SQLite database" if written.backend == "sqlite" else "pg_dump custom archive"
    console.print(
        f"backup written: {written.path} ({_size(written.size)}, {kind}): "
        f"{len(written.contents.tables)} tables, {written.contents.rows:,} rows"
    )


def db_restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `rrms db backup`.")],
    as_user: AsUser = None,
    fmt: Format = OutputFormat.text,
) -> None:
    """Restore FILE into the database of RRMS_DATABASE_URL, which must be empty.

    SQLite: the backup API; PostgreSQL: pg_restore in a single transaction. Then the
    audit log's hash chain is verified (exit 1 if broken) and the restore recorded.
    """
    try:
        actor = operator(as_user or getpass.getuser())
        restored = restore(get_engine(), actor, file)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    except (OperationalError, ProgrammingError) as exc:
        raise _database_error(exc) from None
    _print_restore(restored, fmt)
    if not restored.intact:
        raise typer.Exit(EXIT_BROKEN_CHAIN)


def _print_restore(restored: RestoredBackup, fmt: OutputFormat) -> None:
    problems = [{"entry_id": p.entry_id, "problem": p.problem} for p in restored.problems]
    if fmt is OutputFormat.json:
        answer = {
            "file": str(restored.path),
            "backend": restored.backend,
            **_contents_json(restored.contents),
            "audit_log": {
                "entries": restored.audit_entries,
                "intact": restored.intact,
                "problems": problems,
            },
        }
        typer.echo(json.dumps(answer, indent=1))
        return
    console = Console(highlight=False, soft_wrap=True)
    console.print(_tables(restored.contents))
    target = make_url(database_url()).render_as_string(hide_password=True)
    console.print(
        f"restored {restored.path} into {target}: "
        f"{len(restored.contents.tables)} tables, {restored.contents.rows:,} rows"
    )
    if restored.intact:
        console.print(f"audit log intact: {restored.audit_entries} entries")
        return
    for problem in restored.problems:
        console.print(f"entry {problem.entry_id}: {problem.problem}")
    console.print(
        f"audit log BROKEN: {len(restored.problems)} problem(s) in "
        f"{restored.audit_entries} entries; the backup's log was changed, deleted or "
        "reordered outside RRMS"
    )
