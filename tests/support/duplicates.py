"""Agim Xhaferi recorded twice, with records of every kind: the register the tests of
the review queue, merge and unmerge start from (integration and browser tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.programmes.assistance import ASSISTANCE
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.consents import CONSENTS
from rrms.services.records.corrections import CORRECTION_REQUESTS
from rrms.services.records.documents import DOCUMENTS
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import (
    ConfidentialCase,
    DuplicatePair,
    Family,
    FamilyMember,
    HousingReconstruction,
    Person,
    Programme,
    Project,
    Return,
    ScreeningDecision,
    ScreeningList,
)
from rrms.storage.unit_of_work import UnitOfWork

Uow = Callable[[], UnitOfWork]


def _person(u: UnitOfWork, actor: Actor, **values: Any) -> Person:
    return records.create_record(u, actor, PERSONS, values)


def _return(u: UnitOfWork, person_id: int, ref: str) -> None:
    u.session.add(
        Return(
            movement_ref=ref,
            person_id=person_id,
            return_type="forced",
            sending_country="GB",
            transport_mode="air",
            arrival_date=dt.date(2004, 6, 1),
            destination_municipality="17",
        )
    )
    u.session.flush()


def one_person_twice(uow: Uow, worker: Actor, manager: Actor) -> dict[str, int]:
    """Agim Xhaferi, recorded twice (once as 'Džaferi'), each record with records of
    every kind; and his brother, who is not him. VARRP caps support at 1,000 GBP: 800
    was requested for one record, 600 for the other."""
    with uow() as u:
        seed_programmes(u)
        u.commit()
        varrp = u.session.scalar(select(Programme.id).where(Programme.code == "VARRP"))
        first = _person(
            u,
            worker,
            person_ref="R-1",
            family_name="Xhaferi",
            given_name="Agim",
            father_name="Bajram",
            sex="m",
            birth_date="1980-05-12",
            community="albanian",
            origin_municipality="Pejë",
        )
        second = _person(
            u,
            worker,
            family_name="Džaferi",
            given_name="Agim",
            father_name="Bajram",
            sex="m",
            birth_date="1980-05-12",
            community="albanian",
            origin_municipality="Peć",
            origin_settlement="Vitomiricë",
        )
        brother = _person(
            u,
            worker,
            person_ref="R-3",
            family_name="Xhaferi",
            given_name="Arben",
            father_name="Bajram",
            sex="m",
            birth_date="1983-02-03",
            community="albanian",
            origin_municipality="Pejë",
        )
        ids = {"first": first.id, "second": second.id, "brother": brother.id}
        family = Family(family_ref="F-XH")
        other_family = Family(family_ref="F-XH-DE")
        u.session.add_all([family, other_family])
        u.session.flush()
        u.session.add_all(
            [
                FamilyMember(family_id=family.id, person_id=first.id, relationship_to_head="head"),
                FamilyMember(family_id=family.id, person_id=second.id, relationship_to_head="head"),
                FamilyMember(
                    family_id=family.id, person_id=brother.id, relationship_to_head="sibling"
                ),
                FamilyMember(
                    family_id=other_family.id, person_id=second.id, relationship_to_head="head"
                ),
            ]
        )
        for person_id, ref in ((first.id, "MV-1"), (second.id, "MV-2")):
            _return(u, person_id, ref)
        listed = ScreeningList(
            file_name="de.csv",
            file_sha256="0" * 64,
            sending_country="DE",
            policy_version="unmik-orc-2004-08",
            as_of=dt.date(2004, 5, 1),
            screened_by=worker.user_id,
            screened_at=dt.datetime(2004, 5, 1, tzinfo=dt.UTC),
            persons=1,
        )
        u.session.add(listed)
        u.session.flush()
        u.session.add(
            ScreeningDecision(
                list_id=listed.id,
                person_ref="DE-1",
                family_ref="DE-F1",
                person_id=second.id,
                policy_version="unmik-orc-2004-08",
                recommendation="accept",
                clauses=[],
                missing=[],
                explanation="",
            )
        )
        u.session.add(
            Project(
                programme_id=varrp,
                name="Bakery",
                sector="food",
                scope="individual",
                approved_on=dt.date(2004, 7, 1),
                person_id=second.id,
            )
        )
        u.session.add(
            HousingReconstruction(
                programme_id=varrp,
                house_ref="H-1",
                municipality="17",
                village="Vitomiricë",
                head_person_id=second.id,
            )
        )
        u.commit()
        for person_id, number in ((first.id, "P1234567"), (second.id, "KS998877")):
            records.create_record(
                u, worker, DOCUMENTS, {"person_id": person_id, "kind": "passport", "number": number}
            )
        records.create_record(
            u,
            worker,
            CONSENTS,
            {
                "person_id": second.id,
                "purpose": "case_management",
                "scope": ["identity"],
                "recipients": ["IOM"],
                "given_on": dt.date(2004, 6, 2),
            },
        )
        records.create_record(
            u, worker, CORRECTION_REQUESTS, {"person_id": second.id, "what": "the birth place"}
        )
        for person_id, amount in ((first.id, "800"), (second.id, "600")):
            row = records.create_record(
                u,
                worker,
                ASSISTANCE,
                {
                    "person_id": person_id,
                    "programme_id": varrp,
                    "kind": "reintegration_grant",
                    "amount": Decimal(amount),
                    "currency": "GBP",
                    "requested_on": dt.date(2004, 10, 1),
                },
            )
            records.update_record(
                u, manager, ASSISTANCE, row.id, row.version, {"status": "approved"}
            )
    return ids


def propose(u: UnitOfWork, left: int, right: int, probability: float) -> int:
    """Put the pair of these two persons in the queue, open, as `rrms dedupe persons`
    would; its id."""
    pair = DuplicatePair(
        left_person_id=min(left, right),
        right_person_id=max(left, right),
        probability=probability,
        evidence={"given_name": "same"},
        model="kosovo-synthetic 3",
        found_by="caseworker_user",
    )
    u.session.add(pair)
    u.session.flush()
    return pair.id


def also_proposed_around(uow: Uow, worker: Actor, queued: dict[str, int]) -> dict[str, int]:
    """Around the pair of `one_person_twice` (`queued`: first, second, pair), other
    proposals: a namesake proposed with the second record only (it contradicts the
    pair), a twin proposed with both (it does not), a person with a confidential case
    proposed with the first (never to be shown), and a pair already decided."""
    with uow() as u:
        names = {"family_name": "Xhaferi", "given_name": "Agim", "origin_municipality": "Pejë"}
        namesake = _person(u, worker, **names, father_name="Ilir")
        twin = _person(u, worker, **names, person_ref="R-9")
        hidden = _person(u, worker, **names, person_ref="R-10")
        u.session.add(
            ConfidentialCase(
                unit="medical",
                person_id=hidden.id,
                case_type="medical_escort",
                opened_on=dt.date(2004, 1, 1),
                status="open",
                summary="",
                version=1,
            )
        )
        with_second = propose(u, queued["second"], namesake.id, 0.93)
        propose(u, queued["first"], twin.id, 0.91)
        propose(u, queued["second"], twin.id, 0.92)
        propose(u, queued["first"], hidden.id, 0.95)
        decided = propose(u, queued["first"], namesake.id, 0.97)
        u.session.get_one(DuplicatePair, decided).status = "not_same"
        u.commit()
        return {"namesake": namesake.id, "twin": twin.id, "with_second": with_second}
