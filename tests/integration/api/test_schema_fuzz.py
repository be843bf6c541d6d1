"""Schemathesis fuzzes every operation of the OpenAPI schema: no input answers 5xx.

The schema is loaded from the ASGI app itself (`/openapi.json`), so every router is
fuzzed as soon as it is included. Schemathesis sends valid and invalid requests (wrong
types, out-of-range numbers, missing fields, odd strings and files) and the check is
`not_a_server_error`: bad input must get a clear 4xx, never a 500.

Who sends them (`fuzzed_as`): an administrator every operation; a caseworker every
operation it may use (elsewhere it gets the same validation, then a 403); and, for the
few operations neither may use (projects, housing and trainings writes, screenings,
confidential cases), a role that may, so those services are fuzzed past the role check.

**SQLite, on purpose.** One migrated database for the whole module, made from the
session's SQLite template in a fraction of a second. What is fuzzed is the API's
handling of input (request validation, the services' checks, the error handlers),
the same code on both backends. PostgreSQL differs in two ways known to turn bad input
into a 500 — integers beyond its 32-bit id columns, and the NUL character in text —
and both are refused before any query (bounds in the request models;
`rrms.api.deps.refuse_nul_characters`), which `test_what_the_fuzzer_found_...` checks
on both backends. Fuzzing PostgreSQL every run would double the time for little; run
it on demand with `RRMS_FUZZ_BACKEND=postgresql`.

Budget: `MAX_EXAMPLES` generated requests per operation and role; about a minute in
all. Schemathesis's coverage phase (every boundary value of every parameter) sends
about six times as many requests, several minutes: on demand, `RRMS_FUZZ_COVERAGE=1`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from rrms.api.app import create_app
from rrms.services.accounts.users import add_user, issue_token
from rrms.services.core.access import PERMISSIONS, SYSTEM
from rrms.storage.database import _sqlite_pragmas
from rrms.storage.unit_of_work import UnitOfWork
from support.databases import PostgresCluster, SqliteTemplate

MAX_EXAMPLES = 10
PASSWORD = "correct horse battery"
EXTRA_ROLES = ("programme_manager", "screening_officer", "counter_trafficking")
"""Roles that fuzz, beyond the operations of the administrator and the caseworker, the
operations neither may use (projects, housing and trainings writes; screenings;
confidential cases), so that those services' checks are fuzzed too, not only the
request validation in front of them."""
FUZZED_ROLES = ("administrator", "caseworker", *EXTRA_ROLES)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

APP = create_app(sessionmaker())
"""The app under test; the `fuzz_tokens` fixture attaches the module's database before
any call. (Schemathesis's fixture-based loader does not run on pytest 9, which dropped
the `Node._nodeid` it rewrites, so the schema is loaded when the module is collected.)"""


def _entity(tags: list[str] | None) -> str | None:
    """The `PERMISSIONS` entity an operation needs: each router tags its operations
    with it. None for an operation that needs no role (signing in)."""
    return tags[0] if tags and tags[0] in PERMISSIONS else None


def may_use(role: str, method: str, tags: list[str] | None) -> bool:
    """Whether the role passes the operation's role check."""
    entity = _entity(tags)
    if entity is None:
        return True
    action = "write" if method.upper() in WRITE_METHODS else "read"
    return role in PERMISSIONS[entity][action]


def fuzzed_as(role: str, method: str, tags: list[str] | None) -> bool:
    """The administrator fuzzes every operation; the caseworker those it may use that
    need a role; an extra role those neither of them may use, if it is the first extra
    role that may."""
    if role == "administrator":
        return True
    if role == "caseworker":
        return _entity(tags) is not None and may_use(role, method, tags)
    if may_use("administrator", method, tags) or may_use("caseworker", method, tags):
        return False
    return role == next((r for r in EXTRA_ROLES if may_use(r, method, tags)), None)


def _schema_for(role: str) -> Any:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", APP)
    if os.environ.get("RRMS_FUZZ_COVERAGE") != "1":
        # The coverage phase (every boundary value of every parameter) sends about six
        # times as many requests; run it on demand: RRMS_FUZZ_COVERAGE=1.
        loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded.include(lambda ctx: fuzzed_as(role, ctx.operation.method, ctx.operation.tags))


