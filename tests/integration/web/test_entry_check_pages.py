"""The pages where persons come in ask the linkage model who is already known: the
screening results (per person on the list) and the form that creates a person (before
saving). Through the test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rrms.services.core import records
from rrms.services.records.persons import PERSONS
from rrms.services.returns.arrivals import RETURNS
from rrms.web.server import create_server
from support.pages import form_token, sign_in

HEADER = (
    "person_ref,family_ref,family_name,given_name,father_name,sex,birth_date,"
    "origin_municipality,return_type,sending_country\n"
)


@pytest.fixture
def agim(uow, actors) -> int:
    """Agim Xhaferi in the register, returned from Germany in March 2004."""
    with uow() as u:
        person = records.create_record(
            u,
            actors["caseworker"],
            PERSONS,
            {
                "person_ref": "R-1",
                "family_name": "Xhaferi",
                "given_name": "Agim",
                "father_name": "Bajram",
                "sex": "m",
                "birth_date": "1980-05-12",
                "origin_municipality": "Pejë",
            },
        )
        records.create_record(
            u,
            actors["caseworker"],
            RETURNS,
            {
                "movement_ref": "M-1",
                "person_id": person.id,
                "return_type": "forced",
                "sending_country": "DE",
                "transport_mode": "air",
                "arrival_date": dt.date(2004, 3, 9),
                "destination_municipality": "Pejë",
            },
        )
        return person.id


@pytest.fixture
def client(session_factory, actors, tmp_path, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "private"))
    with TestClient(create_server(session_factory)) as web:
        yield web


def test_the_screening_results_show_who_is_already_known(client: TestClient, agim: int) -> None:
    sign_in(client, "screening_officer")
    rows = (
        "CH-1,F1,Џафери,Агим,Бајрам,m,1980,Пећ,forced,CH\n"
        "CH-2,F2,Hoxha,Besnik,Ramadan,m,1969,Gjilan,forced,CH\n"
    )
    answer = client.post(
        "/screening",
        files={"file": ("swiss.csv", (HEADER + rows).encode())},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    page = client.get(str(answer.headers["location"]))
    assert page.status_code == 200
    known = page.text.split('id="known-CH-1"')[1].split("</tr>")[0]
    assert f'href="/persons/{agim}"' in known
    assert "already returned on 2004-03-09 from DE" in known
    assert "same after transliteration" in known
    assert 'id="known-CH-2"' not in page.text  # a stranger: nothing known


def test_creating_a_person_shows_likely_duplicates_first(client: TestClient, agim: int) -> None:
    sign_in(client, "caseworker")
    token = form_token(client.get("/persons/new").text)
    person = {
        "family_name": "Dschaferi",
        "given_name": "Agim",
        "father_name": "Bajram",
        "birth_date": "1980-05-12",
        "origin_municipality": "Peć",
        "csrf_token": token,
    }
    warned = client.post("/persons/new", data=person, follow_redirects=False)
    assert warned.status_code == 409
    warning = warned.text.split('id="duplicate-warning"')[1].split("</div>")[0]
    assert f'href="/persons/{agim}"' in warning
    assert "same after transliteration" in warning and "same date" in warning
    assert 'name="confirmed" value="yes"' in warned.text
    created = client.post(
        "/persons/new", data={**person, "confirmed": "yes"}, follow_redirects=False
    )
    assert created.status_code == 303


def test_a_stranger_is_created_without_a_warning(client: TestClient, agim: int) -> None:
    sign_in(client, "caseworker")
    token = form_token(client.get("/persons/new").text)
    created = client.post(
        "/persons/new",
        data={"family_name": "Hoxha", "given_name": "Besnik", "csrf_token": token},
        follow_redirects=False,
    )
    assert created.status_code == 303
