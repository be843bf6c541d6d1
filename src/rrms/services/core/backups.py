"""Backing up and restoring the database: who may, what is recorded, what is checked.

A backup holds everything RRMS holds, the confidential units' cases included, so it is
made by an administrator only, and every backup and restore is an entry in the audit
log naming who made it and the file (never its content):

- **backup**: the entry is written, in the database being backed up, *before* the copy
  is taken, so the backup contains the record of its own making. Should the copy then
  fail, a `backup_failed` entry follows it.
- **restore**: only into an empty database (no rows in any table), so nothing is mixed
  with or lost under the restored rows. After the restore the audit log's hash chain is
  recomputed (`verify_chain`, as `rrms audit verify` does), and a `restore` entry with
  the result is appended to the restored log.

The copying itself is `rrms.storage.backup`'s.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from rrms.domain.messages import N_
from rrms.services.core import audit
from rrms.services.core.access import Actor
from rrms.services.core.audit import ChainProblem, verify_chain
from rrms.services.core.errors import Conflict, Forbidden, Invalid, ServiceError
from rrms.storage import backup as storage
from rrms.storage.backup import Backend, Contents, WrittenBackup
from rrms.storage.database import session_factory
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "ENTITY",
    "BackupFailed",
    "Contents",
    "RestoredBackup",
    "WrittenBackup",
    "back_up",
    "operator",
    "restore",
]

ENTITY = "database"
"""The audit log's entity for backups and restores; the entity id is the file's name."""

_MAX_NAME = 80  # audit_log.username and entity_id


class BackupFailed(ServiceError):
    """A backup or restore that could not be made (a missing program, a damaged file)."""

    status = 500


@dataclass(frozen=True)
class RestoredBackup:
    """A restore's result: what the database now holds and the audit chain's state."""

    path: Path
    backend: Backend
    contents: Contents
    audit_entries: int
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        """True when the restored audit log's hash chain is whole."""
        return not self.problems


def operator(name: str) -> Actor:
    """The actor for someone running `rrms db backup|restore` on the server.

    Whoever can run `rrms` there can already read the database: an administrator by
    position (see `rrms.cli.admin`). The name, given with `--as` or taken from the
    login, makes the audit entry say who it was.
    """
    cleaned = name.strip()
    if not cleaned:
        raise Invalid(N_("name who is making the backup (--as NAME)"), "as")
    if len(cleaned) > _MAX_NAME:
        raise Invalid(N_("a name has at most {max_name} characters", max_name=_MAX_NAME), "as")
    return Actor(user_id=None, username=cleaned, role="administrator")


def _authorize(actor: Actor) -> None:
    if actor.role != "administrator":
        raise Forbidden(N_("only an administrator may back up or restore the database"))


def _where(path: Path) -> dict[str, str]:
    """What the audit entry says about the file: its full name and who ran the command
    on the machine, never anything of its content."""
    return {"file": str(path.absolute()), "system_user": getpass.getuser()}


def _record(engine: Engine, actor: Actor, action: str, path: Path, **after: object) -> None:
    with UnitOfWork(session_factory(engine)) as uow:
        audit.record(uow, actor, action, ENTITY, path.name[-_MAX_NAME:], after=_where(path) | after)
        uow.commit()


def back_up(
    engine: Engine, actor: Actor, target: Path, *, overwrite: bool = False
) -> WrittenBackup:
    """Record the backup in the audit log, then copy the whole database into `target`.

    Raises `BackupFailed` for a backup that cannot be made (checked before anything is
    recorded where possible: a missing folder or `pg_dump`, an existing file).
    """
    _authorize(actor)
    try:
        storage.check_new_backup(engine, target, overwrite=overwrite)
    except storage.BackupError as exc:
        raise BackupFailed(str(exc)) from None
    _record(engine, actor, "backup", target, backend=storage.backend_of(engine))
    try:
        return storage.write_backup(engine, target, overwrite=overwrite)
    except (storage.BackupError, OSError) as exc:  # OSError: a full disk, a lost folder
        _record(engine, actor, "backup_failed", target, reason=str(exc))
        raise BackupFailed(str(exc)) from None


def _refuse_unless_empty(contents: Contents, url: str) -> None:
    holding = contents.holding_data()
    if not holding:
        return
    shown = ", ".join(f"{name} ({rows:,} rows)" for name, rows in list(holding.items())[:5])
    more = f" and {len(holding) - 5} more tables" if len(holding) > 5 else ""
    raise Conflict(
        N_(
            "the database {url} is not empty: {shown}{more}. A backup is restored only into an "
            "empty database, so that nothing is mixed with or lost under it: create a new "
            "database and point RRMS_DATABASE_URL at it, e.g. "
            "RRMS_DATABASE_URL=sqlite:///restored.db rrms db restore FILE (PostgreSQL: `createdb "
            "rrms_restored`, then RRMS_DATABASE_URL=postgresql://USER@HOST/rrms_restored)",
            url=url,
            shown=shown,
            more=more,
        )
    )


def restore(engine: Engine, actor: Actor, source: Path) -> RestoredBackup:
    """Restore the backup `source` into the engine's database, which must be empty;
    then verify the audit chain and record the restore in the restored log.

    Raises `Conflict` for a database with rows, `BackupFailed` for a file that cannot
    be restored (not a backup, of the other kind of database, damaged).
    """
    _authorize(actor)
    try:
        backend = storage.backend_of(engine)
        made_by = storage.backup_backend(source)
        if made_by != backend:
            raise storage.BackupError(
                f"{source} is a backup of a {made_by} database; restore it into a {made_by} "
                f"one (RRMS_DATABASE_URL is a {backend} database)"
            )
        url = engine.url.render_as_string(hide_password=True)
        _refuse_unless_empty(storage.table_rows(engine, create_missing=True), url)
        contents = storage.restore_backup(engine, source)
    except (storage.BackupError, OSError) as exc:
        raise BackupFailed(str(exc)) from None
    with UnitOfWork(session_factory(engine)) as uow:
        problems = tuple(verify_chain(uow))
    _record(
        engine,
        actor,
        "restore",
        source,
        tables=len(contents.tables),
        rows=contents.rows,
        audit_chain="intact" if not problems else f"broken: {len(problems)} problem(s)",
    )
    return RestoredBackup(
        path=source,
        backend=backend,
        contents=contents,
        audit_entries=contents.tables.get("audit_log", 0),
        problems=problems,
    )
