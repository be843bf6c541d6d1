"""Schemathesis fuzzes every operation of the OpenAPI schema, signed in as every role,
and checks that each answer is what the schema says.

The schema is loaded from the ASGI app itself (`/openapi.json`), so every router is
fuzzed as soon as it is included. Schemathesis sends valid and invalid requests (wrong
types, out-of-range numbers, missing fields, odd strings and files), and each answer
must pass Schemathesis's checks (`CHECKS`): no 5xx; a status code, content type,
headers and body the operation documents (so a timestamp without its UTC offset, a 422
whose `detail` is not the documented list, an undeclared 403 all fail); invalid input
refused; and an operation that succeeded with the token refuses the same request
without it and with a wrong one (`ignored_auth`).

Who sends them: **every role, every operation** (`ROLES`). An operation the role may use
gets `MAX_EXAMPLES` requests, which reach the services' checks; one it may not gets
`REFUSED_EXAMPLES`, which check its validation and the documented 403.

One check is left out, on purpose: `positive_data_acceptance` expects a 2xx for every
request the schema allows, but a schema cannot say which ids exist, which version is
current or what the domain's rules allow (a cap, an order of statuses, a role's
permission), so schema-valid requests are refused with 403, 404, 409 or 422 by design.

**SQLite, on purpose.** One migrated database for the whole module, made from the
session's SQLite template in a fraction of a second. What is fuzzed is the API's
handling of input (request validation, the services' checks, the error handlers),
the same code on both backends. PostgreSQL differs in two ways known to turn bad input
into a 500 — integers beyond its 32-bit id columns, and the NUL character in text —
and both are refused before any query (bounds in the request models;
`rrms.api.deps.refuse_nul_characters`), which `test_what_the_fuzzer_found_...` checks
on both backends. Fuzzing PostgreSQL every run would double the time for little; run
it on demand with `RRMS_FUZZ_BACKEND=postgresql`.

Budget: a few minutes in all. On CI (`CI` set) the examples are derandomised, like every
Hypothesis test (tests/conftest.py). Schemathesis's coverage phase (every boundary
value of every parameter) sends about six times as many requests: on demand,
`RRMS_FUZZ_COVERAGE=1`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
)
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from rrms.api.app import create_app
from rrms.domain.vocabulary import ROLES
from rrms.services.accounts.users import add_user, issue_token
from rrms.services.core.access import PERMISSIONS, SYSTEM
from rrms.storage.database import _sqlite_pragmas
from rrms.storage.unit_of_work import UnitOfWork
from support.databases import PostgresCluster, SqliteTemplate

MAX_EXAMPLES = 6
"""Requests per operation a role may use."""
REFUSED_EXAMPLES = 2
"""Requests per operation a role may not use (validation, then the documented 403)."""
PASSWORD = "correct horse battery"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXCLUDED_CHECKS = (positive_data_acceptance, ignored_auth, negative_data_rejection)
"""See the module's docstring: the schema cannot say which valid requests succeed.
`ignored_auth` and `negative_data_rejection` count a request as one without
credentials when Schemathesis drops the Authorization header from the case, but the
role's token is passed as call headers, which the request keeps: both failed at
random, on a request that did carry a valid token (a 200 for "no Authorization").
Every route answering 401 without a token and with a wrong one is asserted by
test_endpoint_roles.py; invalid input answering 422 by test_api_contract.py."""

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


def _schema_for(role: str, allowed: bool) -> Any:
    """The operations the role may (or may not) use."""
    loaded = schemathesis.openapi.from_asgi("/openapi.json", APP)
    if os.environ.get("RRMS_FUZZ_COVERAGE") != "1":
        # The coverage phase (every boundary value of every parameter) sends about six
        # times as many requests; run it on demand: RRMS_FUZZ_COVERAGE=1.
        loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded.include(
        lambda ctx: may_use(role, ctx.operation.method, ctx.operation.tags) == allowed
    )


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
    for role in ROLES:
        with UnitOfWork(factory) as uow:
            add_user(uow, SYSTEM, f"fuzz_{role}", PASSWORD, role)
        with UnitOfWork(factory) as uow:
            token = issue_token(uow, f"fuzz_{role}", PASSWORD)
        headers[role] = {"Authorization": f"Bearer {token}"}
    yield headers
    APP.state.session_factory = sessionmaker()
    engine.dispose()


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
        ],
    )


def _fuzz_as(role: str, allowed: bool) -> Any:
    """A test that fuzzes the operations the role may (or may not) use with its token
    and checks each answer against the schema."""

    @_schema_for(role, allowed).parametrize()
    @_settings(MAX_EXAMPLES if allowed else REFUSED_EXAMPLES)
    def test(case: Any, fuzz_tokens: dict[str, dict[str, str]]) -> None:
        case.call_and_validate(headers=fuzz_tokens[role], excluded_checks=list(EXCLUDED_CHECKS))

    which = "it may use" if allowed else "it may not use (403)"
    test.__doc__ = f"Fuzzed as {role}, the operations {which}: every answer as documented."
    return test


for _role in ROLES:
    globals()[f"test_as_{_role}"] = _fuzz_as(_role, allowed=True)
    globals()[f"test_refused_as_{_role}"] = _fuzz_as(_role, allowed=False)


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
