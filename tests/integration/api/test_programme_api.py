"""The programme-side API: one happy path per router, and 422, 403, 409 — never 500."""

import datetime as dt
import hashlib
import secrets

import pytest

from rrms.services.programmes.programmes import seed_programmes
from rrms.storage.tables import ApiToken, Return, User
from support.api import field_of, message_of


@pytest.fixture
def seeded(uow):
    with uow() as u:
        seed_programmes(u)


@pytest.fixture
def auth(client, uow):
    """Headers for a user of a role, with a token made directly: signing in (Argon2) is
    tested with the persons API, and hashing passwords here would only slow these tests."""
    tokens = {}

    def headers(role):
        if role not in tokens:
            token = secrets.token_urlsafe(16)
            now = dt.datetime.now(dt.UTC)
            with uow() as u:
                user = User(username=f"{role}_user", role=role, password_hash="!")
                u.session.add(user)
                u.session.flush()
                u.session.add(
                    ApiToken(
                        user_id=user.id,
                        created_at=now,
                        token_hash=hashlib.sha256(token.encode()).hexdigest(),
                        expires_at=now + dt.timedelta(hours=1),
                    )
                )
                u.commit()
            tokens[role] = {"Authorization": f"Bearer {token}"}
        return tokens[role]

    return headers


def code_id(client, headers, code):
    found = client.get("/programmes", params={"code": code}, headers=headers).json()["items"]
    return found[0]["id"]


def ok(answer, status=200):
    assert answer.status_code == status, answer.text
    return answer.json()


def test_happy_path_through_every_router(client, auth, uow, seeded):
    manager, worker = auth("programme_manager"), auth("caseworker")
    local = ok(
        client.post(
            "/programmes",
            json={
                "code": "loc-1",
                "name": "Local reintegration",
                "eligible_communities": ["Rom", "Ashkali"],
                "cap_amount": "500",
                "cap_currency": "EUR",
            },
            headers=manager,
        ),
        201,
    )
    assert (local["code"], local["cap_amount"], local["eligible_communities"]) == (
        "LOC-1",
        "500.00",
        ["roma", "ashkali"],
    )
    varrp = ok(client.get(f"/programmes/{code_id(client, worker, 'VARRP')}", headers=worker))
    assert (varrp["cap_amount"], varrp["cap_currency"], varrp["parent"]) == ("1000.00", "GBP", None)

    person = ok(
        client.post(
            "/persons",
            json={"family_name": "Berisha", "given_name": "Agim", "community": "Rom"},
            headers=worker,
        ),
        201,
    )
    requested = ok(
        client.post(
            "/assistance",
            json={
                "person_id": person["id"],
                "programme_id": local["id"],
                "kind": "toolkit",
                "amount": "300.50",
                "currency": "EUR",
                "requested_on": "2004-10-01",
            },
            headers=worker,
        ),
        201,
    )
    assert (requested["status"], requested["amount"]) == ("requested", "300.50")
    seen = ok(
        client.get(
            "/assistance/eligibility",
            params={"programme_id": local["id"], "person_id": person["id"]},
            headers=worker,
        )
    )
    assert seen["eligible"] and seen["remaining"] == {"amount": "199.50", "currency": "EUR"}
    approved = ok(
        client.patch(
            f"/assistance/{requested['id']}",
            json={"version": requested["version"], "status": "approved"},
            headers=manager,
        )
    )
    assert approved["approved_on"] == dt.date.today().isoformat()

    project = ok(
        client.post(
            "/projects",
            json={
                "programme_id": local["id"],
                "name": "Wine association",
                "sector": "agriculture",
                "scope": "community",
                "municipality": "Orahovac",
                "settlement": "Velika Hoča",
                "jobs_returnees": 4,
                "jobs_residents": 3,
                "grant_amount": 2500,
                "grant_currency": "EUR",
                "approved_on": "2004-05-01",
            },
            headers=manager,
        ),
        201,
    )
    assert (project["municipality"], project["jobs_total"], project["grant_amount"]) == (
        "16",
        7,
        "2500.00",
    )
    ongoing = ok(
        client.patch(
            f"/projects/{project['id']}",
            json={"version": project["version"], "status": "ongoing"},
            headers=manager,
        )
    )
    assert ongoing["started_on"] == dt.date.today().isoformat()
    listed = ok(client.get("/projects", params={"municipality": "Rahovec"}, headers=worker))
    assert [p["id"] for p in listed["items"]] == [project["id"]]

    house = ok(
        client.post(
            "/housing",
            json={
                "programme_id": local["id"],
                "house_ref": "S-1",
                "municipality": "Пећ",
                "village": "Sige",
                "beneficiaries": 4,
            },
            headers=manager,
        ),
        201,
    )
    assert (house["municipality"], house["village"]) == ("17", "Sigë/Siga")
    listed = ok(client.get("/housing", params={"village": "Siga"}, headers=worker))
    assert listed["total"] == 1

    rif = ok(
        client.post(
            "/information_requests",
            json={
                "requesting_mission": "Canton of Vaud",
                "topic": "housing",
                "question": "Can a family rent in Pejë?",
                "received_on": "2004-09-20",
            },
            headers=worker,
        ),
        201,
    )
    answered = ok(
        client.patch(
            f"/information_requests/{rif['id']}",
            json={"version": rif["version"], "answer": "Yes.", "answered_on": "2004-09-27"},
            headers=worker,
        )
    )
    assert (answered["status"], answered["turnaround_days"]) == ("answered", 7)

    training = ok(
        client.post(
            "/trainings",
            json={
                "programme_id": code_id(client, worker, "CT-SEE"),
                "topic": "Skills building",
                "audience": "NGO carers",
                "participants": 26,
                "hours": "12.5",
                "held_on": "2004-10-12",
            },
            headers=auth("counter_trafficking"),
        ),
        201,
    )
    assert (training["hours"], training["person_hours"]) == ("12.5", "325.0")


