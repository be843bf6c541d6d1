"""Every endpoint × every role: allowed or refused exactly as `PERMISSIONS` says.

The routes are read from the app's OpenAPI schema, not from a hand list, so a new
router is covered as soon as it is included. Each route is mapped to the entity whose
permission it needs by the first segment of its path (`ENTITY_BY_PREFIX`; a few routes
that need two entities are listed in `ROUTE_ENTITIES`), and to an action by its HTTP
method (GET reads; POST, PUT, PATCH and DELETE write). A route the tables do not map
fails the test: classify it here when you add it.

For every route and every role the test sends a request that passes the API's input
validation (a minimal body built from the schema: required fields only; ids in the
path that do not exist), so that the role check is what decides:

- a role without the permission gets **403**;
- a role with it gets anything but 401, 403 or 5xx (404, 409 and 422 are expected:
  the ids do not exist and the minimal values are rarely acceptable to the service);
- without a token, or with a wrong one, every route answers **401**, except signing in.

The whole matrix runs in one test function, on one database per backend. The rules
beyond the table (docs/access.md) are tested with real records in
`test_rules_beyond_the_table`: approving and paying assistance is for programme
managers only, deciding on a screening for screening officers only, the reporting role
gets public reports only, and another unit's confidential case is a 404, never a 403.
A deliberate difference between the code and the table would be listed, by hand, in
`KNOWN_EXTRA_ALLOWED` (none today).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

from rrms.api.app import create_app
from rrms.domain.vocabulary import ROLES
from rrms.services.core.access import PERMISSIONS

ENTITY_BY_PREFIX: dict[str, str] = {
    "/persons": "persons",
    "/families": "families",
    "/documents": "documents",
    "/correction_requests": "correction_requests",
    "/returns": "returns",
    "/screening": "screening",
    "/programmes": "programmes",
    "/assistance": "assistance",
    "/projects": "projects",
    "/housing": "housing",
    "/information_requests": "information_requests",
    "/trainings": "trainings",
    "/confidential-cases": "confidential_cases",
    "/users": "users",
    "/audit": "audit",
    "/reports": "reports",
    "/consents": "consents",
    "/sharing": "sharing",
    "/duplicates": "duplicates",
}
"""The first segment of a route's path -> the `PERMISSIONS` entity it needs. A route
with a literal `documents` segment anywhere (`/persons/{id}/documents`) needs
`documents` whatever its prefix."""

ROUTE_ENTITIES: dict[tuple[str, str], tuple[str, ...]] = {
    # A person's families and a family's members name the persons too
    # (`persons.families_of_person`, `persons.family_members`): both reads are needed.
    ("GET", "/persons/{person_id}/families"): ("families", "persons"),
    ("GET", "/families/{family_id}/members"): ("families", "persons"),
    # The review queue names persons, and a merge or its undoing changes them.
    ("GET", "/duplicates"): ("duplicates", "persons"),
    ("GET", "/duplicates/{pair_id}"): ("duplicates", "persons"),
    ("GET", "/duplicates/{pair_id}/also-proposed"): ("duplicates", "persons"),
    ("GET", "/duplicates/merges/{merge_id}"): ("duplicates", "persons"),
    ("POST", "/duplicates/{pair_id}/merge"): ("duplicates", "persons"),
    ("POST", "/duplicates/{pair_id}/not-same"): ("duplicates", "persons"),
    ("POST", "/duplicates/merges/{merge_id}/unmerge"): ("duplicates", "persons"),
}
"""(method, path) -> the entities a route needs, where its prefix alone does not say."""

PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset({("POST", "/auth/token")})
"""Routes that need no token. The schema and the interactive docs (/openapi.json,
/docs, /redoc) are not API operations and are not in the schema's paths."""

SIGNED_IN_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {("POST", "/auth/sign-out"), ("POST", "/auth/password")}
)
"""Routes any signed-in user may call, on their own account only: 401 without a token.
They end or change the caller's session, so they are not sent with each role's token
here (tests/integration/api/test_account_lifecycle_api.py covers them)."""

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ACTION_OVERRIDES: dict[tuple[str, str], str] = {}
"""(method, path) -> action, for a route whose method says otherwise (e.g. a POST
that only searches). None today."""

