"""Returns, programmes, reports, decisions and confidential cases in the browser."""

import datetime as dt
from pathlib import Path

import pypdfium2
import pytest

from conftest import screenshot
from rrms.services.core import records
from rrms.services.core.access import SYSTEM, Actor
from rrms.services.programmes.confidential import CONFIDENTIAL_CASES
from rrms.services.programmes.programmes import seed_programmes
from rrms.storage.unit_of_work import UnitOfWork

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifest-example.csv"
REGISTER = (
    "movement_ref,person_ref,family_ref,family_name,given_name,return_type,programme,"
    "sending_country,transport_mode,arrival_date,destination_municipality,secondary_transport\n"
    + "".join(
        f"M{i},P{i},F{i // 3},Krasniqi,Arben{i},voluntary,AVR,{country},{mode},"
        f"2004-{month:02d}-1{i % 9},{place},{'yes' if i % 2 else 'no'}\n"
        for i, (country, mode, month, place) in enumerate(
            [("DE", "air", 8, "Prishtinë")] * 12
            + [("NL", "air", 9, "Ferizaj")] * 6
            + [("GB", "land", 10, "Peja")] * 5
            + [("BE", "air", 10, "Gjakova")] * 2
        )
    )
)


@pytest.fixture(scope="module")
def seeded(server_factory):
    with UnitOfWork(server_factory) as uow:
        seed_programmes(uow, SYSTEM)
    unit = Actor(user_id=None, username="counter_trafficking_user", role="counter_trafficking")
    with UnitOfWork(server_factory) as uow:
        records.create_record(
            uow,
            unit,
            CONFIDENTIAL_CASES,
            {
                "case_type": "victim_assistance",
                "opened_on": dt.date(2004, 9, 2),
                "summary": "SECRET-CASE-SUMMARY",
                "district": "PRI",
            },
        )
    return server_factory


