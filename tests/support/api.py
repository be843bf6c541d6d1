"""Reading the API's answers in tests: the refused field and the message of a 422.

A 422 answers `{"detail": [{"loc": [...], "msg": ..., "type": ...}, ...]}` (see
`rrms.api.contract`), the field named last in `loc`; every other refusal answers
`{"detail": "<message>"}`.
"""

from __future__ import annotations

from typing import Any


def field_of(answer: Any) -> str | int | None:
    """The field the first problem of a 422 names (the last element of its `loc`)."""
    detail = answer.json()["detail"]
    assert isinstance(detail, list), f"not a 422's list of problems: {detail!r}"
    loc = detail[0]["loc"]
    return loc[-1] if loc else None


def message_of(answer: Any) -> str:
    """The message of a refusal: a 422's problems joined, or the `detail` of another."""
    detail = answer.json()["detail"]
    if isinstance(detail, list):
        return "; ".join(str(problem["msg"]) for problem in detail)
    return str(detail)
