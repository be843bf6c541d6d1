"""An officer records a list, decides, and downloads the reply to the sending state."""

import io
from pathlib import Path

import openpyxl

from conftest import screenshot
from rrms.policy.versions import PolicyCatalogue
from support.pdf_text import pdf_text, squeeze

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifest-example.csv"
NAMES = ("Krasniqi Arben", "Krasniqi Vjosa", "Jovanović Dragan", "Gashi Shpresa")


def test_an_officer_downloads_the_reply_letter_and_its_workbook(signed_in, base_url, tmp_path):
    listed = tmp_path / "Liste Oktober.csv"
    listed.write_bytes(EXAMPLE.read_bytes())
    page = signed_in("screening_officer")
    page.goto(f"{base_url}/screening")
    page.get_by_label("Notification list").set_input_files(str(listed))
    page.get_by_label("Screening date").fill("2004-11-15")
    page.get_by_role("button", name="Screen the list").click()
    page.get_by_role("button", name="Record this screening and take decisions").click()
    page.wait_for_url(f"{base_url}/screening/lists/*")
    serb = page.locator("tbody tr", has_text="DE-0003")
    serb.get_by_role("button", name="Save decision").click()  # object, as recommended
    page.wait_for_url(f"{base_url}/screening/lists/*")
    files = {}
    for name in (
        "Reply letter (PDF, English)",
        "Reply for the sending state's systems (XLSX, English)",
    ):
        with page.expect_download() as started:
            page.get_by_role("link", name=name).click()
        files[started.value.suggested_filename] = Path(started.value.path()).read_bytes()
    assert set(files) == {"Liste Oktober-reply-en.pdf", "Liste Oktober-reply-en.xlsx"}
    clause = PolicyCatalogue.bundled().get("unmik-orc-2004-08").clause("A1").text

    text = pdf_text(files["Liste Oktober-reply-en.pdf"])
    assert all(squeeze(name) in text for name in NAMES)
    assert squeeze(clause) in text and "Notaccepted" in text and "Pending" in text

    book = openpyxl.load_workbook(io.BytesIO(files["Liste Oktober-reply-en.xlsx"]))
    rows = {row[0]: row for row in book["persons"].iter_rows(min_row=3, values_only=True)}
    assert {rows[ref][2] for ref in rows} >= set(NAMES)
    assert rows["DE-0003"][4] == "not_accepted" and clause in rows["DE-0003"][8]
    screenshot(page, "screening-reply-downloads")
