"""Each role's journey through the desk in Chromium (issue 10, "Tests"): the programme
manager approves and pays an assistance from the home page's queue; the
counter-trafficking unit opens, updates and closes a case a medical user can neither
list nor guess; an administrator adds a user who then signs in; two tabs edit one
record and the second re-applies its change on top of the first's; a caseworker
records and answers an information request with the keyboard alone. The pages'
pictures in docs/web.md are taken here (`RRMS_SCREENSHOTS=1`)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from conftest import screenshot
from rrms.services.core import records
from rrms.services.core.access import SYSTEM, Actor
from rrms.services.core.records import count_records
from rrms.services.programmes.assistance import ASSISTANCE
from rrms.services.programmes.information_requests import INFORMATION_REQUESTS
from rrms.services.programmes.programmes import programme_by_code, seed_programmes
from rrms.services.records.persons import PERSONS
from rrms.services.returns.arrivals import RETURNS
from rrms.storage.unit_of_work import UnitOfWork


def _actor(factory, role: str) -> Actor:  # type: ignore[no-untyped-def]
    """The test server's user of the role, as the services know them."""
    with UnitOfWork(factory) as uow:
        user = uow.accounts.user_named(f"{role}_user")
        assert user is not None
        return Actor(user_id=user.id, username=user.username, role=role)


@pytest.fixture(scope="module")
def requested(server_factory) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """A caseworker's request of 500.00 GBP under VARRP for a man back from the United
    Kingdom: (person, assistance, how many requests awaited approval before it)."""
    manager = _actor(server_factory, "programme_manager")
    caseworker = _actor(server_factory, "caseworker")
    with UnitOfWork(server_factory) as uow:
        seed_programmes(uow, SYSTEM)
    with UnitOfWork(server_factory) as uow:
        waiting = count_records(uow, manager, ASSISTANCE, {"status": "requested"})
        person = records.create_record(
            uow,
            SYSTEM,
            PERSONS,
            {
                "family_name": "Morina",
                "given_name": "Arben",
                "birth_date": "1971-03-08",
                "sex": "male",
                "community": "albanian",
            },
        ).id
        records.create_record(
            uow,
            SYSTEM,
            RETURNS,
            {
                "movement_ref": "MV-E2E-JOURNEYS",
                "person_id": person,
                "return_type": "voluntary",
                "sending_country": "GB",
                "transport_mode": "air",
                "arrival_date": dt.date(2004, 5, 12),
                "destination_municipality": "Gjakova",
            },
        )
        varrp = programme_by_code(uow, "VARRP")
        assert varrp is not None
        programme = varrp.id
    with UnitOfWork(server_factory) as uow:
        assistance = records.create_record(
            uow,
            caseworker,
            ASSISTANCE,
            {
                "person_id": person,
                "programme_id": programme,
                "kind": "reintegration_grant",
                "amount": Decimal("500.00"),
                "currency": "GBP",
                "requested_on": dt.date(2004, 5, 20),
            },
        ).id
    return person, assistance, waiting


def test_the_manager_approves_and_pays_from_the_home_page_queue(requested, signed_in, base_url):  # type: ignore[no-untyped-def]
    person, assistance, waiting = requested
    page = signed_in("programme_manager")
    queue = page.locator(".queues li", has_text="Assistance awaiting your approval")
    assert queue.locator(".count").inner_text() == str(waiting + 1)
    screenshot(page, "home-dashboard")
    with page.expect_navigation():
        queue.get_by_role("link").click()
    assert page.url == f"{base_url}/assistance?status=requested"
    assert page.locator("#q-status").input_value() == "requested"
    statuses = page.locator("table.listing tbody tr td:nth-child(7)").all_inner_texts()
    assert statuses and {s.strip() for s in statuses} == {"requested"}
    screenshot(page, "desk-list")
    with page.expect_navigation():
        page.locator("table.listing tbody").get_by_role(
            "link", name=str(assistance), exact=True
        ).click()
    assert page.url == f"{base_url}/assistance/{assistance}"
    assert f"Person {person}" in page.locator("#v-person_id").inner_text()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Assistance {assistance}: reintegration grant", "a word, not a code"
    assert page.get_by_role("button", name="Refuse").is_visible()
    screenshot(page, "desk-record")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve").click()
    assert page.locator("#v-status").inner_text().strip() == "approved"
    assert page.locator("#v-approved_on").inner_text().strip() == dt.date.today().isoformat()
    assert page.get_by_role("button", name="Approve").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Record payment").click()
    assert page.locator("#v-status").inner_text().strip() == "paid"
    assert page.get_by_role("button", name="Record payment").count() == 0

    page.goto(f"{base_url}/persons/{person}")
    with page.expect_navigation():
        page.get_by_role("link", name="Printable case summary").click()
    assert page.url == f"{base_url}/persons/{person}/summary"
    assert "Morina" in page.locator("main").inner_text()
    screenshot(page, "case-summary")


