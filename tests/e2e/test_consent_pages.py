"""Consents in the browser: a caseworker records a person's consent and its withdrawal
on the person's page; a programme manager's export without consent is refused on the
sharing page."""

from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.records.persons import PERSONS
from rrms.storage.unit_of_work import UnitOfWork


def test_record_and_withdraw_a_consent(server_factory, signed_in, base_url):
    worker = Actor(user_id=None, username="caseworker_user", role="caseworker")
    with UnitOfWork(server_factory) as uow:
        person = records.create_record(
            uow, worker, PERSONS, {"family_name": "Shala", "given_name": "Fatmire"}
        )
    page = signed_in("caseworker")
    page.goto(f"{base_url}/persons/{person.id}")
    assert "No consent recorded." in page.locator("main").inner_text()
    form = page.locator("#consent-form")
    form.get_by_label("Purpose").select_option("referral_to_partner")
    form.get_by_label("demographics").check()
    form.get_by_label("Recipients (comma-separated)").fill("Women's Wellness Centre")
    form.get_by_label("Given on").fill("2004-03-01")
    form.get_by_role("button", name="Record consent").click()
    page.wait_for_url(f"{base_url}/persons/{person.id}#consents")
    table = page.locator("#consents + table")
    assert "Women's Wellness Centre" in table.inner_text()
    assert "referral to a partner" in table.inner_text()
    table.get_by_label("Withdrawn on").fill("2004-04-01")
    table.get_by_role("button", name="Record withdrawal").click()
    page.wait_for_url(f"{base_url}/persons/{person.id}#consents")
    assert "2004-04-01 (caseworker_user)" in page.locator("#consents + table").inner_text()


def test_an_export_without_consent_is_refused(signed_in, base_url):
    page = signed_in("programme_manager")
    page.get_by_role("link", name="Sharing").click()
    page.get_by_label("Purpose").select_option("research")
    page.get_by_label("Recipient").fill("Some Newspaper")
    page.get_by_role("button", name="Export").click()
    alert = page.get_by_role("alert").inner_text()
    assert "'research'" in alert and "nothing was exported" in alert
