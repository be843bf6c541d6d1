"""The decisions page offers the reply to the sending state and the decisions export,
and the screening PDF names the list by the uploaded file's own name."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from rrms.web.server import create_server
from support.pages import sign_in
from support.pdf_text import pdf_text

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"


@pytest.fixture
def web(session_factory, actors, tmp_path, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "private"))
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "screening_officer")
        yield client


def _work(web: TestClient) -> str:
    answer = web.post(
        "/screening",
        files={"file": ("Liste Oktober.csv", EXAMPLE.read_bytes())},
        data={"as_of": "2004-11-15"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).split("?")[0]


def test_the_screening_pdf_names_the_uploaded_file_not_its_private_id(web: TestClient) -> None:
    work = _work(web)
    answer = web.get(f"{work}/download.pdf", params={"as_of": "2004-11-15"})
    text = pdf_text(answer.content)
    assert "ListeOktober.csv" in text
    assert work.rsplit("/", 1)[1] not in text


def test_an_officer_downloads_the_reply_and_the_decisions_from_the_page(web: TestClient) -> None:
    work = _work(web)
    recorded = web.post(f"{work}/record", data={"as_of": "2004-11-15"}, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    page = web.get(recorded.headers["location"]).text
    links = set(re.findall(r'href="(/screening/lists/\d+/(?:reply|export)\.[a-z]+[^"]*)"', page))
    assert len(links) == 6, links  # PDF and XLSX in English and German, CSV and XLSX
    letter = web.get(next(link for link in links if "reply.pdf" in link and "de" in link))
    assert letter.headers["content-type"] == "application/pdf"
    assert "Liste Oktober-reply-de.pdf" in letter.headers["content-disposition"]
    text = pdf_text(letter.content)
    assert "KrasniqiArben" in text and "Jovanović" in text
    assert "Noch offen".replace(" ", "") in text  # nothing decided yet: all pending
    export = web.get(next(link for link in links if link.endswith("export.xlsx")))
    sheet = load_workbook(io.BytesIO(export.content))["decisions"]
    names = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "Gashi Shpresa" in names and len(names) == 6