def test_a_unit_opens_updates_and_closes_a_case_no_other_unit_can_see(signed_in, base_url):  # type: ignore[no-untyped-def]
    page = signed_in("counter_trafficking")
    page.goto(f"{base_url}/confidential-cases/new")
    case_types = page.get_by_label("Case type").locator("option").all_inner_texts()
    assert "victim assistance" in case_types
    page.get_by_label("Case type").select_option(label="victim assistance")
    page.get_by_label("Opened on").fill("2004-05-03")
    page.get_by_label("District").fill("Prizren")
    page.get_by_label("Summary").fill("Referred by the border police at Vërmica.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record", exact=True).click()
    found = re.fullmatch(rf"{base_url}/confidential-cases/(\d+)", page.url)
    assert found, page.url
    case = int(found.group(1))
    assert page.locator("#v-status").inner_text().strip() == "open"
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Confidential case {case}: victim assistance"

    with page.expect_navigation():
        page.get_by_role("link", name="Edit").click()
    page.get_by_label("Summary").fill("Sheltered in Prizren; legal aid arranged.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.url == f"{base_url}/confidential-cases/{case}"
    assert page.locator("#v-summary").inner_text().strip() == (
        "Sheltered in Prizren; legal aid arranged."
    )

    page.get_by_label("Closed on").fill("2004-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Close the case").click()
    assert page.locator("#v-status").inner_text().strip() == "closed"
    assert page.locator("#v-closed_on").inner_text().strip() == "2004-06-30"
    assert page.get_by_role("button", name="Reopen").is_visible()

    other = signed_in("medical")
    other.goto(f"{base_url}/confidential-cases")
    assert (
        other.locator("table.listing tbody").get_by_role("link", name=str(case), exact=True).count()
        == 0
    )
    for guessed in (f"/confidential-cases/{case}", f"/confidential-cases/{case}/edit"):
        response = other.goto(f"{base_url}{guessed}")
        assert response is not None and response.status == 404, guessed
        assert "There is nothing here that you may see" in other.locator("main").inner_text()
        assert "Prizren" not in other.content()


def test_an_administrator_adds_a_user_who_then_signs_in(signed_in, browser, base_url):  # type: ignore[no-untyped-def]
    page = signed_in("administrator")
    page.goto(f"{base_url}/users")
    form = page.locator("form[action='/users/new']")
    form.get_by_label("Username").fill("vlora.kelmendi")
    form.get_by_label("Full name").fill("Vlora Kelmendi")
    form.get_by_label("Role").select_option(label="caseworker")
    form.get_by_label("Password").fill("password")
    with page.expect_navigation():
        form.get_by_role("button", name="Add a user").click()
    beside = page.locator("#e-password")
    assert beside.is_visible() and beside.inner_text().strip()
    assert form.get_by_label("Username").input_value() == "vlora.kelmendi", "typed is kept"
    assert form.get_by_label("Role").input_value() == "caseworker"
    assert "vlora.kelmendi" not in page.locator("table").inner_text()
    beside.scroll_into_view_if_needed()
    screenshot(page, "desk-field-error")

    form.get_by_label("Password").fill("Drini i Bardhë 2004")
    with page.expect_navigation():
        form.get_by_role("button", name="Add a user").click()
    assert page.url == f"{base_url}/users"
    row = page.locator("table tbody tr", has_text="vlora.kelmendi")
    assert "Vlora Kelmendi" in row.inner_text()
    assert row.get_by_label("Role").input_value() == "caseworker"

    context = browser.new_context(locale="en-GB")
    try:
        newcomer = context.new_page()
        newcomer.goto(f"{base_url}/sign-in")
        newcomer.get_by_label("Username").fill("vlora.kelmendi")
        newcomer.get_by_label("Password").fill("Drini i Bardhë 2004")
        with newcomer.expect_navigation():
            newcomer.get_by_role("button", name="Sign in").click()
        assert newcomer.url == f"{base_url}/"
        assert "vlora.kelmendi (caseworker)" in newcomer.locator(".who").inner_text()
    finally:
        context.close()


def test_two_tabs_edit_one_record_and_the_second_applies_its_change_again(
    server_factory, signed_in, base_url
):  # type: ignore[no-untyped-def]
    caseworker = _actor(server_factory, "caseworker")
    with UnitOfWork(server_factory) as uow:
        request = records.create_record(
            uow,
            caseworker,
            INFORMATION_REQUESTS,
            {
                "requesting_mission": "Home Office",
                "topic": "housing",
                "question": "Is there housing for a family of five in Gjakova?",
                "received_on": dt.date(2004, 7, 1),
            },
        ).id
    first = signed_in("caseworker")
    second = first.context.new_page()
    edit = f"{base_url}/information-requests/{request}/edit"
    first.goto(edit)
    second.goto(edit)

    first.get_by_label("Requesting mission").fill("UK Home Office, Croydon")
    with first.expect_navigation():
        first.get_by_role("button", name="Save").click()
    assert "UK Home Office, Croydon" in first.locator("main").inner_text()

    asked = "Is there housing for a family of five in Gjakova or Rahovec?"
    second.get_by_label("Question").fill(asked)
    with second.expect_navigation():
        second.get_by_role("button", name="Save").click()
    assert second.locator("#conflict").is_visible()
    theirs = second.locator(".field", has=second.get_by_label("Requesting mission"))
    assert "UK Home Office, Croydon" in theirs.locator(".theirs").inner_text()
    assert second.get_by_label("Question").input_value() == asked, "my change is kept"
    assert second.get_by_label("Requesting mission").input_value() == ("UK Home Office, Croydon"), (
        "a field I did not touch takes their value, so applying again keeps their change"
    )
    screenshot(second, "desk-conflict")
    with second.expect_navigation():
        second.get_by_role("button", name="Apply my changes again").click()
    assert second.url == f"{base_url}/information-requests/{request}"
    assert second.locator("#v-question").inner_text().strip() == asked
    assert second.locator("#v-requesting_mission").inner_text().strip() == (
        "UK Home Office, Croydon"
    )


def _focused(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What has the keyboard focus: its tag, id, text, and whether it shows focus."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return {
                tag: e.tagName.toLowerCase(),
                id: e.id || "",
                text: (e.innerText || e.value || "").trim(),
                href: e.getAttribute("href") || "",
                visible: String(e.matches(":focus-visible") && style.outlineStyle !== "none"
                    && parseFloat(style.outlineWidth) > 0),
            };
        }"""
    )


def _tab_to(page, wanted, backwards: bool = False) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Press Tab (Shift+Tab backwards) until the focused element is the one wanted."""
    for _ in range(80):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    raise AssertionError("the keyboard never reached the element wanted")


