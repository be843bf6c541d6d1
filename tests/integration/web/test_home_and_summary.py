"""The home page's work queues and the printable case summary (issue 10): each queue
counts only what the role may read and links to the filtered list; the summary shows
what the role may read and is audited as a print."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rrms.services.core import records
from rrms.services.core.access import SYSTEM
from rrms.services.programmes.confidential import CONFIDENTIAL_CASES
from rrms.services.programmes.information_requests import INFORMATION_REQUESTS, TURNAROUND_ENV
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.documents import DOCUMENTS
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import AuditEntry, Programme, Return
from support.pages import form_token, page_client
from support.pdf import pdf_text


def _queue(html: str, label: str) -> tuple[int, str]:
    found = re.search(
        rf'<a href="([^"]+)"><span class="count">(\d+)</span> {re.escape(label)}</a>', html
    )
    assert found, f"no queue {label!r}"
    return int(found.group(2)), found.group(1).replace("&amp;", "&")


@pytest.fixture
def person(uow, actors):
    with uow() as u:
        seed_programmes(u)
        created = records.create_record(
            u,
            SYSTEM,
            PERSONS,
            {
                "family_name": "Gashi",
                "given_name": "Drita",
                "community": "albanian",
                "birth_date": "1970",
            },
        )
        u.session.add(
            Return(
                movement_ref="MV-HOME-1",
                person_id=created.id,
                return_type="voluntary",
                sending_country="GB",
                transport_mode="air",
                arrival_date=dt.date(2004, 6, 1),
                destination_municipality="17",
            )
        )
        records.create_record(
            u, SYSTEM, DOCUMENTS, {"person_id": created.id, "kind": "passport", "number": "P-778"}
        )
        u.commit()
        programme = u.session.query(Programme).filter_by(code="VARRP").one()
        return {"id": created.id, "programme": programme.id}


def test_the_manager_sees_assistance_to_approve_and_the_caseworker_their_recent_work(
    session_factory, person
):
    worker = page_client(session_factory, "caseworker")
    form = worker.get("/assistance/new")
    created = worker.post(
        "/assistance/new",
        data={
            "csrf_token": form_token(form.text),
            "person_id": str(person["id"]),
            "programme_id": str(person["programme"]),
            "kind": "toolkit",
            "amount": "200",
            "currency": "GBP",
        },
    )
    assistance_path = str(created.url)[str(created.url).index("/assistance") :]
    home = worker.get("/").text
    assert f'href="{assistance_path}"' in home, "the caseworker's recent record is not listed"
    manager_home = page_client(session_factory, "programme_manager").get("/").text
    count, link = _queue(manager_home, "Assistance awaiting your approval")
    assert (count, link) == (1, "/assistance?status=requested")
    listed = page_client(session_factory, "programme_manager").get(link).text
    assert 'id="total">1 record ' in listed
    reporting_home = page_client(session_factory, "reporting").get("/").text
    assert "Assistance awaiting" not in reporting_home


def test_overdue_information_requests_follow_the_configured_target(
    session_factory, uow, actors, monkeypatch
):
    with uow() as u:
        records.create_record(
            u,
            actors["caseworker"],
            INFORMATION_REQUESTS,
            {
                "requesting_mission": "Embassy of Germany",
                "topic": "housing",
                "question": "Is the house in Klinë habitable?",
                "received_on": dt.date.today() - dt.timedelta(days=20),
            },
        )
    worker = page_client(session_factory, "caseworker")
    assert _queue(worker.get("/").text, "Information requests overdue")[0] == 1
    assert _queue(worker.get("/").text, "Information requests open")[0] == 1
    monkeypatch.setenv(TURNAROUND_ENV, "30")
    home = worker.get("/").text
    assert _queue(home, "Information requests overdue")[0] == 0
    assert "more than 30 days" in home


def test_each_unit_counts_only_its_own_open_cases(session_factory, uow, actors):
    with uow() as u:
        records.create_record(
            u,
            actors["counter_trafficking"],
            CONFIDENTIAL_CASES,
            {"case_type": "victim_assistance", "opened_on": dt.date(2004, 9, 1)},
        )
    trafficking = page_client(session_factory, "counter_trafficking").get("/").text
    assert _queue(trafficking, "Open cases of your unit")[0] == 1
    medical = page_client(session_factory, "medical").get("/").text
    assert _queue(medical, "Open cases of your unit")[0] == 0
    administrator = page_client(session_factory, "administrator").get("/").text
    assert "Open cases of your unit" not in administrator


def test_the_case_summary_prints_what_the_role_may_read_and_is_audited(
    session_factory, uow, person
):
    worker = page_client(session_factory, "caseworker")
    page = worker.get(f"/persons/{person['id']}/summary")
    assert page.status_code == 200
    assert "Gashi Drita" in page.text and "P-778" in page.text
    assert "no-store" in page.headers["cache-control"]
    pdf = worker.get(f"/persons/{person['id']}/summary.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Gashi" not in pdf.headers["content-disposition"]
    text = pdf_text(pdf.content)
    assert "Gashi Drita" in text and "P-778" in text and "Passport" in text.title()
    officer = page_client(session_factory, "screening_officer")
    officer_view = officer.get(f"/persons/{person['id']}/summary").text
    assert "P-778" in officer_view, "screening officers read documents"
    assert "Assistance" not in officer_view.split("<main")[1], "officers may not read assistance"
    assert (
        page_client(session_factory, "reporting")
        .get(f"/persons/{person['id']}/summary")
        .status_code
        == 403
    )
    with uow() as u:
        prints = u.session.query(AuditEntry).filter_by(action="print", entity="persons").count()
    assert prints == 3
