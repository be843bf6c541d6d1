"""Backing up and restoring the whole database: the database-specific work.

SQLite is copied with its online backup API (`sqlite3.Connection.backup`), in one step
that holds a read snapshot, so the copy is consistent while the server keeps writing
(WAL lets writers go on meanwhile). PostgreSQL is dumped with `pg_dump
--format=custom` and restored with `pg_restore` in a single transaction. The client
programs are found the way the tests find the server's: `RRMS_PG_BINDIR`, else `PATH`,
else the newest `/usr/lib/postgresql/*/bin`.

A backup is written to a temporary file in the target's folder, created readable by
its owner only (0600: it holds personal data), flushed to disk and then renamed into
place, so a backup file is always whole. The database password never appears on a
command line: it is handed to `pg_dump` and `pg_restore` in their environment.

Policy (who may, which database counts as empty, the audit entries) is the service's,
`rrms.services.core.backups`; this module only copies and counts.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

__all__ = [
    "Backend",
    "BackupError",
    "Contents",
    "WrittenBackup",
    "backend_of",
    "backup_backend",
    "check_new_backup",
    "pg_tool",
    "restore_backup",
    "table_rows",
    "write_backup",
]

Backend = Literal["sqlite", "postgresql"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
BOOKKEEPING_TABLES = frozenset({"alembic_version"})
"""Tables that say which schema a database has, not what it holds."""


class BackupError(Exception):
    """A backup or restore that could not be done; the message is fit to print (it names
    files and programs, never a row's values)."""


@dataclass(frozen=True)
class Contents:
    """What a database or a backup holds: rows per table."""

    tables: Mapping[str, int]

    @property
    def rows(self) -> int:
        """Rows in all tables together."""
        return sum(self.tables.values())

    def holding_data(self) -> dict[str, int]:
        """The tables with rows, leaving out the schema's bookkeeping (`alembic_version`)."""
        return {
            name: rows
            for name, rows in self.tables.items()
            if rows and name not in BOOKKEEPING_TABLES
        }


@dataclass(frozen=True)
class WrittenBackup:
    """A backup file as written: where, from which kind of database, how big, what."""

    path: Path
    backend: Backend
    size: int
    contents: Contents


def backend_of(engine: Engine) -> Backend:
    """Which kind of database the engine is connected to."""
    name = engine.dialect.name
    if name == "sqlite":
        return "sqlite"
    if name == "postgresql":
        return "postgresql"
    raise BackupError(f"backups of {name} databases are not supported (SQLite, PostgreSQL are)")


def backup_backend(path: Path) -> Backend:
    """Which kind of database the backup file at `path` was made from (by its header)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is not an RRMS backup (neither a SQLite database nor a pg_dump archive)"
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- counting rows ----------------------------------------------------------------


def _sqlite_rows(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table of a SQLite database, leaving out SQLite's own tables and the
    virtual tables of full-text search with their shadow tables (an index of the rows,
    not data: `persons_fts` indexes `persons`)."""
    found = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    virtual = [name for name, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL")]
    result = {}
    for name, _sql in found:
        if any(name == v or name.startswith(v + "_") for v in virtual):
            continue
        (rows,) = connection.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()
        result[name] = int(rows)
    return result


def _postgres_rows(connection: Connection) -> dict[str, int]:
    """Rows per table of a PostgreSQL database (every schema but the system's)."""
    found = connection.execute(
        text(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' "
            "AND table_schema NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY table_schema, table_name"
        )
    ).all()
    result = {}
    for schema, name in found:
        rows = connection.scalar(text(f"SELECT count(*) FROM {_quote(schema)}.{_quote(name)}"))
        result[name if schema == "public" else f"{schema}.{name}"] = int(rows or 0)
    return result


@contextmanager
def _sqlite_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The engine's own `sqlite3` connection (with its busy timeout), from its pool."""
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        if not isinstance(connection, sqlite3.Connection):  # pragma: no cover
            raise BackupError("the SQLite driver is not Python's sqlite3")
        yield connection
    finally:
        raw.close()


def _sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite database; None for an in-memory one or a `file:` URI."""
    database = engine.url.database
    if not database or database == ":memory:" or engine.url.query.get("uri"):
        return None
    return Path(database)


def table_rows(engine: Engine, *, create_missing: bool = False) -> Contents:
    """Rows per table of the database as it is now.

    With `create_missing`, a SQLite file that does not exist yet is created empty and
    readable by its owner only (a restore is about to fill it with personal data).
    """
    if backend_of(engine) == "sqlite":
        path = _sqlite_path(engine)
        if path is not None and not path.parent.is_dir():
            raise BackupError(f"no such folder: {path.parent}")
        if create_missing and path is not None and not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with _sqlite_connection(engine) as connection:
            return Contents(_sqlite_rows(connection))
    with engine.connect() as connection:
        return Contents(_postgres_rows(connection))


# --- finding PostgreSQL's client programs ------------------------------------------


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name  # /usr/lib/postgresql/<version>/bin/<tool>
    return tuple(int(part) for part in re.findall(r"\d+", version))


def pg_tool(name: str) -> Path:
    """The PostgreSQL client program `name` (`pg_dump`, `pg_restore`).

    Looked for in `RRMS_PG_BINDIR` if set, else on `PATH`, else in the newest
    `/usr/lib/postgresql/*/bin` (Debian's layout).
    """
    configured = os.environ.get("RRMS_PG_BINDIR")
    if configured:
        candidate = Path(configured) / name
        if candidate.is_file():
            return candidate
        raise BackupError(f"{name} not found in RRMS_PG_BINDIR ({configured})")
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if candidates:
        return Path(candidates[-1])
    raise BackupError(
        f"{name} not found: install PostgreSQL's client programs (Debian: postgresql-client) "
        "or set RRMS_PG_BINDIR to the folder holding them"
    )


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the URL, and the environment carrying its password
    (kept off the command line, where every user of the machine could read it)."""
    params: dict[str, str] = {}
    env: dict[str, str] = {}
    for key, value in url.query.items():
        joined = value if isinstance(value, str) else ",".join(value)
        if key == "password":
            env["PGPASSWORD"] = joined
        else:
            params[key] = joined
    if url.host:
        params["host"] = url.host
    if url.port:
        params["port"] = str(url.port)
    if url.username:
        params["user"] = url.username
    if url.database:
        params["dbname"] = url.database
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    conninfo = " ".join(
        f"{key}='" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
        for key, value in params.items()
    )
    return conninfo, env


def _run(command: list[str], env: Mapping[str, str], what: str) -> str:
    """Run a PostgreSQL client program; its standard output, or `BackupError` naming the
    failure. Only the programs' own error lines are kept: the DETAIL and CONTEXT lines
    that follow them can quote a row's values, which are personal data."""
    result = subprocess.run(
        command,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        errors = [
            line.strip()
            for line in result.stderr.splitlines()
            if "error:" in line or line.lstrip().startswith(("ERROR:", "FATAL:"))
        ]
        reason = "; ".join(errors[:3]) or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {reason}")
    return result.stdout


# --- writing a backup ----------------------------------------------------------------


def check_new_backup(engine: Engine, target: Path, *, overwrite: bool = False) -> None:
    """Refuse, before anything is recorded or written, a backup that cannot be made:
    no folder to write in, a file already there (unless `overwrite`), no database, or
    no `pg_dump` for a PostgreSQL one."""
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the backup file to write")
    if not target.parent.is_dir():
        raise BackupError(f"no such folder: {target.parent}")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists already; choose a new name (or --overwrite)")
    if backend_of(engine) == "sqlite":
        path = _sqlite_path(engine)
        if path is None:
            raise BackupError("only a SQLite database in a file can be backed up")
        if not path.is_file():
            raise BackupError(f"no database at {path}")
        if path.resolve() == target.resolve():
            raise BackupError("the backup cannot replace the database itself")
    else:
        pg_tool("pg_dump")


@contextmanager
def _private_temporary(target: Path) -> Iterator[Path]:
    """A new empty file beside `target`, mode 0600, removed unless renamed into place."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _put_in_place(temporary: Path, target: Path) -> None:
    """Flush the finished file to disk and rename it to `target` in one step."""
    descriptor = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.chmod(temporary, 0o600)
    os.replace(temporary, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _sqlite_backup(engine: Engine, temporary: Path) -> Contents:
    with _sqlite_connection(engine) as source:
        copy = sqlite3.connect(temporary)
        try:
            # One step (pages=-1) copies every page under one read snapshot: a
            # consistent copy, while WAL lets other connections keep writing.
            source.backup(copy, pages=-1)
            # A self-contained file: no -wal beside it when it is opened later.
            copy.execute("PRAGMA journal_mode=DELETE")
            (check,) = copy.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(f"the copy failed SQLite's check: {check}")
            return Contents(_sqlite_rows(copy))
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite's backup failed: {exc}") from None
        finally:
            copy.close()


def _postgres_backup(engine: Engine, temporary: Path) -> Contents:
    pg_dump = pg_tool("pg_dump")
    conninfo, env = _libpq(engine.url)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            # The rows are counted, and pg_dump dumps them, in one exported snapshot:
            # what is reported is exactly what the file holds.
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            contents = Contents(_postgres_rows(connection))
            _run(
                [
                    str(pg_dump),
                    "--format=custom",
                    f"--file={temporary}",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    f"--dbname={conninfo}",
                ],
                env,
                "pg_dump",
            )
    _run([str(pg_tool("pg_restore")), "--list", str(temporary)], {}, "reading the dump back")
    return contents


def write_backup(engine: Engine, target: Path, *, overwrite: bool = False) -> WrittenBackup:
    """Back the whole database up into `target` (mode 0600), whole or not at all."""
    check_new_backup(engine, target, overwrite=overwrite)
    backend = backend_of(engine)
    with _private_temporary(target) as temporary:
        if backend == "sqlite":
            contents = _sqlite_backup(engine, temporary)
        else:
            contents = _postgres_backup(engine, temporary)
        size = temporary.stat().st_size
        _put_in_place(temporary, target)
    return WrittenBackup(path=target, backend=backend, size=size, contents=contents)


# --- restoring ---------------------------------------------------------------------


def _check_sqlite_backup(source: Path) -> sqlite3.Connection:
    """Open a SQLite backup read-only, after checking it is whole and is RRMS's."""
    try:
        copy = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        (check,) = copy.execute("PRAGMA quick_check").fetchone()
        tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} cannot be read as a SQLite database: {exc}") from None
    if check != "ok":
        copy.close()
        raise BackupError(f"{source} is damaged (SQLite's check: {check})")
    if not {"audit_log", "alembic_version"} <= tables:
        copy.close()
        raise BackupError(f"{source} is a SQLite database but not an RRMS one")
    return copy


def _check_postgres_backup(source: Path) -> None:
    listing = _run([str(pg_tool("pg_restore")), "--list", str(source)], {}, "reading the dump")
    if not re.search(r"TABLE DATA \S+ audit_log\b", listing):
        raise BackupError(f"{source} is a pg_dump archive but not of an RRMS database")


def restore_backup(engine: Engine, source: Path) -> Contents:
    """Restore the backup `source` into the engine's database; what it now holds.

    The caller has checked that the database is empty: SQLite's file is overwritten
    page by page; on PostgreSQL the dump's objects replace any (empty) ones of the same
    name, all in one transaction that leaves nothing behind if any statement fails.
    """
    backend = backend_of(engine)
    made_by = backup_backend(source)
    if made_by != backend:
        raise BackupError(
            f"{source} is a backup of a {made_by} database; restore it into a {made_by} one"
        )
    if backend == "sqlite":
        copy = _check_sqlite_backup(source)
        try:
            with _sqlite_connection(engine) as target:
                try:
                    copy.backup(target, pages=-1)
                except sqlite3.Error as exc:
                    raise BackupError(f"SQLite's restore failed: {exc}") from None
        finally:
            copy.close()
        return table_rows(engine)
    _check_postgres_backup(source)
    has_tables = bool(table_rows(engine).tables)
    conninfo, env = _libpq(engine.url)
    command = [
        str(pg_tool("pg_restore")),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        f"--dbname={conninfo}",
    ]
    if has_tables:
        command[1:1] = ["--clean", "--if-exists"]
    _run([*command, str(source)], env, "pg_restore")
    engine.dispose()  # pooled connections may hold plans of the dropped tables
    return table_rows(engine)
