"""A person's documents, through the service and the API, on both backends."""

import datetime as dt

import pytest
from sqlalchemy import select

from rrms.services.core import audit, records
from rrms.services.core.errors import Conflict, Forbidden, Invalid, NotFound
from rrms.services.records.documents import DOCUMENT_KINDS, DOCUMENTS
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import AuditEntry, Document
from support.api import field_of, message_of

D = dt.date


def person(uow, actor, given="Arben"):
    with uow() as u:
        return records.create_record(
            u, actor, PERSONS, {"family_name": "Gashi", "given_name": given}
        )


def create(uow, actor, **values):
    with uow() as u:
        return records.create_record(u, actor, DOCUMENTS, values)


def change(uow, actor, row, **changes):
    with uow() as u:
        return records.update_record(u, actor, DOCUMENTS, row.id, row.version, changes)


def refused(uow, actor, field, row=None, **values):
    with uow() as u, pytest.raises(Invalid) as caught:
        if row is None:
            records.create_record(u, actor, DOCUMENTS, values)
        else:
            records.update_record(u, actor, DOCUMENTS, row.id, row.version, values)
    assert caught.value.field == field, caught.value.message
    return caught.value.message


def entries(uow, entity="documents"):
    with uow() as u:
        found = u.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        ).all()
        u.session.expunge_all()  # keep the loaded values past the rollback
        return found


def test_create_read_list_and_update(uow, actors):
    worker = actors["caseworker"]
    arben, besa = person(uow, worker), person(uow, worker, "Besa")
    passport = create(
        uow,
        worker,
        person_id=arben.id,
        kind="Reisepass",
        number="  P 0123456 ",
        issued_by="SUP Beograd",
        issued_on="1999-03-01",
        expires_on=D(2009, 3, 1),
    )
    assert (passport.kind, passport.number, passport.issued_on, passport.version) == (
        "passport",
        "P 0123456",
        D(1999, 3, 1),
        1,
    )
    create(uow, worker, person_id=arben.id, kind="letërnjoftim", number="ID-1")
    create(uow, worker, person_id=besa.id, kind="birth certificate")
    with uow() as u:
        read = records.get_record(u, worker, DOCUMENTS, passport.id)
        assert (read.person_id, read.kind, read.issued_by) == (arben.id, "passport", "SUP Beograd")
        page = records.list_records(u, worker, DOCUMENTS, {"person_id": arben.id})
        assert (page.total, [d.kind for d in page.items]) == (2, ["passport", "identity_card"])
        by_kind = records.list_records(u, worker, DOCUMENTS, {"kind": "birth_certificate"})
        assert [d.person_id for d in by_kind.items] == [besa.id]
    renewed = change(uow, worker, passport, expires_on=D(2030, 1, 1), number="P7654321")
    assert (renewed.version, renewed.expires_on, renewed.number) == (2, D(2030, 1, 1), "P7654321")
    with uow() as u, pytest.raises(NotFound):
        records.get_record(u, worker, DOCUMENTS, 999_999)


def test_kinds_are_one_vocabulary_in_every_language():
    for word, kind in [
        ("passport", "passport"),
        ("Pasaportë", "passport"),
        ("пасош", "passport"),
        ("lična karta", "identity_card"),
        ("UNMIK travel document", "unmik_travel_document"),
        ("Duldung", "toleration_certificate"),
        ("laissez-passer", "laissez_passer"),
        ("izvod iz maticne knjige rodjenih", "birth_certificate"),
    ]:
        assert DOCUMENT_KINDS.parse(word) == kind, word


