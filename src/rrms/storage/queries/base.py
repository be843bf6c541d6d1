"""The base of every query object: it holds the open transaction's session."""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


class RowChanged(Exception):
    """A row was changed by another transaction since it was read (its version moved on)."""


class Queries:
    """SQL for one context, run in the unit of work's transaction."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, row: Any) -> None:
        """Have a new row inserted with the transaction's next flush."""
        self.session.add(row)

    def flush(self) -> None:
        """Send the pending changes now, so that new rows get their ids and the
        database's rules are checked; `RowChanged` if a versioned row moved on."""
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise RowChanged(str(exc)) from exc


class HoldsSession(Protocol):
    """Anything that holds the open transaction's session: a unit of work."""

    @property
    def session(self) -> Session:
        """The session of the open transaction."""
        ...


UnitOrSession: TypeAlias = HoldsSession | Session
"""A unit of work, or (for callers not yet moved to a unit of work) a bare session."""

Q = TypeVar("Q", bound=Queries)


def queries_in(where: UnitOrSession, kind: type[Q]) -> Q:
    """The query object `kind` for a unit of work or a bare session.

    Transitional: a few shared functions (the audit trail, `require_person`) are still
    handed a session by modules that have not moved to the unit of work yet.
    """
    return kind(where if isinstance(where, Session) else where.session)
