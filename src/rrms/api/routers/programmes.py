"""/programmes: the programmes, their donors, eligibility and caps.

Also holds the field types every programme-side router shares (ids, counts, exact
amounts, currencies), so that every body is bounded the same way and the API answers
4xx, never 500, for any input.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.routing import APIRoute
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field, model_validator

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.domain.money import MAX_AMOUNT
from rrms.domain.vocabulary import Currency, Unit
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import MAX_COUNT, MAX_ID, municipality_code
from rrms.services.programmes import programmes

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A record id (32-bit, positive)."""
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A count of persons, jobs or participants."""
Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, max_digits=12, decimal_places=2)]
"""An exact amount of money, to the cent; sent as a string or a JSON number."""
Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")]
LongText = Annotated[str, Field(max_length=20_000)]


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


class Body(BaseModel):
    """Base of every request body and filter here: unknown fields are refused, and a
    JSON number too large for a float (1e400, which Python reads as infinity) is kept
    as text, so the 422 answer that quotes it can still be written as JSON."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_infinite_numbers(cls, data: Any) -> Any:
        return _finite(data)


def _record_id_in_range(record_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> None:
    """Refuse an id the 32-bit id columns cannot hold with 422, before PostgreSQL does
    with an error (`GET /projects/99999999999`)."""


def bounded(router: APIRouter) -> APIRouter:
    """The routes of a `crud_router`, with `{record_id}` checked to fit the id columns.

    `rrms.api.crud` takes any integer as an id; this keeps this module's routes at 4xx
    for any id without changing the shared router (which should bound it itself).
    """
    result = APIRouter()
    for route in router.routes:
        if not isinstance(route, APIRoute):  # pragma: no cover - crud_router makes APIRoutes
            raise TypeError(f"unexpected route {route!r}")
        extra = [Depends(_record_id_in_range)] if "{record_id}" in route.path else []
        result.add_api_route(
            route.path,
            route.endpoint,
            methods=sorted(route.methods or ()),
            response_model=route.response_model,
            status_code=route.status_code,
            summary=route.summary,
            tags=route.tags,
            name=route.name,
            dependencies=[*route.dependencies, *extra],
        )
    return result


def _kas(name: str) -> str:
    try:
        return municipality_code(name)
    except Invalid as exc:
        raise ValueError(exc.message) from None


MunicipalityFilter = Annotated[
    str,
    Field(min_length=1, max_length=80, description="Any spelling or the KAS code ('Peja', '17')"),
    AfterValidator(_kas),
]
"""A municipality filter in any spelling, turned into its KAS code."""


class ProgrammeFields(Body):
    """Fields of a programme a programme manager may set (checked again by the service)."""

    donors: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=50)] | None = (
        None
    )
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    objectives: LongText | None = None
    eligible_communities: (
        Annotated[list[Annotated[str, Field(min_length=1, max_length=60)]], Field(max_length=20)]
        | None
    ) = Field(None, description="Community codes or names; null for any community")
    eligible_sending_countries: (
        Annotated[list[Annotated[str, Field(min_length=1, max_length=80)]], Field(max_length=250)]
        | None
    ) = Field(None, description="ISO codes or country names; null for any country")
    cap_amount: Amount | None = Field(None, description="Most one person may receive")
    cap_currency: Currency | None = None
    confidential_unit: Unit | None = None


class ProgrammeCreate(ProgrammeFields):
    """A new programme."""

    code: Code
    name: Annotated[str, Field(min_length=1, max_length=300)]


class ProgrammeUpdate(VersionedUpdate, ProgrammeFields):
    """Changes to a programme (its code never changes), with the version last read."""

    name: Annotated[str, Field(min_length=1, max_length=300)] | None = None


class ProgrammeRead(BaseModel):
    """A programme as stored, with the reference data's notes for seeded ones."""

    id: int
    version: int
    code: str
    name: str
    donors: list[str]
    period_start: dt.date | None
    period_end: dt.date | None
    objectives: str
    eligible_communities: list[str] | None
    eligible_sending_countries: list[str] | None
    cap_amount: Decimal | None
    cap_currency: str | None
    confidential_unit: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def parent(self) -> str | None:
        """The umbrella programme ('CT', 'MH') of a seeded project, if any."""
        definition = programmes.definition_of(self.code)
        return definition.parent if definition else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def notes(self) -> str | None:
        """How the bulletin's text was read (caps not stated, periods implied)."""
        definition = programmes.definition_of(self.code)
        return definition.notes if definition else None


class ProgrammeFilter(Body):
    """Exact-value filters for listing programmes."""

    code: Annotated[str, Field(max_length=20), AfterValidator(str.upper)] | None = None
    confidential_unit: Unit | None = None


ROUTERS = [
    bounded(
        crud_router(
            programmes.PROGRAMMES, ProgrammeCreate, ProgrammeUpdate, ProgrammeRead, ProgrammeFilter
        )
    ),
]
