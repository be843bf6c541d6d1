"""Trainings: who was trained, on what, how many people for how many hours.

The bulletin counts trainings in participants (26 carers, over 50 KPS officers, 820
participants in 87 SEDMIN sessions) and in hours (11,642 training hours and 436,566
training man-hours for the KPC), so each training records its participants and
hours, and person-hours are computed from them.

Counter-trafficking and medical staff record their own units' trainings: a user of a
confidential unit may only record trainings of a programme of that unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rrms.domain.messages import N_, Word
from rrms.services.core.access import Actor
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.core.fields import (
    clean_amount,
    clean_date,
    clean_int,
    clean_municipality,
    clean_text,
    merged,
)
from rrms.services.core.records import RecordKind
from rrms.services.programmes.lookups import require_programme
from rrms.storage.tables import Training
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["MAX_HOURS", "TRAININGS", "person_hours"]

MAX_HOURS = Decimal("99999.9")
"""The most hours one training record holds (one decimal place)."""


def person_hours(participants: int, hours: Decimal) -> Decimal:
    """Participants times hours: the bulletin's 'training man-hours'."""
    return participants * hours


def _check_unit(uow: UnitOfWork, actor: Actor, programme_id: Any, existing: bool = False) -> None:
    """A user of a confidential unit records and edits only their unit's trainings."""
    if actor.unit is None:
        return
    if programme_id is None and existing:
        raise Forbidden(
            N_(
                "a {role} user may only change trainings of their unit's programmes",
                role=Word(actor.role, actor.role.replace("_", " ")),
            )
        )
    if programme_id is None:
        raise Invalid(
            N_(
                "a {role} user records trainings of their unit's programmes: give the programme",
                role=Word(actor.role, actor.role.replace("_", " ")),
            ),
            "programme_id",
        )
    programme = require_programme(uow, programme_id)
    if programme.confidential_unit != actor.unit:
        raise Forbidden(
            N_(
                "a {role} user may only record trainings of their unit's programmes, not of "
                "{programme_code}",
                role=Word(actor.role, actor.role.replace("_", " ")),
                programme_code=programme.code,
            )
        )


def _clean(values: dict[str, Any], creating: bool) -> None:
    clean_text(values, "topic", 300, required=creating, nullable=False)
    clean_text(values, "audience", 300, required=creating, nullable=False)
    clean_int(values, "participants", required=creating)
    clean_amount(values, "hours", required=creating, nullable=False, maximum=MAX_HOURS, places=1)
    clean_date(values, "held_on", required=creating, nullable=False)
    clean_municipality(values, "municipality")


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    if values.get("programme_id") is not None:
        require_programme(uow, values["programme_id"])
    _check_unit(uow, actor, values.get("programme_id"))
    _clean(values, creating=True)


def _check_update(uow: UnitOfWork, actor: Actor, row: Training, changes: dict[str, Any]) -> None:
    _check_unit(uow, actor, row.programme_id, existing=True)
    if "programme_id" in changes:
        if changes["programme_id"] is not None:
            require_programme(uow, changes["programme_id"])
        _check_unit(uow, actor, merged(row, changes)["programme_id"])
    _clean(changes, creating=False)


TRAININGS: RecordKind[Training] = RecordKind(
    entity="trainings",
    table=Training,
    filterable=("programme_id", "municipality", "held_on"),
    check_create=_check_create,
    check_update=_check_update,
)
"""Trainings: programme managers and the confidential units record them."""
