"""/assistance: requesting, approving, paying and refusing reintegration assistance.

Also `GET /assistance/eligibility`: before requesting, whether a person is eligible
for a programme (or why not) and how much of its cap is left.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.api.deps import ActorDep, UowDep
from rrms.api.routers.programmes import Amount, Body, Id, bounded
from rrms.domain.money import Money
from rrms.domain.vocabulary import Currency
from rrms.services.core.fields import MAX_ID
from rrms.services.programmes import assistance
from rrms.services.programmes.assistance import AssistanceKind, AssistanceStatus

Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class AssistanceCreate(Body):
    """A request for assistance; it starts as requested."""

    person_id: Id
    programme_id: Id
    kind: AssistanceKind
    amount: Amount = Field(description='Exact amount, e.g. "800.00"; 0 for help in kind')
    currency: Currency
    requested_on: dt.date | None = Field(None, description="Default: today")


class AssistanceUpdate(VersionedUpdate, Body):
    """A decision (status) or, while requested, a correction; with the version last read."""

    status: AssistanceStatus | None = None
    refusal_reason: Reason | None = None
    approved_on: dt.date | None = Field(None, description="Default: the day of approval")
    paid_on: dt.date | None = Field(None, description="Default: the day of payment")
    kind: AssistanceKind | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    requested_on: dt.date | None = None


class AssistanceRead(BaseModel):
    """An assistance as stored; amounts are exact decimal strings."""

    id: int
    version: int
    person_id: int
    programme_id: int
    kind: str
    amount: Decimal
    currency: str
    status: str
    requested_on: dt.date
    approved_on: dt.date | None
    paid_on: dt.date | None
    refusal_reason: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class AssistanceFilter(Body):
    """Exact-value filters for listing assistance."""

    person_id: Id | None = None
    programme_id: Id | None = None
    status: AssistanceStatus | None = None
    kind: AssistanceKind | None = None
    currency: Currency | None = None


class MoneyOut(BaseModel):
    """An exact amount with its currency."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        """The JSON form of a `Money`."""
        return cls(amount=money.amount, currency=money.currency)


class EligibilityOut(BaseModel):
    """Whether the person may receive the programme's assistance, and the cap left."""

    programme_id: int
    person_id: int
    eligible: bool
    reason: str | None
    cap: MoneyOut | None
    used: MoneyOut | None
    remaining: MoneyOut | None


check_router = APIRouter(prefix="/assistance", tags=["assistance"])


@check_router.get("/eligibility", summary="Is a person eligible, and how much of the cap is left")
def check(
    uow: UowDep,
    actor: ActorDep,
    programme_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    person_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    on: Annotated[dt.date | None, Query(description="Date of the assistance; today")] = None,
) -> EligibilityOut:
    """What a caseworker sees before requesting assistance."""
    found = assistance.eligibility(uow, actor, programme_id, person_id, on)
    use = found.cap
    return EligibilityOut(
        programme_id=found.programme_id,
        person_id=found.person_id,
        eligible=found.eligible,
        reason=found.reason,
        cap=MoneyOut.of(use.cap) if use else None,
        used=MoneyOut.of(use.used) if use else None,
        remaining=MoneyOut.of(use.remaining) if use else None,
    )


ROUTERS = [
    check_router,
    bounded(
        crud_router(
            assistance.ASSISTANCE,
            AssistanceCreate,
            AssistanceUpdate,
            AssistanceRead,
            AssistanceFilter,
        )
    ),
]
