"""Signing out ends the session on the server, and each role's menu leads only where it may go."""

from __future__ import annotations

from fastapi.testclient import TestClient

from rrms.web.server import create_server
from rrms.web.session import TOKEN_COOKIE
from support.pages import sign_in


def test_sign_out_revokes_the_token(session_factory, actors):
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "caseworker")
        token = client.cookies.get(TOKEN_COOKIE)
        assert token and client.get("/persons", follow_redirects=False).status_code == 200
        assert client.post("/sign-out", follow_redirects=False).status_code == 303
    with TestClient(create_server(session_factory), cookies={TOKEN_COOKIE: token}) as stolen:
        answer = stolen.get("/persons", follow_redirects=False)
    assert answer.status_code in (303, 401), "a signed-out token must not open pages"


def test_the_screening_link_goes_where_the_role_may_go(session_factory, actors):
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "administrator")
        home = client.get("/").text
        assert 'href="/screening/lists"' in home and 'href="/screening"' not in home
        assert client.get("/screening/lists").status_code == 200
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "screening_officer")
        assert 'href="/screening"' in client.get("/").text
