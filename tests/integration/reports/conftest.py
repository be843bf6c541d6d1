"""Fixtures for the report tests: a writer that puts hand-made records straight into tables.

Reports read tables directly, so their tests write rows directly too (SQLAlchemy Core),
with exactly the values a test needs and nothing a service would add.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from rrms.storage.tables import (
    ConfidentialCase,
    HousingReconstruction,
    InformationRequest,
    Person,
    Programme,
    Project,
    Return,
    Training,
)


class Records:
    """Insert rows of each kind with sensible defaults; every insert is committed."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self._refs = itertools.count(1)
        self.programmes: dict[str, int] = {}
        self._person: int | None = None

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        with self.factory() as session:
            session.execute(insert(table.__table__), rows)
            session.commit()

    def _one(self, table: Any, values: dict[str, Any]) -> int:
        with self.factory() as session:
            new_id = session.execute(insert(table.__table__).values(**values)).inserted_primary_key
            session.commit()
        assert new_id is not None
        return int(new_id[0])

    def programme(self, code: str, unit: str | None = None) -> int:
        self.programmes[code] = self._one(
            Programme,
            {
                "code": code,
                "name": f"Programme {code}",
                "donors": [],
                "objectives": "",
                "confidential_unit": unit,
                "version": 1,
            },
        )
        return self.programmes[code]

    def person(self) -> int:
        if self._person is None:
            self._person = self._one(
                Person,
                {
                    "family_name": "Test",
                    "given_name": "Person",
                    "search_key": "test person",
                    "version": 1,
                },
            )
        return self._person

    def arrivals(
        self,
        count: int,
        *,
        on: str,
        country: str = "DE",
        programme: str | None = None,
        return_type: str = "voluntary",
        mode: str = "air",
        municipality: str = "19",
        secondary: bool | None = None,
    ) -> None:
        person = self.person()
        rows = [
            {
                "movement_ref": f"M{next(self._refs)}",
                "person_id": person,
                "return_type": return_type,
                "programme_id": self.programmes[programme] if programme else None,
                "sending_country": country,
                "transport_mode": mode,
                "arrival_date": dt.date.fromisoformat(on),
                "destination_municipality": municipality,
                "secondary_transport": secondary,
                "version": 1,
            }
            for _ in range(count)
        ]
        self._insert(Return, rows)

    def project(self, programme: str, **values: Any) -> None:
        row = {
            "programme_id": self.programmes[programme],
            "name": "Project",
            "sector": "agriculture",
            "scope": "individual",
            "status": "approved",
            "approved_on": dt.date(2004, 8, 15),
            "direct_beneficiaries": 1,
            "indirect_beneficiaries": 0,
            "jobs_returnees": 0,
            "jobs_residents": 0,
            "version": 1,
        }
        row.update(values)
        for key in ("approved_on", "started_on", "completed_on"):
            if isinstance(row.get(key), str):
                row[key] = dt.date.fromisoformat(row[key])
        for key in ("grant_amount", "loan_amount"):
            if row.get(key) is not None:
                row[key] = Decimal(row[key])
        self._insert(Project, [row])

    def house(self, programme: str, **values: Any) -> None:
        row = {
            "programme_id": self.programmes[programme],
            "house_ref": f"H{next(self._refs)}",
            "municipality": "17",
            "village": "Brestovik",
            "status": "assessed",
            "beneficiaries": 4,
            "version": 1,
        }
        row.update(values)
        for key in ("started_on", "finished_on", "handed_over_on"):
            if isinstance(row.get(key), str):
                row[key] = dt.date.fromisoformat(row[key])
        self._insert(HousingReconstruction, [row])

    def request(self, programme: str, topic: str, received: str, answered: str | None) -> None:
        self._insert(
            InformationRequest,
            [
                {
                    "programme_id": self.programmes[programme],
                    "requesting_mission": "IOM Bern",
                    "topic": topic,
                    "question": "?",
                    "received_on": dt.date.fromisoformat(received),
                    "answered_on": dt.date.fromisoformat(answered) if answered else None,
                    "status": "answered" if answered else "open",
                    "version": 1,
                }
            ],
        )

    def training(self, programme: str, participants: int, held: str) -> None:
        self._insert(
            Training,
            [
                {
                    "programme_id": self.programmes[programme],
                    "topic": "Training",
                    "audience": "Officers",
                    "participants": participants,
                    "hours": Decimal("8.0"),
                    "held_on": dt.date.fromisoformat(held),
                    "version": 1,
                }
            ],
        )

    def case(self, unit: str, opened: str, district: str | None = "PRI", **values: Any) -> None:
        row = {
            "unit": unit,
            "case_type": "victim_assistance"
            if unit == "counter_trafficking"
            else "medical_transport",
            "opened_on": dt.date.fromisoformat(opened),
            "status": "open",
            "district": district,
            "summary": "",
            "version": 1,
        }
        row.update(values)
        self._insert(ConfidentialCase, [row])


@pytest.fixture
def records(session_factory: sessionmaker[Session]) -> Iterator[Records]:
    yield Records(session_factory)
