"""In the browser: choices that wait for the user."""

from __future__ import annotations


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
