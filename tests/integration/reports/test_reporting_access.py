"""Who gets which version of a report, the audit entry of every run, and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.reporting import reports as reporting
from rrms.storage.tables import AuditEntry

FROM = dt.date(2004, 8, 1)
TO = dt.date(2004, 10, 31)


@pytest.fixture
def small_quarter(records):
    records.programme("AVR")
    records.arrivals(40, on="2004-09-01", programme="AVR", secondary=True)
    records.arrivals(3, on="2004-09-02", programme="AVR", country="LI")
    return records


def test_reporting_role_gets_the_public_version_only(small_quarter, uow, actors):
    with uow() as u:
        report = reporting.returns(u, actors["reporting"], FROM, TO)
    assert report.public
    assert report.to_json()["returns"]["by_sending_country"] == {"DE": None, "LI": None}
    with uow() as u, pytest.raises(Forbidden):
        reporting.returns(u, actors["reporting"], FROM, TO, public=False)


def test_other_roles_get_internal_by_default_and_public_on_request(small_quarter, uow, actors):
    with uow() as u:
        internal = reporting.returns(u, actors["caseworker"], FROM, TO)
        public = reporting.programmes(u, actors["counter_trafficking"], FROM, TO, public=True)
    assert not internal.public and internal.to_json()["returns"]["by_sending_country"]["LI"] == 3
    assert public.public


def test_every_run_is_audited_and_a_reversed_period_refused(small_quarter, uow, actors):
    with uow() as u:
        reporting.bulletin(u, actors["programme_manager"], FROM, TO, public=True)
    with uow() as u:
        entry = u.session.scalars(select(AuditEntry).where(AuditEntry.entity == "reports")).one()
        action, entity_id, after = entry.action, entry.entity_id, entry.after
    assert action == "report"
    assert entity_id == "bulletin:2004-08-01:2004-10-31"
    assert after == {"report": "bulletin", "from": "2004-08-01", "to": "2004-10-31", "public": True}
    with uow() as u, pytest.raises(Invalid):
        reporting.returns(u, actors["administrator"], TO, FROM)


def test_api_returns_report(small_quarter, client, auth):
    answer = client.get(
        "/reports/returns", params={"from": "2004-08-01", "to": "2004-10-31"},
        headers=auth("programme_manager"),
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["returns"]["total"] == 43
    assert body["returns"]["by_sending_country"] == {"DE": 40, "LI": 3}
    assert body["secondary_transport"] == {"period": 40, "cumulative": 40}
    public = client.get(
        "/reports/returns", params={"from": "2004-08-01", "to": "2004-10-31"},
        headers=auth("reporting"),
    ).json()  # fmt: skip
    assert public["returns"]["by_sending_country"] == {"DE": None, "LI": None}
    assert public["returns"]["suppressed"] == {"by_sending_country": ["DE", "LI"]}
    refused = client.get(
        "/reports/returns", params={"from": "2004-08-01", "to": "2004-10-31", "public": "false"},
        headers=auth("reporting"),
    )  # fmt: skip
    assert refused.status_code == 403
    assert (
        client.get(
            "/reports/returns", params={"from": "2004-08-01", "to": "2004-10-31"}
        ).status_code
        == 401
    )
    reversed_period = client.get(
        "/reports/returns", params={"from": "2004-10-31", "to": "2004-08-01"},
        headers=auth("administrator"),
    )  # fmt: skip
    assert reversed_period.status_code == 422


def test_api_programmes_and_bulletin(small_quarter, client, auth):
    params = {"from": "2004-08-01", "to": "2004-10-31"}
    programmes = client.get("/reports/programmes", params=params, headers=auth("caseworker"))
    assert programmes.status_code == 200 and programmes.json()["public"] is False
    page = client.get("/reports/bulletin", params=params, headers=auth("reporting"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert (
        "During the last three months, 43 Kosovars returned through the AVR programme" in page.text
    )
