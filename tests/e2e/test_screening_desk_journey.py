"""The screening officer's desk in the browser: a list with a warning, a wrong answer
corrected, a family's recommendations accepted at once, and the list closed."""

from playwright.sync_api import expect

from conftest import screenshot
from support.screening_lists import desk_list


def test_an_officer_finishes_a_list(signed_in, base_url, tmp_path):
    page = signed_in("screening_officer")
    page.goto(f"{base_url}/screening")
    page.get_by_label("Notification list").set_input_files(str(desk_list(tmp_path)))
    page.get_by_label("Screening date").fill("2004-11-15")
    page.get_by_role("button", name="Screen the list").click()

    # the warning and who is on the list, beside each person_ref
    expect(page.locator("#warnings")).to_contain_text("Unknown column remarks kept as extra data")
    expect(page.locator("#person-DE-0009")).to_contain_text("Јовановић, Милица")
    expect(page.locator("#person-DE-0009")).to_contain_text("1944-05")
    page.get_by_role("button", name="Record this screening and take decisions").click()

    # a wrong answer turns the family to object; its correction turns it back
    head = page.locator("tr", has=page.get_by_role("cell", name="DE-0007", exact=True))
    spouse = page.locator("tr", has=page.get_by_role("cell", name="DE-0008", exact=True))
    expect(spouse.locator(".outcome")).to_have_text("review")
    head.get_by_label("mixed marriage").select_option("yes")
    head.get_by_role("button", name="Save the answers and screen the family again").click()
    expect(spouse.locator(".outcome")).to_have_text("object")
    expect(head.get_by_label("mixed marriage")).to_have_value("yes")
    head.get_by_label("mixed marriage").select_option("no")
    head.get_by_role("button", name="Save the answers and screen the family again").click()
    expect(spouse.locator(".outcome")).to_have_text("accept")
    screenshot(page, "screening-desk-corrected")

    # the family's recommendations at once, then every clear one, then close
    page.get_by_role("button", name="Accept family F7's recommendations").click()
    expect(spouse).to_contain_text("accept")
    expect(spouse.locator("strong")).to_have_text("accept")
    expect(head.locator("strong")).to_have_text("accept")
    page.get_by_role("button", name="Accept every recommendation to accept or to object").click()
    expect(page.get_by_text("0 person(s) still wait for a decision.")).to_be_visible()
    page.get_by_role("button", name="Close the list").click()
    expect(page.locator("#closed")).to_contain_text("can no longer change")
    expect(page.get_by_role("button", name="Save decision")).to_have_count(0)
    screenshot(page, "screening-desk-closed")

    page.goto(f"{base_url}/screening/lists")
    row = page.locator("tr", has=page.get_by_role("link", name="Liste Oktober.csv")).first
    expect(row.locator(".undecided")).to_have_text("0")
    expect(row.locator(".decided")).to_have_text("9")
