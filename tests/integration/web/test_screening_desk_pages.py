"""The screening officer's desk through the pages: who is on the list, its warnings in
every view and download, answers corrected, decisions in bulk, and closing a list."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from rrms.web.server import create_server
from support.pages import sign_in
from support.screening_lists import desk_list


@pytest.fixture
def web(session_factory, actors, tmp_path, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "private"))
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "screening_officer")
        yield client


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form"
    return found.group(1)


@pytest.fixture
def uploaded(web: TestClient, tmp_path) -> str:
    """The desk list uploaded on the screening page; returns its results address."""
    path = desk_list(tmp_path)
    token = _token(web.get("/screening").text)
    answer = web.post(
        "/screening",
        files={"file": (path.name, path.read_bytes())},
        data={"as_of": "2004-11-15", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_results_show_who_is_on_the_list_and_its_warnings(web: TestClient, uploaded: str):
    page = web.get(uploaded).text
    assert "Screening of Liste Oktober.csv" in page
    row = page.split('id="person-DE-0009"')[1].split("</tr>")[0]
    assert "Јовановић, Милица" in row and "1944-05" in row and "Пећ" in row
    assert "Unknown column remarks kept as extra data" in page
    assert "Encoding detected: UTF-8" in page


def test_an_answer_stays_open_to_correction_on_the_results_page(web: TestClient, uploaded: str):
    page = web.get(uploaded).text
    where = uploaded.split("?")[0]
    web.post(
        f"{where}/answers",
        data={
            "csrf_token": _token(page),
            "as_of": "2004-11-15",
            "answer|DE-0007|mixed_marriage": "yes",
        },
    )
    page = web.get(uploaded).text
    row = page.split('id="person-DE-0007"')[1].split("</tr>")[0]
    assert '<option value="yes" selected>' in row and "answered: yes" in row
    assert 'id="summary-object">6<' in page
    web.post(
        f"{where}/answers",
        data={
            "csrf_token": _token(page),
            "as_of": "2004-11-15",
            "answer|DE-0007|mixed_marriage": "no",
        },
    )
    assert 'id="summary-object">4<' in web.get(uploaded).text


def test_downloads_name_the_list_and_carry_who_and_the_warnings(web: TestClient, uploaded: str):
    where = uploaded.split("?")[0]
    text = web.get(f"{where}/download.csv", params={"as_of": "2004-11-15"}).content.decode(
        "utf-8-sig"
    )
    persons, notes = text.split("\n\n")
    rows = list(csv.DictReader(io.StringIO(persons)))
    cyrillic = next(r for r in rows if r["person_ref"] == "DE-0009")
    assert (cyrillic["family_name"], cyrillic["birth_date"], cyrillic["community"]) == (
        "Јовановић",
        "1944-05",
        "serb",
    )
    listed = list(csv.reader(io.StringIO(notes)))
    assert ["list", "", "", "Liste Oktober.csv", "the uploaded file"] in listed
    assert ["encoding", "", "", "UTF-8", "the encoding detected"] in listed
    assert any(r[0] == "warning" and r[2] == "remarks" for r in listed)
    xlsx = web.get(f"{where}/download.xlsx", params={"as_of": "2004-11-15"})
    book = load_workbook(io.BytesIO(xlsx.content))
    header = [c.value for c in next(book["screening"].iter_rows())]
    assert header[:3] == ["person_ref", "family_name", "given_name"]
    assert any(r[3] == "Liste Oktober.csv" for r in book["notes"].iter_rows(values_only=True))
    pdf = web.get(f"{where}/download.pdf", params={"as_of": "2004-11-15"})
    assert pdf.content.startswith(b"%PDF")
    assert "Liste Oktober-screening.pdf" in pdf.headers["content-disposition"]


def test_record_correct_accept_in_bulk_and_close(web: TestClient, uploaded: str):
    page = web.get(uploaded).text
    where = uploaded.split("?")[0]
    recorded = web.post(
        f"{where}/record",
        data={"csrf_token": _token(page), "as_of": "2004-11-15"},
        follow_redirects=False,
    )
    decisions = str(recorded.headers["location"])
    list_id = decisions.rsplit("/", 1)[1]
    page = web.get(decisions).text
    assert "Јовановић, Милица" in page and "Unknown column remarks kept as extra data" in page
    head = re.search(r'id="decision-(\d+)">\s*<td>DE-0007', page)
    assert head
    head_id = head.group(1)
    # a wrong answer, then its correction: the family turns to object, then back
    for value, outcome in (("yes", "object"), ("no", "accept")):
        web.post(
            f"/screening/decisions/{head_id}/answers",
            data={"csrf_token": _token(page), "answer|mixed_marriage": value},
        )
        page = web.get(decisions).text
        row = page.split(f'id="decision-{head_id}"')[1].split("</tr>")[0]
        assert f'class="outcome">{outcome}<' in row, value
        assert f'<option value="{value}" selected>' in row
    web.post(
        f"/screening/lists/{list_id}/accept",
        data={"csrf_token": _token(page), "scope": "family", "family_ref": "F7"},
    )
    lists = web.get("/screening/lists").text
    row = lists.split(f'id="list-{list_id}"')[1].split("</tr>")[0]
    assert 'class="decided">2<' in row and 'class="undecided">7<' in row
    assert 'class="count-object">4<' in row
    page = web.get(decisions).text
    assert 'id="close-list"' not in page
    web.post(
        f"/screening/lists/{list_id}/accept",
        data={"csrf_token": _token(page), "scope": "accept_or_object"},
    )
    page = web.get(decisions).text
    web.post(f"/screening/lists/{list_id}/close", data={"csrf_token": _token(page)})
    page = web.get(decisions).text
    assert "its answers and decisions can no longer change" in page
    assert "answer|mixed_marriage" not in page and 'id="accept-page"' not in page
    refused = web.post(
        f"/screening/decisions/{head_id}/answers",
        data={"csrf_token": _token(page), "answer|mixed_marriage": "yes"},
    )
    assert refused.status_code == 409 and "was closed on" in refused.text
