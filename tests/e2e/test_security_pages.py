"""In the browser: choices that wait for the user, forms no other page can post."""

from __future__ import annotations

from conftest import PASSWORD


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
