"""In the browser: no script or style from elsewhere, the API documentation offline,
nothing shown from the cache after signing out, choices that wait for the user."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from conftest import PASSWORD

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifest-example.csv"


def _offline(context) -> list[str]:  # type: ignore[no-untyped-def]
    """Abort every request to a host other than the test server's; list them."""
    asked: list[str] = []

    def route(request_route) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(request_route.request.url).hostname
        if host == "127.0.0.1":
            request_route.continue_()
        else:
            asked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    return asked


def _policy_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Collect what the Content-Security-Policy refuses on the page, as Chromium logs it."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_api_docs_work_without_the_internet(browser, base_url):
    context = browser.new_context()
    elsewhere = _offline(context)
    page = context.new_page()
    refused = _policy_errors(page)
    page.goto(f"{base_url}/api/docs")
    # Swagger UI builds its page from the whole schema in the browser: seconds on a
    # quiet machine, much longer on a loaded one; the wait is a ceiling, not a target.
    page.wait_for_selector(".opblock", timeout=90_000)
    assert page.locator(".opblock").count() > 20, "every operation is listed"
    assert page.get_by_text("/auth/token").first.is_visible()
    assert refused == [], "Swagger UI runs under the pages' own policy"
    page.goto(f"{base_url}/api/redoc")
    page.wait_for_selector("[data-section-id]", timeout=90_000)
    assert page.get_by_text("RRMS API").first.is_visible()
    assert elsewhere == [], "nothing is asked of another host"
    # ReDoc always shows its maker's logo from their host: the policy refuses it, and
    # ReDoc then leaves it out. Nothing else may be refused.
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [text for text in refused if logo not in text] == [], refused
    context.close()


def test_pages_run_under_the_policy(signed_in, base_url):
    page = signed_in("caseworker")
    refused = _policy_errors(page)
    for path in ("/", "/persons", "/arrivals", "/programmes", "/information-requests"):
        page.goto(f"{base_url}{path}")
    page.goto(f"{base_url}/persons")
    with page.expect_response(lambda answer: "/persons?q=" in answer.url):
        page.get_by_label("Name, in any script or spelling").fill("Krasniqi")  # htmx
    assert refused == [], refused


def test_back_after_signing_out_shows_no_person(signed_in, base_url):
    page = signed_in("caseworker")
    page.goto(f"{base_url}/persons/new")
    page.get_by_label("Family name").fill("Cachetest")
    page.get_by_label("Given name").fill("Backbutton")
    with page.expect_navigation():
        page.get_by_role("button", name="Record", exact=True).click()
    confirm = page.get_by_role("button", name="This is someone else: record")
    if confirm.count():
        with page.expect_navigation():
            confirm.click()
    assert re.fullmatch(rf"{base_url}/persons/\d+", page.url), page.url
    person = page.url
    assert page.locator("h1").inner_text() == "Cachetest Backbutton"
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert "/sign-in" in page.url
    page.go_back()
    page.wait_for_load_state()
    assert "Backbutton" not in page.content(), "the person's page came from the cache"
    assert "/sign-in" in page.url or page.url != person
    assert page.locator("h1").inner_text() == "Sign in"


def test_arrow_keys_do_not_change_the_language(browser, base_url):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{base_url}/sign-in")
    chooser = page.locator("#language-choice")
    chooser.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert chooser.input_value() == "sq", "the arrow moved the choice"
    assert page.locator("html").get_attribute("lang") == "en", "but did not apply it"
    assert page.url == f"{base_url}/sign-in"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "sq"
    page.get_by_label("Emri i përdoruesit").fill("caseworker_user")
    context.close()


def test_a_forged_sign_in_from_another_port_is_refused(browser, base_url):
    """A page of the same host on another port posts RRMS's sign-in form: refused."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/sign-in")  # the victim has the sign-in page's cookie
    other = base_url.replace("127.0.0.1", "localhost")
    attacker = context.new_page()
    attacker.route(
        f"{other}/attack",
        lambda route: route.fulfill(
            content_type="text/html",
            body=(
                f'<form method="post" action="{base_url}/sign-in">'
                '<input name="username" value="reporting_user">'
                f'<input name="password" value="{PASSWORD}"><button>go</button></form>'
            ),
        ),
    )
    attacker.goto(f"{other}/attack")
    with attacker.expect_navigation():
        attacker.get_by_role("button", name="go").click()
    assert attacker.locator("h1").inner_text() == "Not possible"
    page.goto(f"{base_url}/")
    assert "/sign-in" in page.url, "nobody was signed in"
    context.close()


def test_a_list_named_in_cyrillic_downloads_under_its_name(signed_in, base_url, tmp_path):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",remark"] + [line + "," for line in lines[1:]]
    lines[1] += "remark\x01"
    named = tmp_path / "списак.csv"
    named.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = signed_in("screening_officer")
    page.goto(f"{base_url}/screening")
    page.get_by_label("Notification list").set_input_files(str(named))
    page.get_by_label("Screening date").fill("2004-11-15")
    page.get_by_role("button", name="Screen the list").click()
    page.wait_for_url(f"{base_url}/screening/work/*")
    for kind in ("CSV", "XLSX", "PDF"):
        with page.expect_download() as started:
            page.get_by_role("link", name=f"Download {kind}").click()
        download = started.value
        assert download.failure() is None, kind
        assert download.suggested_filename == f"списак-screening.{kind.lower()}"
