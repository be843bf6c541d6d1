"""The desk (issue 10): records created, corrected and moved through their workflow in
pages, each service refusal beside its field, a conflict that can be re-applied, and
buttons only for the roles that may press them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rrms.services.core import records
from rrms.services.core.access import SYSTEM
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import Assistance, Programme, Return
from support.pages import form_token, page_client


@pytest.fixture
def varrp_case(uow, actors):
    """An Albanian returned from the United Kingdom: eligible for VARRP (cap 1,000 GBP)."""
    with uow() as u:
        seed_programmes(u)
        programme = u.session.query(Programme).filter_by(code="VARRP").one()
        person = records.create_record(
            u,
            SYSTEM,
            PERSONS,
            {"family_name": "Krasniqi", "given_name": "Arta", "community": "albanian"},
        )
        u.session.add(
            Return(
                movement_ref="MV-DESK-1",
                person_id=person.id,
                return_type="voluntary",
                sending_country="GB",
                transport_mode="air",
                arrival_date=dt.date(2004, 6, 1),
                destination_municipality="17",
            )
        )
        u.commit()
        return {"person": person.id, "programme": programme.id}


def _post(client, url, **data):
    page = client.get(url if not url.endswith("/status") else url.rsplit("/", 1)[0])
    return client.post(url, data={"csrf_token": form_token(page.text), **data})


def test_a_caseworker_sees_an_over_cap_refusal_beside_the_amount_and_corrects_it(
    session_factory, varrp_case
):
    worker = page_client(session_factory, "caseworker")
    form = worker.get(f"/assistance/new?person_id={varrp_case['person']}")
    assert form.status_code == 200
    assert f'value="{varrp_case["person"]}"' in form.text
    values = {
        "person_id": str(varrp_case["person"]),
        "programme_id": str(varrp_case["programme"]),
        "kind": "reintegration_grant",
        "currency": "GBP",
        "requested_on": "2004-10-01",
    }
    refused = _post(worker, "/assistance/new", amount="1200.00", **values)
    assert refused.status_code == 422
    beside = re.search(
        r'id="f-amount".*?<p class="field-error" id="e-amount"[^>]*>([^<]+)</p>', refused.text, re.S
    )
    assert beside, "the cap refusal is not beside the amount field"
    assert "1,000.00 GBP" in beside.group(1)
    assert 'value="1200.00"' in refused.text, "what was typed is lost"
    saved = _post(worker, "/assistance/new", amount="800.00", **values)
    assert saved.status_code == 200 and 'value="approved"' not in saved.text
    assert "800.00" in saved.text


def test_a_programme_manager_approves_and_records_payment(session_factory, uow, varrp_case):
    worker = page_client(session_factory, "caseworker")
    values = {
        "person_id": str(varrp_case["person"]),
        "programme_id": str(varrp_case["programme"]),
        "kind": "reintegration_grant",
        "currency": "GBP",
        "amount": "500",
        "requested_on": "2004-10-01",
    }
    created = _post(worker, "/assistance/new", **values)
    record = str(created.url)
    assert re.search(r"/assistance/\d+$", record)
    path = record[record.index("/assistance") :]
    manager = page_client(session_factory, "programme_manager")
    shown = manager.get(path)
    assert 'value="approved"' in shown.text and 'value="refused"' in shown.text
    approved = manager.post(
        f"{path}/status",
        data={"csrf_token": form_token(shown.text), "to": "approved", "version": "1"},
    )
    assert approved.status_code == 200 and "Record payment" in approved.text
    stale = manager.post(
        f"{path}/status",
        data={"csrf_token": form_token(shown.text), "to": "paid", "version": "1"},
    )
    assert stale.status_code == 409 and "Someone changed this record" in stale.text
    with uow() as u:
        assert u.session.query(Assistance).one().status == "approved"


def test_refusing_asks_for_the_reason_beside_its_field(session_factory, varrp_case):
    worker = page_client(session_factory, "caseworker")
    created = _post(
        worker,
        "/assistance/new",
        person_id=str(varrp_case["person"]),
        programme_id=str(varrp_case["programme"]),
        kind="toolkit",
        currency="GBP",
        amount="100",
    )
    path = str(created.url)[str(created.url).index("/assistance") :]
    token = form_token(created.text)
    blank = worker.post(
        f"{path}/status", data={"csrf_token": token, "to": "refused", "version": "1"}
    )
    assert blank.status_code == 422
    assert re.search(r'id="e-refusal_reason"[^>]*>[^<]*say why', blank.text)
    done = worker.post(
        f"{path}/status",
        data={"csrf_token": token, "to": "refused", "version": "1", "refusal_reason": "withdrawn"},
    )
    assert done.status_code == 200 and "withdrawn" in done.text


def test_two_tabs_editing_one_record_resolve_the_conflict(session_factory, varrp_case):
    worker = page_client(session_factory, "caseworker")
    created = _post(
        worker,
        "/assistance/new",
        person_id=str(varrp_case["person"]),
        programme_id=str(varrp_case["programme"]),
        kind="toolkit",
        currency="GBP",
        amount="100",
    )
    path = str(created.url)[str(created.url).index("/assistance") :]
    first = worker.get(f"{path}/edit").text
    second = worker.get(f"{path}/edit").text
    base = {"kind": "toolkit", "currency": "GBP", "requested_on": dt.date.today().isoformat()}
    saved = worker.post(
        f"{path}/edit",
        data={"csrf_token": form_token(first), "version": "1", "amount": "150", **base},
    )
    assert saved.status_code == 200
    clash = worker.post(
        f"{path}/edit",
        data={"csrf_token": form_token(second), "version": "1", "amount": "175", **base},
    )
    assert clash.status_code == 409 and 'id="conflict"' in clash.text
    assert "150.00" in clash.text and 'value="175"' in clash.text
    assert 'name="version" value="2"' in clash.text
    again = worker.post(
        f"{path}/edit",
        data={"csrf_token": form_token(clash.text), "version": "2", "amount": "175", **base},
    )
    assert again.status_code == 200 and "175.00" in again.text


def test_a_typing_error_is_shown_beside_the_field_not_as_a_dead_end(session_factory, varrp_case):
    worker = page_client(session_factory, "caseworker")
    bad = _post(
        worker,
        "/assistance/new",
        person_id=str(varrp_case["person"]),
        programme_id=str(varrp_case["programme"]),
        kind="toolkit",
        currency="GBP",
        amount="lots",
        requested_on="2004-13-40",
    )
    assert bad.status_code == 422
    assert 'id="e-amount"' in bad.text and 'id="e-requested_on"' in bad.text
    assert 'value="lots"' in bad.text


def test_lists_filter_sort_and_page_with_the_total(session_factory, uow, varrp_case):
    worker = page_client(session_factory, "caseworker")
    for amount in ("100", "300", "200"):
        _post(
            worker,
            "/assistance/new",
            person_id=str(varrp_case["person"]),
            programme_id=str(varrp_case["programme"]),
            kind="toolkit",
            currency="GBP",
            amount=amount,
        )
    listed = worker.get("/assistance?sort=-amount&limit=25")
    assert listed.status_code == 200 and "3 records" in listed.text
    amounts = re.findall(r"<td>(\d+\.\d\d)</td>", listed.text)
    assert amounts == ["300.00", "200.00", "100.00"]
    paged = worker.get("/assistance?sort=amount&limit=25&offset=2")
    assert re.findall(r"<td>(\d+\.\d\d)</td>", paged.text) == ["300.00"]
    assert 'rel="prev"' in paged.text
    none = worker.get("/assistance?status=paid")
    assert "0 records" in none.text
    wrong = worker.get("/assistance?status=nonsense")
    assert wrong.status_code == 422 and "field-error" in wrong.text


def test_confidential_cases_stay_in_their_unit(session_factory, actors):
    trafficking = page_client(session_factory, "counter_trafficking")
    form = trafficking.get("/confidential-cases/new")
    assert "victim_assistance" in form.text and "medical_escort" not in form.text
    opened = _post(
        trafficking,
        "/confidential-cases/new",
        case_type="victim_assistance",
        opened_on="2004-09-01",
        summary="night lodging in Gjilan",
    )
    assert opened.status_code == 200
    path = str(opened.url)[str(opened.url).index("/confidential-cases") :]
    medical = page_client(session_factory, "medical")
    assert medical.get(path).status_code == 404
    listed = medical.get("/confidential-cases").text
    assert "0 records" in listed and "victim_assistance" not in listed
    assert page_client(session_factory, "caseworker").get(path).status_code == 403
    closed = trafficking.post(
        f"{path}/status",
        data={
            "csrf_token": form_token(opened.text),
            "to": "closed",
            "version": "1",
            "closed_on": "2004-10-01",
        },
    )
    assert closed.status_code == 200 and "Reopen" in closed.text
