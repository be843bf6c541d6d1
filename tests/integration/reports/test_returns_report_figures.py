"""Every figure of the returns report on a hand-made data set whose answers are known.

The data set (see `hand_made`) has 20 arrivals in the period 2004-08-01..2004-10-31,
one on each boundary day, one the day before and one the day after, and 10 earlier
arrivals from 1999-06-12 on; the expected figures below were worked out by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rrms.reports.returns_report import returns_report
from rrms.storage.queries.reports import ReportQueries

FROM = dt.date(2004, 8, 1)
TO = dt.date(2004, 10, 31)


@pytest.fixture
def hand_made(records):
    records.programme("AVR")
    records.programme("SMR")
    records.programme("CT", unit="counter_trafficking")
    # the period: 20 arrivals
    records.arrivals(1, on="2004-08-01", programme="AVR", municipality="19", secondary=True)
    records.arrivals(7, on="2004-09-10", programme="AVR", municipality="19", secondary=True)
    records.arrivals(
        3,
        on="2004-10-31",
        programme="AVR",
        country="NL",
        mode="land",
        municipality="25",
        secondary=False,
    )
    records.arrivals(
        2, on="2004-09-01", programme="SMR", country="CH", municipality="17", secondary=True
    )
    records.arrivals(6, on="2004-10-02", return_type="forced", municipality="19")
    records.arrivals(
        1, on="2004-08-20", programme="CT", country="AT", municipality="20", secondary=True
    )
    # outside the period
    records.arrivals(5, on="1999-06-12", programme="AVR", municipality="18", secondary=True)
    records.arrivals(4, on="2003-05-05", country="SE", municipality="12")
    records.arrivals(1, on="2004-07-31", programme="AVR", municipality="19", secondary=False)
    records.arrivals(1, on="2004-11-01", programme="AVR", municipality="19", secondary=True)
    return records


def region(entries, code):
    return next(entry for entry in entries if entry["code"] == code)


def test_internal_report_has_every_figure_exact(hand_made, session_factory):
    with session_factory() as session:
        report = returns_report(ReportQueries(session), FROM, TO, public=False).to_json()
    assert report["period"] == {"from": "2004-08-01", "to": "2004-10-31"}
    returns = report["returns"]
    assert returns["total"] == 20
    assert returns["by_return_type"] == {"voluntary": 14, "forced": 6}
    assert returns["by_transport_mode"] == {"air": 17, "land": 3}
    assert returns["by_sending_country"] == {"DE": 14, "NL": 3, "CH": 2, "AT": 1}
    assert list(returns["by_sending_country"]) == ["DE", "NL", "CH", "AT"]
    assert returns["by_programme"] == {"AVR": 11, "other": 6, "SMR": 2, "CT": 1}
    regions = returns["by_destination_region"]
    assert [r["code"] for r in regions][:4] == ["PRI", "FER", "PEJ", "PRZ"]
    assert {r["code"]: r["returns"] for r in regions} == {
        "PRI": 14,
        "FER": 3,
        "PEJ": 2,
        "PRZ": 1,
        "MIT": 0,
        "GJA": 0,
        "GJI": 0,
    }
    assert region(regions, "PEJ") == {
        "code": "PEJ",
        "name_sq": "Pejë",
        "name_sr": "Peć",
        "returns": 2,
    }
    municipalities = returns["by_destination_municipality"]
    assert len(municipalities) == 30
    assert region(municipalities, "19") == {
        "code": "19",
        "name_sq": "Prishtinë",
        "name_sr": "Priština",
        "returns": 14,
    }
    assert region(municipalities, "25")["returns"] == 3
    assert sum(m["returns"] for m in municipalities) == 20
    assert set(returns) == {
        "total",
        "by_return_type",
        "by_transport_mode",
        "by_sending_country",
        "by_programme",
        "by_destination_region",
        "by_destination_municipality",
    }
    assert report["secondary_transport"] == {"period": 11, "cumulative": 16}
    cumulative = report["cumulative"]
    assert cumulative["from"] == "1999-06-12"
    assert cumulative["to"] == "2004-10-31"
    assert cumulative["total"] == 30
    shares = {
        r["code"]: (r["returns"], r["share_pct"]) for r in cumulative["by_destination_region"]
    }
    assert shares == {
        "PRI": (20, 66.7),
        "MIT": (4, 13.3),
        "FER": (3, 10.0),
        "PEJ": (2, 6.7),
        "PRZ": (1, 3.3),
        "GJA": (0, 0.0),
        "GJI": (0, 0.0),
    }
    assert region(cumulative["by_destination_region"], "FER")["name_sr"] == "Uroševac"


def test_public_report_hides_small_counts_and_their_neighbours(hand_made, session_factory):
    with session_factory() as session:
        report = returns_report(ReportQueries(session), FROM, TO, public=True).to_json()
    returns = report["returns"]
    assert returns["total"] == 20  # totals stay exact
    assert returns["by_return_type"] == {"voluntary": 14, "forced": 6}
    # land 3 is hidden, and air (its only neighbour) with it
    assert returns["by_transport_mode"] == {"air": None, "land": None}
    assert returns["by_sending_country"] == {"DE": 14, "AT": None, "CH": None, "NL": None}
    # CT is confidential: counted under "other" (6 + 1); SMR 2 hidden, "other" next-smallest
    assert returns["by_programme"] == {"AVR": 11, "SMR": None, "other": None}
    assert returns["suppressed"] == {
        "by_transport_mode": ["air", "land"],
        "by_sending_country": ["AT", "CH", "NL"],
        "by_programme": ["SMR", "other"],
    }
    regions = {r["code"]: r for r in returns["by_destination_region"]}
    assert regions["PRI"]["returns"] == 14 and "suppressed" not in regions["PRI"]
    for code in ("FER", "PEJ", "PRZ"):
        assert regions[code]["returns"] is None and regions[code]["suppressed"] is True
    assert regions["MIT"]["returns"] == 0
    municipalities = {m["code"]: m for m in returns["by_destination_municipality"]}
    assert municipalities["19"]["returns"] == 14
    for code in ("25", "07", "22", "23", "17", "06", "08", "20", "05", "24", "30"):
        assert municipalities[code]["returns"] is None, code
        assert municipalities[code]["suppressed"] is True
    assert report["secondary_transport"] == {"period": 11, "cumulative": 16}
    cumulative = {r["code"]: r for r in report["cumulative"]["by_destination_region"]}
    assert cumulative["PRI"]["returns"] == 20 and cumulative["PRI"]["share_pct"] == 66.7
    for code in ("MIT", "FER", "PEJ", "PRZ"):
        assert cumulative[code] == {
            "code": code,
            "name_sq": cumulative[code]["name_sq"],
            "name_sr": cumulative[code]["name_sr"],
            "returns": None,
            "share_pct": None,
            "suppressed": True,
        }
    assert report["cumulative"]["total"] == 30


def test_programme_detail_splits_transport_and_countries(hand_made, session_factory):
    with session_factory() as session:
        report = returns_report(ReportQueries(session), FROM, TO, public=False)
    avr = report.programme("AVR")
    assert avr is not None
    assert avr.total.value == 11
    assert avr.by_transport_mode.as_dict() == {"air": 8, "land": 3}
    assert avr.by_sending_country.as_dict() == {"DE": 8, "NL": 3}
    assert avr.secondary_transport.value == 8
    with session_factory() as session:
        public = returns_report(ReportQueries(session), FROM, TO, public=True)
    assert public.programme("CT") is None  # confidential: not shown by programme in public
    assert public.programme("SMR") is None  # its total is hidden, so is its detail


def test_empty_database_gives_zeros(session_factory):
    with session_factory() as session:
        report = returns_report(ReportQueries(session), FROM, TO, public=True).to_json()
    assert report["returns"]["total"] == 0
    assert report["returns"]["by_sending_country"] == {}
    assert report["cumulative"]["from"] is None
    assert report["cumulative"]["total"] == 0
    assert len(report["cumulative"]["by_destination_region"]) == 7
