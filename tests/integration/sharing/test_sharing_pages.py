"""The consents on a person's page (record, withdraw) and the sharing page's download."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select

from rrms.services.core import records
from rrms.services.records.persons import PERSONS
from rrms.services.records.sharing import KEY_ENV
from rrms.storage.tables import AuditEntry, Consent, Person, SharingLogEntry
from rrms.web.server import create_server
from support.pages import sign_in


def _sign_in(client: TestClient, role: str) -> None:
    sign_in(client, role)  # the form and its forgery token, sent with every later post


def test_record_and_withdraw_a_consent_on_the_person_page(session_factory, uow, actors):
    with uow() as u:
        person = records.create_record(
            u, actors["caseworker"], PERSONS, {"family_name": "Berisha", "given_name": "Vjosa"}
        )
    url = f"/persons/{person.id}"
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "caseworker")
        page = client.get(url).text
        assert 'id="consent-form"' in page and "No consent recorded." in page
        answer = client.post(
            f"{url}/consents",
            data={
                "purpose": "research",
                "scope": ["demographics", "returns"],
                "recipients": "University of Prishtina, IOM",
                "given_on": "2004-03-01",
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        page = client.get(url).text
        assert "University of Prishtina, IOM" in page and "Record withdrawal" in page
        bad = client.post(
            f"{url}/consents",
            data={"purpose": "research", "recipients": "IOM", "given_on": "2004-03-01"},
        )
        assert bad.status_code == 422 and "scope" in bad.text
        with uow() as u:
            consent = u.session.scalars(select(Consent)).one()
            cid, version = consent.id, consent.version
        answer = client.post(
            f"{url}/consents/{cid}/withdraw",
            data={"version": str(version), "withdrawn_on": "2004-04-01"},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        assert "2004-04-01 (caseworker_user)" in client.get(url).text
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "screening_officer")
        page = client.get(url).text
        assert "consent-form" not in page and "Consents" not in page
    with uow() as u:
        reads = u.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "persons", AuditEntry.action == "read")
        ).all()
        assert any(entry.after["page"].get("consents") == [cid] for entry in reads)


def test_the_sharing_page_downloads_and_refuses(session_factory, uow, actors, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "k" * 40)
    with uow() as u:
        for number in range(5):
            person = Person(
                family_name=f"F{number}",
                given_name=f"G{number}",
                search_key=f"f{number} g{number}",
                sex="F",
                birth_year=1970,
                birth_date="1970",
                origin_municipality="07",
                version=1,
            )
            u.session.add(person)
            u.session.flush()
            u.session.add(
                Consent(
                    person_id=person.id,
                    purpose="research",
                    scope=["demographics"],
                    recipients=["UNHCR"],
                    given_on=dt.date(2004, 1, 1),
                    version=1,
                )
            )
        u.commit()
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "caseworker")
        assert 'href="/sharing"' not in client.get("/").text
        assert client.get("/sharing").status_code == 403
    with TestClient(create_server(session_factory)) as client:
        _sign_in(client, "programme_manager")
        assert 'href="/sharing"' in client.get("/").text
        refused = client.post(
            "/sharing/export", data={"purpose": "reporting", "recipient": "UNHCR"}
        )
        assert refused.status_code == 422 and "reporting" in refused.text
        answer = client.post(
            "/sharing/export", data={"purpose": "research", "recipient": "UNHCR", "format": "csv"}
        )
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-disposition"].startswith("attachment;")
        assert len(answer.text.splitlines()) == 2 + 5
        assert "F0" not in answer.text
        page = client.get("/sharing").text
        assert "UNHCR" in page
    with uow() as u:
        assert u.session.scalars(select(SharingLogEntry)).one().records == 5