KNOWN_EXTRA_ALLOWED: dict[tuple[str, str], frozenset[str]] = {}
"""(entity, action) -> roles allowed beyond PERMISSIONS."""

MISSING_ID = 999_999
"""An id no test record has; fits every id column."""
SOME_DATE = "2004-06-15"
NOT_A_LIST = b"this is not a notification list\n"


def entities_of(method: str, path: str) -> tuple[str, ...]:
    """The entities a route needs, or () when the tables do not map it."""
    if (method, path) in ROUTE_ENTITIES:
        return ROUTE_ENTITIES[method, path]
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    if "documents" in segments:
        return ("documents",)
    entity = ENTITY_BY_PREFIX.get("/" + segments[0]) if segments else None
    return (entity,) if entity else ()


def action_of(method: str, path: str) -> str:
    """read or write."""
    return ACTION_OVERRIDES.get((method, path), "write" if method in WRITE_METHODS else "read")


def allowed_roles(entities: tuple[str, ...], action: str) -> frozenset[str]:
    """The roles the documented rules let do `action` on every one of `entities`."""
    allowed = frozenset(ROLES)
    for entity in entities:
        extra = KNOWN_EXTRA_ALLOWED.get((entity, action), frozenset())
        allowed &= PERMISSIONS[entity][action] | extra
    return allowed


# --- Minimal valid requests from the OpenAPI schema ---------------------------------


@dataclass
class Operation:
    """One route and method of the schema, with a request that passes validation."""

    method: str
    path: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    data: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def send(self, client: Any, headers: dict[str, str] | None) -> Any:
        kwargs: dict[str, Any] = {"params": self.params, "headers": headers or {}}
        if self.files is not None:
            kwargs.update(files=self.files, data=self.data or {})
        elif self.json is not None:
            kwargs["json"] = self.json
        return client.request(self.method, self.url, **kwargs)


class Examples:
    """Smallest values that satisfy a JSON schema (required properties only)."""

    def __init__(self, openapi: dict[str, Any]) -> None:
        self.components = openapi.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def value(self, schema: dict[str, Any], where: str) -> Any:
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return schema["enum"][0]
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [s for s in schema[key] if self.resolve(s).get("type") != "null"]
                return self.value(options[0], where)
        kind = schema.get("type")
        if kind == "object":
            required = schema.get("required", [])
            properties = schema.get("properties", {})
            return {name: self.value(properties[name], f"{where}.{name}") for name in required}
        if kind == "string":
            if schema.get("format") == "date":
                return SOME_DATE
            if schema.get("format") == "date-time":
                return f"{SOME_DATE}T12:00:00Z"
            if schema.get("format") == "binary" or "contentMediaType" in schema:
                return NOT_A_LIST
            text = "A" * max(schema.get("minLength", 1), 1)
            pattern = schema.get("pattern")
            assert pattern is None or re.search(pattern, text), (
                f"{where}: no example for pattern {pattern!r}; extend Examples.value"
            )
            return text
        if kind in ("integer", "number"):
            smallest = schema.get("minimum", 1)
            return max(smallest, 1) if schema.get("maximum", 1) >= 1 else smallest
        if kind == "boolean":
            return True
        if kind == "array":
            return [self.value(schema["items"], f"{where}[]")] * schema.get("minItems", 0)
        raise AssertionError(f"{where}: no example for schema {schema!r}; extend Examples.value")


def operations(openapi: dict[str, Any]) -> Iterator[Operation]:
    """Every operation of the schema with a minimal request that passes validation."""
    examples = Examples(openapi)
    for path, item in openapi["paths"].items():
        for method, spec in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            label = f"{method.upper()} {path}"
            url = path
            params: dict[str, Any] = {}
            for parameter in spec.get("parameters", []):
                name, schema = parameter["name"], parameter.get("schema", {})
                if parameter["in"] == "path":
                    if examples.resolve(schema).get("type") == "integer":
                        value: Any = MISSING_ID
                    else:
                        value = examples.value(schema, f"{label} {name}")
                    url = url.replace("{" + name + "}", str(value))
                elif parameter["in"] == "query" and parameter.get("required"):
                    params[name] = examples.value(schema, f"{label} ?{name}")
            operation = Operation(method.upper(), path, url, params)
            content = spec.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                operation.json = examples.value(content["application/json"]["schema"], label)
            elif "multipart/form-data" in content:
                schema = examples.resolve(content["multipart/form-data"]["schema"])
                form = examples.value(schema, label)
                operation.files = {
                    name: ("upload.csv", value, "text/csv")
                    for name, value in form.items()
                    if isinstance(value, bytes)
                }
                operation.data = {k: v for k, v in form.items() if not isinstance(v, bytes)}
            elif content:
                raise AssertionError(f"{label}: no example for the body types {sorted(content)}")
            yield operation


