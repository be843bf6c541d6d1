"""A person's page shows each kind of record only to roles that may read it, and is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rrms.services.core import records
from rrms.services.core.errors import Forbidden
from rrms.services.records.overview import person_overview
from rrms.services.records.persons import PERSONS
from rrms.services.returns.arrivals import RETURNS
from rrms.storage.tables import AuditEntry


def test_each_part_follows_the_role_and_the_view_is_audited(uow, actors):
    worker = actors["caseworker"]
    with uow() as u:
        person = records.create_record(
            u, worker, PERSONS, {"family_name": "Gashi", "given_name": "Drita"}
        )
    with uow() as u:
        arrival = records.create_record(
            u,
            worker,
            RETURNS,
            {
                "movement_ref": "MV-1",
                "person_id": person.id,
                "return_type": "voluntary",
                "sending_country": "DE",
                "transport_mode": "air",
                "arrival_date": dt.date(2004, 9, 1),
                "destination_municipality": "Prizren",
            },
        )
    with uow() as u:
        seen = person_overview(u, worker, person.id)
    assert [r.id for r in seen.related["returns"]] == [arrival.id]
    assert "assistance" in seen.related and "screening decisions" not in seen.related
    assert [e.action for e in seen.trail] == ["read", "create"]  # newest first
    assert not hasattr(seen.trail[0], "after"), "the history never carries values"

    with uow() as u:
        officer_view = person_overview(u, actors["screening_officer"], person.id)
    assert (
        "screening decisions" in officer_view.related and "assistance" not in officer_view.related
    )

    with uow() as u:
        entry = u.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "persons", AuditEntry.entity_id == str(person.id))
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.username == "screening_officer_user" and entry.action == "read"
        assert entry.after["page"]["returns"] == [arrival.id]

    for role in ("reporting", "medical", "counter_trafficking"):
        with uow() as u, pytest.raises(Forbidden):
            person_overview(u, actors[role], person.id)
