"""The desk's record pages for persons, families, arrivals, information requests,
programmes and users (issue 10): choices for every code, each refusal beside its field,
one list of arrivals, and overdue requests flagged wherever they are shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rrms.services.core import records
from rrms.services.core.access import SYSTEM
from rrms.services.programmes.information_requests import (
    DEFAULT_TURNAROUND_DAYS,
    TURNAROUND_ENV,
    turnaround_target,
)
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import AuditEntry, FamilyMember, InformationRequest, Programme, Return
from support.pages import form_token, page_client


def _post(client, url, page_url=None, **data):
    page = client.get(page_url or url)
    return client.post(url, data={"csrf_token": form_token(page.text), **data})


def _beside(html: str, name: str) -> str:
    """The error shown beside field `name`, or ''."""
    found = re.search(rf'<p class="field-error" id="e-{name}"[^>]*>([^<]+)</p>', html)
    return found.group(1) if found else ""


@pytest.fixture
def person(uow, actors):
    with uow() as u:
        seed_programmes(u)
        row = records.create_record(
            u, SYSTEM, PERSONS, {"family_name": "Gashi", "given_name": "Blerta", "sex": "f"}
        )
        return row.id


def test_the_new_person_form_offers_choices_and_puts_errors_beside_fields(session_factory, actors):
    worker = page_client(session_factory, "caseworker")
    form = worker.get("/persons/new").text
    sex = re.search(r'<select id="f-sex" name="sex".*?</select>', form, re.S)
    assert sex and '<option value="f" >female</option>' in sex.group(0).replace("  ", " ")
    community = re.search(r'<select id="f-community".*?</select>', form, re.S)
    assert community and ">Ashkali</option>" in community.group(0)
    assert 'list="municipalities"' in form
    bad = _post(
        worker,
        "/persons/new",
        "/persons/new",
        family_name="Hoxha",
        given_name="Ilir",
        birth_date="1975-13",
        sex="m",
        community="ashkali",
        origin_municipality="Pec",
    )
    assert bad.status_code == 422
    assert "month" in _beside(bad.text, "birth_date").lower()
    assert re.search(r'<option value="ashkali"\s+selected', bad.text), "the choice is lost"
    assert 'value="Pec"' in bad.text
    made = _post(
        worker,
        "/persons/new",
        "/persons/new",
        family_name="Hoxha",
        given_name="Ilir",
        birth_date="1975-03",
        sex="m",
        community="ashkali",
        origin_municipality="Pec",
    )
    assert made.status_code == 200 and "<h1>Hoxha Ilir</h1>" in made.text
    assert "<dd>male</dd>" in made.text and "<dd>Ashkali</dd>" in made.text
    assert "Pejë/Peć" in made.text


def test_albanian_readers_see_the_choices_in_albanian(session_factory, actors):
    worker = page_client(session_factory, "caseworker")
    worker.cookies.set("rrms_language", "sq")
    form = worker.get("/persons/new").text
    assert ">femër</option>" in form and ">ashkali</option>" in form.lower()


def test_the_person_page_links_to_edit_and_to_record_for_the_person(session_factory, uow, person):
    worker = page_client(session_factory, "caseworker")
    page = worker.get(f"/persons/{person}").text
    assert f'href="/persons/{person}/edit"' in page
    assert f'href="/documents/new?person_id={person}"' in page
    assert f'href="/assistance/new?person_id={person}"' in page
    assert "/projects/new" not in page, "a caseworker may not record projects"
    manager = page_client(session_factory, "programme_manager").get(f"/persons/{person}").text
    assert f'href="/projects/new?person_id={person}&amp;scope=individual"' in manager
    assert f"/persons/{person}/edit" not in manager
    edited = _post(
        worker,
        f"/persons/{person}/edit",
        family_name="Gashi",
        given_name="Blerta",
        sex="f",
        community="roma",
        version="1",
    )
    assert edited.status_code == 200 and "<dd>Roma</dd>" in edited.text
    document = _post(
        worker,
        "/documents/new",
        f"/documents/new?person_id={person}",
        person_id=str(person),
        kind="passport",
        number="P-00123",
        issued_on="2003-01-10",
        expires_on="2002-01-10",
    )
    assert document.status_code == 422 and _beside(document.text, "expires_on")
    saved = _post(
        worker,
        "/documents/new",
        f"/documents/new?person_id={person}",
        person_id=str(person),
        kind="passport",
        number="P-00123",
        issued_on="2003-01-10",
    )
    assert saved.url.path == f"/persons/{person}"
    assert re.search(r'<a href="/documents/\d+">passport</a></td><td>P-00123', saved.text)


def test_families_are_made_and_filled_from_the_person_page_and_the_family_page(
    session_factory, uow, person
):
    worker = page_client(session_factory, "caseworker")
    unknown = _post(
        worker,
        f"/persons/{person}/families",
        f"/persons/{person}",
        family_ref="F-NONE",
        relationship="head",
        action="add",
    )
    assert unknown.status_code == 422 and "no family has this reference" in _beside(
        unknown.text, "family_ref"
    )
    no_relation = _post(
        worker,
        f"/persons/{person}/families",
        f"/persons/{person}",
        family_ref="F-77",
        action="new",
    )
    assert no_relation.status_code == 422 and _beside(no_relation.text, "relationship")
    made = _post(
        worker,
        f"/persons/{person}/families",
        f"/persons/{person}",
        family_ref="F-77",
        relationship="head",
        notes="from Pejë",
        action="new",
    )
    assert made.status_code == 200 and "head of family" in made.text
    family = re.search(r'<a href="/families/(\d+)">F-77</a>', made.text)
    assert family, "the person page does not link to the family"
    path = f"/families/{family.group(1)}"
    taken = _post(worker, "/families/new", family_ref="F-77")
    assert taken.status_code == 409 and "already used" in _beside(taken.text, "family_ref")
    with uow() as u:
        child = records.create_record(
            u, SYSTEM, PERSONS, {"family_name": "Gashi", "given_name": "Arben"}
        ).id
    nobody = _post(worker, f"{path}/members", path, person_id="999999", relationship="child")
    assert nobody.status_code == 422 and "no person" in _beside(nobody.text, "person_id")
    added = _post(worker, f"{path}/members", path, person_id=str(child), relationship="child")
    assert added.status_code == 200 and added.url.path == path
    assert re.search(rf'href="/persons/{child}">Gashi Arben</a></td>\s*<td>child</td>', added.text)
    removed = _post(worker, f"{path}/members/{child}/remove", path, back=str(person))
    assert removed.url.path == f"/persons/{person}" and "Gashi Arben" not in removed.text
    with uow() as u:
        assert u.session.query(FamilyMember).filter_by(person_id=child).count() == 0
        gone = u.session.query(AuditEntry).filter_by(action="delete", entity="family_members")
        assert [e.before for e in gone] == [{"relationship": "child"}]
    officer = page_client(session_factory, "screening_officer")
    assert "add-member" not in officer.get(path).text
    assert officer.post(f"{path}/members/{person}/remove").status_code == 403


@pytest.fixture
def arrivals(uow, person):
    with uow() as u:
        varrp = u.session.query(Programme).filter_by(code="VARRP").one().id
        for ref, country, place, day, programme in (
            ("MV-1", "GB", "17", 3, varrp),
            ("MV-2", "DE", "17", 9, None),
            ("MV-3", "GB", "20", 20, varrp),
        ):
            u.session.add(
                Return(
                    movement_ref=ref,
                    person_id=person,
                    return_type="voluntary",
                    sending_country=country,
                    transport_mode="air",
                    arrival_date=dt.date(2004, 6, day),
                    destination_municipality=place,
                    programme_id=programme,
                )
            )
        u.commit()
        return varrp


def _refs(html: str) -> list[str]:
    return re.findall(r"<td>(MV-\d)</td>", html)


def test_one_list_of_arrivals_with_the_filters_people_need(session_factory, arrivals):
    worker = page_client(session_factory, "caseworker")
    moved = worker.get("/returns?return_type=voluntary", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == "/arrivals?return_type=voluntary"
    listed = worker.get("/arrivals")
    assert _refs(listed.text) == ["MV-3", "MV-2", "MV-1"]
    assert 'href="/returns/import"' in listed.text
    assert "VARRP" in listed.text, "the programme column names the programme"
    assert _refs(worker.get("/arrivals?destination_municipality=Пећ").text) == ["MV-2", "MV-1"]
    assert _refs(worker.get("/arrivals?sending_country=United Kingdom").text) == ["MV-3", "MV-1"]
    assert _refs(worker.get(f"/arrivals?programme_id={arrivals}&to=2004-06-10").text) == ["MV-1"]
    assert _refs(worker.get("/arrivals?from=2004-06-05&to=2004-06-10").text) == ["MV-2"]
    wrong = worker.get("/arrivals?sending_country=Atlantis")
    assert wrong.status_code == 422 and "not a country" in wrong.text
    header = listed.text.split("<main")[0]
    assert 'href="/arrivals"' in header and 'href="/returns"' not in header
    manager = page_client(session_factory, "programme_manager").get("/arrivals").text
    assert "/returns/import" not in manager, "only those who may import see the link"


def test_the_import_page_and_an_empty_file_beside_its_field(session_factory, actors):
    worker = page_client(session_factory, "caseworker")
    form = worker.get("/returns/import")
    assert form.status_code == 200 and 'type="file"' in form.text
    empty = worker.post(
        "/returns/import",
        data={"csrf_token": form_token(form.text)},
        files={"file": ("register.csv", b"", "text/csv")},
    )
    assert empty.status_code == 422 and _beside(empty.text, "file") == "the uploaded file is empty"
    assert (
        page_client(session_factory, "programme_manager").get("/returns/import").status_code == 403
    )


def test_one_arrival_is_corrected_from_the_person_page(session_factory, uow, arrivals, person):
    worker = page_client(session_factory, "caseworker")
    page = worker.get(f"/persons/{person}").text
    links = re.findall(r'href="/arrivals/(\d+)"', page)
    assert len(links) == 3
    form = worker.get(f"/arrivals/{links[0]}/edit").text
    assert '<select id="f-sending_country"' in form and re.search(
        r'id="f-programme_id"[^>]*>', form
    )
    saved = worker.post(
        f"/arrivals/{links[0]}/edit",
        data={
            "csrf_token": form_token(form),
            "version": "1",
            "return_type": "voluntary",
            "sending_country": "Deutschland",
            "transport_mode": "land",
            "arrival_date": "2004-06-03",
            "destination_municipality": "Peja",
        },
    )
    assert saved.status_code == 200
    with uow() as u:
        row = u.session.get(Return, int(links[0]))
        assert (row.sending_country, row.transport_mode) == ("DE", "land")


@pytest.fixture
def requests_(uow, actors):
    today = dt.date.today()
    with uow() as u:
        for mission, days in (("IOM Bern", 30), ("Canton of Vaud", 3)):
            u.session.add(
                InformationRequest(
                    requesting_mission=mission,
                    topic="medical_care",
                    question="Is dialysis available in Prizren?",
                    received_on=today - dt.timedelta(days=days),
                    status="open",
                )
            )
        u.commit()
        return {r.requesting_mission: r.id for r in u.session.query(InformationRequest)}


def test_overdue_requests_are_flagged_and_listed_and_answered_end_to_end(
    session_factory, requests_, monkeypatch
):
    worker = page_client(session_factory, "caseworker")
    listed = worker.get("/information-requests").text
    flagged = re.findall(
        r'<a href="/information-requests/(\d+)">\d+</a> <span class="flag">', listed
    )
    assert flagged == [str(requests_["IOM Bern"])]
    assert "medical care" in listed, "the topic is shown as a word"
    overdue = worker.get("/information-requests?overdue=yes").text
    assert (
        'id="total">1 record ' in overdue
        and "IOM Bern" in overdue
        and "Canton of Vaud" not in overdue
    )
    monkeypatch.setenv(TURNAROUND_ENV, "2")
    assert "2 records" in worker.get("/information-requests?overdue=yes").text
    monkeypatch.delenv(TURNAROUND_ENV)
    path = f"/information-requests/{requests_['IOM Bern']}"
    shown = worker.get(path).text
    assert re.search(r"<h1>[^<]*<span class=\"flag\">overdue</span>", shown)
    blank = _post(worker, f"{path}/status", path, to="answered", version="1")
    assert blank.status_code == 422 and "answer" in _beside(blank.text, "answer")
    answered = _post(
        worker,
        f"{path}/status",
        path,
        to="answered",
        version="1",
        answer="Yes, at the regional hospital.",
    )
    assert answered.status_code == 200 and 'class="flag"' not in answered.text
    assert 'value="closed"' in answered.text
    closed = _post(worker, f"{path}/status", path, to="closed", version="2")
    assert closed.status_code == 200 and '<dd id="v-status">closed' in closed.text.replace("\n", "")
    assert 'name="to"' not in closed.text, "a closed request has no buttons"


def test_the_turnaround_target_is_configured_by_an_environment_variable(monkeypatch):
    monkeypatch.delenv(TURNAROUND_ENV, raising=False)
    assert turnaround_target() == DEFAULT_TURNAROUND_DAYS == 14
    monkeypatch.setenv(TURNAROUND_ENV, "21")
    assert turnaround_target() == 21
    monkeypatch.setenv(TURNAROUND_ENV, "two weeks")
    with pytest.raises(ValueError, match="RRMS_RIF_TURNAROUND_DAYS.*'two weeks'"):
        turnaround_target()


def test_the_programme_page_records_and_lists_under_the_programme(session_factory, person):
    manager = page_client(session_factory, "programme_manager")
    programmes = manager.get("/programmes").text
    varrp = re.search(r'href="/programmes/(\d+)"[^>]*>[^<]*Voluntary Assisted', programmes)
    assert varrp
    pid = varrp.group(1)
    page = manager.get(f"/programmes/{pid}").text
    for path in ("/projects", "/housing", "/trainings"):
        assert f'href="{path}/new?programme_id={pid}"' in page
    form = manager.get(f"/trainings/new?programme_id={pid}").text
    assert re.search(rf'<option value="{pid}" selected>VARRP — ', form)
    saved = _post(
        manager,
        "/trainings/new",
        f"/trainings/new?programme_id={pid}",
        topic="Bookkeeping for small shops",
        audience="returnees",
        participants="12",
        hours="6",
        held_on="2004-10-02",
        programme_id=pid,
    )
    assert saved.status_code == 200
    page = manager.get(f"/programmes/{pid}").text
    listed = re.search(r'<a href="/trainings/(\d+)">2004-10-02: Bookkeeping', page)
    assert listed and f'href="/trainings?programme_id={pid}"' in page
    worker = page_client(session_factory, "caseworker").get(f"/programmes/{pid}").text
    assert "/projects/new" not in worker and "/trainings/new" not in worker
    assert f"/trainings?programme_id={pid}" in worker, "a reader sees the list"


def test_the_users_page_shows_each_refusal_beside_its_field(session_factory, actors):
    admin = page_client(session_factory, "administrator")
    page = admin.get("/users").text
    token = form_token(page)
    weak = admin.post(
        "/users/new",
        data={"username": "drita", "password": "short", "role": "caseworker", "csrf_token": token},
    )
    assert weak.status_code == 422 and "12 characters" in _beside(weak.text, "password")
    assert 'value="drita"' in weak.text
    taken = admin.post(
        "/users/new",
        data={
            "username": "caseworker_user",
            "password": "a quiet river at dusk",
            "role": "caseworker",
            "csrf_token": token,
        },
    )
    assert taken.status_code == 409 and "taken" in _beside(taken.text, "username")
    own = re.search(r"<td>administrator_user</td>.*?/users/(\d+)/change", page, re.S)
    assert own
    selfish = admin.post(
        f"/users/{own.group(1)}/change", data={"active": "false", "csrf_token": token}
    )
    assert selfish.status_code == 409
    assert "cannot deactivate" in _beside(selfish.text, f"user-{own.group(1)}")