def test_bad_values_are_refused_naming_the_field(uow, actors):
    worker = actors["caseworker"]
    arben = person(uow, worker)
    message = refused(uow, worker, "kind", person_id=arben.id, kind="pasport")
    assert "closest: passport" in message
    assert all(kind in message for kind in DOCUMENT_KINDS.canonical)
    refused(uow, worker, "kind", person_id=arben.id)
    refused(uow, worker, "person_id", person_id=999_999, kind="passport")
    refused(uow, worker, "person_id", kind="passport")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    refused(uow, worker, "issued_on", person_id=arben.id, kind="passport", issued_on=tomorrow)
    refused(uow, worker, "issued_on", person_id=arben.id, kind="passport", issued_on="1.3.99")
    refused(
        uow,
        worker,
        "expires_on",
        person_id=arben.id,
        kind="passport",
        issued_on=D(2004, 1, 1),
        expires_on=D(2003, 1, 1),
    )
    refused(uow, worker, "number", person_id=arben.id, kind="passport", number="9" * 81)
    refused(uow, worker, "id", person_id=arben.id, kind="passport", id=5)
    card = create(uow, worker, person_id=arben.id, kind="identity_card", issued_on=D(2001, 5, 1))
    refused(uow, worker, "expires_on", card, expires_on=D(2000, 1, 1))
    refused(uow, worker, "kind", card, kind="ticket")
    refused(uow, worker, "kind", card, kind=None)
    refused(uow, worker, "person_id", card, person_id=999_999)
    with uow() as u:
        assert u.session.scalar(select(Document.id).where(Document.id != card.id)) is None


def test_roles_without_write_are_refused_and_readers_may_read(uow, actors):
    arben = person(uow, actors["caseworker"])
    card = create(uow, actors["caseworker"], person_id=arben.id, kind="identity_card")
    for role in ("screening_officer", "programme_manager", "reporting", "medical"):
        with uow() as u, pytest.raises(Forbidden):
            records.create_record(u, actors[role], DOCUMENTS, {"person_id": arben.id, "kind": "id"})
        with uow() as u, pytest.raises(Forbidden):
            records.update_record(u, actors[role], DOCUMENTS, card.id, 1, {"number": "X"})
    for role in ("reporting", "counter_trafficking", "medical"):
        with uow() as u, pytest.raises(Forbidden):
            records.list_records(u, actors[role], DOCUMENTS, {"person_id": arben.id})
    for role in ("screening_officer", "programme_manager", "administrator"):
        with uow() as u:
            assert records.get_record(u, actors[role], DOCUMENTS, card.id).kind == "identity_card"
    assert create(uow, actors["administrator"], person_id=arben.id, kind="passport").id


def test_every_write_and_read_is_audited_in_its_transaction(uow, actors):
    worker = actors["caseworker"]
    arben = person(uow, worker)
    card = create(uow, worker, person_id=arben.id, kind="identity_card", number="A1")
    with uow() as u:
        records.get_record(u, worker, DOCUMENTS, card.id)
        records.list_records(u, worker, DOCUMENTS, {"person_id": arben.id})
    change(uow, worker, card, number="A2")
    refused(uow, worker, "kind", person_id=arben.id, kind="ticket")  # nothing written
    log = entries(uow)
    assert [(e.action, e.entity_id, e.username) for e in log] == [
        ("create", str(card.id), "caseworker_user"),
        ("read", str(card.id), "caseworker_user"),
        ("list", "-", "caseworker_user"),
        ("update", str(card.id), "caseworker_user"),
    ]
    assert log[0].after["kind"] == "identity_card"
    assert log[2].after == {"ids": [card.id], "filters": {"person_id": arben.id}}
    assert (log[3].before["number"], log[3].after["number"]) == ("A1", "A2")
    assert (log[3].before["version"], log[3].after["version"]) == (1, 2)
    with uow() as u:
        assert list(audit.verify_chain(u)) == []


def test_second_save_of_a_stale_version_is_a_conflict(uow, actors):
    worker = actors["caseworker"]
    card = create(uow, worker, person_id=person(uow, worker).id, kind="identity_card")
    change(uow, worker, card, number="first")
    with uow() as u, pytest.raises(Conflict, match="changed by someone else"):
        records.update_record(u, worker, DOCUMENTS, card.id, card.version, {"number": "second"})
    with uow() as u:
        assert records.get_record(u, worker, DOCUMENTS, card.id).number == "first"
    assert [e.action for e in entries(uow)] == ["create", "update", "read"]


# --- the API --------------------------------------------------------------------------


