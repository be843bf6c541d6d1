"""Programme reports on hand-made records whose figures are known, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rrms.reports.programme_report import programme_report
from rrms.storage.queries.reports import ReportQueries

FROM = dt.date(2004, 8, 1)
TO = dt.date(2004, 10, 31)


@pytest.fixture
def hand_made(records):
    for code in ("SMR", "RSMC"):
        records.programme(code)
    records.programme("CT", unit="counter_trafficking")
    records.programme("MH", unit="medical")
    records.project(
        "SMR",
        sector="production",
        status="completed",
        approved_on="2004-02-01",
        started_on="2004-03-01",
        completed_on="2004-09-15",
        direct_beneficiaries=3,
        indirect_beneficiaries=10,
        jobs_returnees=2,
        jobs_residents=1,
        grant_amount="5000.00",
        grant_currency="CHF",
        beneficiary_community="roma",
    )
    records.project(
        "SMR",
        sector="services",
        scope="community",
        status="ongoing",
        approved_on="2004-08-10",
        started_on="2004-08-20",
        direct_beneficiaries=4,
        indirect_beneficiaries=8,
        jobs_returnees=1,
        jobs_residents=3,
        grant_amount="2500.50",
        grant_currency="CHF",
        loan_amount="1000.25",
        loan_currency="EUR",
        beneficiary_community="ashkali",
    )
    # completed after the period: ongoing on its last day
    records.project(
        "SMR",
        sector="production",
        status="completed",
        approved_on="2004-09-01",
        started_on="2004-10-01",
        completed_on="2004-11-15",
        direct_beneficiaries=2,
        indirect_beneficiaries=5,
        grant_amount="1234.56",
        grant_currency="CHF",
        beneficiary_community="roma",
    )
    records.project("SMR", sector="trade", approved_on="2004-11-05", direct_beneficiaries=50)
    records.project(
        "SMR",
        sector="trade",
        approved_on="2004-01-10",
        direct_beneficiaries=6,
        grant_amount="0.10",
        grant_currency="CHF",
        beneficiary_community="egyptian",
    )
    records.house(
        "RSMC",
        started_on="2004-08-05",
        finished_on="2004-09-30",
        handed_over_on="2004-10-10",
        status="handed_over",
    )
    records.house("RSMC", started_on="2004-08-05", finished_on="2004-11-20", status="finished")
    records.house("RSMC", status="assessed")
    records.house(
        "RSMC",
        started_on="2004-07-01",
        finished_on="2004-07-30",
        handed_over_on="2004-12-01",
        status="handed_over",
    )
    records.request("SMR", "housing", "2004-08-02", "2004-08-12")
    records.request("SMR", "housing", "2004-09-01", "2004-09-05")
    records.request("SMR", "medical_care", "2004-07-20", "2004-08-03")
    records.request("SMR", "business", "2004-10-20", None)
    records.request("SMR", "business", "2004-10-30", "2004-11-03")
    records.request("SMR", "housing", "2004-05-01", "2004-05-10")
    records.training("SMR", 12, "2004-09-10")
    records.training("SMR", 7, "2004-03-01")
    records.training("CT", 26, "2004-10-12")
    for opened, district in (
        ("2003-05-01", "PRI"),
        ("2004-02-01", "PRI"),
        ("2004-08-15", "PRI"),
        ("2004-09-01", "PEJ"),
        ("2004-10-01", "PEJ"),
        ("2004-11-10", "PRI"),
        ("2004-10-05", None),
    ):
        records.case("counter_trafficking", opened, district)
    for _ in range(6):
        records.case("medical", "2004-09-10", "FER")
    return records  # fmt: skip


def report(session_factory, public, unit=None):
    with session_factory() as session:
        return programme_report(ReportQueries(session), FROM, TO, public, unit)


def test_projects_money_houses_requests_and_trainings(hand_made, session_factory):
    result = report(session_factory, public=False)
    assert [s.code for s in result.sections] == ["SMR", "RSMC", "CT"]
    smr = result.section("SMR")
    assert smr is not None
    assert smr.projects_total == 4
    assert smr.projects_approved_in_period.value == 2
    assert smr.projects_by_status.as_dict() == {"approved": 1, "ongoing": 2, "completed": 1}
    assert smr.projects_by_sector.as_dict() == {"production": 2, "services": 1, "trade": 1}
    assert smr.projects_by_scope.as_dict() == {"individual": 3, "community": 1}
    assert (smr.direct_beneficiaries.value, smr.indirect_beneficiaries.value) == (15, 23)
    assert smr.jobs.as_dict() == {"returnees": 3, "residents": 4} and smr.jobs.total == 7
    assert smr.beneficiaries_by_community.as_dict() == {"egyptian": 6, "roma": 5, "ashkali": 4}
    assert [(m.currency, m.amount, m.projects.value) for m in smr.grants] == [
        ("CHF", Decimal("8735.16"), 4)
    ]
    assert [(m.currency, m.amount) for m in smr.loans] == [("EUR", Decimal("1000.25"))]
    assert [(m.currency, m.amount, m.projects.value) for m in smr.grants_in_period] == [
        ("CHF", Decimal("3735.06"), 2)
    ]
    assert smr.requests_by_topic.as_dict() == {"business": 2, "housing": 2}
    assert smr.turnaround.answered.value == 3
    assert (smr.turnaround.median_days, smr.turnaround.mean_days) == (10.0, 9.3)
    assert smr.turnaround.longest_days == 14
    assert smr.requests_open.value == 2
    assert (smr.trainings_in_period.value, smr.participants_in_period.value) == (1, 12)
    assert (smr.trainings_to_date.value, smr.participants_to_date.value) == (2, 19)
    rsmc = result.section("RSMC")
    assert rsmc is not None
    assert rsmc.houses_by_status.as_dict() == {
        "assessed": 1, "under_reconstruction": 1, "finished": 1, "handed_over": 1,
    }  # fmt: skip
    assert rsmc.houses_handed_over_in_period.value == 1
    json = result.to_json()
    assert json["programmes"][0]["projects"]["grants"] == {
        "CHF": {"amount": "8735.16", "projects": 4}
    }


def test_confidential_cases_by_year_and_district_only(hand_made, session_factory):
    outsider = report(session_factory, public=False)
    units = {u.unit: u for u in outsider.confidential}
    medical = units["medical"]
    # outside the unit: cases to the end of the last closed quarter (30 September),
    # rounded to a multiple of 5 (6 cases: 5)
    assert medical.last_day == dt.date(2004, 9, 30) and medical.rounded_to == 5
    assert medical.by_year.as_dict() == {"2004": 5}
    assert medical.by_district is not None and medical.by_district.get("FER").value == 5
    assert medical.detail == ()
    # 2003 has one case: hidden, and 2004 with it, so the district table goes too
    trafficking = units["counter_trafficking"]
    assert trafficking.by_year.as_dict() == {"2003": None, "2004": None}
    assert trafficking.by_district is None
    insider = report(session_factory, public=False, unit="counter_trafficking")
    own = {u.unit: u for u in insider.confidential}["counter_trafficking"]
    assert own.by_year.as_dict() == {"2003": 1, "2004": 5}
    assert own.by_district is not None
    assert {e.key: e.cell.value for e in own.by_district.entries if e.cell.value} == {
        "PRI": 2, "PEJ": 2, "unknown": 1,
    }  # fmt: skip
    assert own.detail[0].as_dict() == {"victim_assistance": 4}
    # the unit's detail never reaches a public report, even for the unit itself
    public_own = report(session_factory, public=True, unit="counter_trafficking")
    assert all(u.detail == () for u in public_own.confidential)


def test_public_report_hides_small_counts_and_restricts_confidential_programmes(
    hand_made, session_factory
):
    result = report(session_factory, public=True)
    smr = result.section("SMR")
    assert smr is not None
    assert smr.projects_by_sector.as_dict() == {"production": None, "services": None, "trade": None}
    assert smr.jobs.as_dict() == {"returnees": None, "residents": None}
    assert smr.grants[0].amount is None  # 4 projects: one grant could be worked out
    ct = result.section("CT")
    assert ct is not None and ct.restricted and not ct.has_projects
    assert ct.participants_in_period.value == 26
    json = result.to_json()["programmes"][0]
    assert json["projects"]["suppressed"]["by_sector"] == ["production", "services", "trade"]
    assert json["projects"]["grants"]["CHF"] == {
        "amount": None,
        "projects": None,
        "suppressed": True,
    }
