"""Arrivals: the references a new arrival points to, and the register import's writer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from rrms.storage.bulk_writers import ReturnsBulkWriter
from rrms.storage.queries.base import Queries
from rrms.storage.tables import Person, Programme


class ReturnQueries(Queries):
    """Arrivals: the references a new arrival points to, and the register import's writer."""

    def programme_codes(self) -> list[tuple[str, int]]:
        """Every programme's code as stored, with its id (to match a `programme` column)."""
        rows = self.session.execute(select(Programme.code, Programme.id)).all()
        return [(code, programme_id) for code, programme_id in rows]

    def programme_exists(self, programme_id: Any) -> bool:
        """Whether a programme has this id."""
        return self.session.get(Programme, programme_id) is not None

    def programme_unit(self, programme_id: Any) -> tuple[str, str | None] | None:
        """A programme's code and the confidential unit it belongs to (None for an open
        programme); None when no programme has this id."""
        programme = self.session.get(Programme, programme_id)
        return None if programme is None else (programme.code, programme.confidential_unit)

    def confidential_programme_codes(self) -> list[tuple[str, str]]:
        """The code of every programme of a confidential unit, with the unit."""
        query = select(Programme.code, Programme.confidential_unit).where(
            Programme.confidential_unit.is_not(None)
        )
        return [(code, unit or "") for code, unit in self.session.execute(query).all()]

    def person_exists(self, person_id: Any) -> bool:
        """Whether a person has this id."""
        return self.session.get(Person, person_id) is not None

    def bulk_writer(self, now: dt.datetime) -> ReturnsBulkWriter:
        """The bulk writer of a register import, in this transaction (which it opens at
        once); `now` is the time it stamps on the rows it writes."""
        return ReturnsBulkWriter(self.session, now)
