import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.formats.safe_cells import FORMULA_PREFIXES, is_formula_like, neutralise_formula


@pytest.mark.parametrize(
    "value",
    ["=1+1", '=HYPERLINK("http://x","y")', "+383 44 123 456", "-5", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_formula_like_cells_are_prefixed_with_a_quote(value: str) -> None:
    assert is_formula_like(value)
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["", "Krasniqi", "Đorđević", "1975-03-14", " =1", "a=b", "'=1", "#tag", "12"]
)
def test_safe_cells_are_unchanged(value: str) -> None:
    assert not is_formula_like(value)
    assert neutralise_formula(value) == value


@given(st.text())
def test_result_never_starts_with_a_formula_character(value: str) -> None:
    result = neutralise_formula(value)
    assert not is_formula_like(result)
    assert not result.startswith(FORMULA_PREFIXES)


@given(st.text())
def test_value_stays_visible_and_safe_values_are_untouched(value: str) -> None:
    result = neutralise_formula(value)
    if is_formula_like(value):
        assert result == "'" + value
    else:
        assert result == value


@given(st.sampled_from(["=", "+", "-", "@"]), st.text())
def test_each_prefix_is_neutralised(prefix: str, rest: str) -> None:
    assert neutralise_formula(prefix + rest) == "'" + prefix + rest
