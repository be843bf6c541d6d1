"""Helpers for tests of the pages through FastAPI's test client."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from rrms.web.server import create_server

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """The request-forgery token of the first form on a page."""
    found = _TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


def sign_in(client: TestClient, role: str, username: str | None = None) -> str:
    """Sign in through the page as a browser does (the form, then its post), and send
    the session's form token with every later request, as htmx does.

    Returns the home page's HTML.
    """
    token = form_token(client.get("/sign-in").text)
    answer = client.post(
        "/sign-in",
        data={
            "username": username or f"{role}_user",
            "password": PASSWORD,
            "next": "/",
            "csrf_token": token,
        },
    )
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = form_token(answer.text)
    return answer.text


def page_client(session_factory: sessionmaker[Session], role: str) -> TestClient:
    """A client of the pages on the test's database, signed in as the role's user."""
    client = TestClient(create_server(session_factory))
    sign_in(client, role)
    return client
