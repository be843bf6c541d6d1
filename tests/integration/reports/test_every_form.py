"""Every report in every form, internal and public, in every language, from the CLI,
the web and the API.

The whole matrix: report (returns, programmes, bulletin) × form (each form the report
offers, `rrms.reports.documents.FORMS`) × version (internal, public) × interface
(`rrms report`, the web pages' downloads, `/api/reports`), one test id each, so that no
combination can break unseen (a public spreadsheet once crashed on a hidden grant while
its internal twin worked). In English the whole matrix; in Albanian (the public
version) and Serbian (the internal one) every report × form × interface, asked for as
each interface asks (`--language`, the page's language cookie, `?language=`). A
translated HTML or PDF (its text read back with pypdfium2) carries the translated
title, none of the report's English headings, and figures with the locale's
separators; a translated CSV or XLSX has a translated header over the unchanged HXL
row and machine rows; JSON is the same in every language, equal to the service's.

Each answer must be a well-formed file of its form: a PDF starts with ``%PDF``; an XLSX
opens in openpyxl and holds no formula; a CSV parses, with
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
import datetime as dt
import functools
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pypdfium2
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
from rrms.reports.exports import PROGRAMME_COLUMNS, RETURNS_COLUMNS
from rrms.reports.programme_confidential import UNIT_TITLES
from rrms.services.accounts.users import add_user
from rrms.services.core.access import SYSTEM
from rrms.services.reporting import reports as reporting
from rrms.storage.database import _sqlite_pragmas
from rrms.storage.tables import AuditEntry
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.server import create_server
from support.pages import sign_in

FROM, TO = "2004-08-01", "2004-10-31"
PASSWORD = "correct horse battery"
BACKEND = next(b for b in os.environ.get("RRMS_TEST_BACKENDS", "sqlite,postgresql").split(",") if b)
TITLES = {
    "en": {
        "returns": "Returns report",
        "programmes": "Programme report",
        "bulletin": "Returns and reintegration bulletin",
    },
    "sq": {
        "returns": "Raporti i kthimeve",
        "programmes": "Raporti i programeve",
        "bulletin": "Buletini i kthimit dhe riintegrimit",
    },
    "sr": {
        "returns": "Izveštaj o povracima",
        "programmes": "Izveštaj o programima",
        "bulletin": "Bilten o povratku i reintegraciji",
    },
}
PUBLIC_NOTICE = {"en": "Public version.", "sq": "Version publik.", "sr": "Javna verzija."}
ENGLISH_WORDS = (
    "Returns report",
    "Programme report",
    "Returns and reintegration bulletin",
    "News in brief",
    "Returns in the period",
    "arrivals in the period",
    "Sending country",
    "Secondary transport",
    "All returns to date",
    "Public version",
    "Produced by RRMS",
    "Internal report",
    "Housing reconstruction",
    "Economic sector",
    "Grants to date",
    "Beneficiaries",
    "Arrivals by",
    "Projects by",
    "Cases opened",
    "Counter trafficking",
    "Migration health",
    "Other or no programme",
    "By plane",
    "Return type",
    "Total",
    "returnees",
    "Kosovars returned",
    "Most of them",
    "information requests",
    "District",
    "Share of",
    "Turnaround",
    "Trainings",
    "Participants",
    "No records in the period",
    "Page",
)
"""English headings, labels and phrases of the reports, none of which a translated
HTML or PDF may show (case-sensitive: programme names, which are data, are recorded
in English, "Counter Trafficking")."""
GROUPED = {
    "en": re.compile(r"\d,\d{3}(?!\d)"),
    "sq": re.compile(r"\d[\u00a0\u202f ]\d{3}(?!\d)"),
    "sr": re.compile(r"\d\.\d{3}(?!\d)"),
}
"""A figure of thousands as each locale groups it (CLDR: a no-break space in Albanian)."""
DECIMAL = {
    "en": re.compile(r"\d\.\d%"),
    "sq": re.compile(r"\d,\d%"),
    "sr": re.compile(r"\d,\d%"),
}
"""A share as each locale writes it ("29.8%", "29,8%")."""
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
def expected_json(demo: Demo) -> dict[tuple[str, str], dict[str, Any]]:
    """Each report's JSON as the service gives it, which every language must return."""
    found = {}
    for version, public in (("internal", False), ("public", True)):
        for kind, run in (("returns", reporting.returns), ("programmes", reporting.programmes)):
            with UnitOfWork(demo.factory) as uow:
                report = run(uow, SYSTEM, date(FROM), date(TO), public)
            found[(kind, version)] = json.loads(json.dumps(report.to_json()))
    return found


