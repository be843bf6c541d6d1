"""Date order as a pure rule: later steps never dated before earlier ones."""

import datetime as dt

import pytest

from rrms.domain.date_order import check_dates_in_order
from rrms.domain.errors import RuleBroken

STEPS = ("approved_on", "started_on", "completed_on")


def test_dates_in_order_or_on_the_same_day_pass():
    check_dates_in_order(
        {
            "approved_on": dt.date(2004, 1, 1),
            "started_on": dt.date(2004, 1, 1),
            "completed_on": dt.date(2004, 6, 1),
        },
        STEPS,
    )


def test_missing_dates_are_skipped_but_the_rest_still_compared():
    check_dates_in_order({"approved_on": dt.date(2004, 1, 1)}, STEPS)
    with pytest.raises(RuleBroken) as caught:
        check_dates_in_order(
            {"approved_on": dt.date(2004, 3, 1), "completed_on": dt.date(2004, 2, 1)}, STEPS
        )
    assert caught.value.field == "completed_on"
    assert caught.value.message == "completed on 2004-02-01 is before approved on 2004-03-01"


def test_the_later_field_is_named():
    with pytest.raises(RuleBroken) as caught:
        check_dates_in_order(
            {"approved_on": dt.date(2004, 3, 1), "started_on": dt.date(2004, 2, 28)}, STEPS
        )
    assert caught.value.field == "started_on"
    assert caught.value.message == "started on 2004-02-28 is before approved on 2004-03-01"


def test_fields_not_listed_are_ignored():
    check_dates_in_order(
        {"approved_on": dt.date(2004, 3, 1), "paid_on": dt.date(2000, 1, 1)}, STEPS
    )
