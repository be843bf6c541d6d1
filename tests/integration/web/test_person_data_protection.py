"""The person's page: subject access downloads for administrators, and correction
requests taken down and closed by caseworkers."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from rrms.services.core import records
from rrms.services.records.persons import PERSONS
from rrms.web.server import create_server
from support.pages import sign_in


def _sign_in(client: TestClient, role: str) -> None:
    sign_in(client, role)  # the form, with its forgery token sent with every later post


def _person(uow, actors) -> int:
    with uow() as u:
        person = records.create_record(
            u, actors["caseworker"], PERSONS, {"family_name": "Gashi", "given_name": "Drita"}
        )
    return int(person.id)


def test_an_administrator_downloads_the_subject_access(session_factory, uow, actors):
    person_id = _person(uow, actors)
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "administrator")
        page = client.get(f"/persons/{person_id}").text
        assert f'href="/persons/{person_id}/subject-access?form=pdf"' in page
        pdf = client.get(f"/persons/{person_id}/subject-access?form=pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf.headers["content-type"] == "application/pdf"
        assert f"subject-access-{person_id}.pdf" in pdf.headers["content-disposition"]
        assert pdf.headers["cache-control"] == "no-store"
        document = client.get(f"/persons/{person_id}/subject-access?form=json").json()
        assert document["person"]["family_name"] == "Gashi"
        assert any(line["action"] == "subject_access" for line in document["log"])
        assert "Gashi" not in json.dumps(document["log"])


def test_a_caseworker_gets_no_subject_access(session_factory, uow, actors):
    person_id = _person(uow, actors)
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "caseworker")
        assert "subject-access" not in client.get(f"/persons/{person_id}").text
        refused = client.get(f"/persons/{person_id}/subject-access?form=json")
        assert refused.status_code == 403


def test_a_correction_request_is_taken_down_and_closed_on_the_page(session_factory, uow, actors):
    person_id = _person(uow, actors)
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "caseworker")
        taken = client.post(
            f"/persons/{person_id}/corrections",
            data={"what": "Her name is Dritë", "requested_on": "2004-10-01"},
            follow_redirects=False,
        )
        assert taken.status_code == 303, taken.text
        page = client.get(f"/persons/{person_id}").text
        assert "Her name is Dritë" in page and "caseworker_user" in page
        blank = client.post(f"/persons/{person_id}/corrections", data={"what": "  "})
        assert blank.status_code == 422 and "what" in blank.text.lower()
        unreasoned = client.post(
            f"/persons/{person_id}/corrections/1", data={"version": "1", "status": "refused"}
        )
        assert unreasoned.status_code == 422 and "reason" in unreasoned.text
        closed = client.post(
            f"/persons/{person_id}/corrections/1",
            data={"version": "1", "status": "corrected"},
            follow_redirects=False,
        )
        assert closed.status_code == 303
        page = client.get(f"/persons/{person_id}").text
        assert "Close the request" not in page
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "programme_manager")
        page = client.get(f"/persons/{person_id}").text
        assert "Her name is Dritë" in page and 'action="/persons' not in page
