"""The administrator's users page and the password page (issue 13, finding 6): neither
existed, so every test here failed before."""

import re

from fastapi.testclient import TestClient

from rrms.web.server import create_server
from rrms.web.session import TOKEN_COOKIE
from support.pages import PASSWORD, form_token, page_client

NEW = "a quiet river at dusk"


def _id_of(html, username):
    row = re.search(rf"<td>{username}</td>.*?/users/(\d+)/change", html, re.S)
    assert row, f"{username} not listed"
    return row.group(1)


def test_an_administrator_adds_changes_and_deactivates_users(session_factory, actors):
    admin = page_client(session_factory, "administrator")
    listed = admin.get("/users")
    assert listed.status_code == 200 and "caseworker_user" in listed.text
    token = form_token(listed.text)
    weak = admin.post(
        "/users/new",
        data={
            "username": "drita",
            "password": "password1234",
            "role": "caseworker",
            "csrf_token": token,
        },
    )
    assert weak.status_code == 422 and "password1234" not in weak.text
    added = admin.post(
        "/users/new",
        data={"username": "Drita", "password": NEW, "role": "caseworker", "csrf_token": token},
    )
    assert added.status_code == 200 and "<td>drita</td>" in added.text
    worker = page_client(session_factory, "caseworker")
    assert worker.get("/persons").status_code == 200
    worker_id = _id_of(added.text, "caseworker_user")
    role = admin.post(f"/users/{worker_id}/change", data={"role": "reporting", "csrf_token": token})
    assert role.status_code == 200
    gone = admin.post(f"/users/{worker_id}/change", data={"active": "false", "csrf_token": token})
    assert gone.status_code == 200 and "Deactivated" in gone.text
    assert worker.get("/persons", follow_redirects=False).status_code in (303, 401)


def test_other_roles_may_not_see_the_users_page(session_factory, actors):
    worker = page_client(session_factory, "caseworker")
    assert worker.get("/users").status_code == 403
    assert "/users" not in worker.get("/").text.split("<main")[0]


def test_the_forms_need_the_form_token(session_factory, actors):
    admin = page_client(session_factory, "administrator")
    admin.headers.pop("X-CSRF-Token")
    forged = admin.post(
        "/users/new", data={"username": "mallory", "password": NEW, "role": "administrator"}
    )
    assert forged.status_code == 403


def test_a_user_changes_their_own_password(session_factory, actors):
    worker = page_client(session_factory, "caseworker")
    form = worker.get("/account/password")
    assert form.status_code == 200
    token = form_token(form.text)
    wrong = worker.post(
        "/account/password",
        data={"current_password": "not it", "new_password": NEW, "csrf_token": token},
    )
    assert wrong.status_code == 422
    done = worker.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW, "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert worker.get("/persons", follow_redirects=False).status_code in (303, 401)
    fresh = TestClient(create_server(session_factory))
    page = fresh.get("/sign-in")
    signed = fresh.post(
        "/sign-in",
        data={"username": "caseworker_user", "password": NEW, "csrf_token": form_token(page.text)},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and TOKEN_COOKIE in signed.cookies