# --- The matrix ---------------------------------------------------------------------


def _explain(answer: Any) -> str:
    return f"{answer.status_code} {' '.join(answer.text.split())[:200]}"


def _route_missing(answer: Any) -> bool:
    """FastAPI's own 404/405: the request did not reach the route (a bug in this test)."""
    return answer.status_code in (404, 405) and answer.json().get("detail") in (
        "Not Found",
        "Method Not Allowed",
    )


def test_every_route_is_mapped_to_an_entity() -> None:
    """A new route must be classified here, or be public on purpose (no database needed)."""
    openapi = create_app(sessionmaker()).openapi()
    unmapped = [
        op.label
        for op in operations(openapi)
        if (op.method, op.path) not in PUBLIC_ROUTES | SIGNED_IN_ROUTES
        and not entities_of(op.method, op.path)
    ]
    assert not unmapped, (
        f"routes with no entity in ENTITY_BY_PREFIX (add them there, or to PUBLIC_ROUTES): "
        f"{unmapped}"
    )
    named = set(ENTITY_BY_PREFIX.values()).union(*ROUTE_ENTITIES.values())
    assert named <= set(PERMISSIONS), f"not entities of PERMISSIONS: {named - set(PERMISSIONS)}"


def test_every_route_for_every_role(client: Any, auth: Callable[[str], dict[str, str]]) -> None:
    """Each route × each role (and no token): 403 exactly when the rules refuse."""
    openapi = client.get("/openapi.json").json()
    headers = {role: auth(role) for role in ROLES}
    problems: list[str] = []
    checked = 0
    for op in operations(openapi):
        public = (op.method, op.path) in PUBLIC_ROUTES
        signed_in = (op.method, op.path) in SIGNED_IN_ROUTES
        entities = entities_of(op.method, op.path)
        if not public and not signed_in and not entities:
            problems.append(f"{op.label}: not mapped to an entity (see ENTITY_BY_PREFIX)")
            continue
        anonymous = op.send(client, None)
        if _route_missing(anonymous):
            problems.append(f"{op.label} without a token: did not reach the route")
        elif anonymous.status_code >= 500:
            problems.append(f"{op.label} without a token: server error {_explain(anonymous)}")
        elif public:
            continue  # no token needed: the roles' tokens change nothing
        elif anonymous.status_code != 401:
            problems.append(f"{op.label} without a token: expected 401, got {_explain(anonymous)}")
        forged = op.send(client, {"Authorization": "Bearer not-a-token-rrms-issued"})
        if not public and forged.status_code != 401:
            problems.append(f"{op.label} with a wrong token: expected 401, got {_explain(forged)}")
        if signed_in:
            continue
        may = allowed_roles(entities, action_of(op.method, op.path))
        for role in ROLES:
            answer = op.send(client, headers[role])
            checked += 1
            where = f"{op.label} as {role}"
            if _route_missing(answer):
                problems.append(f"{where}: did not reach the route: {_explain(answer)}")
            elif answer.status_code >= 500:
                problems.append(f"{where}: server error {_explain(answer)}")
            elif role in may:
                if answer.status_code in (401, 403):
                    problems.append(f"{where}: allowed by the rules, got {_explain(answer)}")
            elif answer.status_code != 403:
                problems.append(
                    f"{where}: refused by the rules, expected 403, got {_explain(answer)}"
                )
    assert checked >= len(ROLES) * 50, f"only {checked} requests: is the schema complete?"
    assert not problems, f"{len(problems)} of {checked} checks failed:\n" + "\n".join(problems)


# --- The rules beyond the table (docs/access.md) -------------------------------------