def date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


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


def from_cli(demo: Demo, kind: str, form: Form, version: str, language: str) -> bytes:
    target = demo.folder / f"{kind}-{version}-{language}.{form.value}"
    target.unlink(missing_ok=True)
    args = ["report", kind, "--from", FROM, "--to", TO, "--format", form.value]
    args += ["--out", str(target)] + (["--public"] if version == "public" else [])
    if language != "en":  # English is the default, left out as a user would
        args += ["--language", language]
    result = CliRunner().invoke(app, args, env={"RRMS_DATABASE_URL": demo.url})
    assert result.exit_code == 0, result.output
    return target.read_bytes()


def from_web(
    server: TestClient,
    cookies: dict[str, str],
    kind: str,
    form: Form,
    version: str,
    language: str,
):
    params = {"date_from": FROM, "date_to": TO, "public": str(version == "public").lower()}
    server.cookies.clear()
    server.cookies.update(cookies)
    if language != "en":  # the language chosen in the pages' header
        server.cookies.set("rrms_language", language)
    answer = server.get(f"/reports/{kind}.{form.value}", params=params)
    server.cookies.clear()
    assert answer.status_code == 200, answer.text[:2000]
    assert answer.headers["content-type"] == documents.MEDIA_TYPES[form]
    disposition = answer.headers["content-disposition"]
    assert f'{kind}-{FROM}-{TO}-{version}.{form.value}"' in disposition
    return answer.content


def from_api(
    server: TestClient,
    headers: dict[str, str],
    kind: str,
    form: Form,
    version: str,
    language: str,
):
    params = {"from": FROM, "to": TO, "public": str(version == "public").lower()}
    if not (form is Form.json or (kind == "bulletin" and form is Form.html)):
        params["format"] = form.value  # the defaults are left out, as a client would
    if language != "en":
        params["language"] = language
    answer = server.get(f"/api/reports/{kind}", params=params, headers=headers)
    assert answer.status_code == 200, answer.text[:2000]
    assert answer.headers["content-type"].split(";")[0] == documents.MEDIA_TYPES[form].split(";")[0]
    return answer.content


# --- what a well-formed file of each form is ----------------------------------------------


def pdf_text(body: bytes) -> str:
    """The text of every page of a PDF, as a reader copying it would get it."""
    document = pypdfium2.PdfDocument(body)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def check_pdf(body: bytes, kind: str, language: str) -> None:
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    check_words(pdf_text(body), kind, language)


def visible_text(html: str) -> str:
    """What a reader of an HTML report sees: no style sheet, no markup, entities read."""
    html = re.sub(r"<style\b.*?</style>", " ", html, flags=re.DOTALL)
    html = re.sub(r"<metadata\b.*?</metadata>", " ", html, flags=re.DOTALL)  # the SVGs'
    return unescape(re.sub(r"<[^>]+>", " ", html))


def check_words(text: str, kind: str, language: str) -> None:
    """The title in the language; in a translation no English heading and every figure
    of thousands and every share written with the locale's separators."""
    flat = re.sub(r"\s+", " ", text)
    assert TITLES[language][kind] in flat
    assert GROUPED[language].search(text), "a figure of thousands, grouped as the locale does"
    if kind != "programmes":  # the shares of districts are in the returns report
        assert DECIMAL[language].search(text), "a share, written as the locale does"
    if language == "en":
        return
    english = [word for word in ENGLISH_WORDS if re.search(rf"\b{re.escape(word)}\b", flat)]
    assert not english, f"English in the {language} {kind}: {english}"
    assert not GROUPED["en"].search(text), "a figure grouped the English way"


def machine_rows(header: list[Any], hxl: list[Any], data: list[list[Any]], language: str):
    """The rows keyed by column code, after checking the header is in the language and
    the HXL row is the same in every language."""
    columns = RETURNS_COLUMNS if "#reached+returnees" in hxl else PROGRAMME_COLUMNS
    assert hxl == [c.hxl for c in columns], "the HXL row is the same in every language"
    codes = [c.header for c in columns]
    if language == "en":
        assert header == codes
    else:
        assert not set(header) & set(codes) - {"share_pct"}, header  # words, not codes
        assert header[codes.index("figure")] == {"sq": "Shifra", "sr": "Podatak"}[language]
    return [dict(zip(codes, row, strict=True)) for row in data]