def new_person(client, headers):
    answer = client.post(
        "/persons", json={"family_name": "Krasniqi", "given_name": "Drita"}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_api_create_list_read_update(client, auth):
    worker = auth("caseworker")
    person_id = new_person(client, worker)
    created = client.post(
        "/documents",
        json={
            "person_id": person_id,
            "kind": "UNMIK TD",
            "number": "TD-42",
            "issued_on": "2003-06-01",
            "expires_on": "2005-06-01",
        },
        headers=worker,
    )
    assert created.status_code == 201, created.text
    document = created.json()
    assert (document["kind"], document["version"], document["expires_on"]) == (
        "unmik_travel_document",
        1,
        "2005-06-01",
    )
    listed = client.get("/documents", params={"person_id": person_id}, headers=worker).json()
    assert (listed["total"], [d["id"] for d in listed["items"]]) == (1, [document["id"]])
    by_word = client.get("/documents", params={"kind": "UNMIK travel document"}, headers=worker)
    assert by_word.json()["total"] == 1
    assert (
        client.get("/documents", params={"person_id": person_id + 1}, headers=worker).json()[
            "total"
        ]
        == 0
    )
    read = client.get(f"/documents/{document['id']}", headers=auth("screening_officer"))
    assert read.status_code == 200 and read.json()["number"] == "TD-42"
    changed = client.patch(
        f"/documents/{document['id']}", json={"version": 1, "number": "TD-43"}, headers=worker
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["number"], changed.json()["version"]) == ("TD-43", 2)


def test_api_bad_input_is_422_naming_the_field(client, auth):
    worker = auth("caseworker")
    person_id = new_person(client, worker)
    bad_kind = client.post(
        "/documents", json={"person_id": person_id, "kind": "ticket"}, headers=worker
    )
    assert bad_kind.status_code == 422
    assert field_of(bad_kind) == "kind"
    assert "passport" in message_of(bad_kind)
    no_person = client.post("/documents", json={"person_id": 999_999, "kind": "id"}, headers=worker)
    assert (no_person.status_code, field_of(no_person)) == (422, "person_id")
    backwards = client.post(
        "/documents",
        json={
            "person_id": person_id,
            "kind": "passport",
            "issued_on": "2004-01-01",
            "expires_on": "2003-01-01",
        },
        headers=worker,
    )
    assert (backwards.status_code, field_of(backwards)) == (422, "expires_on")
    not_a_date = client.post(
        "/documents",
        json={"person_id": person_id, "kind": "passport", "issued_on": "soon"},
        headers=worker,
    )
    assert not_a_date.status_code == 422
    assert not_a_date.json()["detail"][0]["loc"] == ["body", "issued_on"]
    unknown_field = client.post(
        "/documents",
        json={"person_id": person_id, "kind": "passport", "colour": "red"},
        headers=worker,
    )
    assert unknown_field.status_code == 422
    assert unknown_field.json()["detail"][0]["loc"] == ["body", "colour"]
    bad_filter = client.get("/documents", params={"kind": "ticket"}, headers=worker)
    assert bad_filter.status_code == 422
    assert bad_filter.json()["detail"][0]["loc"] == ["query", "kind"]
    assert client.get("/documents/99999999999", headers=worker).status_code == 422


def test_api_roles_and_stale_version(client, auth):
    worker = auth("caseworker")
    person_id = new_person(client, worker)
    body = {"person_id": person_id, "kind": "passport"}
    for role in ("screening_officer", "programme_manager", "reporting"):
        assert client.post("/documents", json=body, headers=auth(role)).status_code == 403
    assert client.get("/documents", headers=auth("reporting")).status_code == 403
    assert client.get("/documents").status_code == 401
    document = client.post("/documents", json=body, headers=worker).json()
    first = client.patch(
        f"/documents/{document['id']}", json={"version": 1, "number": "P1"}, headers=worker
    )
    assert first.status_code == 200
    second = client.patch(
        f"/documents/{document['id']}", json={"version": 1, "number": "P2"}, headers=worker
    )
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["detail"]
    assert client.get(f"/documents/{document['id']}", headers=worker).json()["number"] == "P1"
