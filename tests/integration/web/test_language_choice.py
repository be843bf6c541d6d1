"""Choosing the language of the pages: `POST /language` remembers it for the next pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from rrms.services.core.access import Actor
from rrms.web.server import create_server
from support.pages import sign_in

TITLE = {
    "en": "Return and Reintegration Management System",
    "sq": "Sistemi i Menaxhimit të Kthimit dhe Riintegrimit",
    "sr": "Sistem za upravljanje povratkom i reintegracijom",
}


@pytest.fixture
def pages(session_factory: sessionmaker[Session], actors: dict[str, Actor]) -> Iterator[TestClient]:
    """A client of the whole web server, signed in as the caseworker, in English."""
    with TestClient(create_server(session_factory), headers={"Accept-Language": "en-GB"}) as client:
        signed_in = sign_in(client, "caseworker")
        assert TITLE["en"] in signed_in
        yield client


@pytest.mark.parametrize("language", ["sq", "sr"])
def test_the_chosen_language_is_used_on_the_home_page(pages: TestClient, language: str) -> None:
    chosen = pages.post(
        "/language", data={"language": language, "next": "/"}, follow_redirects=False
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/"
    home = pages.get("/")
    assert home.status_code == 200
    assert f'<html lang="{language}">' in home.text
    assert TITLE[language] in home.text
    assert TITLE["en"] not in home.text


def test_an_unknown_language_keeps_the_pages_in_english(pages: TestClient) -> None:
    pages.post("/language", data={"language": "xx", "next": "/"})
    assert TITLE["en"] in pages.get("/").text


def test_the_choice_does_not_redirect_off_site(pages: TestClient) -> None:
    chosen = pages.post(
        "/language", data={"language": "sq", "next": "//evil.example/"}, follow_redirects=False
    )
    assert chosen.headers["location"] == "/"
