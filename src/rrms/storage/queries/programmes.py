"""Programmes and the records kept under them: lookups, sums under a cap, queues."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from rrms.domain.money import Money
from rrms.storage.queries.base import Queries
from rrms.storage.tables import Assistance, Person, Programme, Return


class ProgrammeQueries(Queries):
    """Programmes and the records kept under them: lookups, sums under a cap, queues."""

    def programme(self, programme_id: Any) -> Programme | None:
        """The programme with this id, or None."""
        return self.session.get(Programme, programme_id)

    def by_code(self, code: str) -> Programme | None:
        """The programme stored under exactly this code, or None."""
        return self.session.scalar(select(Programme).where(Programme.code == code))

    def person(self, person_id: Any) -> Person | None:
        """The person with this id, or None: the beneficiary a record names."""
        return self.session.get(Person, person_id)

    def returned_from(self, person_id: int) -> list[str]:
        """The countries of the person's recorded returns, the latest return first."""
        return list(
            self.session.scalars(
                select(Return.sending_country)
                .where(Return.person_id == person_id)
                .order_by(Return.arrival_date.desc(), Return.id.desc())
            )
        )

    def lock_person(self, person_id: int) -> None:
        """Hold the person's row until the transaction ends (PostgreSQL), so that two
        requests for the same person are checked against the cap one after the other."""
        self.session.execute(select(Person.id).where(Person.id == person_id).with_for_update())

    def reserved_amounts(
        self, person_id: int, programme_id: int, exclude_id: int | None = None
    ) -> list[Money]:
        """The amounts of the person's assistance under the programme that is not refused
        (requested, approved or paid), leaving out assistance `exclude_id`."""
        query = select(Assistance.amount, Assistance.currency).where(
            Assistance.person_id == person_id,
            Assistance.programme_id == programme_id,
            Assistance.status != "refused",
        )
        if exclude_id is not None:
            query = query.where(Assistance.id != exclude_id)
        return [
            Money(Decimal(amount), currency) for amount, currency in self.session.execute(query)
        ]

    def assistance_totals(self, programme_id: int) -> list[tuple[str, str, int, Decimal]]:
        """(status, currency, count, sum) of the programme's assistance, one per pair."""
        rows = self.session.execute(
            select(
                Assistance.status, Assistance.currency, func.count(), func.sum(Assistance.amount)
            )
            .where(Assistance.programme_id == programme_id)
            .group_by(Assistance.status, Assistance.currency)
        ).all()
        return [
            (status, currency, count, Decimal(amount or 0))
            for status, currency, count, amount in rows
        ]
