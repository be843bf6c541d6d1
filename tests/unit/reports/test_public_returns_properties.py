"""Whatever the arrivals, a public returns report shows no count from 1 to 4 anywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io

from figures import FROM, PROGRAMMES, TO
from hypothesis import given, settings
from hypothesis import strategies as st

from rrms.domain.report_rows import PeriodGroup
from rrms.reports.bulletin import news_in_brief
from rrms.reports.disclosure import is_small
from rrms.reports.exports import returns_table, write_csv
from rrms.reports.programme_model import ProgrammeReport
from rrms.reports.returns_report import ReturnsFigures, build_returns_report

MUNICIPALITIES = [f"{code:02d}" for code in range(1, 31)]


@st.composite
def quarters(draw):
    groups = []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        arrivals = draw(st.integers(min_value=1, max_value=30))
        groups.append(
            PeriodGroup(
                sending_country=draw(st.sampled_from(["DE", "CH", "LI", "AT", "SE"])),
                programme_id=draw(st.sampled_from([None, 1, 2, 3])),
                municipality=draw(st.sampled_from(MUNICIPALITIES)),
                arrivals=arrivals,
                forced=draw(st.integers(min_value=0, max_value=arrivals)),
                land=draw(st.integers(min_value=0, max_value=arrivals)),
                secondary=draw(st.integers(min_value=0, max_value=arrivals)),
            )
        )
    cumulative = {
        m: (n, 0)
        for m, n in draw(
            st.dictionaries(st.sampled_from(MUNICIPALITIES), st.integers(0, 40), max_size=8)
        ).items()
    }
    return ReturnsFigures(FROM, TO, tuple(groups), cumulative, dt.date(1999, 6, 12), PROGRAMMES)


def breakdowns(report_json):
    returns = report_json["returns"]
    for name in ("by_return_type", "by_transport_mode", "by_sending_country", "by_programme"):
        yield name, list(returns[name].values())
    for name in ("by_destination_region", "by_destination_municipality"):
        yield name, [entry["returns"] for entry in returns[name]]
    yield "cumulative", [e["returns"] for e in report_json["cumulative"]["by_destination_region"]]


@settings(max_examples=150, deadline=None)
@given(quarters())
def test_no_small_count_and_no_lone_hidden_cell(figures):
    report = build_returns_report(figures, public=True)
    data = report.to_json()
    for name, values in breakdowns(data):
        assert not any(v is not None and is_small(v) for v in values), name
        if len(values) >= 2:
            assert sum(v is None for v in values) != 1, name
    for value in data["secondary_transport"].values():
        assert not (isinstance(value, int) and is_small(value))
    assert data["returns"]["total"] == sum(g.arrivals for g in figures.groups)
    for detail in report.programmes:  # shown only when its total is visible
        assert detail.total.value is not None
        assert not any(is_small(e.cell.value or 0) for e in detail.by_sending_country.entries)
    assert "CT" not in data["returns"]["by_programme"]


@settings(max_examples=60, deadline=None)
@given(quarters())
def test_exports_and_sentences_show_only_what_the_json_shows(figures):
    report = build_returns_report(figures, public=True)
    buffer = io.StringIO(newline="")
    write_csv(returns_table(report), buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    header = rows[0]
    totals = ("total", "cumulative_total")  # the spec keeps totals exact
    counts = [
        row[header.index("returnees")]
        for row in rows[2:]
        if row[header.index("figure")] not in totals
    ]
    assert not any(c.isdigit() and is_small(int(c)) for c in counts)
    exact_totals = {report.total, report.cumulative_total}  # the spec keeps totals exact
    for sentence in news_in_brief(report, ProgrammeReport(FROM, TO, True, ())):
        for small in range(1, 5):
            if small in exact_totals:  # a total may be small, and is shown as it is
                continue
            for shown in (f" {small} ", f"({small})"):
                assert shown not in sentence, sentence
