"""The reply to the sending state and the decisions export through the API and the CLI."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from rrms.cli.main import app
from support.api import field_of
from support.pdf_text import pdf_text

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"


@pytest.fixture
def uploaded(client, auth, tmp_path, monkeypatch):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "private"))
    answer = client.post(
        "/screening/lists",
        files={"file": (EXAMPLE.name, EXAMPLE.read_bytes(), "text/csv")},
        data={"as_of": "2004-11-15"},
        headers=auth("screening_officer"),
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_reply_and_the_export_through_the_api(client, auth, uploaded):
    officer = auth("screening_officer")
    base = f"/screening/lists/{uploaded['id']}"
    letter = client.get(f"{base}/reply", params={"language": "de"}, headers=officer)
    assert letter.status_code == 200, letter.text
    assert letter.headers["content-type"] == "application/pdf"
    assert "manifest-example-reply-de.pdf" in letter.headers["content-disposition"]
    assert "KrasniqiArben" in pdf_text(letter.content)
    export = client.get(f"{base}/export", params={"format": "xlsx"}, headers=officer)
    rows = list(load_workbook(io.BytesIO(export.content))["decisions"].values)
    assert rows[0][:3] == ("person_ref", "family_ref", "name") and len(rows) == 2 + 6
    refused = client.get(f"{base}/reply", params={"format": "docx"}, headers=officer)
    assert refused.status_code == 422 and field_of(refused) == "format"
    assert client.get(f"{base}/export", headers=auth("caseworker")).status_code == 403


def test_the_reply_from_the_command_line(
    client, auth, uploaded, database_url, monkeypatch, tmp_path
):
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    out = tmp_path / "reply.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "screening",
            "reply",
            str(uploaded["id"]),
            "--format",
            "xlsx",
            "--out",
            str(out),
            "--as",
            "screening_officer_user",
        ],
    )
    assert result.exit_code == 0, result.output
    persons = list(load_workbook(out)["persons"].values)
    assert {row[2] for row in persons[2:]} >= {"Gashi Shpresa", "Jovanović Dragan"}
    assert out.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    refused = CliRunner().invoke(
        app, ["screening", "export", str(uploaded["id"]), "--as", "caseworker_user"]
    )
    assert refused.exit_code == 2 and "may not see screening" in refused.output
