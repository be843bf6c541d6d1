"""The caseworker's desk in the browser (issue 10): record a person with choices, put a
relative in their family and record a document from the person page, then record an
assistance whose over-cap refusal appears beside the amount field, and correct it."""

import datetime as dt
import re

import pytest

from conftest import screenshot
from rrms.services.core import records
from rrms.services.core.access import SYSTEM
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.persons import PERSONS
from rrms.services.returns.arrivals import RETURNS
from rrms.storage.unit_of_work import UnitOfWork


@pytest.fixture(scope="module")
def daughter(server_factory):
    """A relative already recorded, to be put in the family; the programmes exist."""
    with UnitOfWork(server_factory) as uow:
        seed_programmes(uow, SYSTEM)
    with UnitOfWork(server_factory) as uow:
        return records.create_record(
            uow, SYSTEM, PERSONS, {"family_name": "Rexhepi", "given_name": "Vjosa"}
        ).id


def test_a_caseworker_records_a_person_a_relative_a_document_and_an_assistance(
    server_factory, daughter, signed_in, base_url
):
    page = signed_in("caseworker")
    page.goto(f"{base_url}/persons/new")
    page.get_by_label("Family name").fill("Rexhepi")
    page.get_by_label("Given name").fill("Fatmir")
    page.get_by_label("Birth date").fill("1969")
    page.get_by_label("Sex").select_option(label="male")
    page.get_by_label("Community").select_option(label="Albanian")
    page.get_by_label("Municipality of origin").fill("Prizren")
    with page.expect_navigation():
        page.get_by_role("button", name="Record", exact=True).click()
    confirm = page.get_by_role("button", name="This is someone else: record")
    if confirm.count():
        with page.expect_navigation():
            confirm.click()
    found = re.fullmatch(rf"{base_url}/persons/(\d+)", page.url)
    assert found, page.url
    person = int(found.group(1))
    assert "male" in page.locator(".cards").inner_text()
    with UnitOfWork(server_factory) as uow:  # he came back from the United Kingdom
        records.create_record(
            uow,
            SYSTEM,
            RETURNS,
            {
                "movement_ref": "MV-E2E-DESK",
                "person_id": person,
                "return_type": "voluntary",
                "sending_country": "GB",
                "transport_mode": "air",
                "arrival_date": dt.date(2004, 6, 1),
                "destination_municipality": "Prizren",
            },
        )

    form = page.locator("#family-form")
    form.get_by_label("Family reference").fill("F-E2E-REXHEPI")
    form.get_by_label("Relationship to the head").select_option(label="head of family")
    with page.expect_navigation():
        form.get_by_role("button", name="Record a new family").click()
    with page.expect_navigation():
        page.get_by_role("link", name="F-E2E-REXHEPI").click()
    adding = page.locator("#add-member")
    adding.get_by_label("Person").fill(str(daughter))
    adding.get_by_label("Relationship to the head").select_option(label="child")
    with page.expect_navigation():
        adding.get_by_role("button", name="Add to the family").click()
    assert "Rexhepi Vjosa" in page.locator("#member-list").inner_text()
    page.goto(f"{base_url}/persons/{person}")
    assert "Rexhepi Vjosa (child)" in page.locator("#family ~ ul.members").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="Record a document").click()
    page.get_by_label("Kind of document").select_option(label="passport")
    page.get_by_label("Number").fill("P-E2E-1")
    with page.expect_navigation():
        page.get_by_role("button", name="Record", exact=True).click()
    assert page.url == f"{base_url}/persons/{person}"
    assert "P-E2E-1" in page.locator("main").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="Record an assistance").click()
    varrp = page.locator("#f-programme_id option", has_text="VARRP — ").get_attribute("value")
    page.get_by_label("Programme").select_option(varrp)
    page.get_by_label("Kind of assistance").select_option(label="reintegration grant")
    page.get_by_label("Amount").fill("1200")
    page.get_by_label("Currency").select_option("GBP")
    with page.expect_navigation():
        page.get_by_role("button", name="Record", exact=True).click()
    beside = page.locator("#e-amount")
    assert "1,000.00 GBP" in beside.inner_text()
    assert page.get_by_label("Amount").input_value() == "1200", "what was typed is kept"
    screenshot(page, "desk-assistance-refused")
    page.get_by_label("Amount").fill("800")
    with page.expect_navigation():
        page.get_by_role("button", name="Record", exact=True).click()
    assert re.fullmatch(rf"{base_url}/assistance/\d+", page.url), page.url
    assert "800.00" in page.locator("#v-amount").inner_text()
    assert "requested" in page.locator("#v-status").inner_text()
