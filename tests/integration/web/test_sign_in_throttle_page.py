"""The sign-in page answers 429, translated, once an account is locked (issue 13,
finding 6); before, the right password after any number of wrong ones signed in."""

from fastapi.testclient import TestClient

from rrms.web.server import create_server
from support.pages import PASSWORD, form_token


def test_the_sign_in_page_answers_429_translated(session_factory, actors):
    client = TestClient(create_server(session_factory))
    client.headers["Accept-Language"] = "sr"
    for _ in range(5):
        token = form_token(client.get("/sign-in").text)
        client.post(
            "/sign-in",
            data={"username": "caseworker_user", "password": "wrong", "csrf_token": token},
        )
    token = form_token(client.get("/sign-in").text)
    page = client.post(
        "/sign-in",
        data={"username": "caseworker_user", "password": PASSWORD, "csrf_token": token},
    )
    assert page.status_code == 429
    assert page.headers["Retry-After"]
    assert "Previše pokušaja prijave" in page.text
