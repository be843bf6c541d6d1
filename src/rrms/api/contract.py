"""What the API promises in its OpenAPI schema, and the types that keep the promise.

- **Timestamps are UTC with an offset.** SQLite hands back the stored UTC time without
  a zone, and PostgreSQL in the session's zone; `UtcDateTime` turns either into UTC, so
  every `date-time` the API answers ends in `Z` (RFC 3339, as the schema says).
- **One shape per kind of refusal.** A request the API cannot accept (422) answers
  `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}` whether FastAPI's validation
  or a service's rule refused it, the field named last in `loc`; an import's file with
  errors adds `errors` and `warnings`. Every other refusal (400, 401, 403, 404, 409,
  413, 429) answers `{"detail": "<what is wrong>"}`.
- **Every refusal is declared.** `ERROR_RESPONSES` is added to every operation by
  `rrms.api.app.create_app`; `SIGN_IN_RESPONSES` (429) to signing in; upload routes
  declare 413 and their file errors themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def as_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC; a time without a zone is UTC (what RRMS stores)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


UtcDateTime = Annotated[dt.datetime, AfterValidator(as_utc)]
"""A timestamp answered in UTC with its offset (`2004-06-15T08:30:00Z`). Use it for
every `datetime` field of a response model."""


class ErrorOut(BaseModel):
    """A refusal: what is wrong, in words safe to show the user."""

    detail: str = Field(description="What is wrong, e.g. 'no persons with id 7'")


class ProblemOut(BaseModel):
    """One reason a request was not accepted, and where."""

    model_config = ConfigDict(extra="allow")
    loc: list[str | int] = Field(
        description="Where: 'body', 'query', 'path' or 'header', then the field's name "
        "(and the index or key within it)"
    )
    msg: str = Field(description="What is wrong with it")
    type: str = Field(description="A machine-readable kind of problem, e.g. 'missing', 'invalid'")


class InvalidOut(BaseModel):
    """A request that was not accepted (422): every problem found, each located."""

    detail: list[ProblemOut]


class CellProblemOut(BaseModel):
    """An error or warning in an uploaded file, located by row and column."""

    model_config = ConfigDict(extra="allow")
    row: int = Field(description="The spreadsheet row (the header is 1); 0 for the whole file")
    column: str = Field(description="The column's header; empty when not in one column")
    value: str
    message: str
    suggestions: list[str] = Field(description="The closest valid values, best first")


class FileInvalidOut(InvalidOut):
    """An uploaded file with errors (422): nothing was stored. `detail` says how many;
    `errors` lists them, each with its row and column."""

    errors: list[CellProblemOut] = Field(default_factory=list)
    warnings: list[CellProblemOut] = Field(default_factory=list)


def invalid(loc: list[str | int], msg: str, kind: str = "invalid") -> dict[str, Any]:
    """A 422 body with one problem."""
    return {"detail": [{"loc": loc, "msg": msg, "type": kind}]}


def field_location(request: Request, field: str | None) -> list[str | int]:
    """Where a field a service refused came from: the path, the query or the body."""
    if field is None:
        return []
    if field in request.path_params:
        return ["path", field]
    if field in request.query_params:
        return ["query", field]
    return ["body", field]


def file_errors(message: str, errors: list[Any], warnings: list[Any]) -> JSONResponse:
    """The 422 of an uploaded file with errors (`FileInvalidOut`)."""
    body = invalid(["body", "file"], message, "file_errors")
    body["errors"] = [e.as_dict() for e in errors]
    body["warnings"] = [w.as_dict() for w in warnings]
    return JSONResponse(body, status_code=422)


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("The request could not be read (e.g. a malformed upload)"),
    401: {
        **_error("No valid token (or, signing in, wrong credentials)"),
        "headers": {
            "WWW-Authenticate": {
                "description": "Bearer: send 'Authorization: Bearer <token>'",
                "schema": {"type": "string"},
            }
        },
    },
    403: _error("The signed-in user's role may not do this"),
    404: _error("No such record, or one the user may not know of"),
    409: _error("The record changed since it was read, or a unique value is taken"),
    422: {
        "model": InvalidOut,
        "description": "Not accepted: each problem located, the field named last in `loc`",
    },
}
"""The refusals every operation may answer (declared on each by `create_app`)."""

SIGN_IN_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        **_error("Too many attempts: wait before trying again"),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again",
                "schema": {"type": "integer"},
            }
        },
    },
}
"""Signing in is throttled per account and per address."""

UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: _error("The file is larger than the upload limit"),
    422: {
        "model": FileInvalidOut,
        "description": "The request or the file has errors; nothing was stored",
    },
}
"""An upload's own refusals: too large, or a file with errors."""
