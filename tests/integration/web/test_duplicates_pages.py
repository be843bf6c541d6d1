"""The review queue's pages through the test client: who may open them, what the
side-by-side view shows each role, and merge, cap breach and unmerge by form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from rrms.services.identity.duplicates import find_duplicates
from rrms.storage.tables import AuditEntry
from rrms.web.server import create_server
from support.duplicates import also_proposed_around, one_person_twice
from support.pages import form_token, sign_in


@pytest.fixture
def queued(uow, actors) -> dict[str, int]:
    """The register with Agim Xhaferi twice, and the pair in the queue."""
    ids = one_person_twice(uow, actors["caseworker"], actors["programme_manager"])
    with uow() as u:
        run = find_duplicates(u, actors["caseworker"])
    ids["pair"] = run.queued[0].id
    return ids


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("screening_officer", 403),
        ("reporting", 403),
        ("medical", 403),
        ("counter_trafficking", 403),
        ("programme_manager", 200),
        ("administrator", 200),
    ],
)
def test_who_may_open_the_queue_and_the_comparison(session_factory, queued, role, status):
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, role)
        assert client.get("/duplicates").status_code == status
        compare = client.get(f"/duplicates/{queued['pair']}")
        assert compare.status_code == status
        if status == 200:
            # Only caseworkers and administrators decide; a programme manager reads.
            can_decide = role == "administrator"
            assert ('id="not-same"' in compare.text) is can_decide
            # Assistance is shown only to roles that may read it (all three here), and
            # screening decisions only to the administrator among them.
            assert ("Screening decisions" in compare.text) is (role == "administrator")
            answer = client.post(
                f"/duplicates/{queued['pair']}/not-same",
                data={"version": 1, "csrf_token": form_token(compare.text)},
                follow_redirects=False,
            )
            assert answer.status_code == (303 if can_decide else 403)


def test_a_caseworker_compares_merges_sees_the_breach_and_unmerges(session_factory, queued):
    with TestClient(create_server(session_factory)) as client:
        home = sign_in(client, "caseworker")
        assert 'href="/duplicates"' in home
        listing = client.get("/duplicates")
        assert "Xhaferi Agim" in listing.text and "Džaferi Agim" in listing.text
        assert "family name: same after transliteration" in listing.text
        compare = client.get(f"/duplicates/{queued['pair']}")
        for shown in ("KS998877", "P1234567", "800.00 GBP", "600.00 GBP", "Bakery", "Vitomiricë"):
            assert shown in compare.text
        assert "kosovo-synthetic 3" in compare.text
        merged = client.post(
            f"/duplicates/{queued['pair']}/merge",
            data={"version": 1, "keep": queued["first"], "csrf_token": form_token(compare.text)},
            follow_redirects=False,
        )
        assert merged.status_code == 303
        location = merged.headers["location"]
        assert re.fullmatch(r"/duplicates/merges/\d+", location)
        result = client.get(location).text
        assert f"Džaferi Agim (#{queued['second']}) was merged into Xhaferi Agim" in result
        assert "VARRP: 1,400.00 GBP approved or requested, over the cap of 1,000.00 GBP" in result
        assert client.get(f"/persons/{queued['second']}").status_code == 404
        person = client.get(f"/persons/{queued['first']}").text
        assert "600.00 GBP" in person and "800.00 GBP" in person
        undone = client.post(
            f"{location}/unmerge",
            data={"version": 1, "csrf_token": form_token(result.split("unmerge")[1])},
            follow_redirects=False,
        )
        assert undone.status_code == 303
        assert undone.headers["location"] == f"/duplicates/{queued['pair']}"
        assert client.get(f"/persons/{queued['second']}").status_code == 200
        assert "Undone by caseworker_user" in client.get(location).text


def test_the_comparison_shows_the_other_pairs_that_propose_either_person(
    session_factory, uow, actors, queued
):
    """A record without date or father may be proposed with two namesakes at once: the
    reviewer sees every other open pair naming either person, flagged where it cannot
    be right with this one if the persons differ; never a confidential case's pair."""
    others = also_proposed_around(uow, actors["caseworker"], queued)
    namesake_id, twin_id, with_second = others["namesake"], others["twin"], others["with_second"]
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "caseworker")
        listing = client.get("/duplicates").text
        row_of = {
            pair_id: re.search(rf'<tr>((?:(?!</tr>).)*)href="/duplicates/{pair_id}"', listing, re.S)
            for pair_id in (queued["pair"], with_second)
        }
        assert "3 other pair(s)" in row_of[queued["pair"]].group(1)
        assert "2 other pair(s)" in row_of[with_second].group(1)
        compare = client.get(f"/duplicates/{queued['pair']}").text
        also = compare.split('id="also-proposed"')[1].split("</ul>")[0]
        items = re.findall(r"<li>(.*?)</li>", also, re.S)
        assert len(items) == 3  # the namesake's pair, and the twin's two; not the hidden one
        assert (
            f"(#{namesake_id})" in items[0] and f"not proposed with #{queued['first']}" in items[0]
        )
        assert f'href="/duplicates/{with_second}"' in items[0]
        assert all(f"(#{twin_id})" in item and "not proposed" not in item for item in items[1:])
        client.cookies.set("rrms_language", "sq")
        albanian = client.get(f"/duplicates/{queued['pair']}").text
        assert "Propozuar gjithashtu" in albanian
        assert f"nuk propozohet me #{queued['first']}" in albanian
    with uow() as u:
        entries = (
            u.session.query(AuditEntry)
            .filter_by(entity="persons", entity_id=f"duplicates {queued['pair']} also proposed")
            .all()
        )
        assert [entry.action for entry in entries] == ["list", "list"]  # two reads
        for entry in entries:
            assert len(entry.after["pairs"]) == 3
            assert set(entry.after["ids"]) == {
                queued["first"],
                queued["second"],
                namesake_id,
                twin_id,
            }
