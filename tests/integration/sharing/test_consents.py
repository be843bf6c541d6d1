"""A person's consents through the service and the API, on both backends: recorded by
the signed-in user, withdrawn but kept, never edited, audited, refused to other roles."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rrms.services.core import records
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.records.consents import CONSENTS, consents_of_person, withdraw_consent
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import AuditEntry

D = dt.date


def _person(uow, actor):
    with uow() as u:
        return records.create_record(
            u, actor, PERSONS, {"family_name": "Gashi", "given_name": "Arta"}
        )


def _consent(uow, actor, person_id, **values):
    with uow() as u:
        return records.create_record(
            u,
            actor,
            CONSENTS,
            {
                "person_id": person_id,
                "purpose": "research",
                "scope": ["demographics", "returns"],
                "recipients": ["University of Prishtina", " IOM "],
                "given_on": "2004-03-01",
                **values,
            },
        )


def test_record_list_and_withdraw_a_consent(uow, actors):
    worker = actors["caseworker"]
    arta = _person(uow, worker)
    consent = _consent(uow, worker, arta.id)
    assert consent.recorded_by == worker.user_id
    assert consent.recipients == ["University of Prishtina", "IOM"]
    assert consent.given_on == D(2004, 3, 1)
    assert consent.withdrawn_on is None

    with uow() as u:
        withdrawn = withdraw_consent(u, worker, consent.id, consent.version, "2004-05-01")
    assert (withdrawn.withdrawn_on, withdrawn.withdrawn_by) == (D(2004, 5, 1), worker.user_id)

    with uow() as u:
        views = consents_of_person(u, actors["programme_manager"], arta.id)
    assert [v.consent.id for v in views] == [consent.id]  # kept, not deleted
    assert views[0].recorded_by == worker.username
    assert views[0].withdrawn_by == worker.username
    assert not views[0].active

    with uow() as u:
        actions = u.session.execute(
            select(AuditEntry.action).where(AuditEntry.entity == "consents").order_by(AuditEntry.id)
        ).scalars()
        assert list(actions) == ["create", "update", "list"]


def test_a_consent_is_withdrawn_once_and_never_edited(uow, actors):
    worker = actors["caseworker"]
    arta = _person(uow, worker)
    consent = _consent(uow, worker, arta.id)
    with uow() as u, pytest.raises(Invalid) as caught:
        records.update_record(u, worker, CONSENTS, consent.id, 1, {"purpose": "reporting"})
    assert caught.value.field == "purpose"
    with uow() as u, pytest.raises(Invalid) as caught:
        withdraw_consent(u, worker, consent.id, 1, "2004-02-01")  # before it was given
    assert caught.value.field == "withdrawn_on"
    with uow() as u:
        withdrawn = withdraw_consent(u, worker, consent.id, 1, "2004-05-01")
    with uow() as u, pytest.raises(Invalid) as caught:
        withdraw_consent(u, worker, consent.id, withdrawn.version, "2004-06-01")
    assert "withdrawn on 2004-05-01" in caught.value.message


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("purpose", {"purpose": "marketing"}),
        ("scope", {"scope": ["health"]}),
        ("scope", {"scope": []}),
        ("recipients", {"recipients": ["  "]}),
        ("given_on", {"given_on": "2999-01-01"}),
        ("recorded_by", {"recorded_by": 1}),
        ("withdrawn_on", {"withdrawn_on": "2004-04-01"}),
    ],
)
def test_bad_consents_are_refused_naming_the_field(uow, actors, field, values):
    worker = actors["caseworker"]
    arta = _person(uow, worker)
    with pytest.raises(Invalid) as caught:
        _consent(uow, worker, arta.id, **values)
    assert caught.value.field == field


def test_roles_outside_the_table_are_refused(uow, actors):
    arta = _person(uow, actors["caseworker"])
    for role in ("reporting", "medical", "screening_officer"):
        with uow() as u, pytest.raises(Forbidden):
            consents_of_person(u, actors[role], arta.id)
    with pytest.raises(Forbidden):
        _consent(uow, actors["programme_manager"], arta.id)


def test_the_api_records_and_withdraws(client, auth):
    worker = auth("caseworker")
    person = client.post(
        "/persons", json={"family_name": "Hoxha", "given_name": "Besa"}, headers=worker
    ).json()
    answer = client.post(
        "/consents",
        json={
            "person_id": person["id"],
            "purpose": "referral_to_partner",
            "scope": ["demographics"],
            "recipients": ["Women's Wellness Centre"],
            "given_on": "2004-03-01",
        },
        headers=worker,
    )
    assert answer.status_code == 201, answer.text
    consent = answer.json()
    answer = client.patch(
        f"/consents/{consent['id']}",
        json={"version": consent["version"], "withdrawn_on": "2004-04-01"},
        headers=worker,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["withdrawn_on"] == "2004-04-01"
    listed = client.get("/consents", params={"person_id": person["id"]}, headers=worker).json()
    assert [c["id"] for c in listed["items"]] == [consent["id"]]
    assert client.get("/consents", headers=auth("reporting")).status_code == 403
