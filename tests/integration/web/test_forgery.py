"""Request forgery: no page of another origin can change anything through a signed-in
browser, sign someone in or out, or choose their language.

Each state-changing request of the pages needs the page's token (a form field, or the
`X-CSRF-Token` header htmx sends) and, when the browser names its origin, RRMS's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from rrms.web.server import create_server
from rrms.web.session import TOKEN_COOKIE
from support.pages import PASSWORD, form_token, sign_in

TEMPLATES = Path(__file__).parents[3] / "src" / "rrms" / "web" / "templates"
PERSON = {"family_name": "Forged", "given_name": "Request", "confirmed": "yes"}


@pytest.fixture
def persons(session_factory):
    """How many persons the database holds now."""

    def count() -> int:
        with session_factory() as session:
            return int(session.scalar(text("SELECT count(*) FROM persons")))

    return count


@pytest.fixture
def caseworker(session_factory, actors):
    """A signed-in caseworker's browser that sends no token unless a test gives one."""
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "caseworker")
        token = client.headers.pop("X-CSRF-Token")
        yield client, token


def test_a_form_without_the_token_changes_nothing(caseworker, persons):
    client, _token = caseworker
    before = persons()
    answer = client.post("/persons/new", data=PERSON, follow_redirects=False)
    assert answer.status_code == 403
    assert "sent from another site" in answer.text
    assert persons() == before


def test_the_form_of_the_page_carries_the_token(caseworker, persons):
    client, token = caseworker
    before = persons()
    form = client.get("/persons/new").text
    assert form_token(form) == token, "one token per session"
    answer = client.post(
        "/persons/new", data={**PERSON, "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    assert persons() == before + 1


def test_htmx_sends_the_token_as_a_header(caseworker):
    client, token = caseworker
    home = client.get("/").text
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in home
    answer = client.post(
        "/persons/new", data=PERSON, headers={"X-CSRF-Token": token}, follow_redirects=False
    )
    assert answer.status_code == 303


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://testserver:8001"},  # the same host, another port
        {"Origin": "null"},
        {"Referer": "http://sibling.testserver/page"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_request_from_another_origin_is_refused_even_with_the_token(caseworker, persons, headers):
    client, token = caseworker
    before = persons()
    answer = client.post(
        "/persons/new",
        data={**PERSON, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert persons() == before


def test_a_request_from_rrms_itself_is_accepted(caseworker):
    client, token = caseworker
    answer = client.post(
        "/persons/new",
        data={**PERSON, "csrf_token": token},
        headers={
            "Origin": "http://testserver",
            "Referer": "http://testserver/persons/new",
            "Sec-Fetch-Site": "same-origin",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_another_sessions_token_is_refused(session_factory, actors, caseworker):
    client, _token = caseworker
    with TestClient(create_server(session_factory)) as other:
        sign_in(other, "caseworker")
        theirs = other.headers["X-CSRF-Token"]
    answer = client.post(
        "/persons/new", data={**PERSON, "csrf_token": theirs}, follow_redirects=False
    )
    assert answer.status_code == 403


def test_sign_out_needs_the_token(caseworker):
    client, token = caseworker
    assert client.post("/sign-out", follow_redirects=False).status_code == 403
    assert client.get("/persons", follow_redirects=False).status_code == 200, "still in"
    answer = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get("/persons", follow_redirects=False).status_code == 303


def test_sign_in_needs_the_token_of_the_browsers_own_form(session_factory, actors):
    credentials = {"username": "caseworker_user", "password": PASSWORD, "next": "/"}
    with TestClient(create_server(session_factory)) as victim:
        # a cross-site sign-in (into the attacker's account) without a token
        answer = victim.post("/sign-in", data=credentials, follow_redirects=False)
        assert answer.status_code == 403
        assert TOKEN_COOKIE not in victim.cookies
        # nor with the token of another browser's sign-in form
        with TestClient(create_server(session_factory)) as attacker:
            theirs = form_token(attacker.get("/sign-in").text)
        victim.get("/sign-in")
        answer = victim.post(
            "/sign-in", data={**credentials, "csrf_token": theirs}, follow_redirects=False
        )
        assert answer.status_code == 403
        assert TOKEN_COOKIE not in victim.cookies
        # the browser's own form signs in
        own = form_token(victim.get("/sign-in").text)
        answer = victim.post(
            "/sign-in", data={**credentials, "csrf_token": own}, follow_redirects=False
        )
        assert answer.status_code == 303
        assert TOKEN_COOKIE in victim.cookies


def test_the_language_choice_needs_the_token(session_factory, actors):
    with TestClient(create_server(session_factory)) as client:
        page = client.get("/sign-in")
        answer = client.post("/language", data={"language": "sq"}, follow_redirects=False)
        assert answer.status_code == 403
        assert "rrms_language" not in client.cookies
        answer = client.post(
            "/language",
            data={"language": "sq", "csrf_token": form_token(page.text)},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert client.cookies.get("rrms_language") == "sq"


def test_a_multipart_upload_needs_the_token(session_factory, actors, tmp_path, monkeypatch):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path))
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "screening_officer")
        token = client.headers.pop("X-CSRF-Token")
        upload = {"file": ("list.csv", b"person_ref\n", "text/csv")}
        answer = client.post("/screening", files=upload, follow_redirects=False)
        assert answer.status_code == 403
        answer = client.post(
            "/screening", data={"csrf_token": token}, files=upload, follow_redirects=False
        )
        assert answer.status_code == 303


def test_every_post_form_in_the_templates_carries_the_token():
    form = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL | re.IGNORECASE)
    field = '<input type="hidden" name="csrf_token" value="{{ csrf_token }}">'
    posting = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for found in form.finditer(template.read_text(encoding="utf-8")):
            opening = found.group(0).split(">", 1)[0].lower()
            if 'method="post"' in opening:
                posting.append(template.name)
                assert field in found.group(0), f"{template.name}: {opening}>"
    assert len(posting) >= 8, posting


def test_the_api_does_not_take_the_page_cookie(session_factory, actors):
    """The API signs in by bearer token only, so a browser's cookie cannot act there."""
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "caseworker")
        assert client.cookies.get(TOKEN_COOKIE)
        answer = client.post("/api/persons", json={"family_name": "X", "given_name": "Y"})
        assert answer.status_code == 401
        assert client.get("/api/persons").status_code == 401
