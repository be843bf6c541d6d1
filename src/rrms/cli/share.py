"""`rrms share export`: the pseudonymised export for a partner or a researcher.

The command acts as an RRMS user, named with `--as USERNAME` (or `RRMS_USER`, else the
login name), who must be active and allowed to share (a programme manager or an
administrator); the sharing log and the audit log record the export under that user.
Only persons whose consent covers the purpose and names the recipient are exported
(see `rrms.services.records.sharing` and docs/data-protection.md). Exit status 2 when
the export is refused (no consent covers the purpose, a user not allowed, bad input).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from rrms.domain.vocabulary import CONSENT_PURPOSES
from rrms.services.accounts.users import actor_of
from rrms.services.core.errors import ServiceError
from rrms.services.records.sharing import export_for_sharing
from rrms.storage.database import session_factory
from rrms.storage.unit_of_work import UnitOfWork

share_app = typer.Typer(
    help="Pseudonymised exports for partners and researchers, under consent.",
    no_args_is_help=True,
)

EXIT_REFUSED = 2


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_REFUSED)


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option} {text!r} is not a date YYYY-MM-DD") from None


@share_app.command("export")
def export(
    purpose: Annotated[
        str, typer.Option("--purpose", help="One of: " + ", ".join(CONSENT_PURPOSES) + ".")
    ],
    recipient: Annotated[
        str, typer.Option("--recipient", help="The organisation receiving the file.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="The file to write: .csv or .xlsx (0600, owner only).")
    ],
    date_from: Annotated[
        str | None, typer.Option("--from", help="Only persons returning on or after YYYY-MM-DD.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Only persons returning on or before YYYY-MM-DD.")
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="RRMS_USER",
            help="The RRMS user sharing (a programme manager or administrator); "
            "default: your login name.",
        ),
    ] = None,
) -> None:
    """Write the pseudonymised export for RECIPIENT and PURPOSE, and log the transfer."""
    file_format = out.suffix.lower().lstrip(".")
    if file_format not in ("csv", "xlsx"):
        raise _fail(f"--out {out}: name a .csv or .xlsx file")
    if out.exists():
        raise _fail(f"--out {out} exists already; choose another name")
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    username = as_user or getpass.getuser()
    factory = session_factory()
    with UnitOfWork(factory) as uow:
        user = uow.accounts.active_user_named(username)
        if user is None:
            raise _fail(f"no active RRMS user {username!r}; name one with --as USERNAME")
        actor = actor_of(user)
        try:
            shared = export_for_sharing(uow, actor, purpose, recipient, file_format, start, end)
        except ServiceError as exc:
            raise _fail(exc.message) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=out.parent, prefix=".tmp-share-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(shared.data)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    typer.echo(
        f"shared with {recipient} for {purpose}: {shared.records} persons "
        f"({shared.generalised} with a birth-year band, {shared.withheld} withheld for "
        f"k-anonymity) under {len(shared.consent_ids)} consents\n"
        f"written: {out} (sha256 {shared.sha256}); sharing log entry {shared.log_id}"
    )
