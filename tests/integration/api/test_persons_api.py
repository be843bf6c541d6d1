"""The persons API: sign-in, create, search, conflict, errors as clear 4xx."""

from support.api import field_of


def test_sign_in_and_create_and_search(client, auth):
    worker = auth("caseworker")
    created = client.post(
        "/persons",
        json={"family_name": "Đorđević", "given_name": "Dragan", "birth_date": "1960"},
        headers=worker,
    )
    assert created.status_code == 201, created.text
    found = client.get("/persons/search", params={"q": "Djordjevic"}, headers=worker)
    assert [p["id"] for p in found.json()] == [created.json()["id"]]


def test_wrong_password_and_missing_token_are_401(client, actors):
    assert (
        client.post(
            "/auth/token", json={"username": "caseworker_user", "password": "nope"}
        ).status_code
        == 401
    )
    answer = client.get("/persons")
    assert answer.status_code == 401
    assert "Bearer" in answer.json()["detail"]


def test_stale_version_is_409(client, auth):
    worker = auth("caseworker")
    person = client.post(
        "/persons", json={"family_name": "A", "given_name": "B"}, headers=worker
    ).json()
    first = client.patch(
        f"/persons/{person['id']}", json={"version": 1, "notes": "x"}, headers=worker
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(
        f"/persons/{person['id']}", json={"version": 1, "notes": "y"}, headers=worker
    )
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["detail"]


def test_bad_values_are_422_naming_the_field(client, auth):
    answer = client.post(
        "/persons",
        json={"family_name": "A", "given_name": "B", "origin_municipality": "Pejja"},
        headers=auth("caseworker"),
    )
    assert answer.status_code == 422
    assert field_of(answer) == "origin_municipality"


def test_reporting_role_cannot_read_persons(client, auth):
    assert client.get("/persons", headers=auth("reporting")).status_code == 403


def test_listing_is_paginated_and_filtered(client, auth):
    worker = auth("caseworker")
    for given in ("Arben", "Besa", "Drita"):
        client.post(
            "/persons",
            json={"family_name": "Gashi", "given_name": given, "community": "albanian"},
            headers=worker,
        )
    client.post(
        "/persons",
        json={"family_name": "Jovanović", "given_name": "Milan", "community": "serb"},
        headers=worker,
    )
    page = client.get(
        "/persons", params={"limit": 2, "offset": 1, "community": "albanian"}, headers=worker
    )
    assert page.status_code == 200, page.text
    body = page.json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (3, 2, 1, 2)
    assert client.get("/persons", params={"shoe_size": 42}, headers=worker).status_code == 422
    assert client.get("/persons", params={"limit": 0}, headers=worker).status_code == 422


def test_unrepresentable_numbers_and_huge_ids_are_4xx(client, auth):
    worker = auth("caseworker")
    answer = client.post(
        "/persons",
        content='{"family_name": 1e400, "given_name": "B"}',
        headers={**worker, "Content-Type": "application/json"},
    )
    assert answer.status_code == 422
    assert "1e400" not in answer.text
    assert client.get("/persons/99999999999", headers=worker).status_code == 422


def test_validation_errors_never_echo_a_password(client):
    answer = client.post("/auth/token", json={"username": "x", "password": 12345678901})
    assert answer.status_code == 422
    assert "12345678901" not in answer.text
