import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.domain.partial_date import MAX_YEAR, MIN_YEAR, PartialDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1944", PartialDate(1944)),
        ("1944-03", PartialDate(1944, 3)),
        ("1944-03-07", PartialDate(1944, 3, 7)),
        ("07.03.1944", PartialDate(1944, 3, 7)),
        ("7.3.1944", PartialDate(1944, 3, 7)),
        ("07.03.1944.", PartialDate(1944, 3, 7)),
        ("03.1944", PartialDate(1944, 3)),
        ("3.1944", PartialDate(1944, 3)),
        ("  1975-03-14 ", PartialDate(1975, 3, 14)),
        ("\t12.05.1960\n", PartialDate(1960, 5, 12)),
        ("29.02.2000", PartialDate(2000, 2, 29)),
        ("1850", PartialDate(1850)),
        ("2100-12-31", PartialDate(2100, 12, 31)),
    ],
)
def test_parse_accepts_every_written_form(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31.02.1980",
        "2003-02-29",
        "1900-02-29",
        "1980-13",
        "1980-00",
        "1980-04-31",
        "00.01.1980",
        "13.1980",
        "1849",
        "2101",
        "",
        "   ",
        "unknown",
        "1980/03/14",
        "14-03-1980",
        "80",
        "1980-3-14-1",
        "12.05.60",
        "١٩٨٠",  # Arabic-Indic digits are not a date format anyone writes here
    ],
)
def test_parse_rejects_impossible_or_unknown_forms(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_error_messages_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="February 1980 has 29 days"):
        PartialDate.parse("31.02.1980")
    with pytest.raises(ValueError, match="month 13"):
        PartialDate.parse("1980-13")
    with pytest.raises(ValueError, match="expected YYYY"):
        PartialDate.parse("March 1980")
    with pytest.raises(ValueError, match="outside 1850-2100"):
        PartialDate.parse("1066")


def test_constructor_refuses_day_without_month() -> None:
    with pytest.raises(ValueError):
        PartialDate(1980, None, 5)


def test_latest_and_earliest_of_a_year() -> None:
    date = PartialDate(1944)
    assert date.earliest() == datetime.date(1944, 1, 1)
    assert date.latest() == datetime.date(1944, 12, 31)
    assert not date.is_full()


def test_latest_of_february_respects_leap_years() -> None:
    assert PartialDate(1944, 2).latest() == datetime.date(1944, 2, 29)
    assert PartialDate(1943, 2).latest() == datetime.date(1943, 2, 28)
    assert PartialDate(1900, 2).latest() == datetime.date(1900, 2, 28)
    assert PartialDate(2000, 2).latest() == datetime.date(2000, 2, 29)
    assert PartialDate(1944, 2).earliest() == datetime.date(1944, 2, 1)


def test_full_date_is_one_day() -> None:
    date = PartialDate(1975, 3, 14)
    assert date.is_full()
    assert date.earliest() == date.latest() == datetime.date(1975, 3, 14)


def test_isoformat_and_str_keep_the_precision() -> None:
    assert PartialDate(1944).isoformat() == "1944"
    assert PartialDate(1944, 3).isoformat() == "1944-03"
    assert str(PartialDate(1944, 3, 7)) == "1944-03-07"


def test_is_frozen_and_hashable() -> None:
    date = PartialDate(1944)
    with pytest.raises(AttributeError):
        date.year = 1945  # type: ignore[misc]
    assert len({PartialDate(1944), PartialDate(1944), PartialDate(1944, 1)}) == 2


def test_has_no_ordering() -> None:
    with pytest.raises(TypeError):
        _ = PartialDate(1944) < PartialDate(1945)  # type: ignore[operator]


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.integers(MIN_YEAR, MAX_YEAR))
    month = draw(st.none() | st.integers(1, 12))
    if month is None:
        return PartialDate(year)
    last = calendar.monthrange(year, month)[1]
    day = draw(st.none() | st.integers(1, last))
    return PartialDate(year, month, day)


@given(partial_dates())
def test_isoformat_round_trips(date: PartialDate) -> None:
    assert PartialDate.parse(date.isoformat()) == date


@given(partial_dates())
def test_dotted_form_round_trips(date: PartialDate) -> None:
    if date.month is None:
        text = f"{date.year}"
    elif date.day is None:
        text = f"{date.month:02d}.{date.year}"
    else:
        text = f"{date.day}.{date.month}.{date.year}"
    assert PartialDate.parse(text) == date


@given(partial_dates())
def test_earliest_is_not_after_latest(date: PartialDate) -> None:
    assert date.earliest() <= date.latest()
    assert date.earliest().year == date.latest().year == date.year
    assert date.is_full() == (date.earliest() == date.latest())


@given(st.dates(datetime.date(MIN_YEAR, 1, 1), datetime.date(MAX_YEAR, 12, 31)))
def test_every_real_day_parses_in_both_notations(day: datetime.date) -> None:
    expected = PartialDate(day.year, day.month, day.day)
    assert PartialDate.parse(day.isoformat()) == expected
    assert PartialDate.parse(day.strftime("%d.%m.%Y")) == expected
