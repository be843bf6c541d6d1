"""Families and their members, through the service and the API, on both backends."""

import pytest
from sqlalchemy import select

from rrms.formats.vocabulary import RELATIONSHIP
from rrms.services.core import audit, records
from rrms.services.core.errors import Conflict, Forbidden, Invalid, NotFound
from rrms.services.records.persons import (
    FAMILIES,
    PERSONS,
    add_member,
    families_of_person,
    family_members,
)
from rrms.storage.tables import AuditEntry, FamilyMember
from support.api import field_of, message_of


def person(uow, actor, given):
    with uow() as u:
        return records.create_record(
            u, actor, PERSONS, {"family_name": "Berisha", "given_name": given}
        ).id


def family(uow, actor, ref="FAM-1", **values):
    with uow() as u:
        return records.create_record(u, actor, FAMILIES, {"family_ref": ref, **values})


def join(uow, actor, family_id, person_id, relationship):
    with uow() as u:
        return add_member(u, actor, family_id, person_id, relationship)


def entries(uow, *entities):
    with uow() as u:
        found = u.session.scalars(
            select(AuditEntry).where(AuditEntry.entity.in_(entities)).order_by(AuditEntry.id)
        ).all()
        u.session.expunge_all()  # keep the loaded values past the rollback
        return found


def test_family_with_members_and_their_relationships(uow, actors):
    worker = actors["caseworker"]
    fatmir, vjosa, arta = (person(uow, worker, name) for name in ("Fatmir", "Vjosa", "Arta"))
    berisha = family(uow, worker, notes="returned from Germany")
    assert (berisha.family_ref, berisha.version) == ("FAM-1", 1)
    assert join(uow, worker, berisha.id, fatmir, "head").relationship_to_head == "head"
    assert join(uow, worker, berisha.id, vjosa, "wife").relationship_to_head == "spouse"
    assert join(uow, worker, berisha.id, arta, "Daughter").relationship_to_head == "child"
    with uow() as u:
        members = family_members(u, worker, berisha.id)
    assert [(m.given_name, m.relationship) for m in members] == [
        ("Fatmir", "head"),
        ("Vjosa", "spouse"),
        ("Arta", "child"),
    ]
    # Recording the person again changes their relationship, not their membership.
    join(uow, worker, berisha.id, arta, "grandchild")
    with uow() as u:
        assert u.session.get(FamilyMember, (berisha.id, arta)).relationship_to_head == "grandchild"
        assert len(family_members(u, worker, berisha.id)) == 3


def test_the_family_is_listed_on_the_person(uow, actors):
    worker = actors["caseworker"]
    vjosa = person(uow, worker, "Vjosa")
    parents = family(uow, worker, "FAM-PARENTS")
    own = family(uow, worker, "FAM-OWN")
    join(uow, worker, parents.id, vjosa, "child")
    join(uow, worker, own.id, vjosa, "head")
    with uow() as u:
        found = families_of_person(u, worker, vjosa)
        assert [(m.family_ref, m.relationship) for m in found] == [
            ("FAM-PARENTS", "child"),
            ("FAM-OWN", "head"),
        ]
        assert families_of_person(u, worker, person(uow, worker, "Alone")) == []
        with pytest.raises(NotFound):
            families_of_person(u, worker, 999_999)


def test_unknown_relationship_is_refused_naming_the_valid_ones(uow, actors):
    worker = actors["caseworker"]
    berisha = family(uow, worker)
    fatmir = person(uow, worker, "Fatmir")
    for word in ("cousin", "spuose", ""):
        with uow() as u, pytest.raises(Invalid) as caught:
            add_member(u, worker, berisha.id, fatmir, word)
        assert caught.value.field == "relationship"
        assert all(value in caught.value.message for value in RELATIONSHIP.canonical), word
    with uow() as u, pytest.raises(Invalid) as caught:
        add_member(u, worker, berisha.id, fatmir, "spuose")
    assert "closest: spouse" in caught.value.message
    with uow() as u, pytest.raises(Invalid) as caught:
        add_member(u, worker, 999_999, fatmir, "head")
    assert caught.value.field == "family_id"
    with uow() as u, pytest.raises(Invalid) as caught:
        add_member(u, worker, berisha.id, 999_999, "head")
    assert caught.value.field == "person_id"
    with uow() as u:
        assert u.session.scalars(select(FamilyMember)).all() == []
    assert entries(uow, "family_members") == []


