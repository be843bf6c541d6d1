"""Assistance under a programme: eligibility, the cap, currencies, the status workflow."""

import datetime as dt
from decimal import Decimal

import pytest

from rrms.services.core import records
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.programmes.assistance import ASSISTANCE, eligibility
from rrms.services.programmes.programmes import check_eligibility
from rrms.storage.tables import Person, Programme


def request(uow, actor, **values):
    values = {"kind": "reintegration_grant", "requested_on": dt.date(2004, 10, 1)} | values
    with uow() as u:
        return records.create_record(u, actor, ASSISTANCE, values)


def change(uow, actor, row, **changes):
    with uow() as u:
        return records.update_record(u, actor, ASSISTANCE, row.id, row.version, changes)


def test_ineligible_persons_are_refused_with_the_reason(uow, staff, programme_ids, returnee):
    worker = staff["caseworker"]
    serb_from_uk = returnee("Srbin", from_="GB")
    with pytest.raises(Invalid) as caught:
        request(
            uow,
            worker,
            person_id=serb_from_uk,
            programme_id=programme_ids["VARRP"],
            amount=Decimal("100"),
            currency="GBP",
        )
    assert caught.value.field == "person_id"
    assert caught.value.message == (
        "VARRP is only for Albanian returnees; this person is recorded as Serb"
    )
    roma_from_germany = returnee("roma", from_="DE")
    with pytest.raises(Invalid) as caught:
        request(
            uow,
            worker,
            person_id=roma_from_germany,
            programme_id=programme_ids["SMR"],
            amount=Decimal("100"),
            currency="CHF",
        )
    assert caught.value.message == (
        "SMR is only for returnees from Switzerland (CH) or Liechtenstein (LI); "
        "this person returned from Germany (DE)"
    )
    with uow() as u:
        session = u.session
        smr = session.get(Programme, programme_ids["SMR"])
        vd = session.get(Programme, programme_ids["AVR-VD"])
        from_ch = session.get(Person, returnee("ashkali", from_="CH"))
        unknown = session.get(Person, returnee(None, from_="CH"))
        never_returned = session.get(Person, returnee("egyptian"))
        assert check_eligibility(u, smr, from_ch) is None
        assert "community is not recorded" in check_eligibility(u, smr, unknown)
        assert "no return of this person is recorded" in check_eligibility(u, smr, never_returned)
        assert check_eligibility(u, vd, from_ch, on=dt.date(2004, 8, 31)) == (
            "AVR-VD runs from 2004-09-01; 2004-08-31 is before it began"
        )
        assert check_eligibility(u, vd, from_ch, on=dt.date(2004, 9, 1)) is None


def test_cap_counts_every_open_request_and_names_the_amounts(uow, staff, programme_ids, returnee):
    worker, manager = staff["caseworker"], staff["programme_manager"]
    person = returnee("Albanian", from_="GB")
    varrp = programme_ids["VARRP"]
    first = request(
        uow, worker, person_id=person, programme_id=varrp, amount=Decimal("800"), currency="GBP"
    )
    with pytest.raises(Invalid) as caught:
        request(
            uow, worker, person_id=person, programme_id=varrp, amount=Decimal("300"), currency="GBP"
        )
    assert caught.value.field == "amount"
    assert caught.value.message == (
        "VARRP caps reintegration support at 1,000.00 GBP per person; 800.00 GBP is already "
        "approved or requested, so 300.00 GBP would exceed it by 100.00 GBP"
    )
    with pytest.raises(Invalid) as caught:
        request(
            uow, worker, person_id=person, programme_id=varrp, amount=Decimal("100"), currency="EUR"
        )
    assert caught.value.field == "currency"
    assert "record this assistance in GBP, not EUR" in caught.value.message
    second = request(
        uow, worker, person_id=person, programme_id=varrp, amount=Decimal("200.00"), currency="GBP"
    )
    with uow() as u:
        seen = eligibility(u, worker, varrp, person, on=dt.date(2004, 10, 2))
        assert seen.eligible and str(seen.cap.remaining) == "0.00 GBP"
    with pytest.raises(Invalid):  # raising a request past the cap is refused too
        change(uow, worker, second, amount=Decimal("200.01"))
    change(uow, worker, first, status="refused", refusal_reason="applied twice")
    third = request(
        uow, worker, person_id=person, programme_id=varrp, amount=Decimal("800"), currency="GBP"
    )
    change(uow, manager, third, status="approved")
    # Programmes without a cap take any of the three currencies, amount 0 for in-kind help.
    request(
        uow,
        worker,
        person_id=person,
        programme_id=programme_ids["KHRP"],
        kind="secondary_transport",
        amount=Decimal("0"),
        currency="EUR",
    )


