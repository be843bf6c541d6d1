from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.domain.money import CURRENCIES, MAX_AMOUNT, CurrencyMismatch, Money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000 GBP", Money(Decimal("1000"), "GBP")),
        ("GBP 1000", Money(Decimal("1000"), "GBP")),
        ("£1,000.00", Money(Decimal("1000"), "GBP")),
        ("CHF 1'500.50", Money(Decimal("1500.50"), "CHF")),
        ("12,50 €", Money(Decimal("12.50"), "EUR")),
        ("1.000,50 EUR", Money(Decimal("1000.50"), "EUR")),
        ("1.611.672 EUR", Money(Decimal("1611672"), "EUR")),
        ("1 000 eur", Money(Decimal("1000"), "EUR")),
        ("400,000 euros", Money(Decimal("400000"), "EUR")),
        ("-3.10 EUR", Money(Decimal("-3.10"), "EUR")),
        ("  78,310 EUR ", Money(Decimal("78310"), "EUR")),
    ],
)
def test_parse_reads_amounts_as_people_write_them(text, expected):
    assert Money.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "EUR",
        "12",
        "12 USD",
        "1.2.3 EUR",
        "1,00,0 EUR",
        "1.0005 EUR",
        "abc",
        "12 EUR EUR",
        "1e3 EUR",
        "NaN EUR",
    ],
)
def test_parse_refuses_what_it_cannot_read_exactly(text):
    with pytest.raises(ValueError):
        Money.parse(text)


def test_parse_uses_and_checks_the_expected_currency():
    assert Money.parse("12", currency="eur") == Money(Decimal(12), "EUR")
    with pytest.raises(CurrencyMismatch):
        Money.parse("12 GBP", currency="EUR")


def test_amounts_are_exact_and_never_floats():
    assert Money(Decimal("0.10"), "EUR") + Money(Decimal("0.20"), "EUR") == Money(
        Decimal("0.30"), "EUR"
    )
    assert str(Money(Decimal("1000"), "GBP")) == "1,000.00 GBP"
    assert str(Money(Decimal("-0.5"), "CHF")) == "-0.50 CHF"
    assert Money(5, "EUR").amount == Decimal("5.00")
    for bad in (1.5, True, "5"):
        with pytest.raises(TypeError):
            Money(bad, "EUR")  # type: ignore[arg-type]
    for value in (Decimal("NaN"), Decimal("Infinity"), Decimal("0.001"), MAX_AMOUNT + 1):
        with pytest.raises(ValueError):
            Money(value, "EUR")
    with pytest.raises(ValueError):
        Money(Decimal(1), "USD")


def test_mixing_currencies_is_refused():
    euro, pound = Money(Decimal(1), "EUR"), Money(Decimal(1), "GBP")
    assert euro != pound
    for operation in (
        lambda: euro + pound,
        lambda: euro - pound,
        lambda: euro < pound,
        lambda: euro <= pound,
        lambda: euro > pound,
        lambda: euro >= pound,
        lambda: Money.total([euro, pound], "EUR"),
    ):
        with pytest.raises(CurrencyMismatch):
            operation()


def test_ordering_and_totals_within_one_currency():
    cap = Money(Decimal(1000), "GBP")
    used = Money.total([Money(Decimal(800), "GBP")], "GBP")
    wanted = Money(Decimal(300), "GBP")
    assert used + wanted > cap
    assert str(used + wanted - cap) == "100.00 GBP"
    assert Money.total([], "CHF").is_zero
    assert (-wanted).is_negative


amounts = st.decimals(
    min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False
)


@given(amounts, st.sampled_from(CURRENCIES))
def test_printed_money_parses_back_to_itself(amount, currency):
    money = Money(amount, currency)
    assert Money.parse(str(money)) == money


@given(amounts, amounts, st.sampled_from(CURRENCIES))
def test_addition_and_subtraction_are_exact(a, b, currency):
    x, y = Money(a, currency), Money(b, currency)
    if abs(a + b) <= MAX_AMOUNT:
        assert (x + y) - y == x
        assert (x + y == y + x) and ((x < y) == (a < b))
