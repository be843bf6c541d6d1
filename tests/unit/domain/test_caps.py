"""The per-person cap as a pure rule: the sum, what is left, the refusal and its amounts."""

from decimal import Decimal

import pytest

from rrms.domain.caps import CapUse, cap_use, check_cap_currency, check_within_cap
from rrms.domain.errors import RuleBroken
from rrms.domain.money import Money


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


CAP = gbp("1000.00")


def test_use_adds_up_what_is_taken_and_leaves_the_rest():
    use = cap_use("VARRP", CAP, [gbp("800"), gbp("150.50")])
    assert use == CapUse(cap=CAP, used=gbp("950.50"))
    assert use.remaining == gbp("49.50")
    assert cap_use("VARRP", CAP, []).used == gbp("0")


def test_what_remains_is_never_below_nothing():
    assert CapUse(cap=CAP, used=gbp("1200")).remaining == gbp("0")


def test_amounts_in_another_currency_cannot_be_counted():
    with pytest.raises(RuleBroken) as caught:
        cap_use("VARRP", CAP, [gbp("100"), Money(Decimal("100"), "EUR")])
    assert caught.value.field == "currency"
    assert caught.value.message == (
        "this person has VARRP assistance in a currency other than the cap's (GBP); "
        "it cannot be checked against the cap until that is corrected"
    )


def test_up_to_the_cap_is_allowed_and_a_cent_more_is_not():
    use = CapUse(cap=CAP, used=gbp("800"))
    check_within_cap("VARRP", "reintegration support", use, gbp("200.00"))
    assert use.excess(gbp("200.00")) is None
    assert use.excess(gbp("200.01")) == gbp("0.01")


def test_passing_the_cap_names_the_cap_what_is_used_and_the_excess():
    use = CapUse(cap=CAP, used=gbp("800"))
    with pytest.raises(RuleBroken) as caught:
        check_within_cap("VARRP", "reintegration support", use, gbp("300"))
    assert caught.value.field == "amount"
    assert caught.value.message == (
        "VARRP caps reintegration support at 1,000.00 GBP per person; 800.00 GBP is already "
        "approved or requested, so 300.00 GBP would exceed it by 100.00 GBP"
    )


def test_an_amount_must_be_in_the_caps_currency():
    check_cap_currency("VARRP", "GBP", "GBP")
    check_cap_currency("KHRP", None, "EUR")  # no cap, any currency
    with pytest.raises(RuleBroken) as caught:
        check_cap_currency("VARRP", "GBP", "EUR")
    assert caught.value.field == "currency"
    assert caught.value.message == ("VARRP's cap is in GBP: record this assistance in GBP, not EUR")
