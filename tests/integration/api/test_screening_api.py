"""The screening API: upload a list, read recommendations, record decisions."""

from pathlib import Path

import pytest

from support.api import field_of, message_of

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"


def upload(client, headers, content, as_of="2004-11-15", name="list.csv"):
    return client.post(
        "/screening/lists",
        files={"file": (name, content, "text/csv")},
        data={"as_of": as_of},
        headers=headers,
    )


@pytest.fixture
def uploaded(client, auth):
    answer = upload(client, auth("screening_officer"), EXAMPLE.read_bytes(), name=EXAMPLE.name)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_upload_screens_and_records_the_list(client, auth, uploaded):
    assert uploaded["policy_version"] == "unmik-orc-2004-08"
    assert uploaded["as_of"] == "2004-11-15"
    assert uploaded["file_name"] == "manifest-example.csv"
    assert (uploaded["persons"], uploaded["families"]) == (6, 5)
    assert uploaded["summary"] == {"object": 3, "accept": 3, "review": 0, "not_applicable": 0}
    officer = auth("screening_officer")
    listed = client.get("/screening/lists", headers=officer).json()
    assert [item["id"] for item in listed["items"]] == [uploaded["id"]]
    detail = client.get(f"/screening/lists/{uploaded['id']}", headers=auth("administrator"))
    assert detail.status_code == 200
    assert detail.json()["progress"]["undecided"] == 6


def test_decisions_are_paginated_and_keep_the_recommendation(client, auth, uploaded):
    officer = auth("screening_officer")
    url = f"/screening/lists/{uploaded['id']}/decisions"
    first = client.get(url, params={"limit": 4}, headers=officer).json()
    second = client.get(url, params={"limit": 4, "offset": 4}, headers=officer).json()
    assert first["total"] == 6 and len(first["items"]) == 4 and len(second["items"]) == 2
    serb = first["items"][2]
    assert (serb["person_ref"], serb["recommendation"], serb["clauses"]) == (
        "DE-0003",
        "object",
        ["A1"],
    )
    assert serb["policy_version"] == "unmik-orc-2004-08" and "A1" in serb["explanation"]
    objecting = client.get(url, params={"recommendation": "object"}, headers=officer).json()
    assert [d["person_ref"] for d in objecting["items"]] == ["DE-0003", "DE-0004", "DE-0005"]


def test_deciding_through_the_api(client, auth, uploaded):
    officer = auth("screening_officer")
    items = client.get(f"/screening/lists/{uploaded['id']}/decisions", headers=officer).json()
    accept = items["items"][0]
    path = f"/screening/decisions/{accept['id']}"
    same = client.patch(path, json={"version": 1, "decision": "accept"}, headers=officer)
    assert same.status_code == 200, same.text
    assert (same.json()["decision"], same.json()["version"]) == ("accept", 2)
    differs = client.patch(path, json={"version": 2, "decision": "object"}, headers=officer)
    assert differs.status_code == 422 and field_of(differs) == "reason"
    stale = client.patch(
        path, json={"version": 1, "decision": "object", "reason": "x"}, headers=officer
    )
    assert stale.status_code == 409
    overridden = client.patch(
        path,
        json={"version": 2, "decision": "object", "reason": "Protection problems at interview"},
        headers=officer,
    )
    assert overridden.status_code == 200
    body = overridden.json()
    assert (body["recommendation"], body["decision"], body["reason"]) == (
        "accept",
        "object",
        "Protection problems at interview",
    )
    progress = client.get(f"/screening/lists/{uploaded['id']}", headers=officer).json()
    assert progress["progress"]["overridden"] == 1
    assert client.get(path, headers=officer).json()["decision"] == "object"
    worker = client.patch(
        path, json={"version": 3, "decision": "accept"}, headers=auth("caseworker")
    )
    assert worker.status_code == 403


def test_a_file_with_errors_is_422_with_every_error_and_stores_nothing(client, auth):
    officer = auth("screening_officer")
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    broken = "\n".join([lines[0], lines[1].replace("Prishtinë", "Pejja"), lines[2]]) + "\n"
    answer = upload(client, officer, broken.encode())
    assert answer.status_code == 422
    body = answer.json()
    assert "nothing was stored" in message_of(answer)
    assert body["detail"][0]["loc"] == ["body", "file"]
    assert body["errors"] and body["errors"][0]["row"] == 2
    assert body["errors"][0]["column"] == "origin_municipality"
    long_ref = "\n".join([lines[0], "X" * 81 + lines[1][len("DE-0001") :]]) + "\n"
    too_long = upload(client, officer, long_ref.encode())
    assert too_long.status_code == 422 and field_of(too_long) == "person_ref"
    assert client.get("/screening/lists", headers=officer).json()["total"] == 0
    windows = upload(client, officer, EXAMPLE.read_bytes(), name="C:\\Lists\\de-2004.csv")
    assert windows.status_code == 201 and windows.json()["file_name"] == "de-2004.csv"


def test_a_date_before_any_policy_is_422_naming_as_of(client, auth):
    answer = upload(client, auth("screening_officer"), EXAMPLE.read_bytes(), as_of="2001-01-01")
    assert answer.status_code == 422 and field_of(answer) == "as_of"


def test_only_screening_officers_upload_and_others_cannot_read(client, auth):
    for role in ("administrator", "caseworker"):
        answer = upload(client, auth(role), EXAMPLE.read_bytes())
        assert answer.status_code == 403
    assert client.get("/screening/lists", headers=auth("caseworker")).status_code == 403
    assert client.get("/screening/lists", headers=auth("administrator")).status_code == 200
