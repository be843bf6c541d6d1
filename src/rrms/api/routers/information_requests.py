"""/information_requests: Return Information Fund questions and their answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, computed_field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.api.routers.programmes import Body, Id, LongText, bounded
from rrms.services.programmes import information_requests
from rrms.services.programmes.information_requests import RifStatus, Topic

Mission = Annotated[str, Field(min_length=1, max_length=120)]


class InformationRequestCreate(Body):
    """A request received from a sending mission; it starts open."""

    programme_id: Id | None = None
    requesting_mission: Mission = Field(description="e.g. 'IOM Bern', 'Canton of Vaud'")
    topic: Topic
    question: Annotated[str, Field(min_length=1, max_length=20_000)]
    received_on: dt.date | None = Field(None, description="Default: today")
    answer: LongText | None = None
    answered_on: dt.date | None = None
    status: RifStatus | None = None


class InformationRequestUpdate(VersionedUpdate, Body):
    """An answer (which makes the request answered), a closing, or a correction."""

    programme_id: Id | None = None
    requesting_mission: Mission | None = None
    topic: Topic | None = None
    question: Annotated[str, Field(min_length=1, max_length=20_000)] | None = None
    received_on: dt.date | None = None
    answer: LongText | None = None
    answered_on: dt.date | None = Field(None, description="Default: the day of answering")
    status: RifStatus | None = None


class InformationRequestRead(BaseModel):
    """A request as stored, with the days it took to answer."""

    id: int
    version: int
    programme_id: int | None
    requesting_mission: str
    topic: str
    question: str
    answer: str | None
    received_on: dt.date
    answered_on: dt.date | None
    status: str
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def turnaround_days(self) -> int | None:
        """Days from receiving the request to answering it."""
        return information_requests.turnaround_days(self.received_on, self.answered_on)


class InformationRequestFilter(Body):
    """Exact-value filters for listing requests."""

    programme_id: Id | None = None
    status: RifStatus | None = None
    topic: Topic | None = None
    requesting_mission: Mission | None = None


ROUTERS = [
    bounded(
        crud_router(
            information_requests.INFORMATION_REQUESTS,
            InformationRequestCreate,
            InformationRequestUpdate,
            InformationRequestRead,
            InformationRequestFilter,
        )
    )
]
