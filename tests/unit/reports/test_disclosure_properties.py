"""Primary and secondary suppression, checked as properties over any breakdown (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rrms.reports.disclosure import (
    Cell,
    Mark,
    breakdown,
    hidden_keys,
    is_small,
    protect,
    protect_one,
)

counts_strategy = st.dictionaries(
    st.text(alphabet="ABCDEFGHIJ", min_size=1, max_size=2),
    st.integers(min_value=0, max_value=60),
    min_size=1,
    max_size=12,
)


@given(counts_strategy)
def test_no_visible_count_is_from_one_to_four(counts):
    cells = protect(counts, public=True)
    for key, cell in cells.items():
        if is_small(counts[key]):
            assert cell.value is None and cell.mark is Mark.PRIMARY
        if cell.value is not None:
            assert cell.value == counts[key]
            assert not is_small(cell.value)


@given(counts_strategy)
def test_never_exactly_one_hidden_cell_when_a_neighbour_exists(counts):
    cells = protect(counts, public=True)
    hidden = [key for key, cell in cells.items() if cell.suppressed]
    if len(counts) >= 2:
        assert len(hidden) != 1
    else:
        assert len(hidden) == (1 if is_small(next(iter(counts.values()))) else 0)


@given(counts_strategy)
def test_secondary_cell_is_the_next_smallest(counts):
    primary = [k for k, v in counts.items() if is_small(v)]
    marks = hidden_keys(counts)
    secondary = [k for k, mark in marks.items() if mark is Mark.SECONDARY]
    if len(primary) != 1 or len(counts) < 2:
        assert secondary == []
        return
    assert len(secondary) == 1
    others = [v for k, v in counts.items() if k not in primary]
    positive = [v for v in others if v > 0]
    assert counts[secondary[0]] == min(positive or others)


@given(counts_strategy)
def test_hidden_cells_cannot_be_recovered_exactly_from_the_total(counts):
    """With the total and the visible cells known, a lone small hidden cell would be exact."""
    cells = protect(counts, public=True)
    hidden = [key for key, cell in cells.items() if cell.suppressed]
    small_hidden = [key for key in hidden if is_small(counts[key])]
    if small_hidden and len(counts) >= 2:
        # at least two unknowns share the residual: no single one is determined by it
        assert len(hidden) >= 2


@given(counts_strategy)
def test_internal_version_shows_every_count(counts):
    assert {k: c.value for k, c in protect(counts, public=False).items()} == counts


@given(counts_strategy)
def test_suppression_is_deterministic_and_keeps_totals(counts):
    first = breakdown("b", "B", counts, public=True)
    second = breakdown("b", "B", dict(counts), public=True)
    assert first == second
    assert first.total == sum(counts.values())


@given(counts_strategy)
def test_hidden_cells_come_last_in_key_order_so_position_tells_nothing(counts):
    item = breakdown("b", "B", counts, public=True)
    flags = [entry.cell.suppressed for entry in item.entries]
    assert flags == sorted(flags)
    hidden = [entry.key for entry in item.entries if entry.cell.suppressed]
    assert hidden == sorted(hidden)
    visible = [entry.cell.value for entry in item.entries if not entry.cell.suppressed]
    assert visible == sorted(visible, reverse=True)


grouped_strategy = st.lists(
    st.tuples(st.sampled_from("XYZ"), st.integers(min_value=0, max_value=40)),
    min_size=2,
    max_size=15,
)


@given(grouped_strategy)
def test_groups_are_protected_on_their_own_too(rows):
    counts = {f"k{i:02d}": value for i, (_, value) in enumerate(rows)}
    groups = {f"k{i:02d}": group for i, (group, _) in enumerate(rows)}
    cells = protect(counts, public=True, groups=groups)
    for group in set(groups.values()):
        members = [k for k in counts if groups[k] == group]
        hidden = [k for k in members if cells[k].suppressed]
        if len(members) >= 2:
            assert len(hidden) != 1, (group, counts)
    assert len([k for k in counts if cells[k].suppressed]) != 1
    assert all(not is_small(c.value) for c in cells.values() if c.value is not None)


@given(st.integers(min_value=0, max_value=1000))
def test_a_standalone_count_is_hidden_only_if_small(count):
    cell = protect_one(count, public=True)
    assert (cell.value is None) == is_small(count)
    assert protect_one(count, public=False) == Cell(count)


def test_examples_from_the_spec():
    # one small cell: its next-smallest neighbour goes too
    assert hidden_keys({"DE": 310, "NL": 52, "LI": 3}) == {"LI": Mark.PRIMARY, "NL": Mark.SECONDARY}
    # two small cells protect each other
    assert hidden_keys({"DE": 310, "LI": 3, "LU": 2}) == {"LI": Mark.PRIMARY, "LU": Mark.PRIMARY}
    # zero is not hidden, but hides a lone count when nothing else can
    assert hidden_keys({"voluntary": 3, "forced": 0}) == {
        "voluntary": Mark.PRIMARY,
        "forced": Mark.SECONDARY,
    }
    assert hidden_keys({"DE": 3, "AT": 0, "CH": 9}) == {"DE": Mark.PRIMARY, "CH": Mark.SECONDARY}
    assert Cell(None, Mark.PRIMARY).text == "<5" and Cell(None, Mark.SECONDARY).text == "x"
    assert Cell(1234).text == "1,234"
