"""The screening page shows a large list a page of families at a time, screened once.

Issue 13 finding 1: a valid list of 100,000 persons gave a 127 MB results page and was
screened again on every view. Now the page shows 100 families at a time and the
result is kept beside the upload, keyed by the list, the answers, the date and the
policy version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rrms.services.screening import upload_results
from rrms.web.pages.screening import FAMILIES_PER_PAGE
from rrms.web.server import create_server
from support.pages import sign_in

HEADER = "person_ref,family_name,given_name,return_type,sending_country,sex\n"


@pytest.fixture
def web(session_factory, actors, tmp_path, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "private"))
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "screening_officer")  # the form, with its forgery token
        yield client


def _upload(web: TestClient, persons: int) -> str:
    rows = "".join(f"P{n},Krasniqi,Arben{n},forced,DE,m\n" for n in range(persons))
    answer = web.post(
        "/screening", files={"file": ("list.csv", (HEADER + rows).encode())}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).split("?")[0]


def _families(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="family-(\d+)"', page)]


def test_a_large_list_is_shown_a_page_of_families_at_a_time(web: TestClient) -> None:
    where = _upload(web, 2 * FAMILIES_PER_PAGE + 50)
    first = web.get(where)
    assert first.status_code == 200
    assert _families(first.text) == list(range(1, FAMILIES_PER_PAGE + 1))
    assert "Families 1 to 100 of 250" in first.text
    assert 'id="next-page"' in first.text and 'id="previous-page"' not in first.text
    last = web.get(where, params={"offset": 2 * FAMILIES_PER_PAGE})
    assert _families(last.text) == list(range(201, 251))
    assert 'id="previous-page"' in last.text and 'id="next-page"' not in last.text
    assert "P249" in last.text and "P0<" not in last.text
    assert web.get(where, params={"offset": 10**9}).status_code == 200  # clamped


def test_a_small_list_has_no_pages(web: TestClient) -> None:
    page = web.get(_upload(web, 3)).text
    assert _families(page) == [1, 2, 3] and "next-page" not in page


def test_the_result_is_kept_and_not_screened_again_per_view(
    web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = _upload(web, 5)
    screenings = []
    screen = upload_results.screen_manifest

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        screenings.append(args)
        return screen(*args, **kwargs)

    monkeypatch.setattr(upload_results, "screen_manifest", counting)
    for offset in (0, 0, 1):
        assert web.get(where, params={"offset": offset}).status_code == 200
    assert len(screenings) == 1  # three views, one screening
    web.get(where, params={"as_of": "2004-09-01"})  # another date: screened for it
    assert len(screenings) == 2
    upload_id = where.rsplit("/", 1)[1]
    answered = web.post(f"/screening/work/{upload_id}/answers", data={"answer|P1|sex": "f"})
    assert answered.status_code == 200
    assert len(screenings) == 3  # the answers change the result
    web.get(where)
    assert len(screenings) == 3
