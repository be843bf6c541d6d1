"""The pure rules of pseudonymised sharing: keyed ids, consent cover, k-anonymity."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rrms.domain.sharing import (
    K_ANONYMITY,
    ConsentTerms,
    birth_band,
    covers,
    k_anonymise,
    keyed_id,
    same_recipient,
)

KEY = b"k" * 32
OTHER = b"o" * 32


def test_keyed_ids_are_stable_per_key_and_differ_between_keys() -> None:
    assert keyed_id(KEY, 42) == keyed_id(KEY, 42)
    assert keyed_id(KEY, 42) != keyed_id(KEY, 43)
    assert keyed_id(KEY, 42) != keyed_id(OTHER, 42)
    # not the unkeyed hash of the id, which anyone could compute by trying ids
    import hashlib

    assert keyed_id(KEY, 42) != hashlib.sha256(b"42").hexdigest()
    assert "42" not in keyed_id(KEY, 42)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError):
        keyed_id(b"short", 1)


def test_recipients_match_whatever_the_case_and_spacing() -> None:
    assert same_recipient("University of  Prishtina", "university of prishtina")
    assert not same_recipient("UNHCR", "UNICEF")


def test_a_consent_covers_its_purpose_and_recipients_while_in_force() -> None:
    terms = ConsentTerms("research", ["UNHCR", "IOM"], dt.date(2004, 1, 1), dt.date(2004, 6, 1))
    assert covers(terms, "research", "unhcr", dt.date(2004, 3, 1))
    assert not covers(terms, "reporting", "UNHCR", dt.date(2004, 3, 1))
    assert not covers(terms, "research", "UNICEF", dt.date(2004, 3, 1))
    assert not covers(terms, "research", "UNHCR", dt.date(2003, 12, 31))  # not yet given
    assert not covers(terms, "research", "UNHCR", dt.date(2004, 6, 1))  # withdrawn


def test_birth_bands() -> None:
    assert birth_band(1973) == "1970-1974"
    assert birth_band(1975) == "1975-1979"
    assert birth_band(None) is None


Row = tuple[str, int | str, str]


def _generalise(row: Row) -> Row:
    sex, year, place = row
    return (sex, birth_band(year) if isinstance(year, int) else year, place)  # type: ignore[return-value]


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["f", "m"]),
        st.integers(min_value=1960, max_value=1975),
        st.sampled_from(["01", "02", "03"]),
    ),
    max_size=200,
)


@given(rows_strategy)
def test_every_published_combination_occurs_at_least_k_times(rows: list[Row]) -> None:
    result = k_anonymise(rows, lambda r: r, _generalise)
    counts = Counter(result.rows)
    assert all(n >= K_ANONYMITY for n in counts.values())
    assert len(result.rows) + result.withheld == len(rows)


def test_rare_rows_are_generalised_then_withheld() -> None:
    common = [("f", 1970, "01")] * 5
    rare = [("m", 1970 + i, "02") for i in range(5)]  # one each year: a band holds all 5
    lonely = [("m", 1990, "03")]
    result = k_anonymise(common + rare + lonely, lambda r: r, _generalise)
    assert sorted(result.rows) == sorted(common + [("m", "1970-1974", "02")] * 5)  # type: ignore[operator]
    assert (result.generalised, result.withheld) == (5, 1)
