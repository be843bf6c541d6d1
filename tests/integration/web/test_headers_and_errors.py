"""Every answer carries the security headers; refusals and unknown addresses answer a
page in the reader's language on the web side and JSON under /api."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rrms.http.headers import CSP
from rrms.web.server import create_server
from support.pages import sign_in

TEMPLATES = Path(__file__).parents[3] / "src" / "rrms" / "web" / "templates"
SECURITY = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.fixture
def pages(session_factory, actors):
    with TestClient(create_server(session_factory)) as client:
        yield client


def _secure(answer, *, csp: str | None = CSP, cached: bool = False) -> None:
    where = f"{answer.request.method} {answer.request.url.path}"
    for name, value in SECURITY.items():
        assert answer.headers.get(name) == value, (where, name)
    if csp is not None:
        assert answer.headers.get("content-security-policy") == csp, where
    if not cached:
        assert answer.headers.get("cache-control") == "no-store", where


def test_the_policy_allows_nothing_inline_and_no_other_host():
    assert CSP == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )


def test_security_headers_on_pages_api_and_errors(pages):
    _secure(pages.get("/sign-in"))
    _secure(pages.get("/persons", follow_redirects=False))  # the redirect to sign in
    _secure(pages.get("/no-such-page"))
    _secure(pages.get("/api/openapi.json"))
    _secure(pages.get("/api/persons"))  # 401
    _secure(pages.get("/api/no-such-route"))
    sign_in(pages, "caseworker")
    for path in ("/", "/persons", "/persons/new", "/returns", "/information-requests"):
        _secure(pages.get(path))
    _secure(pages.post("/persons/new", data={"family_name": "A"}))  # 422


def test_static_files_may_be_cached(pages):
    answer = pages.get("/static/rrms.css")
    assert answer.status_code == 200
    _secure(answer, cached=True)
    assert "no-store" not in answer.headers.get("cache-control", "")


def test_the_api_alone_sends_the_headers(client, auth):
    _secure(client.get("/persons", headers=auth("caseworker")))
    _secure(client.post("/auth/token", json={"username": "x", "password": "y"}))


def test_templates_hold_no_inline_script_handler_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+\s*=|\sstyle\s*=|<style", re.I)
    for template in sorted(TEMPLATES.rglob("*.html")):
        found = inline.findall(template.read_text(encoding="utf-8"))
        assert not found, (template.name, found)


def test_charts_on_a_page_need_no_inline_style(session_factory, actors):
    from rrms.reports.charts import Bar, bar_chart
    from rrms.web.pages.programmes import csp_safe_svg

    svg = csp_safe_svg(bar_chart("Title", [Bar("a", 3, "3"), Bar("b", 5, "5")], "V", "C"))
    assert "style=" not in svg and "<style" not in svg
    assert 'fill="#1f5fa8"' in svg, "the bars keep their colour"
    assert 'stroke-linejoin="round"' in svg


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "There is nothing here that you may see."),
        ("sq", "Këtu nuk ka asgjë që ju mund të shihni."),
        ("sr", "Ovde nema ničega što možete da vidite."),
    ],
)
def test_an_unknown_address_is_a_page_in_the_readers_language(pages, language, words):
    answer = pages.get("/no/such/page", headers={"Accept-Language": language})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert f'<html lang="{language}">' in answer.text
    assert words in answer.text
    assert '<header class="top">' in answer.text and '<a href="/">' in answer.text


def test_a_wrong_method_and_a_wrong_value_are_pages(pages):
    sign_in(pages, "caseworker")
    answer = pages.delete("/persons", headers={"Accept-Language": "sr"})
    assert answer.status_code == 405
    assert "Ova adresa ne prima ovu vrstu zahteva." in answer.text
    assert "allow" in {name.lower() for name in answer.headers}
    answer = pages.get("/persons/not-a-number")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "not valid here" in answer.text


def test_a_refusal_is_a_page_in_the_readers_language(pages):
    sign_in(pages, "reporting")
    answer = pages.get("/information-requests", headers={"Accept-Language": "sq"})
    assert answer.status_code == 403
    assert "Roli juaj nuk e lejon këtë." in answer.text
    assert "<nav" in answer.text, "the signed-in user's header"


def test_the_api_answers_json(pages):
    for method, path, status in (
        ("GET", "/api/no-such-route", 404),
        ("DELETE", "/api/persons", 405),
        ("GET", "/api/persons", 401),
    ):
        answer = pages.request(method, path)
        assert answer.status_code == status, (method, path)
        assert answer.headers["content-type"] == "application/json", (method, path)
        assert "detail" in answer.json()


def test_a_person_page_is_not_kept_in_the_cache(pages, session_factory):
    sign_in(pages, "caseworker")
    created = pages.post(
        "/persons/new",
        data={"family_name": "Cached", "given_name": "Not", "confirmed": "yes"},
        follow_redirects=False,
    )
    answer = pages.get(created.headers["location"])
    assert answer.status_code == 200 and "Cached" in answer.text
    assert answer.headers["cache-control"] == "no-store"


def test_api_docs_load_nothing_from_another_host(pages):
    for path, script in (
        ("/api/docs", "/static/api-docs/swagger-ui-bundle.js"),
        ("/api/redoc", "/static/api-docs/redoc.standalone.js"),
    ):
        answer = pages.get(path)
        assert answer.status_code == 200
        assert "//" not in answer.text.replace("<!doctype html>", ""), path
        assert re.findall(r'(?:src|href)="([^"]+)"', answer.text), path
        for address in re.findall(r'(?:src|href)="([^"]+)"', answer.text):
            assert address.startswith("/static/"), (path, address)
            assert pages.get(address).status_code == 200, address
        assert f'<script src="{script}">' in answer.text
        assert "<script>" not in answer.text, "no inline script"
        assert 'data-openapi-url="/api/openapi.json"' in answer.text
        assert "script-src 'self';" in answer.headers["content-security-policy"]
