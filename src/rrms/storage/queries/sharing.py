"""Consents and pseudonymised sharing: a person's consents, the consents of a purpose,
what an export holds of each person, and the log of exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from rrms.storage.queries.base import Queries
from rrms.storage.tables import Assistance, Consent, Person, Return, SharingLogEntry, User


class SharingQueries(Queries):
    """Consents, the rows of a sharing export, and the sharing log."""

    def consents_of(self, person_id: int) -> list[tuple[Consent, str | None, str | None]]:
        """The person's consents, newest first, each with the usernames of who recorded
        it and who recorded its withdrawal."""
        recorder, withdrawer = aliased(User), aliased(User)
        query = (
            select(Consent, recorder.username, withdrawer.username)
            .outerjoin(recorder, recorder.id == Consent.recorded_by)
            .outerjoin(withdrawer, withdrawer.id == Consent.withdrawn_by)
            .where(Consent.person_id == person_id)
            .order_by(Consent.given_on.desc(), Consent.id.desc())
        )
        return [(c, r, w) for c, r, w in self.session.execute(query)]

    def consents_for(self, purpose: str) -> list[Consent]:
        """Every consent given for `purpose`, withdrawn ones included, in id order."""
        query = select(Consent).where(Consent.purpose == purpose).order_by(Consent.id)
        return list(self.session.scalars(query))

    def persons(self, person_ids: Sequence[int]) -> list[Person]:
        """The persons with these ids, in id order."""
        if not person_ids:
            return []
        query = select(Person).where(Person.id.in_(person_ids)).order_by(Person.id)
        return list(self.session.scalars(query))

    def returns_of(
        self, person_ids: Sequence[int], start: dt.date | None, end: dt.date | None
    ) -> list[Return]:
        """The persons' returns arriving in the period (all without one), by arrival."""
        if not person_ids:
            return []
        query = select(Return).where(Return.person_id.in_(person_ids))
        if start is not None:
            query = query.where(Return.arrival_date >= start)
        if end is not None:
            query = query.where(Return.arrival_date <= end)
        return list(self.session.scalars(query.order_by(Return.arrival_date, Return.id)))

    def assistance_counts(self, person_ids: Sequence[int]) -> dict[tuple[int, str], int]:
        """(person id, status) -> how many assistance records, for these persons."""
        if not person_ids:
            return {}
        query = (
            select(Assistance.person_id, Assistance.status, func.count())
            .where(Assistance.person_id.in_(person_ids))
            .group_by(Assistance.person_id, Assistance.status)
        )
        return {(pid, status): n for pid, status, n in self.session.execute(query)}

    def add_log(self, **values: Any) -> SharingLogEntry:
        """Record an export in the sharing log (inserted now, so it has its id)."""
        entry = SharingLogEntry(**values)
        self.session.add(entry)
        self.session.flush()
        return entry

    def log(self, limit: int) -> list[SharingLogEntry]:
        """The latest exports, newest first."""
        query = select(SharingLogEntry).order_by(SharingLogEntry.id.desc()).limit(limit)
        return list(self.session.scalars(query))
