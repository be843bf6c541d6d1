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

    def person_exists(self, person_id: Any) -> bool:
        """Whether a person has this id."""
        return self.session.get(Person, person_id) is not None

    def bulk_writer(self, now: dt.datetime) -> ReturnsBulkWriter:
        """The bulk writer of a register import, in this transaction (which it opens at
        once); `now` is the time it stamps on the rows it writes."""
        return ReturnsBulkWriter(self.session, now)
