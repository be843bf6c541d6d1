"""The account's life through the API (issue 13, finding 6): change role, deactivate,
set and change passwords, revoke tokens, sign out. None of these routes existed, so
every test here failed before."""

from sqlalchemy import text

from support.api import field_of
from support.pages import PASSWORD

NEW = "a quiet river at dusk"


def _user_id(client, admin, username):
    users = client.get("/users", headers=admin).json()["items"]
    return next(u["id"] for u in users if u["username"] == username)


def _actions(session_factory, user_id):
    with session_factory() as session:
        return [
            row[0]
            for row in session.execute(
                text("SELECT action FROM audit_log WHERE entity = 'users' AND entity_id = :id"),
                {"id": str(user_id)},
            )
        ]


def test_deactivating_a_user_stops_their_token_at_once(client, auth, session_factory):
    admin, worker = auth("administrator"), auth("caseworker")
    assert client.get("/persons", headers=worker).status_code == 200
    worker_id = _user_id(client, admin, "caseworker_user")
    changed = client.patch(f"/users/{worker_id}", json={"active": False}, headers=admin)
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert client.get("/persons", headers=worker).status_code == 401
    signed = client.post("/auth/token", json={"username": "caseworker_user", "password": PASSWORD})
    assert signed.status_code == 401
    assert "deactivate" in _actions(session_factory, worker_id)


def test_changing_a_role_is_audited_and_refused_to_others(client, auth, session_factory):
    admin = auth("administrator")
    worker_id = _user_id(client, admin, "caseworker_user")
    assert (
        client.patch(f"/users/{worker_id}", json={"role": "reporting"}, headers=auth("reporting"))
    ).status_code == 403
    changed = client.patch(f"/users/{worker_id}", json={"role": "reporting"}, headers=admin)
    assert changed.status_code == 200 and changed.json()["role"] == "reporting"
    assert "update" in _actions(session_factory, worker_id)
    bad = client.patch(f"/users/{worker_id}", json={"role": "boss"}, headers=admin)
    assert bad.status_code == 422


def test_an_administrator_cannot_deactivate_themselves(client, auth):
    admin = auth("administrator")
    own = _user_id(client, admin, "administrator_user")
    assert client.patch(f"/users/{own}", json={"active": False}, headers=admin).status_code == 409


def test_revoking_a_users_tokens(client, auth, session_factory):
    admin, worker = auth("administrator"), auth("caseworker")
    worker_id = _user_id(client, admin, "caseworker_user")
    revoked = client.post(f"/users/{worker_id}/tokens/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked"] == 1
    assert client.get("/persons", headers=worker).status_code == 401
    assert "revoke_tokens" in _actions(session_factory, worker_id)


def test_sign_out_revokes_only_the_calling_token(client, auth, session_factory):
    worker = auth("caseworker")
    other = client.post(
        "/auth/token", json={"username": "caseworker_user", "password": PASSWORD}
    ).json()["access_token"]
    assert client.post("/auth/sign-out", headers=worker).status_code == 204
    assert client.get("/persons", headers=worker).status_code == 401
    assert client.get("/persons", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_changing_ones_own_password(client, auth, session_factory):
    worker = auth("caseworker")
    wrong = client.post(
        "/auth/password",
        json={"current_password": "not it at all", "new_password": NEW},
        headers=worker,
    )
    assert wrong.status_code == 422 and field_of(wrong) == "current_password"
    weak = client.post(
        "/auth/password",
        json={"current_password": PASSWORD, "new_password": "password1234"},
        headers=worker,
    )
    assert weak.status_code == 422 and field_of(weak) == "password"
    assert "password1234" not in weak.text
    done = client.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": NEW}, headers=worker
    )
    assert done.status_code == 204
    assert client.get("/persons", headers=worker).status_code == 401  # signed out everywhere
    signed = client.post("/auth/token", json={"username": "caseworker_user", "password": NEW})
    assert signed.status_code == 200


def test_an_administrator_sets_a_password(client, auth):
    admin = auth("administrator")
    worker_id = _user_id(client, admin, "caseworker_user")
    assert (
        client.put(
            f"/users/{worker_id}/password", json={"password": NEW}, headers=auth("reporting")
        )
    ).status_code == 403
    assert (
        client.put(f"/users/{worker_id}/password", json={"password": NEW}, headers=admin)
    ).status_code == 204
    signed = client.post("/auth/token", json={"username": "caseworker_user", "password": NEW})
    assert signed.status_code == 200