def check_xlsx(body: bytes, kind: str, language: str) -> list[dict[str, Any]]:
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
        rows += machine_rows(sheet_rows[0], sheet_rows[1], sheet_rows[2:], language)
    counts = [row.get("returnees", row.get("number")) for row in rows]
    assert any(isinstance(count, int) and count > 0 for count in counts), "numeric cells"
    return rows


def check_csv(body: bytes, language: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    header, hxl, *data = rows
    assert all(tag.startswith("#") for tag in hxl)
    assert data and all(len(row) == len(header) for row in data)
    assert not any(is_formula_like(cell) for row in rows for cell in row)
    keyed = machine_rows(header, hxl, data, language)
    assert all(re.fullmatch(r"[a-z0-9_]+", row["figure"]) for row in keyed), "codes stay"
    figures = [row.get(c) for row in keyed for c in ("returnees", "number")]
    shown = [text for text in figures if text and text not in ("<5", "x")]
    assert shown and all(re.fullmatch(r"\d+(\.\d+)?", text) for text in shown), "plain numbers"
    return keyed


def check_json(body: bytes, kind: str, expected: dict[str, Any]) -> dict[str, Any]:
    report = json.loads(body)
    assert report["period"] == {"from": FROM, "to": TO}
    assert ("returns" if kind == "returns" else "programmes") in report
    assert report == expected, "the JSON is the service's, the same in every language"
    return report


def check_html(body: bytes, kind: str, version: str, language: str) -> str:
    html = body.decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and "</html>" in html
    assert f"<h1>{TITLES[language][kind]}</h1>" in html
    assert f'<html lang="{language}">' in html
    assert (PUBLIC_NOTICE[language] in html) == (version == "public")
    check_words(visible_text(html), kind, language)
    return html


def hides_something(rows: list[dict[str, Any]]) -> bool:
    """Whether a figure is hidden, leaving out the confidential units' cases (hidden from
    anyone outside the unit, in an internal report too)."""
    return any(row["suppressed"] == "yes" and row["programme"] not in UNIT_TITLES for row in rows)


def json_hides_something(report: dict[str, Any]) -> bool:
    """The same for JSON (the units' figures are under "confidential_units")."""
    figures = report.get("programmes", report)
    return '"suppressed"' in json.dumps(figures)


LANGUAGE_VERSIONS = {"en": ("internal", "public"), "sq": ("public",), "sr": ("internal",)}
"""English in both versions; each translation in one, so that both are translated."""

MATRIX = [
    pytest.param(
        interface,
        kind,
        form,
        version,
        language,
        id=f"{interface}-{kind}-{form}-{version}-{language}",
    )
    for language, versions in LANGUAGE_VERSIONS.items()
    for interface in ("cli", "web", "api")
    for kind, forms in FORMS.items()
    for form in forms
    for version in versions
]


@pytest.mark.parametrize(("interface", "kind", "form", "version", "language"), MATRIX)
def test_every_report_in_every_form(
    interface: str,
    kind: str,
    form: Form,
    version: str,
    language: str,
    request: pytest.FixtureRequest,
) -> None:
    demo: Demo = request.getfixturevalue("demo")
    role = ROLE[version]
    fetch: Callable[[], bytes]
    if interface == "cli":
        fetch = lambda: from_cli(demo, kind, form, version, language)  # noqa: E731
    else:
        server: TestClient = request.getfixturevalue("server")
        if interface == "web":
            cookies = request.getfixturevalue("web_cookies")[role]
            fetch = lambda: from_web(server, cookies, kind, form, version, language)  # noqa: E731
        else:
            headers = request.getfixturevalue("api_headers")[role]
            fetch = lambda: from_api(server, headers, kind, form, version, language)  # noqa: E731
    if form is Form.json:  # run before counting the audited runs
        expected = request.getfixturevalue("expected_json")[(kind, version)]
    audited = runs_audited(demo)
    body = fetch()
    public = version == "public"
    if form is Form.pdf:
        check_pdf(body, kind, language)
    elif form is Form.xlsx:
        assert hides_something(check_xlsx(body, kind, language)) == public
    elif form is Form.csv:
        assert hides_something(check_csv(body, language)) == public
    elif form is Form.json:
        assert json_hides_something(check_json(body, kind, expected)) == public
    else:
        html = check_html(body, kind, version, language)
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