def test_family_changes_are_audited(uow, actors):
    worker = actors["caseworker"]
    fatmir = person(uow, worker, "Fatmir")
    berisha = family(uow, worker)
    join(uow, worker, berisha.id, fatmir, "head")
    join(uow, worker, berisha.id, fatmir, "parent")
    with uow() as u:
        records.update_record(u, worker, FAMILIES, berisha.id, 1, {"notes": "moved to Peja"})
    with uow() as u:
        family_members(u, worker, berisha.id)
        families_of_person(u, worker, fatmir)
    log = entries(uow, "families", "family_members")
    member = f"{berisha.id}:{fatmir}"
    assert [(e.action, e.entity, e.entity_id) for e in log] == [
        ("create", "families", str(berisha.id)),
        ("create", "family_members", member),
        ("update", "family_members", member),
        ("update", "families", str(berisha.id)),
        ("list", "family_members", "-"),
        ("list", "families", "-"),
    ]
    assert (log[1].before, log[1].after) == (None, {"relationship": "head"})
    assert (log[2].before, log[2].after) == ({"relationship": "head"}, {"relationship": "parent"})
    assert {e.username for e in log} == {"caseworker_user"}
    with uow() as u:
        assert list(audit.verify_chain(u)) == []


def test_roles_and_stale_family_version(uow, actors):
    worker = actors["caseworker"]
    fatmir = person(uow, worker, "Fatmir")
    berisha = family(uow, worker)
    for role in ("screening_officer", "programme_manager", "reporting", "medical"):
        with pytest.raises(Forbidden):
            join(uow, actors[role], berisha.id, fatmir, "head")
        with pytest.raises(Forbidden):
            family(uow, actors[role], "FAM-X")
    join(uow, actors["administrator"], berisha.id, fatmir, "head")
    with uow() as u:
        assert len(family_members(u, actors["screening_officer"], berisha.id)) == 1
        for role in ("reporting", "counter_trafficking"):
            with pytest.raises(Forbidden):
                family_members(u, actors[role], berisha.id)
            with pytest.raises(Forbidden):
                families_of_person(u, actors[role], fatmir)
    with uow() as u:
        records.update_record(u, worker, FAMILIES, berisha.id, 1, {"notes": "first"})
    with uow() as u, pytest.raises(Conflict):
        records.update_record(u, worker, FAMILIES, berisha.id, 1, {"notes": "second"})


# --- the API --------------------------------------------------------------------------


def test_api_family_members_and_the_person_s_families(client, auth):
    worker = auth("caseworker")
    ids = [
        client.post(
            "/persons", json={"family_name": "Hoxha", "given_name": given}, headers=worker
        ).json()["id"]
        for given in ("Besnik", "Lule", "Ilir")
    ]
    created = client.post("/families", json={"family_ref": "FAM-HOXHA"}, headers=worker)
    assert created.status_code == 201, created.text
    family_id = created.json()["id"]
    for person_id, word in zip(ids, ("head of household", "wife", "son"), strict=True):
        answer = client.put(
            f"/families/{family_id}/members",
            json={"person_id": person_id, "relationship": word},
            headers=worker,
        )
        assert answer.status_code == 200, answer.text
    assert answer.json() == {"family_id": family_id, "person_id": ids[2], "relationship": "child"}
    members = client.get(f"/families/{family_id}/members", headers=auth("programme_manager"))
    assert members.status_code == 200, members.text
    assert [(m["given_name"], m["relationship"]) for m in members.json()] == [
        ("Besnik", "head"),
        ("Lule", "spouse"),
        ("Ilir", "child"),
    ]
    on_person = client.get(f"/persons/{ids[1]}/families", headers=worker)
    assert on_person.status_code == 200, on_person.text
    assert on_person.json() == [
        {
            "family_id": family_id,
            "family_ref": "FAM-HOXHA",
            "person_id": ids[1],
            "family_name": "Hoxha",
            "given_name": "Lule",
            "relationship": "spouse",
        }
    ]


def test_api_refusals(client, auth):
    worker = auth("caseworker")
    person_id = client.post(
        "/persons", json={"family_name": "Hoxha", "given_name": "Besnik"}, headers=worker
    ).json()["id"]
    family_id = client.post("/families", json={"family_ref": "F-1"}, headers=worker).json()["id"]
    unknown = client.put(
        f"/families/{family_id}/members",
        json={"person_id": person_id, "relationship": "cousin"},
        headers=worker,
    )
    assert unknown.status_code == 422
    assert field_of(unknown) == "relationship"
    assert "head" in message_of(unknown) and "caregiver" in message_of(unknown)
    no_person = client.put(
        f"/families/{family_id}/members",
        json={"person_id": 999_999, "relationship": "head"},
        headers=worker,
    )
    assert (no_person.status_code, field_of(no_person)) == (422, "person_id")
    body = {"person_id": person_id, "relationship": "head"}
    assert client.put("/families/999999/members", json=body, headers=worker).status_code == 422
    assert (
        client.put(f"/families/{family_id}/members", json=body, headers=auth("screening_officer"))
    ).status_code == 403
    assert client.get("/families/999999/members", headers=worker).status_code == 404
    assert client.get("/persons/999999/families", headers=worker).status_code == 404
    assert client.get("/families/99999999999/members", headers=worker).status_code == 422
    assert (
        client.get(f"/persons/{person_id}/families", headers=auth("reporting")).status_code == 403
    )
    duplicate = client.post("/families", json={"family_ref": "F-1"}, headers=worker)
    assert duplicate.status_code == 409
