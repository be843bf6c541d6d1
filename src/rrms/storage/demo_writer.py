"""The demo data set's bulk writes: rows in batches with SQLAlchemy Core.

The demo loader (`rrms.demo.loader`) decides what is written and audits it; this is
only the SQL, kept in storage like every other statement. Batches of plain inserts,
not the audited per-record path: 187,739 arrivals one by one would take minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Table, func, insert, select

from rrms.storage.queries.base import Queries
from rrms.storage.tables import (
    Base,
    ConfidentialCase,
    HousingReconstruction,
    InformationRequest,
    Person,
    Programme,
    Project,
    Return,
    Training,
)

BATCH = 10_000

_TABLES: dict[str, type[Base]] = {
    "persons": Person,
    "returns": Return,
    "projects": Project,
    "housing": HousingReconstruction,
    "information_requests": InformationRequest,
    "trainings": Training,
    "confidential_cases": ConfidentialCase,
}


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class DemoWriter(Queries):
    """Bulk writes of the demo data set, in the unit of work's transaction."""

    def programme_ids(
        self, needed: Iterable[str], placeholder: Callable[[str], dict[str, Any]]
    ) -> dict[str, int]:
        """Every needed programme code's id, adding a `placeholder(code)` row for each
        code the database does not have yet."""
        table = Programme.__table__
        known = {r.code: r.id for r in self.session.execute(select(table.c.id, table.c.code))}
        missing = sorted(set(needed) - set(known))
        if missing:
            self.session.execute(insert(Programme), [placeholder(code) for code in missing])
            known = {r.code: r.id for r in self.session.execute(select(table.c.id, table.c.code))}
        return known

    def insert(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows of one kind (`persons`, `returns`, `projects`, ...) in batches."""
        table = cast(Table, _TABLES[kind].__table__)
        for batch in _batches(rows, BATCH):
            self.session.execute(insert(table), list(batch))

    def person_ids(self, ref_prefix: str) -> dict[str, int]:
        """The ids of the persons whose reference starts with `ref_prefix`, by reference."""
        table = Person.__table__
        found = self.session.execute(
            select(table.c.id, table.c.person_ref).where(table.c.person_ref.like(f"{ref_prefix}%"))
        )
        return {row.person_ref: row.id for row in found}

    def has_arrivals(self) -> bool:
        """Whether the database holds any arrival."""
        count = self.session.scalar(select(func.count()).select_from(Return.__table__))
        return bool(count)