@pytest.fixture(scope="module")
def fuzz_tokens(request: pytest.FixtureRequest) -> Iterator[dict[str, dict[str, str]]]:
    """One migrated database for the whole fuzz (SQLite unless RRMS_FUZZ_BACKEND says
    postgresql), attached to the app, and bearer headers for one user of each role."""
    if os.environ.get("RRMS_FUZZ_BACKEND", "sqlite") == "postgresql":
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        engine = create_engine(cluster.fresh_database())
    else:
        template: SqliteTemplate = request.getfixturevalue("sqlite_template")
        engine = create_engine(template.fresh_database())
        event.listen(engine, "connect", _sqlite_pragmas)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    APP.state.session_factory = factory
    headers = {}
    for role in FUZZED_ROLES:
        with UnitOfWork(factory) as uow:
            add_user(uow, SYSTEM, f"fuzz_{role}", PASSWORD, role)
        with UnitOfWork(factory) as uow:
            token = issue_token(uow, f"fuzz_{role}", PASSWORD)
        headers[role] = {"Authorization": f"Bearer {token}"}
    yield headers
    APP.state.session_factory = sessionmaker()
    engine.dispose()


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


def _fuzz_as(role: str) -> Any:
    """A test that fuzzes the role's operations (see `fuzzed_as`) with its token."""

    @_schema_for(role).parametrize()
    @FUZZ_SETTINGS
    def test(case: Any, fuzz_tokens: dict[str, dict[str, str]]) -> None:
        case.call_and_validate(headers=fuzz_tokens[role], checks=[not_a_server_error])

    test.__doc__ = f"Fuzzed as {role}: no answer is 5xx."
    return test


test_as_administrator = _fuzz_as("administrator")
test_as_caseworker = _fuzz_as("caseworker")
test_as_programme_manager = _fuzz_as("programme_manager")
test_as_screening_officer = _fuzz_as("screening_officer")
test_as_counter_trafficking = _fuzz_as("counter_trafficking")


# --- What the fuzzer found, kept as plain tests on both backends ----------------------

FOUND: list[tuple[str, str, dict[str, Any], str, list[str | int]]] = [
    # Integers beyond what the databases take (SQLite: 2**63 - 1; PostgreSQL's id
    # columns: 2**31 - 1) reached the query and failed it with a 500.
    ("GET", "/persons", {"params": {"offset": 2**63}}, "caseworker", ["query", "offset"]),
    (
        "GET",
        "/screening/lists",
        {"params": {"offset": 2**63}},
        "administrator",
        ["query", "offset"],
    ),
    (
        "PATCH",
        f"/screening/decisions/{2**63}",
        {"json": {"version": 1, "decision": "accept"}},
        "screening_officer",
        ["path", "decision_id"],
    ),
    ("GET", f"/users/{2**31}", {}, "administrator", ["path", "user_id"]),
    ("GET", "/returns", {"params": {"person_id": 2**40}}, "caseworker", ["query", "person_id"]),
    # PostgreSQL cannot store U+0000 in text: a 500 wherever text reached the database.
    (
        "POST",
        "/persons",
        {"json": {"family_name": "Ga\u0000shi", "given_name": "Besa"}},
        "caseworker",
        ["body", "family_name"],
    ),
    ("GET", "/persons/search", {"params": {"q": "\u0000"}}, "caseworker", ["query", "q"]),
    (
        "POST",
        "/auth/token",
        {"json": {"username": "a\u0000", "password": "x"}},
        "caseworker",
        ["body", "username"],
    ),
]


def test_what_the_fuzzer_found_is_a_422_naming_the_field(client: Any, auth: Any) -> None:
    """Each input the fuzzer found answering 500 now answers 422 with its location."""
    problems = []
    for method, url, request_args, role, loc in FOUND:
        answer = client.request(method, url, headers=auth(role), **request_args)
        named = [p["loc"] for p in answer.json()["detail"]] if answer.status_code == 422 else []
        if loc not in named:
            problems.append(f"{method} {url} as {role}: {answer.status_code} {answer.text[:200]}")
    assert not problems, "\n".join(problems)
