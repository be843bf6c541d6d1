"""Every report in every form, internal and public, from the CLI, the web and the API.

The whole matrix: report (returns, programmes, bulletin) × form (each form the report
offers, `rrms.reports.documents.FORMS`) × version (internal, public) × interface
(`rrms report`, the web pages' downloads, `/api/reports`), one test id each, so that no
combination can break unseen (a public spreadsheet once crashed on a hidden grant while
its internal twin worked). Each answer must be a well-formed file of its form: a PDF
starts with ``%PDF``; an XLSX opens in openpyxl and holds no formula; a CSV parses, with
the HXL row second; JSON parses; HTML carries the report's title. Spreadsheets and JSON
of a public version hide something (the demo quarter has small counts), an internal
one nothing; web HTML carries RRMS's header and a way back to the reports page.

**One backend, on purpose.** The data is the demo quarter (`rrms demo`, a small
history), loaded once for the module on the first configured backend (SQLite unless
`RRMS_TEST_BACKENDS` says otherwise). What is tested is how each interface writes each
form; the queries behind the figures are tested on both backends elsewhere
(`test_returns_report_figures.py`, `test_programme_report_figures.py`).

**Drawn once.** Charts (`charts.bar_chart`) and PDFs (`rendering.html_to_pdf`) are pure
functions of their input, and the matrix draws the same report up to a dozen times.
Within this module they are memoised on their input, so the first drawing of each
distinct chart or document is real and the others reuse it: every combination still
runs its own service call, template, export and file writing.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.formats.safe_cells import is_formula_like
from rrms.reports import charts, documents, rendering
from rrms.reports.charts import Bar
from rrms.reports.documents import FORMS, Form
from rrms.reports.programme_confidential import UNIT_TITLES
from rrms.services.accounts.users import add_user
from rrms.services.core.access import SYSTEM
from rrms.storage.database import _sqlite_pragmas
from rrms.storage.tables import AuditEntry
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.server import create_server
from support.pages import sign_in

FROM, TO = "2004-08-01", "2004-10-31"
PASSWORD = "correct horse battery"
BACKEND = next(b for b in os.environ.get("RRMS_TEST_BACKENDS", "sqlite,postgresql").split(",") if b)
TITLES = {
    "returns": "Returns report",
    "programmes": "Programme report",
    "bulletin": "Returns and reintegration bulletin",
}
ROLE = {"internal": "programme_manager", "public": "reporting"}
"""Who asks: a role that may read the internal version, and the role that publishes."""


@dataclass(frozen=True)
class Demo:
    """The module's database with the demo quarter, and where its CLI files go."""

    url: str
    factory: sessionmaker[Session]
    folder: Path


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    databases = request.getfixturevalue(
        "sqlite_template" if BACKEND == "sqlite" else "postgres_cluster"
    )
    url = databases.fresh_database()
    folder = tmp_path_factory.mktemp("every-form")
    with contextlib.chdir(folder):
        loaded = CliRunner().invoke(
            app,
            ["demo", "--history-scale", "0.002", "--no-bulletin"],
            env={"RRMS_DATABASE_URL": url},
        )
    assert loaded.exit_code == 0, loaded.output
    engine = create_engine(url)
    if BACKEND == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    for role in ROLE.values():
        with UnitOfWork(factory) as uow:
            add_user(uow, SYSTEM, f"{role}_user", PASSWORD, role, full_name=role.title())
    yield Demo(url, factory, folder)
    engine.dispose()


@pytest.fixture(scope="module", autouse=True)
def drawn_once() -> Iterator[None]:
    """Memoise the pure, slow drawing steps on their input (see the module's docstring)."""
    draw = functools.cache(charts.bar_chart)

    def chart(title: str, bars: Sequence[Bar], *labels: Any, **options: Any) -> str:
        return draw(title, tuple(bars), *labels, **options)

    with pytest.MonkeyPatch.context() as patch:
        pdf = functools.cache(rendering.html_to_pdf)
        patch.setattr(charts, "bar_chart", chart)
        patch.setattr(rendering, "bar_chart", chart)
        patch.setattr(rendering, "html_to_pdf", pdf)
        patch.setattr(documents, "html_to_pdf", pdf)
        patch.setattr("rrms.cli.report.html_to_pdf", pdf)
        yield


@pytest.fixture(scope="module")
def server(demo: Demo) -> Iterator[TestClient]:
    with TestClient(create_server(demo.factory)) as client:
        yield client


@pytest.fixture(scope="module")
def web_cookies(server: TestClient) -> dict[str, dict[str, str]]:
    """Each role's session cookies, signed in on the pages."""
    cookies = {}
    for role in ROLE.values():
        server.cookies.clear()
        server.headers.pop("X-CSRF-Token", None)  # the last role's session token
        sign_in(server, role)  # the form with its forgery token, as a browser does
        cookies[role] = dict(server.cookies)
    server.cookies.clear()
    server.headers.pop("X-CSRF-Token", None)
    return cookies


