"""Fixtures shared by every test: databases on both backends, users of every role."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from rrms.domain.vocabulary import ROLES
from rrms.services.accounts.users import actor_of, add_user
from rrms.services.core.access import SYSTEM, Actor
from rrms.storage.database import _sqlite_pragmas, dispose_engines
from rrms.storage.unit_of_work import UnitOfWork
from support.databases import PostgresCluster, SqliteTemplate


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its lowest cost in tests: the production cost is for attackers, and at
    over a second per user it would dominate the suite. Verification is unchanged."""
    from argon2 import PasswordHasher

    from rrms.services.accounts import users

    production = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    users._hasher = production


@pytest.fixture(autouse=True)
def fresh_sign_in_throttle() -> None:
    """Each test starts with no sign-in attempts counted (all tests come from one
    address, and the counters live in this process)."""
    from rrms.services.accounts import throttle

    throttle.reset()


@pytest.fixture(autouse=True, scope="session")
def form_token_key() -> Iterator[None]:
    """The pages' form-token key from the environment, so that no test run writes one
    into the work tree (`rrms-data/keys/csrf`); tests/unit/web/test_csrf_key.py tests
    the key file."""
    before = os.environ.get("RRMS_SECRET_KEY")
    os.environ["RRMS_SECRET_KEY"] = "tests-" + secrets.token_hex(16)
    yield
    if before is None:
        os.environ.pop("RRMS_SECRET_KEY", None)
    else:
        os.environ["RRMS_SECRET_KEY"] = before


@pytest.fixture(autouse=True)
def close_engines_after_each_test() -> Iterator[None]:
    """Commands under test open engines for RRMS_DATABASE_URL, a new database each
    test; closing them here keeps a connection from being collected while open (a
    ResourceWarning on PostgreSQL, an error under the suite's warning filter)."""
    yield
    dispose_engines()


# On CI the property tests replay the same examples every run (derandomize), so a red CI
# always points at a change, not at a newly drawn example; on a developer's machine they
# keep exploring with fresh examples.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

BACKENDS = [b for b in os.environ.get("RRMS_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def sqlite_template() -> Iterator[SqliteTemplate]:
    template = SqliteTemplate()
    yield template
    template.stop()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated database on each backend in turn."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_template").fresh_database()
    return request.getfixturevalue("postgres_cluster").fresh_database()


@pytest.fixture
def session_factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(database_url)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> Callable[[], UnitOfWork]:
    """Make a new unit of work on the test's database: `with uow() as u: ...`."""
    return lambda: UnitOfWork(session_factory)


@pytest.fixture
def actors(uow: Callable[[], UnitOfWork]) -> dict[str, Actor]:
    """One signed-up user per role, by role name; password `PASSWORD`."""
    result = {}
    for role in ROLES:
        with uow() as u:
            user = add_user(u, SYSTEM, f"{role}_user", PASSWORD, role, full_name=role.title())
            result[role] = actor_of(user)
    return result


@pytest.fixture
def client(session_factory: sessionmaker[Session]) -> Iterator[object]:
    """An HTTP client on the API, backed by the test's database."""
    from fastapi.testclient import TestClient

    from rrms.api.app import create_app

    with TestClient(create_app(session_factory)) as test_client:
        yield test_client


@pytest.fixture
def auth(client: object, actors: dict[str, Actor]) -> Callable[[str], dict[str, str]]:
    """Authorization headers for a user of the given role (signed in through the API)."""
    tokens: dict[str, dict[str, str]] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in tokens:
            answer = client.post(  # type: ignore[attr-defined]
                "/auth/token", json={"username": f"{role}_user", "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            tokens[role] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        return tokens[role]

    return headers