def test_a_caseworker_records_and_answers_a_request_with_the_keyboard_alone(signed_in, base_url):  # type: ignore[no-untyped-def]
    page = signed_in("caseworker")
    seen = _tab_to(page, lambda f: f["href"] == "/information-requests")
    assert seen["visible"] == "true", "the focused link shows its outline"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base_url}/information-requests"
    _tab_to(page, lambda f: f["href"] == "/information-requests/new")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base_url}/information-requests/new"

    _tab_to(page, lambda f: f["id"] == "f-requesting_mission")
    page.keyboard.type("Swiss Federal Office for Migration")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "f-topic"
    for _ in range(3):  # arrow keys move through the topics without sending the form
        page.keyboard.press("ArrowDown")
    assert page.url == f"{base_url}/information-requests/new"
    assert page.locator("#f-topic").input_value() == "medical_care"
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "f-question"
    page.keyboard.type("Which clinics in Prizren treat diabetes?")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "f-received_on"
    page.keyboard.type("08082004")  # day = month: the same in dd/mm/yyyy and mm/dd/yyyy
    assert page.locator("#f-received_on").input_value() == "2004-08-08"
    pressed = _tab_to(page, lambda f: f["tag"] == "button")
    assert pressed["text"] == "Record"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    found = re.fullmatch(rf"{base_url}/information-requests/(\d+)", page.url)
    assert found, page.url
    assert page.locator("#v-topic").inner_text().strip() == "medical care"
    assert page.locator("#v-received_on").inner_text().strip() == "2004-08-08"

    _tab_to(page, lambda f: f["id"] == "f-answer")
    page.keyboard.type("The regional hospital and two clinics; list attached.")
    _tab_to(page, lambda f: f["id"] == "f-answered_on")
    page.keyboard.type("09092004")
    pressed = _tab_to(page, lambda f: f["tag"] == "button")
    assert pressed["text"] == "Answer"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#v-status").inner_text().strip() == "answered"
    assert page.locator("#v-answered_on").inner_text().strip() == "2004-09-09"
    assert "two clinics" in page.locator("#v-answer").inner_text()
    back = _tab_to(page, lambda f: f["text"] == "Close", backwards=False)
    assert back["tag"] == "button"
    _tab_to(page, lambda f: f["text"] == "Information requests", backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(f"{base_url}/information-requests")
