"""Correction requests: a person asks RRMS to correct what it holds about them.

A request records what the person says is wrong (`what`), the day they asked, and who
took it down (the signed-in user, never typed). It is open until closed once, either
`corrected` (the correction itself is an ordinary, audited edit of the record
concerned) or `refused` with the reason the person is owed; closing records the day
and who closed it. A closed request cannot change again. Every step is audited by
`rrms.services.core.records`, and an open request keeps the person's records out of
the retention run (`rrms.services.records.retention`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from rrms.domain.messages import N_, Word
from rrms.domain.transitions import CORRECTION_TRANSITIONS
from rrms.domain.vocabulary import CORRECTION_STATUSES
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import (
    check_dates_in_order,
    check_transition,
    clean_choice,
    clean_date,
    clean_text,
    merged,
    require_person,
)
from rrms.services.core.records import RecordKind
from rrms.storage.tables import CorrectionRequest
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["CORRECTION_REQUESTS", "CORRECTION_STATUSES", "CorrectionStatus"]

CorrectionStatus = Literal["open", "corrected", "refused"]
"""The statuses of `rrms.domain.vocabulary.CORRECTION_STATUSES`, as a type for the API."""

MAX_TEXT = 5_000


def _clean(values: dict[str, Any], creating: bool) -> None:
    clean_text(values, "what", MAX_TEXT, required=creating, nullable=False)
    clean_date(values, "requested_on", nullable=False)
    clean_choice(values, "status", CORRECTION_STATUSES)
    clean_text(values, "refusal_reason", MAX_TEXT)
    clean_date(values, "closed_on")


def _check_closing(values: dict[str, Any]) -> None:
    status = values.get("status", "open")
    if status == "refused" and not values.get("refusal_reason"):
        raise Invalid(N_("a refused correction request needs the reason"), "refusal_reason")
    if status != "refused" and values.get("refusal_reason"):
        raise Invalid(N_("only a refused request has a refusal reason"), "refusal_reason")
    if status == "open" and values.get("closed_on") is not None:
        raise Invalid(N_("an open request has no closing day yet"), "closed_on")
    check_dates_in_order(values, ("requested_on", "closed_on"))


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    require_person(uow, values.get("person_id"))
    for name in ("recorded_by", "closed_by"):
        if name in values:
            raise Invalid(
                N_(
                    "{name} is the signed-in user, not given",
                    name=Word(name, name.replace("_", " ")),
                ),
                name,
            )
    _clean(values, creating=True)
    values.setdefault("requested_on", dt.date.today())
    values["status"] = values.get("status") or "open"
    values["recorded_by"] = actor.username
    if values["status"] != "open":
        values.setdefault("closed_on", dt.date.today())
        values["closed_by"] = actor.username
    _check_closing(values)


def _check_update(
    uow: UnitOfWork, actor: Actor, row: CorrectionRequest, changes: dict[str, Any]
) -> None:
    for name in ("person_id", "recorded_by", "closed_by"):
        if name in changes and changes[name] != getattr(row, name):
            raise Invalid(
                N_(
                    "the {name} of a request cannot be changed",
                    name=Word(name, name.replace("_", " ")),
                ),
                name,
            )
    if row.status != "open" and any(changes.get(k) != getattr(row, k) for k in changes):
        raise Invalid(N_("a closed correction request cannot be changed"), "status")
    _clean(changes, creating=False)
    new_status = changes.get("status", row.status)
    check_transition("a correction request", CORRECTION_TRANSITIONS, row.status, new_status)
    if row.status == "open" and new_status != "open":
        if changes.get("closed_on") is None:
            changes["closed_on"] = dt.date.today()
        changes["closed_by"] = actor.username
    _check_closing(merged(row, changes))


CORRECTION_REQUESTS: RecordKind[CorrectionRequest] = RecordKind(
    entity="correction_requests",
    table=CorrectionRequest,
    filterable=("person_id", "status"),
    check_create=_check_create,
    check_update=_check_update,
)
"""Correction requests: caseworkers and administrators take them down and close them."""
