"""Correction requests over the API: taken down by the signed-in user, closed once,
refused only with a reason, audited; the correction itself an ordinary audited edit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rrms.storage.tables import AuditEntry


def _person(client, headers) -> int:
    answer = client.post(
        "/persons", json={"family_name": "Gashi", "given_name": "Drita"}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def test_a_request_is_taken_down_and_closed_once(client, auth, uow):
    worker = auth("caseworker")
    person_id = _person(client, worker)
    created = client.post(
        "/correction_requests",
        json={"person_id": person_id, "what": "My given name is Dritë, not Drita"},
        headers=worker,
    )
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["status"] == "open" and request["recorded_by"] == "caseworker_user"
    assert request["requested_on"] == dt.date.today().isoformat()
    assert request["closed_on"] is None and request["closed_by"] is None

    forged = client.post(
        "/correction_requests",
        json={"person_id": person_id, "what": "x", "recorded_by": "someone"},
        headers=worker,
    )
    assert forged.status_code == 422

    no_reason = client.patch(
        f"/correction_requests/{request['id']}",
        json={"version": request["version"], "status": "refused"},
        headers=worker,
    )
    assert no_reason.status_code == 422 and "refusal_reason" in no_reason.text

    corrected = client.patch(
        f"/persons/{person_id}", json={"version": 1, "given_name": "Dritë"}, headers=worker
    )
    assert corrected.status_code == 200, corrected.text
    closed = client.patch(
        f"/correction_requests/{request['id']}",
        json={"version": request["version"], "status": "corrected"},
        headers=auth("administrator"),
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_by"] == "administrator_user"
    assert closed.json()["closed_on"] == dt.date.today().isoformat()

    again = client.patch(
        f"/correction_requests/{request['id']}",
        json={"version": closed.json()["version"], "status": "refused", "refusal_reason": "no"},
        headers=worker,
    )
    assert again.status_code == 422

    listed = client.get(f"/correction_requests?person_id={person_id}", headers=worker)
    assert listed.json()["total"] == 1
    with uow() as u:
        actions = list(
            u.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "correction_requests")
                .order_by(AuditEntry.id)
            )
        )
    assert actions[:3] == ["create", "update", "list"]


def test_a_refusal_needs_its_reason(client, auth):
    worker = auth("caseworker")
    person_id = _person(client, worker)
    created = client.post(
        "/correction_requests",
        json={"person_id": person_id, "what": "birth date", "requested_on": "2004-10-01"},
        headers=worker,
    ).json()
    refused = client.patch(
        f"/correction_requests/{created['id']}",
        json={
            "version": created["version"],
            "status": "refused",
            "refusal_reason": "the passport shows 1970",
        },
        headers=worker,
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["refusal_reason"] == "the passport shows 1970"


def test_roles_outside_the_case_readers_are_refused(client, auth):
    person_id = _person(client, auth("caseworker"))
    for role in ("reporting", "medical", "counter_trafficking"):
        answer = client.get(f"/correction_requests?person_id={person_id}", headers=auth(role))
        assert answer.status_code == 403
    answer = client.post(
        "/correction_requests",
        json={"person_id": person_id, "what": "x"},
        headers=auth("programme_manager"),
    )
    assert answer.status_code == 403
    unknown = client.post(
        "/correction_requests", json={"person_id": 999999, "what": "x"}, headers=auth("caseworker")
    )
    assert unknown.status_code == 422 and "person_id" in unknown.text