MANIFEST = Path(__file__).parents[3] / "examples" / "manifest-example.csv"


def _ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, _explain(answer)
    return answer.json()


def test_rules_beyond_the_table(client: Any, auth: Callable[[str], dict[str, str]]) -> None:
    """Approve/pay: programme managers; decide screenings: screening officers; reporting:
    public reports only; another unit's confidential case: 404, not 403."""

    def others(*keep: str) -> list[str]:
        return [role for role in ROLES if role not in keep]

    problems: list[str] = []

    def expect(answer: Any, status: int, where: str) -> None:
        if answer.status_code != status:
            problems.append(f"{where}: expected {status}, got {_explain(answer)}")

    # Assistance: a caseworker requests; only a programme manager approves and pays.
    manager, worker = auth("programme_manager"), auth("caseworker")
    programme = _ok(
        client.post("/programmes", json={"code": "ROLES-1", "name": "Roles"}, headers=manager),
        201,
    )
    person = _ok(
        client.post(
            "/persons", json={"family_name": "Berisha", "given_name": "Arta"}, headers=worker
        ),
        201,
    )
    held = _ok(
        client.post(
            "/assistance",
            json={
                "person_id": person["id"],
                "programme_id": programme["id"],
                "kind": "reinstallation_grant",
                "amount": "100.00",
                "currency": "EUR",
            },
            headers=worker,
        ),
        201,
    )
    url = f"/assistance/{held['id']}"
    for status in ("approved", "paid"):
        change = {"version": held["version"], "status": status}
        for role in others("programme_manager"):
            expect(client.patch(url, json=change, headers=auth(role)), 403, f"{status} as {role}")
        held = _ok(client.patch(url, json=change, headers=manager))
        assert held["status"] == status

    # Screening: an administrator reads lists and decisions but cannot decide.
    officer = auth("screening_officer")
    screened = _ok(
        client.post(
            "/screening/lists",
            files={"file": (MANIFEST.name, MANIFEST.read_bytes(), "text/csv")},
            data={"as_of": "2004-11-15"},
            headers=officer,
        ),
        201,
    )
    decisions = client.get(f"/screening/lists/{screened['id']}/decisions", headers=officer)
    first = _ok(decisions)["items"][0]
    decision_url = f"/screening/decisions/{first['id']}"
    same = {"version": first["version"], "decision": first["recommendation"]}
    expect(client.get(decision_url, headers=auth("administrator")), 200, "read as administrator")
    for role in others("screening_officer"):
        expect(client.patch(decision_url, json=same, headers=auth(role)), 403, f"decide as {role}")
    expect(client.patch(decision_url, json=same, headers=officer), 200, "decide as officer")

    # Reports: the reporting role gets the public version only; the others may ask for
    # the internal one.
    period = {"from": "2004-01-01", "to": "2004-12-31"}
    reports = [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/reports")]
    assert reports, "no /reports routes in the schema"
    for path in reports:
        internal = period | {"public": "false"}
        expect(
            client.get(path, params=internal, headers=auth("reporting")), 403, f"{path} internal"
        )
        expect(client.get(path, params=period, headers=auth("reporting")), 200, f"{path} public")
        for role in others("reporting"):
            answer = client.get(path, params=internal, headers=auth(role))
            expect(answer, 200, f"{path} internal as {role}")

    # Confidential cases: another unit's case is a 404 (like a missing one), never 403;
    # every other role is refused with 403.
    case = _ok(
        client.post(
            "/confidential-cases",
            json={"case_type": "victim_assistance", "opened_on": "2004-03-01"},
            headers=auth("counter_trafficking"),
        ),
        201,
    )
    case_url = f"/confidential-cases/{case['id']}"
    change = {"version": case["version"], "summary": "x"}
    expect(client.get(case_url, headers=auth("medical")), 404, "read another unit's case")
    expect(client.patch(case_url, json=change, headers=auth("medical")), 404, "change it")
    for role in others("counter_trafficking", "medical"):
        expect(client.get(case_url, headers=auth(role)), 403, f"read the case as {role}")
    expect(client.get(case_url, headers=auth("counter_trafficking")), 200, "read by its unit")

    assert not problems, "\n".join(problems)
