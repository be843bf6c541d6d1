"""Reintegration assistance: requested by caseworkers, decided by programme managers.

Every assistance is to one person under one programme. Recording it checks, in
order, that the person and programme exist, that the programme is not one whose
cases are confidential, that the person is eligible (`check_eligibility`), that the
amount is in the currency of the programme's cap, and that everything the person
has been granted or has asked for under the programme, plus this, stays within the
cap. A refusal says why, with the amounts.

The status moves only forward: requested → approved → paid, or requested/approved →
refused (with a reason). Approving, paying and revoking an approval are decisions
about money, so only a programme manager may take them; a caseworker may request and
may withdraw a request still open (refused, with a reason).

The rules themselves need no database (`rrms.domain.eligibility`, `rrms.domain.caps`,
`rrms.domain.transitions`); this module gathers their facts through `uow.programmes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, get_args

from rrms.domain import caps
from rrms.domain.caps import CapUse
from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_, Word
from rrms.domain.money import Money
from rrms.domain.transitions import ASSISTANCE_TRANSITIONS
from rrms.domain.vocabulary import ASSISTANCE_STATUSES, AssistanceStatus
from rrms.reference.programmes import programmes
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.core.fields import (
    check_dates_in_order,
    check_transition,
    clean_amount,
    clean_choice,
    clean_currency,
    clean_date,
    clean_text,
    merged,
)
from rrms.services.core.records import RecordKind
from rrms.services.programmes.lookups import require_person, require_programme
from rrms.services.programmes.programmes import check_eligibility
from rrms.storage.tables import Assistance, Programme
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "ASSISTANCE",
    "ASSISTANCE_KINDS",
    "ASSISTANCE_STATUSES",
    "AssistanceKind",
    "AssistanceStatus",
    "DECIDING_ROLE",
    "TRANSITIONS",
    "AssistanceTotal",
    "CapUse",
    "Eligibility",
    "assistance_totals",
    "cap_use",
    "eligibility",
]

AssistanceKind = Literal[
    "reinstallation_grant",
    "reintegration_grant",
    "secondary_transport",
    "onward_transport",
    "housing",
    "business_grant",
    "micro_credit",
    "toolkit",
    "vocational_training",
    "on_the_job_training",
    "education",
    "school_fees",
    "employment_referral",
    "counselling",
    "medical",
    "social_care",
    "other",
]
"""The kinds of support the bulletin names (cash, transport, housing, training, referrals)."""
ASSISTANCE_KINDS: tuple[str, ...] = get_args(AssistanceKind)

TRANSITIONS = ASSISTANCE_TRANSITIONS
"""Where an assistance may go from each status (`rrms.domain.transitions`)."""

DECIDING_ROLE = "programme_manager"
"""The role that approves, pays and revokes assistance."""

_EDITABLE_WHILE_REQUESTED = ("kind", "amount", "currency", "requested_on")
_DECISION_DATES = {"approved_on": ("approved", "paid"), "paid_on": ("paid",)}


def _cap_label(programme: Programme) -> str:
    definition = programmes().get(programme.code)
    if definition is not None and definition.cap is not None:
        return definition.cap.applies_to
    return "assistance"


@contextmanager
def _as_invalid() -> Iterator[None]:
    """The domain's refusals (`RuleBroken`) as the services give them: `Invalid`, with the
    same message and field."""
    try:
        yield
    except RuleBroken as broken:
        raise Invalid(broken.message, broken.field) from None


def cap_use(
    uow: UnitOfWork, programme: Programme, person_id: int, exclude_id: int | None = None
) -> CapUse | None:
    """How much of the programme's cap the person has used (None without a cap).

    Requested, approved and paid assistance all count: a request reserves its amount
    until it is refused, so two requests cannot together pass the cap.
    """
    if programme.cap_amount is None or programme.cap_currency is None:
        return None
    cap = Money(programme.cap_amount, programme.cap_currency)
    taken = uow.programmes.reserved_amounts(person_id, programme.id, exclude_id)
    with _as_invalid():
        return caps.cap_use(programme.code, cap, taken)


def _check_cap(
    uow: UnitOfWork,
    programme: Programme,
    person_id: int,
    amount: Decimal,
    currency: str,
    exclude_id: int | None = None,
) -> None:
    with _as_invalid():
        caps.check_cap_currency(programme.code, programme.cap_currency, currency)
    # Serialise concurrent requests for the same person, so two cannot both pass the cap.
    uow.programmes.lock_person(person_id)
    use = cap_use(uow, programme, person_id, exclude_id)
    if use is None:
        return
    with _as_invalid():
        caps.check_within_cap(programme.code, _cap_label(programme), use, Money(amount, currency))


def _not_confidential(programme: Programme) -> None:
    if programme.confidential_unit is not None:
        raise Invalid(
            N_(
                "{programme_code} belongs to the {confidential_unit} unit: record its support as "
                "a confidential case of that unit, where only the unit can see it, not as "
                "assistance",
                programme_code=programme.code,
                confidential_unit=Word(
                    programme.confidential_unit, programme.confidential_unit.replace("_", " ")
                ),
            ),
            "programme_id",
        )


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    status = values.get("status")
    if status is not None and status != "requested":
        raise Invalid(
            N_("new assistance is recorded as requested; approve, pay or refuse it afterwards"),
            "status",
        )
    values["status"] = "requested"
    for name in ("approved_on", "paid_on", "refusal_reason"):
        if values.get(name) is not None:
            raise Invalid(
                N_(
                    "{name} is set when the assistance is decided",
                    name=Word(name, name.replace("_", " ")),
                ),
                name,
            )
        values.pop(name, None)
    person = require_person(uow, values.get("person_id"))
    programme = require_programme(uow, values.get("programme_id"))
    _not_confidential(programme)
    clean_choice(values, "kind", ASSISTANCE_KINDS, required=True)
    clean_amount(values, "amount", required=True, nullable=False)
    clean_currency(values, "currency", required=True, nullable=False)
    values.setdefault("requested_on", dt.date.today())
    clean_date(values, "requested_on", nullable=False)
    reason = check_eligibility(uow, programme, person, on=values["requested_on"])
    if reason is not None:
        raise Invalid(reason, "person_id")
    _check_cap(uow, programme, person.id, values["amount"], values["currency"])


def _check_decision(actor: Actor, row: Assistance, new_status: str) -> None:
    if new_status in ("approved", "paid") and actor.role != DECIDING_ROLE:
        if new_status == "approved":
            raise Forbidden(
                N_(
                    "only a programme manager may approve assistance; a {role} may request it",
                    role=Word(actor.role),
                )
            )
        raise Forbidden(
            N_(
                "only a programme manager may pay assistance; a {role} may request it",
                role=Word(actor.role),
            )
        )
    if new_status == "refused" and row.status == "approved" and actor.role != DECIDING_ROLE:
        raise Forbidden(N_("only a programme manager may revoke approved assistance"))


def _check_update(uow: UnitOfWork, actor: Actor, row: Assistance, changes: dict[str, Any]) -> None:
    for name in ("person_id", "programme_id"):
        if name in changes and changes[name] != getattr(row, name):
            raise Invalid(
                N_(
                    "assistance cannot move to another person or programme; refuse it and record "
                    "a new one"
                ),
                name,
            )
    clean_choice(changes, "status", ASSISTANCE_STATUSES)
    new_status = changes.get("status", row.status)
    check_transition("assistance", TRANSITIONS, row.status, new_status)
    moving = new_status != row.status
    if moving:
        _check_decision(actor, row, new_status)
    if row.status != "requested":
        for name in _EDITABLE_WHILE_REQUESTED:
            if name in changes and changes[name] != getattr(row, name):
                raise Invalid(
                    N_(
                        "this assistance is already {status}; only a requested one can be changed",
                        status=Word(row.status),
                    ),
                    name,
                )
    clean_choice(changes, "kind", ASSISTANCE_KINDS)
    clean_amount(changes, "amount", nullable=False)
    clean_currency(changes, "currency", nullable=False)
    clean_date(changes, "requested_on", nullable=False)
    clean_date(changes, "approved_on")
    clean_date(changes, "paid_on")
    clean_text(changes, "refusal_reason", 2000)
    if new_status == "refused":
        if moving and not changes.get("refusal_reason"):
            raise Invalid(N_("say why the assistance is refused"), "refusal_reason")
        if not moving and "refusal_reason" in changes and not changes["refusal_reason"]:
            raise Invalid(N_("a refused assistance keeps its reason"), "refusal_reason")
    elif changes.get("refusal_reason") is not None:
        raise Invalid(N_("a refusal reason is only recorded when refusing"), "refusal_reason")
    for name, statuses in _DECISION_DATES.items():
        if name in changes and new_status not in statuses:
            raise Invalid(
                N_(
                    "{name} is only recorded for {statuses} assistance",
                    name=Word(name, name.replace("_", " ")),
                    statuses=" or ".join(statuses),
                ),
                name,
            )
        if name in changes and actor.role != DECIDING_ROLE:
            raise Forbidden(N_("only a programme manager may record when assistance was decided"))
    if moving and new_status in ("approved", "paid"):
        name = f"{new_status}_on"
        if changes.get(name) is None:
            changes[name] = dt.date.today()
    final = merged(row, changes)
    for name, statuses in _DECISION_DATES.items():
        if final[name] is None and new_status in statuses:
            raise Invalid(N_("{name} is required", name=Word(name, name.replace("_", " "))), name)
    check_dates_in_order(final, ("requested_on", "approved_on", "paid_on"))
    if any(name in changes for name in ("amount", "currency")):
        programme = require_programme(uow, row.programme_id)
        _check_cap(uow, programme, row.person_id, final["amount"], final["currency"], row.id)


ASSISTANCE: RecordKind[Assistance] = RecordKind(
    entity="assistance",
    table=Assistance,
    filterable=("person_id", "programme_id", "status", "kind", "currency"),
    check_create=_check_create,
    check_update=_check_update,
)
"""Assistance: caseworkers request, programme managers approve and pay."""


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may receive a programme's assistance, and how much is left."""

    programme_id: int
    person_id: int
    reason: str | None
    cap: CapUse | None

    @property
    def eligible(self) -> bool:
        """True when nothing stands in the way."""
        return self.reason is None


