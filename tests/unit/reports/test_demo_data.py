"""The demo data set reproduces the November 2004 bulletin's figures (no database needed)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from rrms.demo.data import FIRST_ARRIVAL, PERIOD_FROM, PERIOD_TO, PUBLISHED, generate
from rrms.reference.places import gazetteer
from rrms.reports.returns_model import share_pct


@pytest.fixture(scope="module")
def data():
    return generate()


def in_period(row, key="arrival_date"):
    return row[key] is not None and PERIOD_FROM <= row[key] <= PERIOD_TO


def test_the_quarter_of_avr_returns(data):
    avr = [r for r in data.returns if r["programme"] == "AVR" and in_period(r)]
    assert len(avr) == PUBLISHED["avr_returns"] == 472
    modes = Counter(r["transport_mode"] for r in avr)
    assert modes == {"air": 441, "land": 31}
    countries = Counter(r["sending_country"] for r in avr)
    for code, count in PUBLISHED["avr_countries"].items():
        assert countries[code] == count
    assert [code for code, _ in countries.most_common(5)] == ["DE", "NL", "GB", "BE", "HR"]


def test_cumulative_returns_shares_and_secondary_transport(data):
    assert len(data.returns) == 187_739
    assert min(r["arrival_date"] for r in data.returns) == FIRST_ARRIVAL
    assert max(r["arrival_date"] for r in data.returns) <= PERIOD_TO
    places = gazetteer()
    district = {m.kas_code: places.district_of(m).code for m in places.municipalities}
    by_district = Counter(district[r["destination_municipality"]] for r in data.returns)
    for code, share in PUBLISHED["district_shares"].items():
        assert share_pct(by_district[code], 187_739) == share
    assert sum(1 for r in data.returns if r["secondary_transport"] and in_period(r)) == 478
    assert sum(1 for r in data.returns if r["secondary_transport"]) == 9_613


def projects(data, code):
    return [p for p in data.projects if p["programme"] == code]


def test_programme_figures(data):
    smr = projects(data, "SMR")
    assert Counter(p["status"] for p in smr) == {"completed": 35, "ongoing": 13}
    done = [p for p in smr if p["status"] == "completed"]
    assert sum(p["direct_beneficiaries"] for p in done) == 106
    assert sum(p["indirect_beneficiaries"] for p in done) == 372
    assert sum(p["jobs_returnees"] for p in done) == 56
    assert sum(p["jobs_residents"] for p in done) == 50
    varrp = projects(data, "VARRP")
    assert Counter(p["status"] for p in varrp) == {"completed": 35, "ongoing": 10}
    assert sum(p["direct_beneficiaries"] for p in varrp) == 67
    assert sum(p["indirect_beneficiaries"] for p in varrp) == 302
    rsmc = projects(data, "RSMC")
    assert len(rsmc) == 110 and sum(in_period(p, "approved_on") for p in rsmc) == 44
    assert sum(p["direct_beneficiaries"] for p in rsmc) == 273
    sedmin = projects(data, "SEDMIN")
    assert len(sedmin) == 384 and sum(in_period(p, "approved_on") for p in sedmin) == 27
    money = sum(
        (p["grant_amount"] or Decimal(0)) + (p["loan_amount"] or Decimal(0)) for p in sedmin
    )
    assert money == Decimal("1611672.00")
    assert len(projects(data, "CSP")) == 322
    houses = Counter(h["status"] for h in data.housing)
    assert houses["handed_over"] == 14 and houses["finished"] == 3
    assert houses["under_reconstruction"] == 20
    foreign = [c for c in data.confidential_cases if c["programme"] == "CT-WB"]
    assert len(foreign) == 404 and sum(in_period(c, "opened_on") for c in foreign) == 10


def test_generation_is_deterministic_and_scalable():
    small = generate(history_scale=0.01)
    assert small.returns == generate(history_scale=0.01).returns
    assert 1_145 + 1_800 < len(small.returns) < 1_145 + 2_000
    assert sum(1 for r in small.returns if r["arrival_date"] >= PERIOD_FROM) == 1_145
    refs = [p["person_ref"] for p in small.persons]
    assert len(refs) == len(set(refs))
