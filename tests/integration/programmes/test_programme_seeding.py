"""Seeding the reference programmes, and editing programmes, on both backends."""

from decimal import Decimal

import pytest
from sqlalchemy import text

from rrms.reference.programmes import programmes
from rrms.services.core import audit, records
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.programmes.programmes import PROGRAMMES, programme_by_code, seed_programmes


def test_seeding_is_idempotent_audited_and_restores_the_reference(uow, staff):
    with uow() as u:
        assert seed_programmes(u) == (len(programmes()), 0)
    with uow() as u:
        assert seed_programmes(u) == (0, 0)
        varrp = programme_by_code(u, "VARRP")
        assert (varrp.cap_amount, varrp.cap_currency) == (Decimal("1000.00"), "GBP")
        assert varrp.eligible_communities == ["albanian"]
        assert varrp.eligible_sending_countries == ["GB"]
        records.update_record(
            u,
            staff["programme_manager"],
            PROGRAMMES,
            varrp.id,
            varrp.version,
            {"cap_amount": Decimal("1500")},
        )
    with uow() as u:
        assert seed_programmes(u, staff["administrator"]) == (0, 1)
        assert programme_by_code(u, "VARRP").cap_amount == Decimal("1000.00")
        creates = u.session.execute(
            text("SELECT count(*) FROM audit_log WHERE entity = 'programmes' AND action = 'create'")
        ).scalar()
        assert creates == len(programmes())
        assert list(audit.verify_chain(u.session)) == []


def test_programme_fields_are_checked_and_normalised(uow, staff):
    manager = staff["programme_manager"]
    with uow() as u:
        row = records.create_record(
            u,
            manager,
            PROGRAMMES,
            {
                "code": "test-1",
                "name": "A local programme",
                "eligible_communities": ["Shqiptar", "Rom", "roma"],
                "eligible_sending_countries": ["Schweiz", "UK"],
                "cap_amount": "500",
                "cap_currency": "chf",
            },
        )
        assert (row.code, row.eligible_communities, row.eligible_sending_countries) == (
            "TEST-1",
            ["albanian", "roma"],
            ["CH", "GB"],
        )
        assert (row.cap_amount, row.cap_currency) == (Decimal("500.00"), "CHF")
    bad = [
        ({"code": "no spaces", "name": "x"}, "code"),
        ({"code": "X", "name": "x", "eligible_communities": ["Muslim"]}, "eligible_communities"),
        ({"code": "X", "name": "x", "eligible_communities": []}, "eligible_communities"),
        (
            {"code": "X", "name": "x", "eligible_sending_countries": ["Atlantis"]},
            "eligible_sending_countries",
        ),
        ({"code": "X", "name": "x", "cap_amount": "10"}, "cap_currency"),
        ({"code": "X", "name": "x", "cap_amount": 10.5, "cap_currency": "EUR"}, "cap_amount"),
        ({"code": "X", "name": "x", "cap_amount": "1", "cap_currency": "USD"}, "cap_currency"),
        (
            {"code": "X", "name": "x", "period_start": "2004-10-01", "period_end": "2004-01-01"},
            "period_end",
        ),
        ({"code": "X", "name": "x", "confidential_unit": "caseworker"}, "confidential_unit"),
        ({"code": "X", "name": " "}, "name"),
    ]
    for values, field in bad:
        with uow() as u, pytest.raises(Invalid) as caught:
            records.create_record(u, manager, PROGRAMMES, values)
        assert caught.value.field == field, (values, caught.value.message)
    with uow() as u, pytest.raises(Invalid) as caught:
        records.update_record(u, manager, PROGRAMMES, row.id, row.version, {"code": "OTHER"})
    assert caught.value.field == "code"
    for role in ("caseworker", "reporting", "counter_trafficking"):
        with uow() as u, pytest.raises(Forbidden):
            records.create_record(u, staff[role], PROGRAMMES, {"code": "Y", "name": "y"})
    with uow() as u:  # everyone may read programmes
        page = records.list_records(u, staff["reporting"], PROGRAMMES, {"code": "TEST-1"})
        assert [p.id for p in page.items] == [row.id]