def test_returns_import_with_progress_then_list(seeded, signed_in, base_url, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    page = signed_in("caseworker")
    page.goto(f"{base_url}/arrivals")
    page.get_by_role("link", name="Import a returns register").click()
    page.get_by_label("Import a returns register (CSV or XLSX)").set_input_files(str(register))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("#import-done", timeout=20_000)
    assert "25 rows: 25 new arrivals" in page.locator("#import-done").inner_text()
    page.get_by_role("link", name="See the arrivals").click()
    page.get_by_label("By", exact=True).select_option("land")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table.listing tbody tr").count() == 5
    screenshot(page, "returns")


def test_programme_page_and_bulletin(seeded, signed_in, base_url):
    page = signed_in("programme_manager")
    page.goto(f"{base_url}/programmes")
    varrp = "Voluntary Assisted Return and Reintegration Programme"
    page.get_by_role("link", name=varrp, exact=False).first.click()
    assert "1,000.00 GBP" in page.locator("main").inner_text()
    page.goto(f"{base_url}/reports?date_from=2004-08-01&date_to=2004-10-31&public=false")
    news = page.locator("#news").inner_text()
    assert "returned through the AVR programme" in news
    screenshot(page, "reports")
    page.locator("#bulletin-html").click()
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "During the last three months" in body
    assert page.locator("svg").count() >= 1
    screenshot(page, "bulletin")
    assert page.get_by_role("link", name="RRMS", exact=True).count() == 1  # RRMS's header
    page.get_by_role("link", name="Back to reports").click()
    page.wait_for_url(f"{base_url}/reports?*")
    assert "returned through the AVR programme" in page.locator("#news").inner_text()
    assert page.get_by_label("Version").input_value() == "false"  # the same version


def choose(page, language: str) -> None:
    """Choose the pages' language in the header, as a reader does."""
    page.locator("#language-choice").select_option(language)
    with page.expect_navigation():
        page.locator("form[action='/language'] button").click()


def test_reports_in_the_readers_language(seeded, signed_in, base_url):
    page = signed_in("programme_manager")
    page.goto(f"{base_url}/reports")
    choose(page, "sq")
    page.goto(f"{base_url}/reports?date_from=2004-08-01&date_to=2004-10-31&public=false")
    news = page.locator("#news").inner_text()
    assert "u kthyen përmes programit AVR" in news and "returned" not in news
    page.locator("#bulletin-html").click()
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "Buletini i kthimit dhe riintegrimit" in body and "Lajme të shkurtra" in body
    assert "During the last" not in body and "News in brief" not in body
    page.get_by_role("link", name="Kthehu te raportet").click()
    page.wait_for_url(f"{base_url}/reports?*")
    with page.expect_download() as download:
        page.locator("#bulletin-pdf").click()
    document = pypdfium2.PdfDocument(download.value.path())
    text = "\n".join(sheet.get_textpage().get_text_range() for sheet in document)
    document.close()
    assert "Buletini i kthimit dhe riintegrimit" in text and "Gjithsej" in text
    assert "News in brief" not in text and "Total" not in text
    choose(page, "sr")
    page.goto(f"{base_url}/programmes")
    varrp = "Voluntary Assisted Return and Reintegration Programme"
    page.get_by_role("link", name=varrp, exact=False).first.click()
    assert "1.000,00 GBP" in page.locator("main").inner_text()  # the cap, as Serbian writes it
    choose(page, "en")


def test_public_bulletin_hides_small_counts(seeded, signed_in, base_url):
    page = signed_in("reporting")
    page.goto(f"{base_url}/reports?date_from=2004-08-01&date_to=2004-10-31")
    news = page.locator("#news").inner_text()
    assert "Belgium (2)" not in news
    assert page.get_by_label("Version").locator("option").count() == 1


def test_confidential_cases_only_for_their_unit(seeded, signed_in, base_url):
    unit = signed_in("counter_trafficking")
    unit.goto(f"{base_url}/confidential-cases")
    assert "victim assistance" in unit.locator("table.listing").inner_text()
    # Other tests add cases of their own: open the listed ones until the seeded case.
    links = [a.get_attribute("href") for a in unit.locator("table.listing tbody a").all()]
    case = None
    for href in links:
        unit.goto(f"{base_url}{href}")
        if "SECRET-CASE-SUMMARY" in unit.locator("#v-summary").inner_text():
            case = unit.url
            break
    assert case, "the unit's own case is listed and opens"
    other_unit = signed_in("medical")
    other_unit.goto(f"{base_url}/confidential-cases")
    assert "0 records" in other_unit.locator("#total").inner_text()
    assert other_unit.goto(case).status == 404
    assert "SECRET-CASE-SUMMARY" not in other_unit.content()
    for role in ("caseworker", "administrator"):
        page = signed_in(role)
        assert page.get_by_role("link", name="Confidential cases").count() == 0
        answer = page.goto(f"{base_url}/confidential-cases")
        assert answer.status == 403
        assert "SECRET-CASE-SUMMARY" not in page.content()


def test_record_screening_and_decide_with_reason(signed_in, base_url):
    page = signed_in("screening_officer")
    page.goto(f"{base_url}/screening")
    page.get_by_label("Notification list").set_input_files(str(EXAMPLE))
    page.get_by_label("Screening date").fill("2004-11-15")
    page.get_by_role("button", name="Screen the list").click()
    page.get_by_role("button", name="Record this screening and take decisions").click()
    page.wait_for_url(f"{base_url}/screening/lists/*")
    row = page.locator("tr", has_text="DE-0001")
    row.get_by_label("Decision", exact=True).select_option("review")
    row.get_by_role("button", name="Save decision").click()
    assert "reason" in page.get_by_role("alert").inner_text().lower()
    page.go_back()
    row = page.locator("tr", has_text="DE-0001")
    row.get_by_label("Decision", exact=True).select_option("review")
    row.get_by_label("Reason (required where the decision differs)").fill("medical report awaited")
    row.get_by_role("button", name="Save decision").click()
    assert "medical report awaited" in page.locator("tr", has_text="DE-0001").inner_text()
    screenshot(page, "screening-decisions")
