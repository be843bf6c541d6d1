"""/trainings: trainings held under a programme, with participants and hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, computed_field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.api.routers.programmes import Body, Count, Id, MunicipalityFilter, bounded
from rrms.services.programmes import trainings
from rrms.services.programmes.trainings import MAX_HOURS

Label = Annotated[str, Field(min_length=1, max_length=300)]
Hours = Annotated[Decimal, Field(ge=0, le=MAX_HOURS, max_digits=6, decimal_places=1)]


class TrainingCreate(Body):
    """A training held."""

    programme_id: Id | None = None
    topic: Label
    audience: Label = Field(description="e.g. 'KPS officers', 'partner NGOs'")
    participants: Count
    hours: Hours = Field(description="Length of the training, to a tenth of an hour")
    held_on: dt.date
    municipality: Annotated[str, Field(max_length=80)] | None = Field(
        None, description="Any spelling; stored as the KAS code"
    )


class TrainingUpdate(VersionedUpdate, Body):
    """Changes to a training, with the version last read."""

    programme_id: Id | None = None
    topic: Label | None = None
    audience: Label | None = None
    participants: Count | None = None
    hours: Hours | None = None
    held_on: dt.date | None = None
    municipality: Annotated[str, Field(max_length=80)] | None = None


class TrainingRead(BaseModel):
    """A training as stored, with its person-hours."""

    id: int
    version: int
    programme_id: int | None
    topic: str
    audience: str
    participants: int
    hours: Decimal
    held_on: dt.date
    municipality: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def person_hours(self) -> Decimal:
        """Participants × hours (the bulletin's 'training man-hours')."""
        return trainings.person_hours(self.participants, self.hours)


class TrainingFilter(Body):
    """Exact-value filters for listing trainings."""

    programme_id: Id | None = None
    municipality: MunicipalityFilter | None = None
    held_on: dt.date | None = None


ROUTERS = [
    bounded(
        crud_router(
            trainings.TRAININGS, TrainingCreate, TrainingUpdate, TrainingRead, TrainingFilter
        )
    )
]
