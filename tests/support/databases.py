"""Throwaway databases for the tests: a SQLite file, and a real PostgreSQL cluster.

The PostgreSQL cluster is made with the server binaries on the machine (`initdb`,
`pg_ctl`) in a temporary folder, listening on a Unix socket only, and removed at the
end of the session. When the tests run as root, the cluster runs as the `postgres`
system user, since PostgreSQL refuses to run as root. Each test gets a fresh database
copied from a template that has been migrated once.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from rrms.storage.database import upgrade


def _bindir() -> Path:
    configured = os.environ.get("RRMS_PG_BINDIR")
    if configured:
        return Path(configured)
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries not found (pg_ctl); install postgresql or set "
            "RRMS_PG_BINDIR"
        )
    return Path(candidates[-1]).parent


SERVER_USER = "postgres"


def _server_account() -> pwd.struct_passwd:
    """The system account the server runs as when the tests run as root (made if absent)."""
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", SERVER_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SERVER_USER)


class PostgresCluster:
    """A private PostgreSQL server for one test session."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="rrms-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.socket_dir.mkdir()
        self.port = 54329
        self.user = "rrms"
        self._names = itertools.count()
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def start(self) -> None:
        """initdb and start the server on a Unix socket."""
        if self._as_postgres:
            entry = _server_account()
            os.chmod(self.root, 0o755)
            for path in (self.root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.root / "server.log"),
            "start",
        )
        self.template = "rrms_template"
        self.admin_execute(f"CREATE DATABASE {self.template}")
        upgrade(self.url(self.template))

    def url(self, database: str) -> str:
        """SQLAlchemy URL of a database of this cluster."""
        return (
            f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"
        )

    def admin_execute(self, sql: str) -> None:
        """Run one statement on the maintenance database, outside a transaction."""
        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=self.user,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def fresh_database(self) -> str:
        """A new migrated database (copied from the template); returns its URL."""
        name = f"rrms_test_{next(self._names)}"
        self.admin_execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class SqliteTemplate:
    """A migrated SQLite file copied for each test (migrating once is the slow part)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rrms-sqlite-"))
        self.template = self.root / "template.db"
        upgrade(f"sqlite:///{self.template}")
        self._names = itertools.count()

    def fresh_database(self) -> str:
        """A new migrated database file; returns its URL."""
        path = self.root / f"test_{next(self._names)}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def stop(self) -> None:
        """Delete the files."""
        shutil.rmtree(self.root, ignore_errors=True)
