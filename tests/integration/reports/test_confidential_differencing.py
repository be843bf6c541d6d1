"""The confidential units' public figures cannot be differenced (issue 13, finding 2).

The reporting role may ask for a programme report ending on any day. Before the fix,
the medical unit's "cases opened in 2004" went from 38 to 42 between two reports
ending on consecutive days, so the 4 cases opened that day could be read off, and a
hidden district cell was recovered the same way. Here every report the role may ask
for across more than a year is run through the service the API calls, on cases
opened on known days, and every two of them are compared.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

import pytest

from rrms.reports.bulletin import news_in_brief
from rrms.reports.disclosure import is_small
from rrms.services.reporting import reports as reporting

FIRST_TO = dt.date(2003, 12, 1)
LAST_TO = dt.date(2005, 1, 31)


def _days(first: str, last: str, step: int) -> list[str]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [
        (start + dt.timedelta(days=n)).isoformat() for n in range(0, (end - start).days + 1, step)
    ]


@pytest.fixture
def known_days(records):
    """Cases opened on known days, with small steps a daily report would show."""
    records.programme("CT", unit="counter_trafficking")
    records.programme("MH", unit="medical")
    for day in _days("2003-02-01", "2003-12-20", 30):
        records.case("counter_trafficking", day, "PRI")
    for day in _days("2004-01-15", "2004-10-20", 11):  # 26 cases in Prishtinë
        records.case("medical", day, "PRI")
    for day in _days("2004-03-03", "2004-05-03", 10):  # 7 in Ferizaj: 38 by 20 October
        records.case("medical", day, "FER")
    for _ in range(4):  # 38 -> 42 on 21 October; a lone small Gjilan cell
        records.case("medical", "2004-10-21", "GJI")
    for day in ("2004-06-01", "2004-07-01", "2004-08-01", "2004-09-01", "2004-09-02"):
        records.case("medical", day, "MIT")  # 5 in Mitrovicë, then 2 more in November
    for day in ("2004-11-03", "2004-11-04"):
        records.case("medical", day, "MIT")
    for day in ("2004-02-02", "2004-04-04", "2004-04-05", "2004-08-08", "2004-12-30"):
        records.case("counter_trafficking", day, "PEJ")
    records.case("counter_trafficking", "2004-05-05", None)
    for day in ("2005-01-03", "2005-01-04", "2005-01-20"):
        records.case("medical", day, "PRZ")
    return records


def _published(report: Any) -> dict[str, list[int]]:
    """Every number the report publishes of each confidential unit: each year's cases,
    each district cell and the tables' totals."""
    numbers: dict[str, list[int]] = defaultdict(list)
    for unit in report.confidential:
        tables = [unit.by_year] + ([unit.by_district] if unit.by_district else [])
        for table in tables:
            numbers[unit.unit].append(table.total)
            numbers[unit.unit].extend(e.cell.value for e in table.entries if not e.cell.suppressed)
    return numbers


def _froms(date_to: dt.date) -> list[dt.date]:
    """A few periods ending on `date_to` (the start does not matter to these figures)."""
    return [date_to, dt.date(date_to.year, 1, 1)]


def test_no_two_public_reports_differ_by_one_to_four_cases(known_days, uow, actors):
    published: dict[str, set[int]] = defaultdict(set)
    by_to: dict[dt.date, dict[str, list[int]]] = {}
    date_to = FIRST_TO
    with uow() as u:
        while date_to <= LAST_TO:
            for date_from in _froms(date_to):
                report = reporting.programmes(u, actors["reporting"], date_from, date_to)
                assert report.public
                numbers = _published(report)
                by_to.setdefault(date_to, numbers)
                assert numbers == by_to[date_to]  # the start of the period changes nothing
                for unit, values in numbers.items():
                    published[unit].update(values)
            date_to += dt.timedelta(days=1)
    assert published["medical"] and published["counter_trafficking"]
    for unit, values in published.items():
        differences = {abs(a - b) for a, b in itertools.combinations(sorted(values), 2)}
        leaked = sorted(d for d in differences if is_small(d))
        assert not leaked, f"{unit}: two public reports differ by {leaked} cases"
    # reports ending on consecutive days of a quarter show the very same figures
    assert by_to[dt.date(2004, 10, 20)] == by_to[dt.date(2004, 10, 21)]
    assert by_to[dt.date(2004, 11, 2)] == by_to[dt.date(2004, 11, 4)]


