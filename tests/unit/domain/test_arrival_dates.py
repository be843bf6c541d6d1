"""An arrival's dates: a full day, not in the future, not before the departure."""

import datetime as dt

import pytest

from rrms.domain.arrival_dates import (
    FULL_DATE_FORMS,
    arrives_before_departure,
    future_problem,
    parse_full_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2004-08-03", dt.date(2004, 8, 3)),
        ("03.08.2004", dt.date(2004, 8, 3)),
        (" 3.8.2004 ", dt.date(2004, 8, 3)),
        ("", None),
        ("   ", None),
    ],
)
def test_a_full_date_in_either_form_or_blank(text, expected):
    assert parse_full_date(text) == expected


@pytest.mark.parametrize("text", ["2004", "2004-08", "08.2004"])
def test_a_date_without_its_day_is_refused(text):
    with pytest.raises(ValueError, match=r"a full date is needed \(day, month and year\)"):
        parse_full_date(text)


def test_a_day_that_does_not_exist_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="does not exist"):
        parse_full_date("31.02.2004")


def test_the_forms_offered_are_the_full_ones():
    assert FULL_DATE_FORMS == ("YYYY-MM-DD", "DD.MM.YYYY")


def test_an_arrival_may_be_today_but_not_tomorrow():
    today = dt.date(2004, 11, 15)
    assert future_problem(today, today) is None
    assert future_problem(dt.date(2004, 11, 14), today) is None
    assert future_problem(dt.date(2004, 11, 16), today) == (
        "the date is in the future (today is 2004-11-15)"
    )


@pytest.mark.parametrize(
    ("arrival", "departure", "wrong"),
    [
        (dt.date(2004, 8, 1), dt.date(2004, 8, 2), True),
        (dt.date(2004, 8, 2), dt.date(2004, 8, 2), False),
        (dt.date(2004, 8, 3), dt.date(2004, 8, 2), False),
        (None, dt.date(2004, 8, 2), False),
        (dt.date(2004, 8, 1), None, False),
        ("2004-08-01", "2004-08-02", True),
        ("2004-08-03", "2004-08-02", False),
        ("2004-12-01", "2005-01-31", True),
    ],
)
def test_an_arrival_cannot_come_before_its_departure(arrival, departure, wrong):
    assert arrives_before_departure(arrival, departure) is wrong
