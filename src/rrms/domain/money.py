"""Money: an exact amount with its currency, because grants are counted to the cent.

Programmes pay in euros, pounds or Swiss francs (VARRP caps reintegration support at
1,000 GBP; the Swiss programmes pay in CHF; SEDMIN counts its grants in euros). A float
would turn 0.10 + 0.20 into 0.30000000000000004, and adding pounds to euros gives a
number that means nothing, so `Money` holds a `Decimal` amount (never a float) and
refuses to add, subtract or order amounts of different currencies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from rrms.domain.messages import N_
from rrms.domain.vocabulary import CURRENCIES

__all__ = ["CURRENCIES", "MAX_AMOUNT", "CurrencyMismatch", "Money"]

"""The currencies the programmes of 2004 pay in (ISO 4217 codes)."""

_CENT = Decimal("0.01")
MAX_AMOUNT: Final[Decimal] = Decimal("9999999999.99")
"""The largest amount stored (twelve digits, two after the point), far above any grant."""

_CURRENCY_WORDS: Final[dict[str, str]] = {
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "chf": "CHF",
    "fr.": "CHF",
    "sfr.": "CHF",
    "sfr": "CHF",
    "franc": "CHF",
    "francs": "CHF",
}

_SYMBOLS = "€£"
# The currency may come first or last: '1,000 GBP', 'GBP 1,000', '£1,000', '1 000 €'.
_AMOUNT = r"[+-]?[0-9][0-9 .,'\u00a0\u202f\u2019]*"
_WORD = r"[A-Za-z]+\.?|[€£]"
_FORMS = (
    re.compile(rf"(?P<currency>{_WORD})\s*(?P<amount>{_AMOUNT})"),
    re.compile(rf"(?P<amount>{_AMOUNT}?)\s*(?P<currency>{_WORD})"),
    re.compile(rf"(?P<amount>{_AMOUNT})"),
)
_GROUP_SPACES = str.maketrans("", "", " '\u00a0\u202f\u2019")


class CurrencyMismatch(ValueError):
    """Two amounts of different currencies were added, subtracted or compared."""


def _currency(text: str) -> str:
    code = _CURRENCY_WORDS.get(text.strip().lower())
    if code is None:
        raise ValueError(
            N_(
                "unknown currency {text!r}; use one of {currencies}",
                text=text,
                currencies=", ".join(CURRENCIES),
            )
        )
    return code


def _number(text: str) -> Decimal:
    """Read '1,000.50', '1.000,50', "1'000.50", '1 000,50', '1.000' or '1000' exactly.

    With both a comma and a dot, the last one is the decimal mark. With only one of
    them, it groups thousands when every group after it has three digits and the
    first group does not start with 0 ('1,000' and '1.000' are a thousand, as an
    English and a German clerk mean them); otherwise it is the decimal mark ('12,50').
    """
    cleaned = text.strip().translate(_GROUP_SPACES)
    sign = cleaned[0] if cleaned[:1] in ("+", "-") else ""
    digits = cleaned[len(sign) :]
    marks = {mark for mark in ",." if mark in digits}
    if len(marks) == 2:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
    elif marks:
        (mark,) = marks
        head, *tail = digits.split(mark)
        grouped = bool(tail) and all(len(g) == 3 for g in tail) and head[:1] not in ("", "0")
        decimal_mark, grouping = ("", mark) if grouped else (mark, "")
    else:
        decimal_mark, grouping = "", ""
    integer, _, fraction = digits.partition(decimal_mark) if decimal_mark else (digits, "", "")
    if grouping:
        head, *tail = integer.split(grouping)
        if not 1 <= len(head) <= 3 or head[0] == "0" or any(len(g) != 3 for g in tail):
            raise ValueError(
                N_("not an amount: {text!r} (digits are grouped in threes)", text=text)
            )
        integer = head + "".join(tail)
    if not re.fullmatch(r"[0-9]+", integer) or not re.fullmatch(r"[0-9]*", fraction):
        raise ValueError(N_("not an amount: {text!r}", text=text))
    return Decimal(f"{sign}{integer}.{fraction or '0'}")


@dataclass(frozen=True)
class Money:
    """An exact amount in EUR, GBP or CHF, to the cent.

    Amounts are `Decimal` (an `int` is accepted); a float is refused because it cannot
    hold 0.10 exactly. More than two decimal places is refused rather than rounded,
    so no cent is invented or lost. Equality compares amount and currency (1 EUR is
    not equal to 1 GBP); ordering, addition and subtraction of different currencies
    raise `CurrencyMismatch`, since no exchange rate is part of a programme's rules.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        """Refuse floats, non-finite amounts, sub-cent precision and unknown currencies."""
        amount: object = self.amount
        if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
            raise TypeError(
                f"a money amount must be a Decimal or an int, not {type(amount).__name__}"
            )
        value = Decimal(amount)
        if not value.is_finite():
            raise ValueError(N_("a money amount must be a finite number, not {value}", value=value))
        if abs(value) > MAX_AMOUNT:
            raise ValueError(
                N_(
                    "{value} is beyond the largest amount RRMS records ({max_amount})",
                    value=value,
                    max_amount=MAX_AMOUNT,
                )
            )
        if value != value.quantize(_CENT, rounding="ROUND_DOWN"):
            raise ValueError(N_("{value} has more than two decimal places", value=value))
        if self.currency not in CURRENCIES:
            raise ValueError(
                N_(
                    "unknown currency {currency!r}; use one of {currencies}",
                    currency=self.currency,
                    currencies=", ".join(CURRENCIES),
                )
            )
        object.__setattr__(self, "amount", value.quantize(_CENT) + 0)

    @classmethod
    def parse(cls, text: str, currency: str | None = None) -> Money:
        """Read an amount as people write it: '1,000 GBP', '£1,000.00', "CHF 1'500", '12,50 €'.

        The currency may come before or after the amount, as an ISO code or a symbol;
        `currency` is used when the text names none, and must agree when it does.
        Thousands may be grouped with commas, dots, spaces or apostrophes (Swiss
        usage). Raises ValueError with a message fit for a person.
        """
        stripped = text.strip()
        if not stripped:
            raise ValueError(N_("empty amount"))
        for form in _FORMS:
            match = form.fullmatch(stripped)
            if match and match.group("amount").strip():
                break
        else:
            raise ValueError(
                N_("not an amount: {stripped!r} (e.g. '1,000.00 GBP')", stripped=stripped)
            )
        named = match.groupdict().get("currency")
        code = _currency(named) if named else None
        if currency is not None:
            expected = _currency(currency)
            if code is not None and code != expected:
                raise CurrencyMismatch(f"{stripped!r} is in {code}, not {expected}")
            code = expected
        if code is None:
            raise ValueError(
                N_("{stripped!r} names no currency; write e.g. '{stripped} EUR'", stripped=stripped)
            )
        return cls(_number(match.group("amount")), code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in a currency: the start of a sum."""
        return cls(Decimal(0), currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """The sum of amounts that must all be in `currency` (zero when there are none)."""
        result = cls.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    def _same(self, other: Money, verb: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(
                f"cannot {verb} {other.currency} and {self.currency} amounts: "
                "no exchange rate is part of a programme's rules"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount >= other.amount

    @property
    def is_zero(self) -> bool:
        """Whether the amount is exactly nothing."""
        return self.amount == 0

    @property
    def is_negative(self) -> bool:
        """Whether the amount is below zero (a difference can be)."""
        return self.amount < 0

    def __str__(self) -> str:
        """'1,000.00 GBP': grouped thousands, two decimals, the ISO code after."""
        return f"{self.amount:,.2f} {self.currency}"
