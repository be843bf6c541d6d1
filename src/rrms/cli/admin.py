"""`rrms db`, `rrms user` and `rrms audit`: setting up and looking after an installation.

These commands act as the system itself (`rrms.services.core.access.SYSTEM`, an
administrator), not as a signed-in user: whoever can run the `rrms` command on the
server can already read its database, so they are an administrator by position. That
is what lets `rrms user add` create the first administrator of a new installation.

Nothing here prints a password, a hash or a person's data; failures print one line
naming the problem and exit with status 2 (1 for a broken audit chain).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from rrms.domain.vocabulary import ROLES
from rrms.reports.screening import ScreeningReport
from rrms.services.accounts.users import (
    actor_named,
    add_user,
    revoke_tokens,
    set_password,
    update_user,
    user_by_name,
)
from rrms.services.core.access import SYSTEM
from rrms.services.core.audit_log import verify_audit_log
from rrms.services.core.errors import ServiceError
from rrms.services.screening.decisions import file_sha256, record_screening
from rrms.storage.database import database_url, upgrade
from rrms.storage.unit_of_work import UnitOfWork

EXIT_USAGE = 2
EXIT_BROKEN_CHAIN = 1
NOT_READY = "the database is not ready (no RRMS tables); run `rrms db upgrade` first"

db_app = typer.Typer(help="Create or upgrade the database.", no_args_is_help=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="Check the audit log.", no_args_is_help=True)
tokens_app = typer.Typer(help="Manage a user's API tokens.", no_args_is_help=True)
user_app.add_typer(tokens_app, name="tokens")


def _fail(message: str, status: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(status)


def _safe_url() -> str:
    """The database URL with any password masked, fit to print."""
    return make_url(database_url()).render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database or bring it to the latest schema, then seed reference programmes.

    Safe to run again: migrations already applied are skipped, and seeding only adds or
    updates the reference programmes.
    """
    upgrade()
    typer.echo(f"database at the latest schema: {_safe_url()}")
    try:
        programmes = import_module("rrms.services.programmes.programmes")
    except ModuleNotFoundError as exc:
        if exc.name != "rrms.services.programmes.programmes":
            raise
        typer.echo("reference programmes: not seeded (this version has no programme seeds)")
        return
    seed: Any = programmes.seed_programmes
    with UnitOfWork() as uow:
        added, updated = seed(uow, SYSTEM)
        uow.commit()
    typer.echo(f"reference programmes: {added} added, {updated} updated")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="The name the user signs in with.")],
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")],
    full_name: Annotated[str, typer.Option("--full-name", help="The user's full name.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from the first line of standard input (for scripts); "
            "otherwise it is asked twice, hidden.",
        ),
    ] = False,
) -> None:
    """Add a user account; the password is asked twice and never shown."""
    if role not in ROLES:
        raise _fail(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    password = _read_password(password_stdin)
    try:
        with UnitOfWork() as uow:
            user = add_user(uow, SYSTEM, username, password, role, full_name=full_name)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    except (OperationalError, ProgrammingError):
        raise _fail(NOT_READY) from None
    typer.echo(f"user added: id {user.id}, role {role}")


def _change_user(username: str, change: Callable[[UnitOfWork, int], str]) -> None:
    """Run `change` on the named user (active or not) as the system; print its answer."""
    try:
        with UnitOfWork() as uow:
            user = user_by_name(uow, SYSTEM, username)
            message = change(uow, user.id)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    except (OperationalError, ProgrammingError):
        raise _fail(NOT_READY) from None
    typer.echo(message)


@user_app.command("deactivate")
def user_deactivate(
    username: Annotated[str, typer.Argument(help="The user to deactivate.")],
) -> None:
    """Deactivate a user: they cannot sign in, and their tokens stop working at once."""

    def change(uow: UnitOfWork, user_id: int) -> str:
        update_user(uow, SYSTEM, user_id, active=False)
        return f"user {username} deactivated; their tokens are revoked"

    _change_user(username, change)


@user_app.command("activate")
def user_activate(
    username: Annotated[str, typer.Argument(help="The user to reactivate.")],
) -> None:
    """Reactivate a deactivated user (they sign in again with their password)."""

    def change(uow: UnitOfWork, user_id: int) -> str:
        update_user(uow, SYSTEM, user_id, active=True)
        return f"user {username} activated"

    _change_user(username, change)


@user_app.command("role")
def user_role(
    username: Annotated[str, typer.Argument(help="The user whose role changes.")],
    role: Annotated[str, typer.Argument(help=f"One of: {', '.join(ROLES)}.")],
) -> None:
    """Change a user's role."""
    if role not in ROLES:
        raise _fail(f"unknown role {role!r}; roles: {', '.join(ROLES)}")

    def change(uow: UnitOfWork, user_id: int) -> str:
        update_user(uow, SYSTEM, user_id, role=role)
        return f"user {username}: role {role}"

    _change_user(username, change)


@user_app.command("password")
def user_password(
    username: Annotated[str, typer.Argument(help="The user whose password is set.")],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from the first line of standard input (for scripts); "
            "otherwise it is asked twice, hidden.",
        ),
    ] = False,
) -> None:
    """Set a user's password (under the password policy) and revoke their tokens."""
    password = _read_password(password_stdin)

    def change(uow: UnitOfWork, user_id: int) -> str:
        set_password(uow, SYSTEM, user_id, password)
        return f"password of {username} changed; their tokens are revoked"

    _change_user(username, change)


@tokens_app.command("revoke")
def tokens_revoke(
    username: Annotated[str, typer.Argument(help="The user to sign out everywhere.")],
) -> None:
    """Revoke every API token and page session of a user at once."""
    _change_user(
        username,
        lambda uow, user_id: f"{revoke_tokens(uow, SYSTEM, user_id)} token(s) revoked",
    )


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit log's hash chain; exit 1 naming each entry that does not match."""
    try:
        with UnitOfWork() as uow:
            report = verify_audit_log(uow, SYSTEM)
    except (OperationalError, ProgrammingError):
        raise _fail(NOT_READY) from None
    if report.intact:
        typer.echo(f"audit log intact: {report.entries} entries")
        return
    for problem in report.problems:
        typer.echo(f"entry {problem.entry_id}: {problem.problem}")
    typer.echo(
        f"audit log BROKEN: {len(report.problems)} problem(s) in {report.entries} entries; "
        "the entries above were changed, deleted or reordered outside RRMS"
    )
    raise typer.Exit(EXIT_BROKEN_CHAIN)


def record_as(report: ScreeningReport, file: Path, username: str) -> int:
    """Store a screening made by `rrms screen --record --as USERNAME`; the list's id.

    The CLI runs on the server, so it may act for a named active user without their
    password (see the module docstring); the service still checks that the user is a
    screening officer. Exits with status 2 naming the problem otherwise.
    """
    try:
        with UnitOfWork() as uow:
            actor = actor_named(uow, username)
            if actor is None:
                raise _fail(f"no active user named {username!r}")
            screened = record_screening(uow, actor, report, file.name, file_sha256(file))
            return screened.id
    except ServiceError as exc:
        raise _fail(exc.message) from None
    except (OperationalError, ProgrammingError):
        raise _fail(NOT_READY) from None
