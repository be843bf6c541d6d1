"""Fixtures for the programme tests: actors without passwords, seeded programmes, persons."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from rrms.domain.vocabulary import ROLES
from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import Programme, Return
from rrms.storage.unit_of_work import UnitOfWork

_refs = itertools.count(1)


@pytest.fixture
def staff() -> dict[str, Actor]:
    """One actor per role, without a stored user: services act on roles, and hashing
    seven passwords per test would make these tests slow for nothing."""
    return {role: Actor(user_id=None, username=f"{role}_user", role=role) for role in ROLES}


@pytest.fixture
def programme_ids(uow: Callable[[], UnitOfWork]) -> dict[str, int]:
    """The reference programmes, seeded; code -> id."""
    with uow() as u:
        seed_programmes(u)
        return {p.code: p.id for p in u.session.query(Programme)}


@pytest.fixture
def returnee(uow: Callable[[], UnitOfWork], staff: dict[str, Actor]) -> Callable[..., int]:
    """Record a person (and, with `from_`, their return from that country); returns the id."""

    def make(community: str | None, from_: str | None = None, **values: Any) -> int:
        with uow() as u:
            person = records.create_record(
                u,
                staff["caseworker"],
                PERSONS,
                {"family_name": "Test", "given_name": f"P{next(_refs)}", "community": community}
                | values,
            )
            if from_ is not None:
                u.session.add(
                    Return(
                        movement_ref=f"MV-{next(_refs)}",
                        person_id=person.id,
                        return_type="voluntary",
                        sending_country=from_,
                        transport_mode="air",
                        arrival_date=dt.date(2004, 6, 1),
                        destination_municipality="17",
                    )
                )
                u.commit()
            return person.id

    return make
