"""Charts are real charts: title, axis labels, and every bar's figure as checkable text."""

from __future__ import annotations

import re

from figures import returns

from rrms.reports.charts import bars_of, breakdown_chart
from rrms.reports.disclosure import breakdown


def texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if t.strip()]


def test_chart_has_title_axes_and_the_figures():
    svg = breakdown_chart(
        returns().by_sending_country, "Returnees by sending country", "Returnees", "Sending country"
    )
    assert svg.startswith("<svg")
    words = texts(svg)
    for expected in ("Returnees by sending country", "Returnees", "Sending country",
                     "Germany", "350", "Netherlands", "52", "United Kingdom", "46"):  # fmt: skip
        assert expected in words, expected


def test_hidden_bars_carry_their_mark_not_their_length():
    item = breakdown("c", "C", {"DE": 310, "NL": 52, "LI": 3}, public=True)
    bars = bars_of(item)
    assert [(b.label, b.value, b.text) for b in bars] == [
        ("DE", 310, "310"),
        ("LI", None, "<5"),
        ("NL", None, "x"),
    ]
    words = texts(breakdown_chart(item, "T", "V", "C"))
    assert "&lt;5" in words and "x" in words and "52" not in words and "3" not in words


def test_many_categories_are_grouped_and_charts_are_deterministic():
    counts = {f"C{i:02d}": 100 - i for i in range(20)}
    item = breakdown("c", "C", counts, public=False)
    bars = bars_of(item, max_bars=6)
    assert len(bars) == 6 and bars[-1].label == "Other (15)"
    assert bars[-1].value == sum(100 - i for i in range(5, 20))
    assert breakdown_chart(item, "T", "V", "C") == breakdown_chart(item, "T", "V", "C")


def test_percentages_are_printed_with_one_decimal():
    words = texts(
        breakdown_chart(returns().cumulative_by_region, "Share", "%", "District", percent=True)
    )
    assert "37.6%" in words and "14.9%" in words and "13.1%" in words and "8.9%" in words


def test_labels_from_users_are_text_not_markup_or_mathtext():
    item = breakdown("t", "T", {"cost $5 and $": 7, "<script>alert(1)</script>": 9}, public=False)
    svg = breakdown_chart(item, "Topics $", "Requests", "Topic")
    assert "<script>" not in svg
    assert "cost $5 and $" in texts(svg) and "Topics $" in texts(svg)


def test_a_chart_whose_every_bar_is_hidden_says_so():
    item = breakdown("c", "C", {"DE": 3, "NL": 2}, public=True)
    assert [b.value for b in bars_of(item)] == [None, None]
    words = texts(breakdown_chart(item, "Returnees by sending country", "Returnees", "Country"))
    assert "Every figure of this chart is hidden in the public version" in words
    assert "Returnees by sending country" in words
    assert "&lt;5" not in words and "x" not in words  # no empty bars, no bare axis ticks
    assert not any(re.fullmatch(r"[\d.,]+", word) for word in words)


def test_count_axes_have_whole_number_ticks():
    item = breakdown("c", "C", {"DE": 3, "NL": 2}, public=False)
    ticks = [w for w in texts(breakdown_chart(item, "T", "V", "C")) if re.fullmatch(r"[\d.]+", w)]
    assert ticks and all("." not in tick for tick in ticks), ticks
    shares = texts(
        breakdown_chart(returns().cumulative_by_region, "Share", "%", "District", percent=True)
    )
    assert "37.6%" in shares  # percentages keep their decimals