def eligibility(
    uow: UnitOfWork,
    actor: Actor,
    programme_id: int,
    person_id: int,
    on: dt.date | None = None,
) -> Eligibility:
    """What a caseworker sees before requesting: eligible or why not, and the cap left.

    Reads the person's case (their returns and assistance), so it is authorised like a
    read of assistance and audited.
    """
    authorize(actor, "assistance", "read")
    programme = require_programme(uow, programme_id)
    person = require_person(uow, person_id)
    reason: str | None
    if programme.confidential_unit is not None:
        reason = N_(
            "{code}'s support is recorded as confidential cases, not assistance",
            code=programme.code,
        )
    else:
        reason = check_eligibility(uow, programme, person, on=on or dt.date.today())
    use = cap_use(uow, programme, person.id)
    audit.record(
        uow,
        actor,
        "check",
        "assistance",
        f"{person.id}:{programme.id}",
        after={"eligible": reason is None, "reason": reason},
    )
    uow.commit()
    return Eligibility(programme_id=programme.id, person_id=person.id, reason=reason, cap=use)


@dataclass(frozen=True)
class AssistanceTotal:
    """How many assistance records of one status and currency a programme has, and
    their sum: what a programme page shows of the help it gave."""

    status: str
    currency: str
    count: int
    amount: Money


def assistance_totals(uow: UnitOfWork, actor: Actor, programme_id: int) -> list[AssistanceTotal]:
    """A programme's assistance by status and currency (amounts never mixed across
    currencies), in the order of the workflow."""
    authorize(actor, "assistance", "read")
    order = {status: index for index, status in enumerate(ASSISTANCE_STATUSES)}
    totals = [
        AssistanceTotal(status, currency, count, Money(amount, currency))
        for status, currency, count, amount in uow.programmes.assistance_totals(programme_id)
    ]
    return sorted(totals, key=lambda t: (order.get(t.status, len(order)), t.currency))
