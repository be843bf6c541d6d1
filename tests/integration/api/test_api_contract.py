"""The API answers what its OpenAPI schema says (`rrms.api.contract`).

Timestamps carry their UTC offset; a service's 422 has the same shape as a validation
error, the field named in `loc`; every operation declares the refusals it may answer
with their model; the closed vocabularies the services check are enums in the schema.
The fuzz (test_schema_fuzz.py) checks the same promises with generated requests, as
every role; these tests pin them with known requests, on both backends.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import sessionmaker

from rrms.api.app import create_app
from rrms.domain.vocabulary import CONFIDENTIAL_STATUSES, CURRENCIES, OUTCOMES, ROLES

ERROR_STATUSES = ("400", "401", "403", "404", "409", "422")


def _utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    assert value.utcoffset() == dt.timedelta(0), f"{text!r} is not a UTC time with its offset"
    return value


def test_timestamps_are_utc_with_their_offset(client: Any, auth: Any) -> None:
    """`created_at` and `updated_at` of a record, `at` of the audit log and a user's
    `created_at` are RFC 3339 date-times in UTC (SQLite gives them without a zone)."""
    worker, admin = auth("caseworker"), auth("administrator")
    created = client.post(
        "/persons", json={"family_name": "Krasniqi", "given_name": "Drita"}, headers=worker
    )
    assert created.status_code == 201, created.text
    read = client.get(f"/persons/{created.json()['id']}", headers=worker).json()
    listed = client.get("/persons", headers=worker).json()["items"][0]
    stamps = [
        created.json()["created_at"],
        read["created_at"],
        read["updated_at"],
        listed["created_at"],
        client.get("/users", headers=admin).json()["items"][0]["created_at"],
        client.get("/audit", headers=admin).json()["items"][0]["at"],
    ]
    now = dt.datetime.now(dt.UTC)
    for stamp in stamps:
        assert abs(_utc(stamp) - now) < dt.timedelta(hours=1), stamp


def test_a_service_422_is_a_list_of_located_problems(client: Any, auth: Any) -> None:
    """The service's refusal keeps its message and names the field in `loc`, body or
    query, in the shape FastAPI's own validation errors have."""
    worker = auth("caseworker")
    body = client.post(
        "/persons",
        json={"family_name": "Krasniqi", "given_name": "Drita", "origin_municipality": "Nowhere"},
        headers=worker,
    )
    assert body.status_code == 422
    [problem] = body.json()["detail"]
    assert problem["loc"] == ["body", "origin_municipality"]
    assert problem["type"] == "invalid" and "Nowhere" in problem["msg"]

    query = client.get(
        "/reports/returns", params={"from": "2004-12-31", "to": "2004-01-01"}, headers=worker
    )
    assert query.status_code == 422
    [problem] = query.json()["detail"]
    assert problem["loc"] == ["query", "to"] and "before it starts" in problem["msg"]

    missing = client.get("/persons/999999", headers=worker)
    assert missing.status_code == 404 and isinstance(missing.json()["detail"], str)


def _resolve(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def test_every_operation_declares_its_refusals() -> None:
    """400, 401, 403, 404, 409 and 422 on every operation, each with a JSON model;
    429 on signing in; 413 on uploads."""
    openapi = create_app(sessionmaker()).openapi()
    problems = []
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            label, responses = f"{method.upper()} {path}", operation["responses"]
            expected = [*ERROR_STATUSES, *(["429"] if path.startswith("/auth") else [])]
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                expected.append("413")
            for status in expected:
                content = responses.get(status, {}).get("content", {})
                if "application/json" not in content:
                    problems.append(f"{label}: {status} not declared with a JSON model")
                    continue
                model = _resolve(openapi, content["application/json"]["schema"])
                detail = model["properties"]["detail"]
                kind = "array" if status == "422" else "string"
                if detail.get("type") != kind or "detail" not in model.get("required", []):
                    problems.append(f"{label}: {status} detail is not a required {kind}")
    assert not problems, "\n".join(problems)


def test_the_checked_vocabularies_are_enums_in_the_schema() -> None:
    """The words a service checks against `rrms.domain.vocabulary` are listed."""
    schemas = create_app(sessionmaker()).openapi()["components"]["schemas"]

    def enum(model: str, field: str) -> set[str]:
        prop = schemas[model]["properties"][field]
        for choice in prop.get("anyOf", [prop]):
            if "enum" in choice:
                return set(choice["enum"])
        raise AssertionError(f"{model}.{field} is not an enum: {prop}")

    assert enum("UserCreate", "role") == set(ROLES)
    assert enum("CaseCreate", "status") == set(CONFIDENTIAL_STATUSES)
    assert enum("AssistanceCreate", "currency") == set(CURRENCIES)
    assert enum("DecisionIn", "decision") == set(OUTCOMES)
    assert "victim_assistance" in enum("CaseCreate", "case_type")


def _naive_datetimes(model: type[BaseModel], seen: set[type]) -> list[str]:
    """Fields of `model` (and the models in it) typed `datetime` without `UtcDateTime`."""
    from rrms.api.contract import as_utc

    if model in seen:
        return []
    seen.add(model)
    found = []
    for name, info in model.model_fields.items():
        for kind, metadata in _types_in(info.annotation, tuple(info.metadata)):
            if kind is dt.datetime and not any(
                getattr(m, "func", None) is as_utc for m in metadata
            ):
                found.append(f"{model.__name__}.{name}")
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                found.extend(_naive_datetimes(kind, seen))
    return found


def _types_in(annotation: Any, metadata: tuple[Any, ...] = ()) -> list[tuple[Any, tuple[Any, ...]]]:
    """The types an annotation may hold, each with the `Annotated` metadata around it."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _types_in(args[0], (*metadata, *args[1:]))
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union,
        list,
        dict,
    ):
        return [found for arg in args for found in _types_in(arg)]
    return [(annotation, metadata)]


def test_every_response_timestamp_is_typed_utc() -> None:
    """A new response model with a plain `datetime` field would answer SQLite's naive
    time: every one must be `rrms.api.contract.UtcDateTime`."""
    from fastapi.routing import APIRoute, iter_route_contexts

    seen: set[type] = set()
    naive = []
    models = [
        context.original_route.response_model
        for context in iter_route_contexts(create_app(sessionmaker()).routes)
        if isinstance(context.original_route, APIRoute)
    ]
    assert len([m for m in models if m is not None]) >= 50, "response models not found"
    for model in models:
        for kind, _ in _types_in(model):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                naive.extend(_naive_datetimes(kind, seen))
    assert not naive, f"datetime fields without UtcDateTime: {naive}"


def test_as_utc() -> None:
    """A time without a zone is UTC; one with a zone is the same instant in UTC."""
    from rrms.api.contract import as_utc

    naive = dt.datetime(2004, 6, 15, 8, 30)
    assert as_utc(naive) == naive.replace(tzinfo=dt.UTC)
    belgrade = dt.datetime(2004, 6, 15, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert as_utc(belgrade).isoformat() == "2004-06-15T08:30:00+00:00"


def test_a_query_parameter_given_twice_is_refused(client: Any, auth: Any) -> None:
    """The schema says one value: `?status=open&status=closed` is a 422, not the last."""
    answer = client.get(
        "/confidential-cases",
        params=[("status", "open"), ("status", "closed")],
        headers=auth("medical"),
    )
    assert answer.status_code == 422
    assert [p["loc"] for p in answer.json()["detail"]] == [["query", "status"]]
