"""Hostile uploads get a fast, clear 422 naming the limit, and a worker's memory stays flat.

Issue 13 finding 1: a 2 MB XLSX of one repeated shared string expanding to a million
rows, posted to `POST /api/screening/lists`, got no answer in 600 s and took the
worker to 4.6 GB; to `/api/returns/import` it took 223 s and 4.9 GB and answered
5,000,004 errors; a header of a million columns took a minute and 1.3 GB. Each
request here is measured with tracemalloc (every thread of the process, the test
client's server included): the peak must stay far below what reading the file
would take.
"""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rrms.formats import limits
from rrms.web.server import create_server
from support.hostile_files import repeated_string_xlsx, wide_header_csv, wide_header_xlsx
from support.pages import sign_in

PEAK_BYTES = 48 * 1024 * 1024
"""Far below what expanding any of the files takes (gigabytes before the fix), and
above the upload itself (8 MB for the CSV) parsed by the test client and server."""

LIST_HEADER = ["person_ref", "family_name", "given_name", "return_type", "sending_country", "sex"]
REGISTER_HEADER = ["movement_ref", "person_ref", "family_name", "given_name", "return_type"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """name -> (file, words the refusal must contain)."""
    folder = tmp_path_factory.mktemp("hostile")
    rows = limits.MAX_ROWS + 1_000
    return {
        "list-rows": (repeated_string_xlsx(folder / "l.xlsx", LIST_HEADER, rows), "1,048,576 rows"),
        "register-rows": (
            repeated_string_xlsx(folder / "r.xlsx", REGISTER_HEADER, rows),
            "1,048,576 rows",
        ),
        "wide-xlsx": (wide_header_xlsx(folder / "w.xlsx", 1_000_000), "1,000 columns"),
        "wide-csv": (wide_header_csv(folder / "w.csv", 1_000_000), "1,048,576 characters"),
    }


def measured(post: Callable[[], object]) -> tuple[object, int]:
    """The answer to `post()` and the peak of traced memory while it ran."""
    tracemalloc.start()
    try:
        answer = post()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return answer, peak


@pytest.mark.parametrize(
    ("endpoint", "role", "name"),
    [
        ("/screening/lists", "screening_officer", "list-rows"),
        ("/screening/lists", "screening_officer", "wide-xlsx"),
        ("/screening/lists", "screening_officer", "wide-csv"),
        ("/returns/import", "caseworker", "register-rows"),
        ("/returns/import", "caseworker", "wide-xlsx"),
        ("/returns/import", "caseworker", "wide-csv"),
    ],
)
def test_the_api_refuses_a_file_that_expands_past_a_limit(
    client, auth, hostile, endpoint: str, role: str, name: str
) -> None:
    path, words = hostile[name]
    headers = auth(role)
    data = path.read_bytes()
    answer, peak = measured(
        lambda: client.post(endpoint, files={"file": (path.name, data)}, headers=headers)
    )
    assert answer.status_code == 422, answer.text  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert [error["row"] for error in body["errors"]] == [0]
    assert f"exceeds the limit of {words}" in body["errors"][0]["message"]
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"


REGISTER_COLUMNS = [
    "movement_ref",
    "person_ref",
    "family_name",
    "given_name",
    "return_type",
    "programme",
    "sending_country",
    "transport_mode",
    "departure_date",
    "arrival_date",
    "destination_municipality",
]


def _register(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REGISTER_COLUMNS)
    writer.writerows(
        (f"M{n}", f"P{n}", "Krasniqi", "Arben", "voluntary", "", "DE", "boat", "", "2004-08-01",
         "Prishtinë") for n in range(rows)
    )  # fmt: skip
    return buffer.getvalue().encode()


def test_errors_are_listed_per_column_up_to_a_cap_and_counted(client, auth) -> None:
    answer = client.post(
        "/returns/import",
        files={"file": ("register.csv", _register(500))},
        headers=auth("caseworker"),
    )
    assert answer.status_code == 422
    body = answer.json()
    listed = [e for e in body["errors"] if e["row"]]
    assert len(listed) == limits.MAX_ERRORS_PER_COLUMN
    assert {e["column"] for e in listed} == {"transport_mode"}
    (rest,) = [e for e in body["errors"] if not e["row"]]
    assert rest["column"] == "transport_mode"
    assert "480 more error(s) in this column not listed" in rest["message"]
    assert body["detail"][0]["msg"].startswith("500 error(s)")


@pytest.fixture
def web(session_factory, actors, tmp_path, monkeypatch) -> TestClient:
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "private"))
    with TestClient(create_server(session_factory)) as client:
        yield client


def _sign_in(client: TestClient, role: str) -> None:
    sign_in(client, role)  # the form, with its forgery token sent with every later post


@pytest.mark.parametrize("name", ["list-rows", "wide-csv"])
def test_the_screening_page_refuses_a_file_that_expands_past_a_limit(
    web: TestClient, hostile, name: str
) -> None:
    _sign_in(web, "screening_officer")
    path, words = hostile[name]
    data = path.read_bytes()
    answer, peak = measured(lambda: web.post("/screening", files={"file": (path.name, data)}))
    assert answer.status_code == 422  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    assert f"exceeds the limit of {words}" in page
    assert len(page) < 64 * 1024
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"


def test_the_screening_page_lists_the_first_errors_per_column(web: TestClient) -> None:
    _sign_in(web, "screening_officer")
    rows = "".join(f"P{n},Krasniqi,Arben,forced,DE,?\n" for n in range(300))
    data = (",".join(LIST_HEADER) + "\n" + rows).encode()
    answer = web.post("/screening", files={"file": ("list.csv", data)})
    assert answer.status_code == 422
    assert answer.text.count("<tr><td>") <= 2 * limits.MAX_ERRORS_PER_COLUMN + 2
    assert "more error(s) in this column not listed" in answer.text


def test_the_returns_import_page_refuses_a_file_that_expands_past_a_limit(
    web: TestClient, hostile
) -> None:
    _sign_in(web, "caseworker")
    path, words = hostile["wide-xlsx"]
    data = path.read_bytes()

    def run() -> str:
        started = web.post("/returns/import", files={"file": (path.name, data)})
        assert started.status_code == 200, started.text
        for _ in range(600):  # the import runs in a thread; the page polls it
            status = web.get(str(started.url), headers={"hx-request": "true"}).text
            if "nothing was imported" in status:
                return status
            time.sleep(0.1)
        raise AssertionError("the import did not finish")

    page, peak = measured(run)
    assert f"exceeds the limit of {words}" in str(page)
    assert "The file has 1 error(s); nothing was imported." in str(page)
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"
