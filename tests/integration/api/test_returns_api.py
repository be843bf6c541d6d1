"""The returns API: register import (summary or 422), CRUD, filters, pagination, conflicts."""

import csv
import io

import pytest

from rrms.storage.tables import Programme
from support.api import field_of, message_of

COLUMNS = (
    "movement_ref,person_ref,family_name,given_name,return_type,programme,sending_country,"
    "transport_mode,departure_date,arrival_date,destination_municipality,secondary_transport"
)


def register(rows: list[tuple[str, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS.split(","))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def arrival(n: int, country: str = "DE", mode: str = "air", place: str = "Prishtinë") -> tuple:
    return (f"M{n}", f"P{n}", "Krasniqi", f"Arben{n}", "voluntary", "AVR", country, mode,
            "", f"2004-08-{n:02d}", place, "yes" if n % 2 else "no")  # fmt: skip


@pytest.fixture
def imported(client, auth, uow):
    with uow() as u:
        u.session.add(Programme(code="AVR", name="Assisted Voluntary Returns"))
        u.commit()
    rows = [arrival(n) for n in range(1, 7)] + [
        arrival(n, "Schweiz", "bus", "Peja") for n in (7, 8)
    ]
    answer = client.post(
        "/returns/import",
        files={"file": ("register.csv", register(rows), "text/csv")},
        headers=auth("caseworker"),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_import_answers_the_summary_and_is_idempotent(client, auth, imported):
    assert (imported["file"], imported["rows"], imported["created"]) == ("register.csv", 8, 8)
    assert imported["persons_created"] == 8
    again = client.post(
        "/returns/import",
        files={"file": ("register.csv", register([arrival(n) for n in range(1, 7)]), "text/csv")},
        headers=auth("administrator"),
    )
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 6)
    assert client.get("/returns", headers=auth("caseworker")).json()["total"] == 8


def test_import_with_errors_is_422_listing_them_and_changes_nothing(client, auth, imported):
    bad = [arrival(9, place="Pejja"), arrival(10, mode="boat"), arrival(1)]
    answer = client.post(
        "/returns/import",
        files={"file": ("bad.csv", register(bad), "text/csv")},
        headers=auth("caseworker"),
    )
    assert answer.status_code == 422
    body = answer.json()
    assert "nothing was imported" in message_of(answer)
    assert body["detail"][0]["loc"] == ["body", "file"]
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (2, "destination_municipality"),
        (3, "transport_mode"),
    ]
    assert body["errors"][0]["suggestions"][0] == "Pejë/Peć"
    assert client.get("/returns", headers=auth("caseworker")).json()["total"] == 8


@pytest.mark.parametrize("role", ["reporting", "medical"])
def test_roles_without_returns_access_are_refused(client, auth, imported, role):
    answer = client.post(
        "/returns/import",
        files={"file": ("register.csv", register([arrival(20)]), "text/csv")},
        headers=auth(role),
    )
    assert answer.status_code == 403
    assert client.get("/returns", headers=auth(role)).status_code == 403
    assert client.get("/returns", headers=auth("caseworker")).json()["total"] == 8


def test_filters_pagination_read_create_and_stale_version(client, auth, imported):
    worker = auth("caseworker")
    swiss = client.get("/returns", params={"sending_country": "Schweiz"}, headers=worker).json()
    assert [r["movement_ref"] for r in swiss["items"]] == ["M7", "M8"]
    assert {r["transport_mode"] for r in swiss["items"]} == {"land"}
    peja = client.get(
        "/returns", params={"destination_municipality": "Peć", "secondary_transport": True},
        headers=worker,
    ).json()  # fmt: skip
    assert [r["movement_ref"] for r in peja["items"]] == ["M7"]
    page = client.get("/returns", params={"limit": 3, "offset": 3}, headers=worker).json()
    assert (page["total"], [r["movement_ref"] for r in page["items"]]) == (8, ["M4", "M5", "M6"])
    assert (
        client.get("/returns", params={"transport_mode": "boat"}, headers=worker).status_code == 422
    )

    first = page["items"][0]
    read = client.get(f"/returns/{first['id']}", headers=auth("screening_officer"))
    assert read.status_code == 200 and read.json()["arrival_date"] == "2004-08-04"

    created = client.post(
        "/returns",
        json={"movement_ref": "M99", "person_id": first["person_id"], "return_type": "forced",
              "sending_country": "Netherlands", "transport_mode": "flight",
              "arrival_date": "2004-09-01", "destination_municipality": "Ferizaj"},
        headers=worker,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    assert (created.json()["sending_country"], created.json()["destination_municipality"]) == (
        "NL",
        "25",
    )
    bad = client.post(
        "/returns",
        json={"movement_ref": "M98", "person_id": first["person_id"], "return_type": "forced",
              "sending_country": "NL", "transport_mode": "air",
              "arrival_date": "2099-01-01", "destination_municipality": "Ferizaj"},
        headers=worker,
    )  # fmt: skip
    assert (bad.status_code, field_of(bad)) == (422, "arrival_date")

    url = f"/returns/{first['id']}"
    changed = client.patch(url, json={"version": 1, "transport_mode": "bus"}, headers=worker)
    assert (changed.status_code, changed.json()["version"]) == (200, 2)
    stale = client.patch(url, json={"version": 1, "notes": "late"}, headers=worker)
    assert stale.status_code == 409
