"""The unit of work: one transaction that services receive and commit as a whole.

Services never open sessions themselves; they are handed a `UnitOfWork`, so the CLI,
API and tests decide which database is used, and every change with its audit entry is
committed together or not at all.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from rrms.storage.database import session_factory


class UnitOfWork:
    """A transaction: `with UnitOfWork() as uow: ...; uow.commit()`; rolled back otherwise."""

    def __init__(self, factory: sessionmaker[Session] | None = None):
        self._factory = factory or session_factory()
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The session of the open transaction."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self._session = None

    def commit(self) -> None:
        """Make the transaction's work permanent."""
        self.session.commit()

    def rollback(self) -> None:
        """Discard the transaction's work."""
        self.session.rollback()
