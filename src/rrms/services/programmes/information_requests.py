"""Return Information Fund (RIF) requests: questions from sending missions, and answers.

IOM Bern and the Canton of Vaud ask IOM Pristina about business opportunities,
medical care, housing, transport, NGO contacts and support for vulnerable returnees;
the bulletin counts requests received and answered per quarter, by topic. A request
is open until answered, answered (with the answer text and the day it was answered)
until closed. How long an answer took (`turnaround_days`) is computed, never typed.

A request still open after the turnaround target (`RRMS_RIF_TURNAROUND_DAYS`, default
14 days) is overdue: the pages flag it wherever it is shown and list the overdue ones.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Literal, get_args

from rrms.domain.messages import N_, Word
from rrms.domain.transitions import INFORMATION_REQUEST_TRANSITIONS
from rrms.domain.vocabulary import INFORMATION_REQUEST_STATUSES as RIF_STATUSES
from rrms.domain.vocabulary import InformationRequestStatus
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import (
    check_dates_in_order,
    check_transition,
    clean_choice,
    clean_date,
    clean_text,
    merged,
)
from rrms.services.core.records import RecordKind
from rrms.services.programmes.lookups import require_programme
from rrms.storage.tables import InformationRequest
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "DEFAULT_TURNAROUND_DAYS",
    "INFORMATION_REQUESTS",
    "RIF_STATUSES",
    "TOPICS",
    "TRANSITIONS",
    "TURNAROUND_ENV",
    "RifStatus",
    "Topic",
    "is_overdue",
    "overdue_narrowing",
    "turnaround_days",
    "turnaround_target",
]

Topic = Literal[
    "business",
    "employment",
    "medical_care",
    "medication",
    "housing",
    "construction",
    "transport",
    "ngo_contacts",
    "vulnerable_support",
    "education",
    "documents",
    "social_welfare",
    "other",
]
"""The subjects the bulletin names for RIF requests ('Type of RIF requests')."""
TOPICS: tuple[str, ...] = get_args(Topic)
RifStatus = InformationRequestStatus
"""The statuses of `rrms.domain.vocabulary.INFORMATION_REQUEST_STATUSES`, as a type for the API."""

TRANSITIONS = INFORMATION_REQUEST_TRANSITIONS
"""A request is answered, then closed (`rrms.domain.transitions`)."""

MAX_TEXT = 20_000


def turnaround_days(received_on: dt.date, answered_on: dt.date | None) -> int | None:
    """Days from receiving a request to answering it (None while unanswered)."""
    if answered_on is None:
        return None
    return (answered_on - received_on).days


TURNAROUND_ENV = "RRMS_RIF_TURNAROUND_DAYS"
"""The environment variable holding the turnaround target, in whole days."""
DEFAULT_TURNAROUND_DAYS = 14
"""The target when `RRMS_RIF_TURNAROUND_DAYS` is not set: two weeks to answer."""


def turnaround_target() -> int:
    """Days a request may stay open before it is overdue: `RRMS_RIF_TURNAROUND_DAYS`,
    else 14. Read on every call, so a changed setting applies without a restart of
    the code that asks; a value that is not a whole number of days is refused."""
    text = os.environ.get(TURNAROUND_ENV, "").strip()
    if not text:
        return DEFAULT_TURNAROUND_DAYS
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise ValueError(
            f"{TURNAROUND_ENV} must be a whole number of days from 1 to 3650, not {text!r}"
        )
    return int(text)


def is_overdue(
    status: str, received_on: dt.date | None, today: dt.date, target: int | None = None
) -> bool:
    """Whether a request is still open more than `target` days after it was received."""
    if status != "open" or received_on is None:
        return False
    days = turnaround_target() if target is None else target
    return (today - received_on).days > days


def overdue_narrowing(
    today: dt.date, target: int | None = None
) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    """The exact filters and the received-on range (inclusive) of the overdue requests,
    for `rrms.services.core.records.list_records`: open, received before the target."""
    days = turnaround_target() if target is None else target
    return {"status": "open"}, {"received_on": (None, today - dt.timedelta(days=days + 1))}


def _clean(values: dict[str, Any], creating: bool) -> None:
    clean_text(values, "requesting_mission", 120, required=creating, nullable=False)
    clean_choice(values, "topic", TOPICS, required=creating)
    clean_text(values, "question", MAX_TEXT, required=creating, nullable=False)
    clean_text(values, "answer", MAX_TEXT)
    clean_choice(values, "status", RIF_STATUSES)
    clean_date(values, "received_on", nullable=False)
    clean_date(values, "answered_on")


def _check_consistent(values: dict[str, Any]) -> None:
    if values.get("status", "open") == "open":
        for name in ("answer", "answered_on"):
            if values.get(name) is not None:
                raise Invalid(
                    N_(
                        "an open request has no {name} yet", name=Word(name, name.replace("_", " "))
                    ),
                    name,
                )
    else:
        if not values.get("answer"):
            raise Invalid(N_("an answered request needs the answer's text"), "answer")
        if values.get("answered_on") is None:
            raise Invalid(N_("an answered request needs the day it was answered"), "answered_on")
    check_dates_in_order(values, ("received_on", "answered_on"))


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    if values.get("programme_id") is not None:
        require_programme(uow, values["programme_id"])
    _clean(values, creating=True)
    values.setdefault("received_on", dt.date.today())
    values.setdefault("status", "open")
    if values["status"] != "open" and values.get("answered_on") is None and values.get("answer"):
        values["answered_on"] = dt.date.today()
    _check_consistent(values)


def _check_update(
    uow: UnitOfWork, actor: Actor, row: InformationRequest, changes: dict[str, Any]
) -> None:
    if row.status == "closed" and any(changes.get(k) != getattr(row, k) for k in changes):
        raise Invalid(N_("a closed request cannot be changed"), next(iter(changes), "status"))
    if changes.get("programme_id") is not None:
        require_programme(uow, changes["programme_id"])
    _clean(changes, creating=False)
    if row.status == "open" and changes.get("answer") and "status" not in changes:
        changes["status"] = "answered"  # giving the answer is answering
    new_status = changes.get("status", row.status)
    check_transition("a request", TRANSITIONS, row.status, new_status)
    if row.status == "open" and new_status == "answered" and changes.get("answered_on") is None:
        changes["answered_on"] = dt.date.today()
    _check_consistent(merged(row, changes))


INFORMATION_REQUESTS: RecordKind[InformationRequest] = RecordKind(
    entity="information_requests",
    table=InformationRequest,
    filterable=("programme_id", "status", "topic", "requesting_mission"),
    check_create=_check_create,
    check_update=_check_update,
)
"""RIF requests: caseworkers and programme managers record and answer them."""
