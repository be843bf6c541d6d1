"""/housing: houses rebuilt for returnees, from assessment to handing over."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.api.routers.programmes import Body, Count, Id, MunicipalityFilter, bounded
from rrms.services.programmes import housing
from rrms.services.programmes.housing import HousingStatus

HouseRef = Annotated[str, Field(min_length=1, max_length=80)]
Place = Annotated[str, Field(min_length=1, max_length=200)]


class HousingFields(Body):
    """Fields of a house (values are checked again by the service)."""

    beneficiaries: Count | None = None
    head_person_id: Id | None = None
    started_on: dt.date | None = None
    finished_on: dt.date | None = None
    handed_over_on: dt.date | None = None


class HousingCreate(HousingFields):
    """A house to rebuild; it starts as assessed unless its later dates are given."""

    programme_id: Id
    house_ref: HouseRef
    municipality: Place = Field(description="Any spelling; stored as the KAS code")
    village: Place = Field(description="Any spelling; known villages get one spelling")
    status: HousingStatus | None = None


class HousingUpdate(VersionedUpdate, HousingFields):
    """Changes to a house; status moves forward only, up to handed_over."""

    programme_id: Id | None = None
    house_ref: HouseRef | None = None
    municipality: Place | None = None
    village: Place | None = None
    status: HousingStatus | None = None


class HousingRead(BaseModel):
    """A house as stored."""

    id: int
    version: int
    programme_id: int
    house_ref: str
    municipality: str
    village: str
    status: str
    beneficiaries: int
    head_person_id: int | None
    started_on: dt.date | None
    finished_on: dt.date | None
    handed_over_on: dt.date | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class HousingFilter(Body):
    """Exact-value filters for listing houses."""

    programme_id: Id | None = None
    status: HousingStatus | None = None
    municipality: MunicipalityFilter | None = None
    village: Annotated[str, Field(max_length=200), AfterValidator(housing.village_name)] | None = (
        None
    )
    house_ref: HouseRef | None = None


ROUTERS = [
    bounded(crud_router(housing.HOUSING, HousingCreate, HousingUpdate, HousingRead, HousingFilter))
]
