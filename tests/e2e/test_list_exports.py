"""Lists in the browser: filter the persons list, download it as XLSX, and find in the
file exactly the rows the page showed (issue 10, "Lists people can work with")."""

from __future__ import annotations

from openpyxl import load_workbook

from rrms.services.core import records
from rrms.services.core.access import SYSTEM
from rrms.services.records.persons import PERSONS
from rrms.storage.unit_of_work import UnitOfWork

PEOPLE = [
    ("LX-003", "Dragaçi", "Emin", "1933-04-02", "Dragash"),
    ("LX-001", "Bajrami", "Sevdije", "1931", "Dragaš"),
    ("LX-002", "Ćazimi", "Nedžad", "1934-12", "Dragash"),
    ("LX-004", "Bajrami", "Ismet", "1950", "Dragash"),  # born outside the range
    ("LX-005", "Bajrami", "Ferid", "1932", "Prizren"),  # from another municipality
]


def test_a_filtered_list_downloads_as_the_rows_shown(server_factory, signed_in, base_url, tmp_path):
    with UnitOfWork(server_factory) as uow:
        for ref, family, given, born, place in PEOPLE:
            records.create_record(
                uow,
                SYSTEM,
                PERSONS,
                {
                    "person_ref": ref,
                    "family_name": family,
                    "given_name": given,
                    "birth_date": born,
                    "community": "gorani",
                    "origin_municipality": place,
                },
            )
    page = signed_in("caseworker")
    page.goto(f"{base_url}/persons")
    filters = page.locator("#filters")
    filters.get_by_label("Community").select_option("gorani")
    filters.get_by_label("Municipality of origin").fill("Dragas")
    filters.get_by_label("Birth year: From").fill("1930")
    filters.get_by_label("Birth year: To").fill("1935")
    filters.get_by_role("button", name="Filter").click()
    page.wait_for_selector("#total")
    assert "3 records" in page.locator("#total").inner_text()
    page.get_by_role("link", name="Reference").click()
    page.wait_for_url("**sort=person_ref**")
    shown = page.locator("table.listing tbody tr td:nth-child(2)").all_inner_texts()
    assert [text.strip() for text in shown] == ["LX-001", "LX-002", "LX-003"]
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("persons-") and saved.suffix == ".xlsx"
    sheet = load_workbook(saved).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:3] == ["Number", "Reference", "Family name"]
    found = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [r["Reference"] for r in found] == ["LX-001", "LX-002", "LX-003"]
    assert [r["Family name"] for r in found] == ["Bajrami", "Ćazimi", "Dragaçi"]
    assert {r["Municipality of origin"] for r in found} == {"Dragash/Dragaš"}