def test_bad_input_is_422_naming_the_field(client, auth, uow, seeded):
    worker = auth("caseworker")
    person = ok(
        client.post(
            "/persons",
            json={"family_name": "Jović", "given_name": "Ana", "community": "serb"},
            headers=worker,
        ),
        201,
    )
    varrp = code_id(client, worker, "VARRP")
    body = {
        "person_id": person["id"],
        "programme_id": varrp,
        "kind": "education",
        "amount": "100",
        "currency": "GBP",
    }
    refused = client.post("/assistance", json=body, headers=worker)
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": [
            {
                "loc": ["body", "person_id"],
                "msg": "VARRP is only for Albanian returnees; this person is recorded as Serb",
                "type": "invalid",
            }
        ]
    }
    with uow() as u:
        u.session.add(
            Return(
                movement_ref="GB-1",
                person_id=person["id"],
                return_type="voluntary",
                sending_country="GB",
                transport_mode="air",
                arrival_date=dt.date(2004, 9, 1),
                destination_municipality="17",
            )
        )
        u.commit()
    ok(
        client.patch(
            f"/persons/{person['id']}", json={"version": 1, "community": "Albanian"}, headers=worker
        )
    )
    held = ok(client.post("/assistance", json=body | {"amount": "950"}, headers=worker), 201)
    over = client.post("/assistance", json=body, headers=worker)
    assert over.status_code == 422 and field_of(over) == "amount"
    assert "would exceed it by 50.00 GBP" in message_of(over)

    schema_errors = [
        ("/assistance", body | {"amount": "abc"}, "amount"),
        ("/assistance", body | {"amount": "1.001"}, "amount"),
        ("/assistance", body | {"amount": "NaN"}, "amount"),
        ("/assistance", body | {"currency": "USD"}, "currency"),
        ("/assistance", body | {"status": "paid"}, "status"),
        (
            "/projects",
            {
                "programme_id": varrp,
                "name": "x",
                "sector": "services",
                "scope": "individual",
                "jobs_returnees": -1,
            },
            "jobs_returnees",
        ),
        ("/programmes", '{"code": "X", "name": "x", "cap_amount": 1e400}', "cap_amount"),
        (
            "/trainings",
            {
                "topic": "t",
                "audience": "a",
                "participants": 1,
                "hours": "1.25",
                "held_on": "2004-10-01",
            },
            "hours",
        ),
    ]
    manager = auth("programme_manager")
    for path, payload, field in schema_errors:
        headers = worker if path == "/assistance" else manager
        if isinstance(payload, str):  # JSON Python cannot write, e.g. 1e400
            headers = headers | {"Content-Type": "application/json"}
            answer = client.post(path, content=payload, headers=headers)
        else:
            answer = client.post(path, json=payload, headers=headers)
        assert answer.status_code == 422, (path, payload, answer.text)
        assert field in str(answer.json()), (field, answer.text)
    assert (
        client.get("/projects", params={"municipality": "Atlantis"}, headers=worker).status_code
        == 422
    )
    # The service's own checks answer 422 with the field too.
    answer = client.post(
        "/housing",
        json={
            "programme_id": varrp,
            "house_ref": "H",
            "municipality": "Istog",
            "village": "Brestovik",
        },
        headers=manager,
    )
    assert (answer.status_code, field_of(answer)) == (422, "village")

    # Hostile values anywhere in a body or a path answer 4xx, never 500.
    bodies = {
        "/programmes": {"code": "H-1", "name": "n", "cap_amount": "1", "cap_currency": "EUR"},
        "/projects": {"programme_id": varrp, "name": "n", "sector": "trade", "scope": "community"},
        "/housing": {"programme_id": varrp, "house_ref": "h", "municipality": "17", "village": "v"},
        "/information_requests": {"requesting_mission": "m", "topic": "other", "question": "q"},
        "/trainings": {
            "topic": "t",
            "audience": "a",
            "participants": 1,
            "hours": 1,
            "held_on": "2004-01-01",
        },
    }
    hostile = [
        None,
        "",
        " ",
        "x" * 20_001,
        -1,
        2**31,
        10**40,
        1e308,
        "NaN",
        [],
        {},
        True,
        "2004-02-30",
        "9999-12-31",
    ]
    for path, body in bodies.items():
        for field in body:
            for value in hostile:
                answer = client.post(path, json=body | {field: value}, headers=manager)
                assert answer.status_code < 500, (path, field, value, answer.text)
    raw_json = {"Content-Type": "application/json"}
    for raw in (
        '{"version": 1, "amount": 1e400}',
        '{"version": 1, "amount": NaN}',
        "1e400",
        '{"version": 1e400}',
        '{"version": 1, "status": ["paid"]}',
        "[",
        "null",
    ):
        answer = client.patch(f"/assistance/{held['id']}", content=raw, headers=worker | raw_json)
        assert 400 <= answer.status_code < 500, (raw, answer.text)
    for path in ("/programmes/99999999999", "/projects/0", "/housing/-1"):
        assert client.get(path, headers=manager).status_code in (404, 422)
    assert (
        client.get(
            "/assistance", params={"person_id": 2**40}, headers=auth("caseworker")
        ).status_code
        == 422
    )


