"""Confidential cases on both backends: each unit sees only its own, others see nothing."""

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from rrms.services.accounts import users
from rrms.services.core import records
from rrms.services.core.errors import Forbidden, Invalid, NotFound
from rrms.services.programmes.confidential import CASE_TYPES, CONFIDENTIAL_CASES
from rrms.storage.tables import AuditEntry

OPENED = dt.date(2004, 9, 1)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """Argon2 at its production cost makes each `actors` fixture take a second."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def open_case(uow, actor, **values):
    values = {"opened_on": OPENED, **values}
    with uow() as u:
        return records.create_record(u, actor, CONFIDENTIAL_CASES, values)


@pytest.fixture
def cases(uow, actors):
    """Two counter-trafficking cases and one medical case."""
    ct, med = actors["counter_trafficking"], actors["medical"]
    return {
        "ct": [
            open_case(uow, ct, case_type="victim_assistance", district="Prishtinë"),
            open_case(uow, ct, case_type="voluntary_return_of_victim", district="PEJ"),
        ],
        "medical": [open_case(uow, med, case_type="complex_medical_case", district="Gnjilane")],
    }


def test_each_unit_lists_and_counts_only_its_own_cases(uow, actors, cases):
    with uow() as u:
        page = records.list_records(u, actors["counter_trafficking"], CONFIDENTIAL_CASES)
        assert page.total == 2
        assert {c.id for c in page.items} == {c.id for c in cases["ct"]}
        assert {c.unit for c in page.items} == {"counter_trafficking"}
    with uow() as u:
        page = records.list_records(u, actors["medical"], CONFIDENTIAL_CASES)
        assert page.total == 1
        assert [c.id for c in page.items] == [cases["medical"][0].id]
    with uow() as u:
        filtered = records.list_records(
            u, actors["medical"], CONFIDENTIAL_CASES, {"case_type": "victim_assistance"}
        )
        assert filtered.total == 0 and list(filtered.items) == []


def test_another_units_case_is_not_found_not_forbidden(uow, actors, cases):
    ct_case = cases["ct"][0]
    with uow() as u, pytest.raises(NotFound) as caught:
        records.get_record(u, actors["medical"], CONFIDENTIAL_CASES, ct_case.id)
    with uow() as u, pytest.raises(NotFound) as absent:
        records.get_record(u, actors["medical"], CONFIDENTIAL_CASES, 999_999)
    # Indistinguishable from a case that does not exist.
    assert caught.value.message == absent.value.message.replace("999999", str(ct_case.id))
    with uow() as u, pytest.raises(NotFound):
        records.update_record(
            u, actors["medical"], CONFIDENTIAL_CASES, ct_case.id, 1, {"summary": "x"}
        )
    with uow() as u:
        own = records.get_record(u, actors["counter_trafficking"], CONFIDENTIAL_CASES, ct_case.id)
        assert own.case_type == "victim_assistance"
        assert own.district == "PRI"


def test_roles_outside_the_units_are_refused(uow, actors, cases):
    for role in ("caseworker", "administrator", "screening_officer"):
        with uow() as u, pytest.raises(Forbidden):
            records.list_records(u, actors[role], CONFIDENTIAL_CASES)
        with uow() as u, pytest.raises(Forbidden):
            records.get_record(u, actors[role], CONFIDENTIAL_CASES, cases["ct"][0].id)
        with pytest.raises(Forbidden):
            open_case(uow, actors[role], case_type="victim_assistance")


def test_every_read_is_audited(uow, actors, cases):
    ct = actors["counter_trafficking"]
    with uow() as u:
        records.list_records(u, ct, CONFIDENTIAL_CASES)
        records.get_record(u, ct, CONFIDENTIAL_CASES, cases["ct"][1].id)
    with uow() as u:
        entries = u.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "confidential_cases")
            .order_by(AuditEntry.id)
        ).all()
        entries = [(e.action, e.username, e.entity_id, e.after) for e in entries]
    reads = [
        (action, user, entity_id) for action, user, entity_id, _ in entries if action != "create"
    ]
    assert reads == [
        ("list", "counter_trafficking_user", "-"),
        ("read", "counter_trafficking_user", str(cases["ct"][1].id)),
    ]
    listed = next(after for action, _, _, after in entries if action == "list")
    assert listed["ids"] == [c.id for c in cases["ct"]]
    assert [user for action, user, _, _ in entries if action == "create"] == [
        "counter_trafficking_user",
        "counter_trafficking_user",
        "medical_user",
    ]


def test_case_types_belong_to_their_unit(uow, actors):
    with pytest.raises(Invalid) as caught:
        open_case(uow, actors["medical"], case_type="victim_assistance")
    assert caught.value.field == "case_type"
    assert "complex_medical_case" in caught.value.message
    for unit, types in CASE_TYPES.items():
        assert open_case(uow, actors[unit], case_type=types[0]).unit == unit


def test_unit_cannot_be_chosen_or_changed(uow, actors):
    with pytest.raises(Forbidden):
        open_case(uow, actors["medical"], case_type="victim_assistance", unit="counter_trafficking")
    case = open_case(uow, actors["medical"], case_type="medical_transport")
    with uow() as u, pytest.raises(Forbidden):
        records.update_record(
            u, actors["medical"], CONFIDENTIAL_CASES, case.id, 1, {"unit": "counter_trafficking"}
        )


def test_district_status_and_dates_are_checked(uow, actors):
    med = actors["medical"]
    with pytest.raises(Invalid) as caught:
        open_case(uow, med, case_type="medical_transport", district="Belgrade")
    assert caught.value.field == "district" and "PRI" in caught.value.message
    with pytest.raises(Invalid) as caught:
        open_case(uow, med, case_type="medical_transport", status="archived")
    assert caught.value.field == "status"
    case = open_case(uow, med, case_type="medical_transport", district="Uroševac")
    assert case.district == "FER" and case.status == "open"
    with uow() as u, pytest.raises(Invalid) as caught:
        records.update_record(u, med, CONFIDENTIAL_CASES, case.id, 1, {"status": "closed"})
    assert caught.value.field == "closed_on"
    with uow() as u, pytest.raises(Invalid) as caught:
        records.update_record(
            u, med, CONFIDENTIAL_CASES, case.id, 1, {"closed_on": dt.date(2004, 1, 1)}
        )
    assert caught.value.field == "closed_on"
    with uow() as u:
        closed = records.update_record(
            u,
            med,
            CONFIDENTIAL_CASES,
            case.id,
            1,
            {"status": "closed", "closed_on": dt.date(2004, 12, 1)},
        )
    assert (closed.status, closed.version) == ("closed", 2)
