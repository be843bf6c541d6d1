"""Connecting to the database: SQLite by default, PostgreSQL when configured.

`RRMS_DATABASE_URL` names the database (any SQLAlchemy URL; `postgresql://` is read
with the psycopg 3 driver); without it RRMS uses the SQLite file `rrms.db` in the
working directory, so the system runs with no server to install.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///rrms.db"


def database_url() -> str:
    """The configured database URL, normalised to the drivers RRMS ships."""
    url = os.environ.get("RRMS_DATABASE_URL", DEFAULT_URL)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


_engines: dict[str, Engine] = {}


def is_busy(error: BaseException) -> bool:
    """Whether a database error means that another transaction holds SQLite's write
    lock (an import): "database is locked" after the busy timeout, or a snapshot a
    writer has moved past. Waiting and trying again will do."""
    text = str(getattr(error, "orig", None) or error).lower()
    return "database is locked" in text or "database is busy" in text


def engine_for(url: str) -> Engine:
    """One engine per URL, with foreign keys and WAL switched on for SQLite.

    `hide_parameters`: a database error's message leaves out the statement's values,
    which are personal data (names, birth dates) and must not reach a log.
    """
    engine = _engines.get(url)
    if engine is not None:
        return engine
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    _engines[url] = engine
    return engine


def dispose_engines() -> None:
    """Close the pooled connections of every engine made so far, and forget them.

    For a process done with its databases (the tests, after each one): an engine
    merely dropped leaves its connections to the garbage collector, open until then.
    """
    while _engines:
        _engines.popitem()[1].dispose()


def get_engine() -> Engine:
    """The engine for the configured database."""
    return engine_for(database_url())


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    """Sessions bound to `engine` (default: the configured database)."""
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """A session whose work is committed together, or rolled back on any error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str | None = None) -> Config:
    """Alembic configuration pointing at the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the database to the latest migration (creating it if new)."""
    command.upgrade(alembic_config(url), "head")