def test_roles_without_rights_are_403_and_stale_versions_409(client, auth):
    worker, manager = auth("caseworker"), auth("programme_manager")
    assert (
        client.post("/programmes", json={"code": "X", "name": "x"}, headers=worker).status_code
        == 403
    )
    assert client.get("/assistance", headers=auth("reporting")).status_code == 403
    assert (
        client.post(
            "/projects",
            json={"programme_id": 1, "name": "n", "sector": "trade", "scope": "community"},
            headers=worker,
        ).status_code
        == 403
    )
    local = ok(
        client.post("/programmes", json={"code": "OPEN", "name": "open"}, headers=manager), 201
    )
    person = ok(
        client.post("/persons", json={"family_name": "A", "given_name": "B"}, headers=worker), 201
    )
    requested = ok(
        client.post(
            "/assistance",
            json={
                "person_id": person["id"],
                "programme_id": local["id"],
                "kind": "housing",
                "amount": "10",
                "currency": "EUR",
            },
            headers=worker,
        ),
        201,
    )
    answer = client.patch(
        f"/assistance/{requested['id']}",
        json={"version": requested["version"], "status": "approved"},
        headers=worker,
    )
    assert answer.status_code == 403
    assert "only a programme manager may approve" in answer.json()["detail"]
    # A save based on an old version is refused.
    varrp = local["id"]
    first = client.patch(
        f"/programmes/{varrp}", json={"version": 1, "objectives": "x"}, headers=manager
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(
        f"/programmes/{varrp}", json={"version": 1, "objectives": "y"}, headers=manager
    )
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["detail"]
