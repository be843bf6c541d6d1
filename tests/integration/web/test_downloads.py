"""Downloads of a list named in any script, with any character in its cells.

A list uploaded as `списак.csv` once made its CSV and PDF downloads answer 500 (the
file name could not be written in the Content-Disposition header), and a control
character in a cell made the XLSX download answer 500 (XLSX cannot hold it).
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from rrms.web.server import create_server
from support.pages import sign_in

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"
NAME = "списак.csv"


def _list_with_a_control_character() -> bytes:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    # a column of the sending state's own (kept as extra data, written to every result)
    # whose first cell holds a control character
    lines = [line + ",remark" for line in lines[:1]] + [line + "," for line in lines[1:]]
    lines[1] += "remark\x01 with a control character"
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path))
    return tmp_path


def test_downloads_of_a_cyrillic_file_name_with_a_control_character(
    session_factory, actors, data_dir
):
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "screening_officer")
        uploaded = client.post(
            "/screening",
            data={"as_of": "2004-11-15"},
            files={"file": (NAME, _list_with_a_control_character(), "text/csv")},
            follow_redirects=False,
        )
        assert uploaded.status_code == 303, uploaded.text
        work = uploaded.headers["location"].split("?")[0]
        for extension in ("csv", "pdf", "xlsx"):
            answer = client.get(f"{work}/download.{extension}?as_of=2004-11-15")
            assert answer.status_code == 200, (extension, answer.text[:300])
            disposition = answer.headers["content-disposition"]
            disposition.encode("ascii")  # a header is ASCII; the name travels encoded
            assert 'filename="spisak-screening.' in disposition, disposition
            encoded = disposition.split("filename*=UTF-8''", 1)[1]
            assert unquote(encoded) == f"списак-screening.{extension}"
            assert answer.headers["cache-control"] == "no-store"
        sheet = load_workbook(io.BytesIO(answer.content)).active
        notes = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
        assert "remark with a control character" in notes


def test_the_api_records_a_list_named_in_cyrillic(client, auth, data_dir):
    answer = client.post(
        "/screening/lists",
        headers=auth("screening_officer"),
        data={"as_of": "2004-11-15"},
        files={"file": (NAME, _list_with_a_control_character(), "text/csv")},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["file_name"] == NAME
