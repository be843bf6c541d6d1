"""More pages in the browser: screening downloads, the information-request queue, a
person's page, confidential cases kept out of it, accessibility basics, small screens."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from sqlalchemy import select, update

from conftest import PASSWORD
from rrms.domain.vocabulary import OUTCOMES
from rrms.formats.safe_cells import FORMULA_PREFIXES
from rrms.services.accounts.users import actor_of
from rrms.services.core import records
from rrms.services.core.access import SYSTEM, Actor
from rrms.services.programmes.assistance import ASSISTANCE
from rrms.services.programmes.confidential import CASE_TYPES, CONFIDENTIAL_CASES
from rrms.services.programmes.information_requests import INFORMATION_REQUESTS
from rrms.services.programmes.programmes import programme_by_code, seed_programmes
from rrms.services.programmes.projects import PROJECTS
from rrms.services.records.persons import FAMILIES, PERSONS, add_member
from rrms.services.returns.arrivals import RETURNS
from rrms.services.screening.decisions import screen_and_record
from rrms.storage.tables import ScreeningDecision, User
from rrms.storage.unit_of_work import UnitOfWork

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifest-example.csv"
# Two more persons whose references look like spreadsheet formulas: the downloads must
# keep them from being evaluated.
FORMULA_ROWS = (
    "=1+2,@F7,Morina,Ervin,,m,1982,head,albanian,,Prizren,,forced,DE,"
    "no,no,no,no,no,no,,no,,,yes,,,\n"
    "-0009,+F8,Kelmendi,Drita,,f,1985,head,albanian,,Pejë,,forced,DE,"
    "no,no,no,no,no,no,,no,,,yes,,,@note\n"
)
AS_OF = "2004-11-15"
LARGE, SMALL = {"width": 1366, "height": 768}, {"width": 1024, "height": 640}


def staff(role: str) -> Actor:
    """An actor of the role, as in test_work_pages (services act on roles)."""
    return Actor(user_id=None, username=f"{role}_user", role=role)


def create(factory, role: str, record_kind, /, **values):
    with UnitOfWork(factory) as uow:
        return records.create_record(uow, staff(role), record_kind, values)


def upload(page, base_url: str, path: Path) -> None:
    page.goto(f"{base_url}/screening")
    page.get_by_label("Notification list").set_input_files(str(path))
    page.get_by_label("Screening date").fill(AS_OF)
    page.get_by_role("button", name="Screen the list").click()
    page.wait_for_url(f"{base_url}/screening/work/*")


def section(page, heading: str):
    """What follows an <h2> on the page, up to the next one (its list or table)."""
    return page.locator("main h2", has_text=heading).locator("xpath=following-sibling::*[1]")


@pytest.fixture(scope="module")
def setting(server_factory):
    """Persons with a family, a return, a screening decision, assistance and a project;
    a person with a counter-trafficking case; two information requests."""
    with UnitOfWork(server_factory) as uow:
        seed_programmes(uow, SYSTEM)
        varrp = programme_by_code(uow, "VARRP").id
    head = create(
        server_factory,
        "caseworker",
        PERSONS,
        family_name="Dervishi",
        given_name="Agron",
        birth_date="1970",
        community="albanian",
    )
    spouse = create(
        server_factory, "caseworker", PERSONS, family_name="Dervishi", given_name="Mimoza"
    )
    family = create(server_factory, "caseworker", FAMILIES, family_ref="MORE-FAM-1")
    for person, relationship in ((head, "head"), (spouse, "spouse")):
        with UnitOfWork(server_factory) as uow:
            add_member(uow, staff("caseworker"), family.id, person.id, relationship)
    create(
        server_factory,
        "caseworker",
        RETURNS,
        movement_ref="MORE-MV-1",
        person_id=head.id,
        return_type="voluntary",
        sending_country="GB",
        transport_mode="air",
        arrival_date=dt.date(2004, 6, 1),
        destination_municipality="Prishtinë",
    )
    create(
        server_factory,
        "caseworker",
        ASSISTANCE,
        person_id=head.id,
        programme_id=varrp,
        kind="reintegration_grant",
        amount=Decimal("500"),
        currency="GBP",
        requested_on=dt.date(2004, 7, 1),
    )
    create(
        server_factory,
        "programme_manager",
        PROJECTS,
        programme_id=varrp,
        person_id=head.id,
        name="Dervishi bee-keeping",
        sector="agriculture",
        scope="individual",
        approved_on=dt.date(2004, 7, 15),
    )
    with UnitOfWork(server_factory) as uow:
        officer = actor_of(
            uow.session.scalars(select(User).where(User.username == "screening_officer_user")).one()
        )
        screened, _ = screen_and_record(
            uow, officer, EXAMPLE, dt.date.fromisoformat(AS_OF), "more-pages.csv"
        )
    # No service links a list's person to a recorded person yet: link one directly.
    with UnitOfWork(server_factory) as uow:
        uow.session.execute(
            update(ScreeningDecision)
            .where(
                ScreeningDecision.list_id == screened.id, ScreeningDecision.person_ref == "DE-0001"
            )
            .values(person_id=head.id)
        )
        uow.commit()
    victim = create(server_factory, "caseworker", PERSONS, family_name="Zeqiri", given_name="Lirie")
    create(
        server_factory,
        "counter_trafficking",
        CONFIDENTIAL_CASES,
        person_id=victim.id,
        case_type="shelter_referral",
        opened_on=dt.date(2004, 10, 3),
        district="PEJ",
        summary="LINKED-CT-SUMMARY",
    )
    create(
        server_factory,
        "programme_manager",
        INFORMATION_REQUESTS,
        requesting_mission="IOM Bern",
        topic="housing",
        question="QUEUE-OPEN: is there housing in Peja?",
        received_on=dt.date(2004, 11, 1),
    )
    create(
        server_factory,
        "caseworker",
        INFORMATION_REQUESTS,
        requesting_mission="Canton of Vaud",
        topic="medical_care",
        question="QUEUE-ANSWERED: is dialysis available in Prizren?",
        answer="Yes, at the regional hospital.",
        status="answered",
        received_on=dt.date(2004, 10, 1),
        answered_on=dt.date(2004, 10, 5),
    )
    return {
        "head": head.id,
        "spouse": spouse.id,
        "victim": victim.id,
        "screened": screened.id,
    }


# --- 1. screening downloads ------------------------------------------------------------


def test_screening_result_downloads_as_csv_xlsx_and_pdf(signed_in, base_url, tmp_path):
    good = tmp_path / "with-formulas.csv"
    good.write_text(EXAMPLE.read_text(encoding="utf-8") + FORMULA_ROWS, encoding="utf-8")
    refs = [line.split(",", 1)[0] for line in good.read_text(encoding="utf-8").splitlines()[1:]]
    page = signed_in("screening_officer")
    upload(page, base_url, good)
    files = {}
    for kind in ("CSV", "XLSX", "PDF"):
        with page.expect_download() as started:
            page.get_by_role("link", name=f"Download {kind}").click()
        download = started.value
        assert download.suggested_filename == f"with-formulas-screening.{kind.lower()}"
        files[kind] = Path(download.path()).read_bytes()

    rows = list(csv.reader(io.StringIO(files["CSV"].decode("utf-8-sig"))))
    # The persons, then a blank line and the notes on the list (its warnings).
    end = rows.index([]) if [] in rows else len(rows)
    header, body = rows[0], rows[1:end]
    assert "outcome" in header and "person_ref" in header
    assert len(body) == len(refs)
    outcome, ref = header.index("outcome"), header.index("person_ref")
    assert {row[outcome] for row in body} <= set(OUTCOMES)
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), cell
    assert [row[ref].removeprefix("'") for row in body] == refs
    assert {row[ref] for row in body} >= {"'=1+2", "'-0009"}

    book = openpyxl.load_workbook(io.BytesIO(files["XLSX"]))
    sheet = book.active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == header and len(values) == len(body) + 1
    assert {row[ref] for row in values[1:]} >= {"=1+2", "-0009"}  # stored as text

    assert files["PDF"].startswith(b"%PDF")
    pdf = pypdfium2.PdfDocument(files["PDF"])
    try:
        assert len(pdf) >= 1
        text = pdf[0].get_textpage().get_text_range()
        assert "DE-0001" in text
    finally:
        pdf.close()


# --- 2. the information-request queue ---------------------------------------------------


@pytest.mark.parametrize("role", ["caseworker", "programme_manager"])
def test_information_request_queue_shows_status_and_turnaround(setting, signed_in, base_url, role):
    page = signed_in(role)
    page.get_by_role("navigation").get_by_role("link", name="Information requests").click()
    page.wait_for_url(f"{base_url}/information-requests")
    rows = page.locator("table.listing tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    opened = next(i for i, t in enumerate(texts) if "IOM Bern" in t)
    answered = next(i for i, t in enumerate(texts) if "Canton of Vaud" in t)
    headers = [h.strip(" ▲▼") for h in page.locator("table.listing thead th").all_inner_texts()]
    status, turnaround = headers.index("Status"), headers.index("Turnaround (days)")
    cells = rows.nth(answered).locator("td").all_inner_texts()
    assert (cells[status], cells[turnaround]) == ("answered", "4")
    days_open = (dt.date.today() - dt.date(2004, 11, 1)).days
    cells = rows.nth(opened).locator("td").all_inner_texts()
    assert (cells[status], cells[turnaround]) == ("open", f"open for {days_open}")
    page.get_by_label("Status").select_option("answered")
    assert "status=answered" not in page.url, "a choice alone does not reload the page"
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert "status=answered" in page.url
    shown = page.locator("table.listing tbody").inner_text()
    assert "Canton of Vaud" in shown and "IOM Bern" not in shown


def test_reporting_cannot_open_the_information_request_queue(setting, signed_in, base_url):
    page = signed_in("reporting")
    assert page.get_by_role("link", name="Information requests").count() == 0
    answer = page.goto(f"{base_url}/information-requests")
    assert answer.status == 403
    assert page.locator("h1").inner_text() == "Not possible"
    assert "QUEUE-" not in page.content()


# --- 3. a person's page ----------------------------------------------------------------


def test_person_page_shows_every_section(setting, signed_in, base_url):
    page = signed_in("administrator")  # the one role that reads all the sections
    page.goto(f"{base_url}/persons/{setting['head']}")
    assert page.locator("h1").inner_text() == "Dervishi Agron"
    headings = page.locator("main h2").all_inner_texts()
    for heading in (
        "Family",
        "Returns",
        "Screening decisions",
        "Assistance",
        "Projects",
        "Audit trail",
    ):
        assert heading in headings, headings
    family = page.locator("main h2", has_text="Family").locator("xpath=following-sibling::ul[1]")
    assert "MORE-FAM-1" in page.locator("main h3").all_inner_texts()
    assert "Dervishi Mimoza (spouse)" in family.inner_text()
    assert family.get_by_role("link", name="Dervishi Mimoza").get_attribute("href") == (
        f"/persons/{setting['spouse']}"
    )
    assert "2004-06-01" in section(page, "Returns").inner_text()
    assert "GB" in section(page, "Returns").inner_text()
    decision = section(page, "Screening decisions").inner_text()
    assert "unmik-orc-2004-08" in decision and "no decision yet" in decision
    assert "500.00 GBP" in section(page, "Assistance").inner_text()
    assert "Dervishi bee-keeping" in section(page, "Projects").inner_text()
    trail = section(page, "Audit trail").locator("tbody tr")
    assert trail.count() >= 1
    assert "caseworker_user" in trail.last.inner_text() and "create" in trail.last.inner_text()


def test_person_page_shows_only_sections_the_role_may_read(setting, signed_in, base_url):
    page = signed_in("caseworker")
    page.goto(f"{base_url}/persons/{setting['head']}")
    headings = page.locator("main h2").all_inner_texts()
    assert "Returns" in headings and "Screening decisions" not in headings


def test_person_page_sections_are_translated(setting, signed_in, base_url):
    page = signed_in("administrator")
    page.goto(f"{base_url}/persons/{setting['head']}")
    for language, returns in (("sq", "Kthimet"), ("sr", "Povraci")):
        page.locator("#language-choice").select_option(language)
        with page.expect_navigation():
            choose_language(page)
        assert page.locator("html").get_attribute("lang") == language
        headings = page.locator("main h2").all_inner_texts()
        assert returns in headings, headings
        english = {"Returns", "Screening decisions", "Assistance", "Projects", "Audit trail"}
        assert not english & set(headings), headings


# --- 4. confidential cases never leak --------------------------------------------------

CASE_WORDS = [
    word
    for types in CASE_TYPES.values()
    for case_type in types
    for word in (case_type, case_type.replace("_", " "))
] + ["trafficking", "confidential", "LINKED-CT-SUMMARY", "case(s)", "victim"]


def leaked(html: str) -> list[str]:
    text = html.lower()
    return [word for word in CASE_WORDS if word.lower() in text]


def test_confidential_case_leaves_no_trace_on_the_person(setting, signed_in, base_url):
    for role in ("caseworker", "administrator"):
        page = signed_in(role)
        page.goto(f"{base_url}/persons")
        page.get_by_label("Name, in any script or spelling").fill("Zeqiri Lirie")
        page.get_by_label("Name, in any script or spelling").press("Enter")
        results = page.locator("#search-results")
        assert "Lirie" in results.inner_text()
        assert not leaked(page.content()), role
        with page.expect_navigation():
            results.get_by_role("link", name="Zeqiri").click()
        assert page.url == f"{base_url}/persons/{setting['victim']}"
        assert page.locator("h1").inner_text() == "Zeqiri Lirie"
        assert not leaked(page.content()), (role, leaked(page.content()))
        assert page.get_by_role("link", name="Confidential cases").count() == 0


def test_other_unit_does_not_see_the_linked_case(setting, signed_in, base_url):
    unit = signed_in("counter_trafficking")
    unit.goto(f"{base_url}/confidential-cases")
    assert "shelter referral" in unit.locator("table.listing").inner_text()
    medical = signed_in("medical")
    medical.goto(f"{base_url}/confidential-cases")
    assert "LINKED-CT-SUMMARY" not in medical.content()
    shown = medical.locator("main").inner_text()
    for case_type in CASE_TYPES["counter_trafficking"]:
        for word in (case_type, case_type.replace("_", " ")):
            assert word not in shown
    assert medical.locator("#total").inner_text().startswith("0 records")


# --- 5. accessibility basics ------------------------------------------------------------

UNNAMED_FIELDS = """() => {
  const named = (ids) => (ids || "").split(/\\s+/).filter(Boolean).some(
    (id) => (document.getElementById(id)?.textContent || "").trim());
  const shown = (el) => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  return [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && shown(el))
    .filter((el) => {
      const byFor = el.id && [...document.querySelectorAll("label")].some(
        (label) => label.htmlFor === el.id && label.textContent.trim());
      const wrapped = (el.closest("label")?.textContent || "").trim();
      const aria = (el.getAttribute("aria-label") || "").trim();
      return !(byFor || wrapped || aria || named(el.getAttribute("aria-labelledby")));
    })
    .map((el) => el.outerHTML);
}"""


def choose_language(page) -> None:
    """Press the language chooser's button (its label is in the page's language)."""
    page.locator("form[action='/language'] button").click()


def check_basics(page, language: str = "en") -> None:
    where = page.url
    assert page.locator("html").get_attribute("lang") == language, where
    assert page.evaluate(UNNAMED_FIELDS) == [], where
    assert page.locator("h1").count() == 1, where
    assert page.locator("img:not([alt])").count() == 0, where
    skip = page.locator("a.skip")
    assert skip.count() == 1 and skip.get_attribute("href") == "#main", where
    assert page.locator("main#main").count() == 1, where


def main_pages(page, base_url: str, tmp_path: Path, role: str) -> list[str]:
    """The paths of the main pages the role works with (uploading a list for the results)."""
    if role == "screening_officer":
        good = tmp_path / "list.csv"
        good.write_text(EXAMPLE.read_text(encoding="utf-8") + FORMULA_ROWS, encoding="utf-8")
        upload(page, base_url, good)
        return ["/", "/screening", page.url.removeprefix(base_url), "/screening/lists"]
    if role == "caseworker":
        return ["/", "/persons?q=Dervishi", "/persons/new", "/arrivals", "/information-requests"]
    return ["/", "/programmes", "/reports?date_from=2004-08-01&date_to=2004-10-31"]


def test_sign_in_page_basics_in_each_language(browser, base_url):
    for locale, language in (("en-GB", "en"), ("sq-AL", "sq"), ("sr-Latn-RS", "sr")):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(f"{base_url}/sign-in")
        check_basics(page, language)
        context.close()


@pytest.mark.parametrize("role", ["screening_officer", "caseworker", "programme_manager"])
def test_main_pages_basics(setting, signed_in, base_url, tmp_path, role):
    page = signed_in(role)
    for path in main_pages(page, base_url, tmp_path, role):
        page.goto(f"{base_url}{path}")
        check_basics(page)


def test_chosen_language_is_the_page_language(setting, signed_in, base_url):
    page = signed_in("caseworker")
    for path in ("/", "/persons", "/arrivals", "/reports"):
        page.goto(f"{base_url}{path}")
        for language in ("sq", "sr", "en"):
            page.locator("#language-choice").select_option(language)
            with page.expect_navigation():
                choose_language(page)
            assert page.url.startswith(f"{base_url}{path.split('?')[0]}")
            check_basics(page, language)


def test_sign_in_with_the_keyboard_only(browser, base_url):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{base_url}/sign-in")
    focused = """() => { const el = document.activeElement;
        return el.id || el.className || el.textContent.trim(); }"""
    assert page.evaluate(focused) == "username", "the first field has the focus"
    order = []
    for _ in range(15):  # Tab goes round the whole page and back to the first field
        page.keyboard.press("Tab")
        order.append(page.evaluate(focused))
        if order[-1] == "username":
            break
    assert order[:2] == ["password", "Sign in"] and order[-1] == "username", order
    assert order.index("skip") < order.index("language-choice"), order
    page.keyboard.type("caseworker_user")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base_url}/"
    assert "caseworker_user" in page.locator(".who").inner_text()
    assert page.get_by_role("button", name="Sign out").is_visible()
    context.close()


def test_skip_link_is_first_and_moves_to_the_content(signed_in, base_url):
    page = signed_in("caseworker")
    page.goto(f"{base_url}/arrivals")
    page.keyboard.press("Tab")
    active = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.innerText]"
    )
    assert active == ["skip", "Skip to content"]
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "visible when focused"
    page.keyboard.press("Enter")
    assert page.url.endswith("/arrivals#main")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


# --- 6. a small laptop screen ----------------------------------------------------------

OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.mark.parametrize("role", ["screening_officer", "caseworker", "programme_manager"])
def test_no_horizontal_scrolling_on_a_small_laptop(setting, signed_in, base_url, tmp_path, role):
    page = signed_in(role)
    paths = main_pages(page, base_url, tmp_path, role)
    if role == "screening_officer":
        paths.append(f"/screening/lists/{setting['screened']}")
    if role == "caseworker":
        paths.append(f"/persons/{setting['head']}")
    if role == "programme_manager":
        page.goto(f"{base_url}/programmes")
        varrp = page.get_by_role("link", name="Voluntary Assisted Return", exact=False)
        paths.append(varrp.first.get_attribute("href"))
    wide = []
    for viewport in (LARGE, SMALL):
        page.set_viewport_size(viewport)
        for path in paths:
            page.goto(f"{base_url}{path}")
            scroll, inner = page.evaluate(OVERFLOW)
            if scroll > inner:
                wide.append((viewport["width"], path, scroll))
    assert not wide, wide


def test_sign_in_page_fits_a_small_laptop(browser, base_url):
    for viewport in (LARGE, SMALL):
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        page.goto(f"{base_url}/sign-in")
        scroll, inner = page.evaluate(OVERFLOW)
        assert scroll <= inner, (viewport, scroll)
        context.close()
