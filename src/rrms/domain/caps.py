"""The cap on what one person may receive under a programme.

VARRP caps reintegration support at 1,000 GBP per person. Everything the person has
been granted or has asked for under the programme (requested, approved and paid
assistance alike: a request reserves its amount until it is refused, so two requests
cannot together pass the cap), plus what is asked now, must stay within it. The cap
is in one currency, and so must every amount counted against it: pounds and euros do
not add up. A refusal says why, with the amounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_
from rrms.domain.money import CurrencyMismatch, Money

__all__ = ["CapUse", "cap_use", "check_cap_currency", "check_within_cap"]


@dataclass(frozen=True)
class CapUse:
    """A person's use of a programme's cap: the cap, what is taken, what is left."""

    cap: Money
    used: Money

    @property
    def remaining(self) -> Money:
        """What the person may still request (never below nothing)."""
        left = self.cap - self.used
        return left if not left.is_negative else Money.zero(self.cap.currency)

    def excess(self, wanted: Money) -> Money | None:
        """By how much `wanted` on top of what is used would pass the cap, or None."""
        total = self.used + wanted
        return total - self.cap if total > self.cap else None


def cap_use(code: str, cap: Money, taken: Iterable[Money]) -> CapUse:
    """The use of programme `code`'s cap by the amounts a person has `taken` under it.

    Raises `RuleBroken` (field `currency`) when an amount is in another currency than
    the cap's, since the sum would then mean nothing.
    """
    try:
        used = Money.total(taken, cap.currency)
    except CurrencyMismatch:
        raise RuleBroken(
            N_(
                "this person has {code} assistance in a currency other than the cap's "
                "({currency}); it cannot be checked against the cap until that is corrected",
                code=code,
                currency=cap.currency,
            ),
            "currency",
        ) from None
    return CapUse(cap=cap, used=used)


def check_cap_currency(code: str, cap_currency: str | None, currency: str) -> None:
    """Refuse an amount in another currency than programme `code`'s cap (field `currency`)."""
    if cap_currency is not None and currency != cap_currency:
        raise RuleBroken(
            N_(
                "{code}'s cap is in {cap_currency}: record this assistance in {cap_currency}, not "
                "{currency}",
                code=code,
                cap_currency=cap_currency,
                currency=currency,
            ),
            "currency",
        )


def check_within_cap(code: str, applies_to: str, use: CapUse, wanted: Money) -> None:
    """Refuse `wanted` when, with what is already used, it passes the cap (field `amount`).

    `applies_to` says what the cap limits ('reintegration support'), as the programme's
    definition words it.
    """
    excess = use.excess(wanted)
    if excess is not None:
        raise RuleBroken(
            N_(
                "{code} caps {applies_to} at {cap} per person; {used} is already approved or "
                "requested, so {wanted} would exceed it by {excess}",
                code=code,
                applies_to=applies_to,
                cap=use.cap,
                used=use.used,
                wanted=wanted,
                excess=excess,
            ),
            "amount",
        )
