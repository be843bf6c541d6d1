"""Persons through the service layer on both backends: search, audit, conflicts."""

import pytest
from sqlalchemy import text

from rrms.services.core import audit, records
from rrms.services.core.errors import Conflict, Forbidden, Invalid
from rrms.services.records.persons import PERSONS, search_persons, similar_persons


def create(uow, actor, **values):
    with uow() as u:
        return records.create_record(u, actor, PERSONS, values)


def test_search_ignores_diacritics_and_script(uow, actors):
    worker = actors["caseworker"]
    create(uow, worker, family_name="Đorđević", given_name="Dragan", birth_date="12.05.1960")
    create(uow, worker, family_name="Krasniqi", given_name="Arben")
    for query in ("Djordjevic", "Đorđević", "Ђорђевић", "djordjevic dragan", "ДРАГАН"):
        with uow() as u:
            found = search_persons(u, worker, query)
        assert [p.family_name for p in found] == ["Đorđević"], query


def test_search_by_municipality_of_origin_in_any_spelling(uow, actors):
    worker = actors["caseworker"]
    create(uow, worker, family_name="Berisha", given_name="Arta", origin_municipality="Pejë")
    create(uow, worker, family_name="Berisha", given_name="Blerim", origin_municipality="Prizren")
    create(uow, worker, family_name="Stojanović", given_name="Milan", origin_municipality="Peć")
    for query in ("Pec", "Peć", "Пећ", "pejë", "Peja"):
        with uow() as u:
            found = search_persons(u, worker, query)
        assert sorted(p.given_name for p in found) == ["Arta", "Milan"], query
    with uow() as u:
        found = search_persons(u, worker, "Berisha Pec")
    assert [p.given_name for p in found] == ["Arta"]
    with uow() as u:  # a name is still found by its letters, not taken for a place
        assert [p.given_name for p in search_persons(u, worker, "Blerim")] == ["Blerim"]


def test_arrivals_are_filtered_by_any_spelling(uow, actors):
    from rrms.services.core.records import list_records
    from rrms.services.returns.arrivals import RETURNS

    worker = actors["caseworker"]
    person = create(uow, worker, family_name="Berisha", given_name="Arta")
    for ref, place, country in (("M1", "Pejë", "DE"), ("M2", "Prizren", "CH")):
        with uow() as u:
            arrival = {"movement_ref": ref, "person_id": person.id, "return_type": "voluntary"}
            arrival |= {"sending_country": country, "transport_mode": "plane"}
            arrival |= {"arrival_date": "2004-09-01", "destination_municipality": place}
            records.create_record(u, worker, RETURNS, arrival)
    for place in ("Пећ", "Pec", "Peja"):
        with uow() as u:
            page = list_records(u, worker, RETURNS, {"destination_municipality": place})
        assert [r.movement_ref for r in page.items] == ["M1"], place
    with uow() as u:
        page = list_records(u, worker, RETURNS, {"sending_country": "Deutschland"})
    assert [r.movement_ref for r in page.items] == ["M1"]
    with uow() as u, pytest.raises(Invalid) as refused:
        list_records(u, actors["caseworker"], RETURNS, {"destination_municipality": "Pecc"})
    assert refused.value.field == "destination_municipality" and "Pej" in refused.value.message


def test_person_fields_are_normalised(uow, actors):
    person = create(
        uow,
        actors["caseworker"],
        family_name="Gashi",
        given_name="Shpresa",
        birth_date="1939",
        community="shqiptar",
        origin_municipality="Gjakova",
        sex="ž",
    )
    assert (
        person.birth_date,
        person.birth_year,
        person.community,
        person.origin_municipality,
        person.sex,
    ) == ("1939", 1939, "albanian", "02", "f")


def test_bad_values_name_the_field_and_nearest_values(uow, actors):
    with pytest.raises(Invalid) as caught:
        create(
            uow, actors["caseworker"], family_name="A", given_name="B", origin_municipality="Pejja"
        )
    assert caught.value.field == "origin_municipality"
    assert "Pej" in caught.value.message


def test_duplicate_warning_finds_same_name_and_year(uow, actors):
    worker = actors["caseworker"]
    create(uow, worker, family_name="Jovanović", given_name="Dragan", birth_date="1960-05-12")
    with uow() as u:
        assert len(similar_persons(u, worker, "Jovanovic", "Dragan", "1960")) == 1
        assert similar_persons(u, worker, "Jovanovic", "Dragan", "1975") == []


def test_second_save_of_same_version_is_a_conflict(uow, actors):
    worker = actors["caseworker"]
    person = create(uow, worker, family_name="Hoxha", given_name="Besnik")
    with uow() as u:
        records.update_record(u, worker, PERSONS, person.id, person.version, {"notes": "first"})
    with uow() as u, pytest.raises(Conflict):
        records.update_record(u, worker, PERSONS, person.id, person.version, {"notes": "second"})
    with uow() as u:
        assert records.get_record(u, worker, PERSONS, person.id).notes == "first"


def test_roles_without_case_access_are_refused(uow, actors):
    for role in ("reporting", "counter_trafficking", "medical"):
        with pytest.raises(Forbidden):
            create(uow, actors[role], family_name="A", given_name="B")
    with pytest.raises(Forbidden):
        create(uow, actors["screening_officer"], family_name="A", given_name="B")


def test_every_write_and_read_is_audited_and_chain_verifies(uow, actors):
    worker = actors["caseworker"]
    person = create(uow, worker, family_name="Berisha", given_name="Fatmir")
    with uow() as u:
        records.get_record(u, worker, PERSONS, person.id)
    with uow() as u:
        entries = u.session.execute(
            text("SELECT action, entity, username FROM audit_log WHERE entity = 'persons'")
        ).all()
        assert [tuple(e) for e in entries] == [
            ("create", "persons", "caseworker_user"),
            ("read", "persons", "caseworker_user"),
        ]
        assert list(audit.verify_chain(u)) == []


def test_audit_log_refuses_update_and_delete(uow, actors):
    create(uow, actors["caseworker"], family_name="Shala", given_name="Drita")
    for statement in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with uow() as u, pytest.raises(Exception, match="append-only"):
            u.session.execute(text(statement))
            u.commit()
