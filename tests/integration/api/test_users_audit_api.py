"""The users and audit APIs: administrators only; no hashes; confidential content withheld."""

from sqlalchemy import text

from support.api import field_of

SECRET = "another long secret"


def test_administrator_lists_and_creates_users_without_hashes(client, auth):
    admin = auth("administrator")
    listed = client.get("/users", headers=admin)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 7
    assert all("password_hash" not in u and "password" not in u for u in body["items"])
    assert "argon2" not in listed.text
    created = client.post(
        "/users",
        json={"username": "drita", "password": SECRET, "role": "caseworker", "full_name": "D"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert SECRET not in created.text and "argon2" not in created.text
    one = client.get(f"/users/{created.json()['id']}", headers=admin).json()
    assert (one["username"], one["role"], one["active"]) == ("drita", "caseworker", True)
    assert (
        client.post("/auth/token", json={"username": "drita", "password": SECRET}).status_code
        == 200
    )
    caseworkers = client.get("/users", params={"role": "caseworker"}, headers=admin).json()
    assert caseworkers["total"] == 2


def test_user_creation_errors_never_echo_the_password(client, auth):
    admin = auth("administrator")
    short = client.post(
        "/users", json={"username": "x", "password": "tiny-pw", "role": "caseworker"}, headers=admin
    )
    assert short.status_code == 422 and field_of(short) == "password"
    assert "tiny-pw" not in short.text
    role = client.post(
        "/users", json={"username": "x", "password": SECRET, "role": "boss"}, headers=admin
    )
    assert role.status_code == 422 and field_of(role) == "role"
    assert SECRET not in role.text
    taken = client.post(
        "/users",
        json={"username": "caseworker_user", "password": SECRET, "role": "caseworker"},
        headers=admin,
    )
    assert taken.status_code == 409


def test_non_administrators_are_refused(client, auth):
    for role in ("caseworker", "screening_officer", "counter_trafficking"):
        headers = auth(role)
        assert client.get("/users", headers=headers).status_code == 403
        assert client.get("/audit", headers=headers).status_code == 403
        assert client.get("/audit/verify", headers=headers).status_code == 403
        created = client.post(
            "/users",
            json={"username": "y", "password": SECRET, "role": "administrator"},
            headers=headers,
        )
        assert created.status_code == 403, role


def test_audit_log_is_paginated_and_filtered(client, auth):
    admin = auth("administrator")
    first = client.get("/audit", params={"limit": 3}, headers=admin).json()
    assert len(first["items"]) == 3 and first["total"] >= 8  # 7 users created, sign-in
    assert [e["action"] for e in first["items"]] == ["create", "create", "create"]
    sign_ins = client.get("/audit", params={"action": "sign_in"}, headers=admin).json()
    assert [e["username"] for e in sign_ins["items"]] == ["administrator_user"]
    # Reading the audit log is itself audited.
    reads = client.get("/audit", params={"entity": "audit"}, headers=admin).json()
    assert reads["total"] >= 2 and {e["username"] for e in reads["items"]} == {"administrator_user"}


def test_confidential_content_is_withheld_from_administrators(client, auth):
    ct = auth("counter_trafficking")
    case = client.post(
        "/confidential-cases",
        json={"opened_on": "2004-09-01", "case_type": "victim_assistance", "summary": "Shelter X"},
        headers=ct,
    ).json()
    answer = client.get(
        "/audit", params={"entity": "confidential_cases"}, headers=auth("administrator")
    )
    assert answer.status_code == 200
    entries = answer.json()["items"]
    assert [(e["action"], e["username"]) for e in entries] == [
        ("create", "counter_trafficking_user")
    ]
    assert entries[0]["entity_id"] == "-" and "Shelter X" not in answer.text
    assert entries[0]["after"] == {"withheld": "withheld: confidential unit"}
    assert case["id"]


def test_verify_reports_intact_then_tampered_chain(client, auth, session_factory):
    admin = auth("administrator")
    intact = client.get("/audit/verify", headers=admin).json()
    assert intact["intact"] is True and intact["entries"] >= 8 and intact["problems"] == []
    with session_factory() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            session.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        session.execute(text("DELETE FROM audit_log WHERE id = 3"))
        session.commit()
    broken = client.get("/audit/verify", headers=admin).json()
    assert broken["intact"] is False
    assert broken["problems"] == [
        {"entry_id": 4, "problem": "does not link to the entry before it"}
    ]
