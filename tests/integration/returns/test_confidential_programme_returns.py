"""No arrival is recorded under a confidential unit's programme (issue 13, finding 3).

`POST /api/returns` once accepted an arrival under a counter-trafficking programme: every
role that reads returns then listed that person under that programme, and internal
reports counted it. The API, the pages' import and the register import now refuse it
with one rule (`rrms.domain.confidential_programmes.returns_refusal`), naming the field
or the row, column and value; the unit records the return in its confidential case.
"""

from __future__ import annotations

import csv
import io
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rrms.formats.errors import InputFileError
from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.records.persons import PERSONS
from rrms.services.returns.arrivals import RETURNS
from rrms.services.returns.register_import import RETURN_COLUMNS, import_returns
from rrms.storage.tables import Programme, Return
from rrms.web.server import create_server
from support.api import field_of
from support.pages import sign_in

WORKER = Actor(user_id=None, username="caseworker_user", role="caseworker")
REFUSED = "recorded in the unit's confidential case instead"


@pytest.fixture
def programmes(uow) -> dict[str, int]:
    with uow() as u:
        rows = [
            Programme(code="AVR", name="Assisted Voluntary Returns"),
            Programme(
                code="CT", name="Counter-trafficking", confidential_unit="counter_trafficking"
            ),
            Programme(code="MH", name="Mental health", confidential_unit="medical"),
        ]
        u.session.add_all(rows)
        u.commit()
        return {row.code: row.id for row in rows}


def _person(uow) -> int:
    with uow() as u:
        person = records.create_record(
            u, WORKER, PERSONS, {"family_name": "Krasniqi", "given_name": "Arben"}
        )
    return int(person.id)


def _arrival(person_id: int, programme_id: int | None, ref: str = "MOV-1") -> dict[str, object]:
    return {
        "movement_ref": ref,
        "person_id": person_id,
        "programme_id": programme_id,
        "return_type": "voluntary",
        "sending_country": "DE",
        "transport_mode": "air",
        "arrival_date": "2004-08-03",
        "destination_municipality": "Peja",
    }


def _count(uow) -> int:
    with uow() as u:
        return int(u.session.scalar(select(func.count()).select_from(Return)) or 0)


@pytest.mark.parametrize("code", ["CT", "MH"])
def test_the_service_refuses_a_new_or_changed_arrival_under_a_confidential_programme(
    uow, programmes, code
):
    person = _person(uow)
    with uow() as u, pytest.raises(Invalid) as caught:
        records.create_record(u, WORKER, RETURNS, _arrival(person, programmes[code]))
    assert caught.value.field == "programme_id"
    assert REFUSED in caught.value.message and code in caught.value.message
    with uow() as u:
        row = records.create_record(u, WORKER, RETURNS, _arrival(person, programmes["AVR"]))
    with uow() as u, pytest.raises(Invalid) as caught:
        records.update_record(u, WORKER, RETURNS, row.id, 1, {"programme_id": programmes[code]})
    assert caught.value.field == "programme_id" and REFUSED in caught.value.message
    assert _count(uow) == 1


def test_the_api_answers_422_naming_the_field(client, auth, uow, programmes):
    person = _person(uow)
    answer = client.post(
        "/returns", json=_arrival(person, programmes["CT"]), headers=auth("caseworker")
    )
    assert answer.status_code == 422, answer.text
    assert field_of(answer) == "programme_id"
    assert REFUSED in str(answer.json()["detail"])
    created = client.post(
        "/returns", json=_arrival(person, programmes["AVR"]), headers=auth("caseworker")
    )
    assert created.status_code == 201, created.text
    moved = client.patch(
        f"/returns/{created.json()['id']}",
        json={"version": 1, "programme_id": programmes["MH"]},
        headers=auth("administrator"),
    )
    assert (moved.status_code, field_of(moved)) == (422, "programme_id")
    assert _count(uow) == 1


def _register(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(RETURN_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _row(number: int, programme: str) -> dict[str, str]:
    return {
        "movement_ref": f"MOV-{number}",
        "person_ref": f"KS-{number}",
        "family_name": "Krasniqi",
        "given_name": f"Arben{number}",
        "return_type": "voluntary",
        "programme": programme,
        "sending_country": "Deutschland",
        "transport_mode": "plane",
        "arrival_date": "2004-08-03",
        "destination_municipality": "Pejë/Peć",
    }


FILE = [_row(1, "AVR"), _row(2, "ct"), _row(3, "MH")]


def test_the_register_import_refuses_the_row_naming_row_column_and_value(uow, programmes, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(_register(FILE))
    with pytest.raises(InputFileError) as caught:
        import_returns(uow, WORKER, path)
    found = {(e.row, e.column, e.value): e.message for e in caught.value.errors}
    assert set(found) == {(3, "programme", "ct"), (4, "programme", "MH")}
    assert all(REFUSED in message for message in found.values())
    assert _count(uow) == 0


def test_the_api_import_answers_422_locating_the_row(client, auth, uow, programmes):
    answer = client.post(
        "/returns/import",
        files={"file": ("register.csv", _register(FILE), "text/csv")},
        headers=auth("caseworker"),
    )
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [
        (3, "programme", "ct"),
        (4, "programme", "MH"),
    ]
    assert REFUSED in errors[0]["message"]
    assert _count(uow) == 0


def test_the_import_page_shows_the_error(
    session_factory, actors, uow, programmes, tmp_path, monkeypatch
):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path))
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "caseworker")
        started = client.post(
            "/returns/import",
            files={"file": ("register.csv", _register(FILE), "text/csv")},
            follow_redirects=False,
        )
        assert started.status_code == 303, started.text
        for _ in range(200):
            page = client.get(started.headers["location"])
            if "nothing was imported" in page.text:
                break
            time.sleep(0.05)
        assert page.status_code == 200
        assert "nothing was imported" in page.text
        assert REFUSED.replace("'", "&#39;") in page.text
    assert _count(uow) == 0