@pytest.fixture(scope="module")
def api_headers(server: TestClient) -> dict[str, dict[str, str]]:
    """Each role's bearer token for the API."""
    headers = {}
    for role in ROLE.values():
        answer = server.post(
            "/api/auth/token", json={"username": f"{role}_user", "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        headers[role] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    return headers


# --- the three interfaces: each returns the file's bytes -------------------------------


def from_cli(demo: Demo, kind: str, form: Form, version: str) -> bytes:
    target = demo.folder / f"{kind}-{version}.{form.value}"
    target.unlink(missing_ok=True)
    args = ["report", kind, "--from", FROM, "--to", TO, "--format", form.value]
    args += ["--out", str(target)] + (["--public"] if version == "public" else [])
    result = CliRunner().invoke(app, args, env={"RRMS_DATABASE_URL": demo.url})
    assert result.exit_code == 0, result.output
    return target.read_bytes()


def from_web(server: TestClient, cookies: dict[str, str], kind: str, form: Form, version: str):
    params = {"date_from": FROM, "date_to": TO, "public": str(version == "public").lower()}
    server.cookies.clear()
    server.cookies.update(cookies)
    answer = server.get(f"/reports/{kind}.{form.value}", params=params)
    server.cookies.clear()
    assert answer.status_code == 200, answer.text[:2000]
    assert answer.headers["content-type"] == documents.MEDIA_TYPES[form]
    disposition = answer.headers["content-disposition"]
    assert f'{kind}-{FROM}-{TO}-{version}.{form.value}"' in disposition
    return answer.content


def from_api(server: TestClient, headers: dict[str, str], kind: str, form: Form, version: str):
    params = {"from": FROM, "to": TO, "public": str(version == "public").lower()}
    if not (form is Form.json or (kind == "bulletin" and form is Form.html)):
        params["format"] = form.value  # the defaults are left out, as a client would
    answer = server.get(f"/api/reports/{kind}", params=params, headers=headers)
    assert answer.status_code == 200, answer.text[:2000]
    assert answer.headers["content-type"].split(";")[0] == documents.MEDIA_TYPES[form].split(";")[0]
    return answer.content


# --- what a well-formed file of each form is ----------------------------------------------


def check_pdf(body: bytes) -> None:
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")


def check_xlsx(body: bytes, kind: str) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(body))
    expected = {"returns": ["returns"], "programmes": ["programmes"]}
    assert workbook.sheetnames == expected.get(kind, ["returns", "programmes"])
    rows = []
    for sheet in workbook:
        sheet_rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert sheet_rows[1][0].startswith("#"), "the HXL row comes second"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.coordinate
                    assert not is_formula_like(cell.value), cell.coordinate
        rows += [dict(zip(sheet_rows[0], row, strict=True)) for row in sheet_rows[2:]]
    return rows


def check_csv(body: bytes) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    header, hxl, *data = rows
    assert "figure" in header and all(tag.startswith("#") for tag in hxl)
    assert data and all(len(row) == len(header) for row in data)
    assert not any(is_formula_like(cell) for row in rows for cell in row)
    return [dict(zip(header, row, strict=True)) for row in data]


def check_json(body: bytes, kind: str) -> dict[str, Any]:
    report = json.loads(body)
    assert report["period"] == {"from": FROM, "to": TO}
    assert ("returns" if kind == "returns" else "programmes") in report
    return report


def check_html(body: bytes, kind: str, version: str) -> str:
    html = body.decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and "</html>" in html
    assert f"<h1>{TITLES[kind]}</h1>" in html
    assert ("Public version." in html) == (version == "public")
    return html


def hides_something(rows: list[dict[str, Any]]) -> bool:
    """Whether a figure is hidden, leaving out the confidential units' cases (hidden from
    anyone outside the unit, in an internal report too)."""
    return any(row["suppressed"] == "yes" and row["programme"] not in UNIT_TITLES for row in rows)


def json_hides_something(report: dict[str, Any]) -> bool:
    """The same for JSON (the units' figures are under "confidential_units")."""
    figures = report.get("programmes", report)
    return '"suppressed"' in json.dumps(figures)


MATRIX = [
    pytest.param(interface, kind, form, version, id=f"{interface}-{kind}-{form}-{version}")
    for interface in ("cli", "web", "api")
    for kind, forms in FORMS.items()
    for form in forms
    for version in ("internal", "public")
]


@pytest.mark.parametrize(("interface", "kind", "form", "version"), MATRIX)
def test_every_report_in_every_form(
    interface: str,
    kind: str,
    form: Form,
    version: str,
    request: pytest.FixtureRequest,
) -> None:
    demo: Demo = request.getfixturevalue("demo")
    role = ROLE[version]
    fetch: Callable[[], bytes]
    if interface == "cli":
        fetch = lambda: from_cli(demo, kind, form, version)  # noqa: E731
    else:
        server: TestClient = request.getfixturevalue("server")
        if interface == "web":
            cookies = request.getfixturevalue("web_cookies")[role]
            fetch = lambda: from_web(server, cookies, kind, form, version)  # noqa: E731
        else:
            headers = request.getfixturevalue("api_headers")[role]
            fetch = lambda: from_api(server, headers, kind, form, version)  # noqa: E731
    audited = runs_audited(demo)
    body = fetch()
    public = version == "public"
    if form is Form.pdf:
        check_pdf(body)
    elif form is Form.xlsx:
        assert hides_something(check_xlsx(body, kind)) == public
    elif form is Form.csv:
        assert hides_something(check_csv(body)) == public
    elif form is Form.json:
        assert json_hides_something(check_json(body, kind)) == public
    else:
        html = check_html(body, kind, version)
        framed = interface == "web"
        assert ('<a class="brand" href="/">RRMS</a>' in html) == framed
        back = re.search(r'<a id="back-to-reports" href="([^"]+)"', html)
        assert (back is not None) == framed
        if back is not None:
            assert back.group(1) == (
                f"/reports?date_from={FROM}&amp;date_to={TO}&amp;public={str(public).lower()}"
            )
    assert runs_audited(demo) == audited + 1  # every run is audited once, as what it ran
    with demo.factory() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "reports").order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None and entry.entity_id == f"{kind}:{FROM}:{TO}"
    assert entry.after == {"report": kind, "from": FROM, "to": TO, "public": public}


def runs_audited(demo: Demo) -> int:
    with demo.factory() as session:
        return len(
            session.scalars(select(AuditEntry.id).where(AuditEntry.entity == "reports")).all()
        )