def test_status_moves_forward_and_decisions_need_a_programme_manager(
    uow, staff, programme_ids, returnee
):
    worker, manager = staff["caseworker"], staff["programme_manager"]
    person = returnee("roma", from_="CH")
    row = request(
        uow,
        worker,
        person_id=person,
        programme_id=programme_ids["SMR"],
        kind="toolkit",
        amount=Decimal("450.50"),
        currency="CHF",
    )
    assert (row.status, row.approved_on, row.paid_on) == ("requested", None, None)
    with pytest.raises(Forbidden):
        change(uow, worker, row, status="approved")
    with pytest.raises(Invalid) as caught:
        change(uow, manager, row, status="paid")
    assert caught.value.field == "status"
    assert "from requested it can go to approved, refused" in caught.value.message
    row = change(uow, manager, row, status="approved", approved_on=dt.date(2004, 10, 5))
    assert row.approved_on == dt.date(2004, 10, 5)
    with pytest.raises(Invalid):
        change(uow, manager, row, amount=Decimal("1"))  # only requested assistance changes
    with pytest.raises(Forbidden):
        change(uow, worker, row, status="refused", refusal_reason="changed my mind")
    with pytest.raises(Invalid) as caught:
        change(uow, manager, row, status="paid", paid_on=dt.date(2004, 10, 4))
    assert caught.value.field == "paid_on"  # before the approval
    row = change(uow, manager, row, status="paid")
    assert row.paid_on == dt.date.today()
    for status in ("requested", "approved", "refused"):
        with pytest.raises(Invalid):
            change(uow, manager, row, status=status, refusal_reason="x")

    other = request(
        uow,
        worker,
        person_id=person,
        programme_id=programme_ids["SMR"],
        amount=Decimal("10"),
        currency="CHF",
    )
    with pytest.raises(Invalid) as caught:
        change(uow, worker, other, status="refused")
    assert caught.value.field == "refusal_reason"
    with pytest.raises(Invalid):
        request(
            uow,
            worker,
            person_id=person,
            programme_id=programme_ids["SMR"],
            amount=Decimal("10"),
            currency="CHF",
            status="approved",
        )
    withdrawn = change(uow, worker, other, status="refused", refusal_reason="duplicate")
    assert withdrawn.refusal_reason == "duplicate"


def test_bad_references_and_confidential_programmes_are_refused(
    uow, staff, programme_ids, returnee
):
    worker = staff["caseworker"]
    person = returnee("albanian", from_="DE")
    cases = [
        ({"person_id": 999_999, "programme_id": programme_ids["AVR"]}, "person_id"),
        ({"person_id": person, "programme_id": 10**12}, "programme_id"),
        ({"person_id": person, "programme_id": programme_ids["CT-WB"]}, "programme_id"),
        ({"person_id": person, "programme_id": programme_ids["AVR"], "kind": "gift"}, "kind"),
        ({"person_id": person, "programme_id": programme_ids["AVR"], "amount": 1.5}, "amount"),
        ({"person_id": person, "programme_id": programme_ids["AVR"], "amount": "-1"}, "amount"),
        ({"person_id": person, "programme_id": programme_ids["AVR"], "amount": "0.001"}, "amount"),
        (
            {"person_id": person, "programme_id": programme_ids["AVR"], "currency": "USD"},
            "currency",
        ),
        (
            {
                "person_id": person,
                "programme_id": programme_ids["AVR"],
                "requested_on": dt.date.today() + dt.timedelta(days=1),
            },
            "requested_on",
        ),
    ]
    for values, field in cases:
        values = {"amount": Decimal("5"), "currency": "EUR"} | values
        with pytest.raises(Invalid) as caught:
            request(uow, worker, **values)
        assert caught.value.field == field, (values, caught.value.message)
    for role in ("reporting", "administrator", "counter_trafficking"):
        with pytest.raises(Forbidden):
            request(
                uow,
                staff[role],
                person_id=person,
                programme_id=programme_ids["AVR"],
                amount=Decimal("5"),
                currency="EUR",
            )
