"""Figures that must not be differenced: closed quarters and rounding to 5 (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.reports.disclosure import (
    ROUNDING_BASE,
    breakdown,
    closed_quarter_end,
    is_small,
    round_count,
)

QUARTER_ENDS = {(3, 31), (6, 30), (9, 30), (12, 31)}
days = st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=100_000)


@given(counts)
def test_a_rounded_count_is_the_nearest_multiple_of_five_and_never_zero_for_some(n):
    r = round_count(n)
    assert r % ROUNDING_BASE == 0
    assert (r == 0) == (n == 0)
    if n >= ROUNDING_BASE:
        assert abs(r - n) <= ROUNDING_BASE // 2


@given(counts, counts)
def test_two_rounded_counts_never_differ_by_one_to_four(a, b):
    assert not is_small(abs(round_count(a) - round_count(b)))


def test_rounding_examples():
    assert [round_count(n) for n in (0, 1, 4, 5, 7, 8, 12, 13, 38, 42)] == [
        0, 5, 5, 5, 5, 10, 10, 15, 40, 40,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        round_count(-1)


@given(days)
def test_closed_quarter_end_is_a_quarter_end_on_or_before_the_day_and_within_a_quarter(day):
    end = closed_quarter_end(day)
    assert (end.month, end.day) in QUARTER_ENDS
    assert end <= day < end + dt.timedelta(days=93)
    assert closed_quarter_end(end) == end
    # the days after `day` in its quarter (not its last day) map to the same date
    following = day + dt.timedelta(days=1)
    if closed_quarter_end(following) != following:
        assert closed_quarter_end(following) == end


def test_closed_quarter_end_examples():
    assert closed_quarter_end(dt.date(2004, 10, 21)) == dt.date(2004, 9, 30)
    assert closed_quarter_end(dt.date(2004, 9, 30)) == dt.date(2004, 9, 30)
    assert closed_quarter_end(dt.date(2004, 10, 1)) == dt.date(2004, 9, 30)
    assert closed_quarter_end(dt.date(2004, 12, 31)) == dt.date(2004, 12, 31)
    assert closed_quarter_end(dt.date(2005, 2, 10)) == dt.date(2004, 12, 31)


@given(st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(0, 60), min_size=1))
def test_a_rounded_public_breakdown_shows_only_multiples_of_five(cells):
    item = breakdown("b", "B", cells, public=True, rounded=True)
    assert item.total % ROUNDING_BASE == 0
    for entry in item.visible():
        assert entry.cell.amount % ROUNDING_BASE == 0
        assert entry.cell.amount == round_count(cells[entry.key])
    # hidden cells are the same as without rounding
    assert item.suppressed_keys() == breakdown("b", "B", cells, public=True).suppressed_keys()
    # an internal breakdown is never rounded
    assert breakdown("b", "B", cells, public=False, rounded=True).as_dict() == {
        k: cells[k] for k in breakdown("b", "B", cells, public=False).as_dict()
    }