def test_the_report_says_which_closed_quarter_its_confidential_figures_cover(
    known_days, uow, actors
):
    with uow() as u:
        report = reporting.programmes(
            u, actors["reporting"], dt.date(2004, 10, 1), dt.date(2004, 10, 21)
        )
    medical = {f.unit: f for f in report.confidential}["medical"]
    assert medical.last_day == dt.date(2004, 9, 30) and medical.rounded_to == 5
    # 36 cases opened in 2004 up to 30 September: shown as 35; Mitrovicë's 5 stay 5
    assert medical.by_year.as_dict() == {"2004": 35}
    assert medical.by_district is not None
    assert medical.by_district.get("MIT").value == 5
    assert medical.by_district.get("GJI").value == 0  # opened in October: not yet counted
    json = report.to_json()["confidential_units"]
    assert {u["unit"]: u["cases_to"] for u in json} == {
        "counter_trafficking": "2004-09-30",
        "medical": "2004-09-30",
    }
    # a quarter's last day is itself closed
    with uow() as u:
        closing = reporting.programmes(
            u, actors["reporting"], dt.date(2004, 10, 1), dt.date(2004, 12, 31)
        )
    medical = {f.unit: f for f in closing.confidential}["medical"]
    assert medical.last_day == dt.date(2004, 12, 31)
    assert medical.by_year.as_dict() == {"2004": 45}  # 44 rounded
    assert medical.by_district is not None
    assert medical.by_district.get("GJI").value is None  # 4: hidden


def test_the_unit_itself_sees_its_cases_exactly_to_the_day(known_days, uow, actors):
    with uow() as u:
        own = reporting.programmes(
            u, actors["medical"], dt.date(2004, 10, 1), dt.date(2004, 10, 21)
        )
    figures = {f.unit: f for f in own.confidential}
    assert figures["medical"].last_day == dt.date(2004, 10, 21)
    assert figures["medical"].rounded_to is None
    assert figures["medical"].by_year.as_dict() == {"2004": 42}
    # another unit's figures, in the same internal report: closed quarter, rounded
    assert figures["counter_trafficking"].last_day == dt.date(2004, 9, 30)
    assert figures["counter_trafficking"].rounded_to == 5


def test_api_answers_the_same_for_consecutive_days(known_days, client, auth):
    answers = [
        client.get(
            "/reports/programmes",
            params={"from": "2004-10-01", "to": day},
            headers=auth("reporting"),
        ).json()["confidential_units"]
        for day in ("2004-10-20", "2004-10-21")
    ]
    assert answers[0] == answers[1]
    medical = {u["unit"]: u for u in answers[0]}["medical"]
    assert medical["cases_by_year"] == {"2004": 35} and medical["rounded_to"] == 5


def test_the_bulletin_and_html_say_which_period_and_that_figures_are_rounded(
    known_days, uow, actors, client, auth
):
    with uow() as u:
        result = reporting.bulletin(
            u, actors["reporting"], dt.date(2004, 8, 1), dt.date(2004, 10, 31)
        )
    news = news_in_brief(result.returns, result.programmes)
    assert (
        "In 2004, the migration health unit opened about 35 cases (to 30 September 2004)." in news
    )
    html = client.get(
        "/reports/programmes",
        params={"from": "2004-08-01", "to": "2004-10-31", "format": "html"},
        headers=auth("reporting"),
    ).text
    assert "cases opened up to 30 September 2004, the end of the last whole quarter" in html
    assert "Cases opened in 2004 (to 30 September), by district" in html
