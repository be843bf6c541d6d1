"""The register the checks and `rrms link --with-register` are tested against: Agim
Xhaferi, his brother Arben (same father and place, the pair that must not match), and
Arta Gashi, a victim of trafficking known only to the counter-trafficking unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.programmes.confidential import CONFIDENTIAL_CASES
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import Person
from rrms.storage.unit_of_work import UnitOfWork

Uow = Callable[[], UnitOfWork]


def person(uow: Uow, actor: Actor, **values: Any) -> Person:
    """A person recorded through the service, as a caseworker records one."""
    with uow() as u:
        return records.create_record(u, actor, PERSONS, values)


def brothers_and_a_victim(uow: Uow, actors: dict[str, Actor]) -> dict[str, Person]:
    """Agim (R-1) and Arben (R-2) Xhaferi, and Arta Gashi (R-4) with a confidential
    case of the counter-trafficking unit."""
    caseworker = actors["caseworker"]
    brothers = {
        key: person(
            uow,
            caseworker,
            person_ref=ref,
            family_name="Xhaferi",
            given_name=given,
            father_name="Bajram",
            sex="m",
            birth_date=born,
            origin_municipality="Pejë",
        )
        for key, ref, given, born in (
            ("agim", "R-1", "Agim", "1980-05-12"),
            ("brother", "R-2", "Arben", "1983-02-03"),
        )
    }
    victim = person(
        uow,
        caseworker,
        person_ref="R-4",
        family_name="Gashi",
        given_name="Arta",
        father_name="Naim",
        birth_date="1990-01-01",
        origin_municipality="Prizren",
        sex="f",
    )
    with uow() as u:
        records.create_record(
            u,
            actors["counter_trafficking"],
            CONFIDENTIAL_CASES,
            {
                "person_id": victim.id,
                "case_type": "victim_assistance",
                "opened_on": dt.date(2024, 1, 5),
            },
        )
    return {**brothers, "victim": victim}
