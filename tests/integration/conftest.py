"""Fixtures for the integration tests beyond the shared ones of `tests/conftest.py`."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path

import pytest

_names = itertools.count()


@pytest.fixture
def empty_database(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Callable[[bool], str]:
    """A new database on the test's backend: never migrated (no tables at all), or
    migrated without rows (`migrated=True`); returns its URL."""

    def make(migrated: bool = False) -> str:
        number = next(_names)
        if database_url.startswith("sqlite"):
            if migrated:
                return str(request.getfixturevalue("sqlite_template").fresh_database())
            return f"sqlite:///{tmp_path / f'restored-{number}.db'}"
        cluster = request.getfixturevalue("postgres_cluster")
        if migrated:
            return str(cluster.fresh_database())
        name = f"rrms_restored_{os.getpid()}_{number}"
        cluster.admin_execute(f"CREATE DATABASE {name}")
        return str(cluster.url(name))

    return make
