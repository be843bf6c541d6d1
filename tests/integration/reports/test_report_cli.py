"""`rrms demo` and `rrms report ...` end to end: every format, PDFs that are not blank."""

from __future__ import annotations

import csv
import io
import json

import pypdfium2
import pytest
from openpyxl import load_workbook
from PIL import ImageOps
from rich.console import Console
from sqlalchemy import func, select
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.cli.serve import prepare_demo
from rrms.domain.vocabulary import ROLES
from rrms.formats.safe_cells import is_formula_like
from rrms.services.accounts.users import authenticate
from rrms.storage.tables import Person, Return, User
from rrms.storage.unit_of_work import UnitOfWork

PERIOD = ["--from", "2004-08-01", "--to", "2004-10-31"]


@pytest.fixture
def run(database_url):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), env={"RRMS_DATABASE_URL": database_url})

    return invoke


@pytest.fixture
def demo(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("demo", "--history-scale", "0.002", "--no-bulletin")
    assert result.exit_code == 0, result.output
    return run


def assert_pages_not_blank(pdf_bytes: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf_bytes)
    for index in range(len(document)):
        image = ImageOps.grayscale(document[index].render(scale=0.5).to_pil())
        inked = sum(image.histogram()[:200])
        assert inked / (image.width * image.height) > 0.003, f"page {index + 1} is blank"
    return len(document)


def test_demo_then_the_returns_report_in_json(demo):
    result = demo("report", "returns", *PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["returns"]["by_programme"]["AVR"] == 472
    assert report["secondary_transport"]["period"] == 478
    assert report["cumulative"]["from"] == "1999-06-12"
    again = demo("demo", "--history-scale", "0.002", "--no-bulletin")
    assert again.exit_code == 2 and "already has arrivals" in again.output


def test_csv_and_xlsx_exports(demo, tmp_path):
    result = demo("report", "returns", *PERIOD, "--format", "csv", "--public")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][rows[0].index("sending_country")] == "#country+code+asylum"
    assert not any(is_formula_like(cell) for row in rows for cell in row)
    target = tmp_path / "programmes.xlsx"
    result = demo("report", "programmes", *PERIOD, "--format", "xlsx", "--out", str(target))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target)["programmes"]
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any(cell.value == "#sector" for cell in values)
    assert all(cell.data_type != "f" for cell in values)


def test_bulletin_html_and_pdf(database_url, tmp_path, request):
    if database_url.startswith("postgresql"):
        pytest.skip("rendering does not depend on the database; done once, on SQLite")
    demo = request.getfixturevalue("demo")
    result = demo("report", "bulletin", *PERIOD, "--public", "--out", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "472 Kosovars returned through the AVR programme, of which 441 by plane" in html
    assert "<svg" in html and "Returnees by sending country" in html
    for title in (
        "Returnees by destination district",
        "projects by economic sector",
        "direct beneficiaries by community",
        "information requests by topic",
    ):
        assert title in html, title
    assert assert_pages_not_blank((tmp_path / "b.pdf").read_bytes()) >= 5
    returns_pdf = tmp_path / "r.pdf"
    result = demo("report", "returns", *PERIOD, "--format", "pdf", "--out", str(returns_pdf))
    assert result.exit_code == 0, result.output
    assert assert_pages_not_blank(returns_pdf.read_bytes()) >= 1


def test_reversed_period_is_a_usage_error(run):
    result = run("report", "returns", "--from", "2004-10-31", "--to", "2004-08-01")
    assert result.exit_code == 2 and "before it starts" in result.output


def test_demo_accounts_one_per_role_with_a_private_password(demo, tmp_path, session_factory):
    accounts = tmp_path / "rrms-demo-accounts.txt"
    assert accounts.stat().st_mode & 0o777 == 0o600
    password = accounts.read_text(encoding="utf-8").rsplit(": ", 1)[1].strip()
    assert len(password) >= 12
    for role in ROLES:
        with UnitOfWork(session_factory) as uow:
            assert authenticate(uow, f"demo_{role}", password).role == role


def test_serve_demo_loads_once_and_never_into_a_database_with_arrivals(
    database_url, tmp_path, monkeypatch, session_factory
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    console = Console(file=io.StringIO())
    assert prepare_demo(console, history_scale=0.002) is True
    with session_factory() as session:
        arrivals = session.scalar(select(func.count()).select_from(Return))
        users = session.scalar(select(func.count()).select_from(User))
    assert arrivals > 1000 and users == len(ROLES)
    with session_factory() as session:  # every returnee went home: "Pec" finds people
        homeless = session.scalar(
            select(func.count()).select_from(Person).where(Person.origin_municipality.is_(None))
        )
    assert homeless == 0
    assert prepare_demo(console, history_scale=0.002) is False
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Return)) == arrivals
    assert "already loaded" in console.file.getvalue()


def test_returns_report_as_html_and_xlsx(demo, tmp_path):
    result = demo("report", "returns", *PERIOD, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "<svg" in result.stdout and "Prishtinë" in result.stdout
    target = tmp_path / "returns.xlsx"
    result = demo(
        "report", "returns", *PERIOD, "--format", "xlsx", "--public", "--out", str(target)
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header, hashtags = rows[0], rows[1]
    assert hashtags[header.index("returnees")] == "#reached+returnees"
    total = next(row for row in rows[2:] if row[header.index("figure")] == "total")
    assert int(total[header.index("returnees")]) > 472  # AVR alone brought 472
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
