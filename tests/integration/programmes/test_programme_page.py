"""A programme's page shows the assistance given under it, to the roles that may read it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fastapi.testclient import TestClient

from rrms.services.accounts.users import add_user
from rrms.services.core import records
from rrms.services.core.access import SYSTEM
from rrms.services.programmes.assistance import ASSISTANCE, assistance_totals
from rrms.web.server import create_server
from support.pages import sign_in

PASSWORD = "correct horse battery"


def _signed_in(session_factory, uow, role):
    with uow() as u:
        add_user(u, SYSTEM, f"page_{role}", PASSWORD, role)
    client = TestClient(create_server(session_factory))
    sign_in(client, role, username=f"page_{role}")
    return client


def test_assistance_by_status_and_currency_on_the_programme_page(
    uow, session_factory, staff, programme_ids, returnee
):
    smr = programme_ids["SMR"]
    for amount in ("450.50", "300.00"):
        with uow() as u:
            records.create_record(
                u,
                staff["caseworker"],
                ASSISTANCE,
                {
                    "person_id": returnee("roma", from_="CH"),
                    "programme_id": smr,
                    "kind": "toolkit",
                    "amount": Decimal(amount),
                    "currency": "CHF",
                    "requested_on": dt.date(2004, 10, 1),
                },
            )
    with uow() as u:
        totals = assistance_totals(u, staff["programme_manager"], smr)
    assert [(t.status, t.currency, t.count, t.amount.amount) for t in totals] == [
        ("requested", "CHF", 2, Decimal("750.50"))
    ]

    with _signed_in(session_factory, uow, "programme_manager") as manager:
        page = manager.get(f"/programmes/{smr}")
    assert page.status_code == 200
    assert 'id="assistance"' in page.text
    assert "750.50" in page.text and "450.50 CHF" in page.text

    with _signed_in(session_factory, uow, "reporting") as reporting:
        page = reporting.get(f"/programmes/{smr}")
    assert page.status_code == 200
    assert 'id="assistance"' not in page.text and "450.50" not in page.text
