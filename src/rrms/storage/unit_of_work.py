"""The unit of work: one transaction that services receive and commit as a whole.

Services never open sessions themselves; they are handed a `UnitOfWork`, so the CLI,
API and tests decide which database is used, and every change with its audit entry is
committed together or not at all.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from rrms.storage.database import session_factory
from rrms.storage.demo_writer import DemoWriter
from rrms.storage.queries.accounts import AccountQueries
from rrms.storage.queries.audit_log import AuditLogQueries
from rrms.storage.queries.duplicates import DuplicateQueries
from rrms.storage.queries.identity import IdentityQueries
from rrms.storage.queries.persons import PersonQueries
from rrms.storage.queries.programmes import ProgrammeQueries
from rrms.storage.queries.reports import ReportQueries
from rrms.storage.queries.retention import RetentionQueries
from rrms.storage.queries.returns import ReturnQueries
from rrms.storage.queries.rows import RowQueries
from rrms.storage.queries.screening import ScreeningQueries
from rrms.storage.queries.sharing import SharingQueries


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

    # Query objects, one per context: the only way services reach SQL.

    @property
    def rows(self) -> RowQueries:
        """The generic record path's SQL (any table)."""
        return RowQueries(self.session)

    @property
    def audit_log(self) -> AuditLogQueries:
        """The audit log's SQL: the chain's lock and its entries."""
        return AuditLogQueries(self.session)

    @property
    def persons(self) -> PersonQueries:
        """Persons, families and documents."""
        return PersonQueries(self.session)

    @property
    def programmes(self) -> ProgrammeQueries:
        """Programmes and the records kept under them."""
        return ProgrammeQueries(self.session)

    @property
    def returns(self) -> ReturnQueries:
        """Arrivals."""
        return ReturnQueries(self.session)

    @property
    def screening(self) -> ScreeningQueries:
        """Screening lists and decisions."""
        return ScreeningQueries(self.session)

    @property
    def accounts(self) -> AccountQueries:
        """Users and API tokens."""
        return AccountQueries(self.session)

    @property
    def identity(self) -> IdentityQueries:
        """Persons as record linkage reads them."""
        return IdentityQueries(self.session)

    @property
    def duplicates(self) -> DuplicateQueries:
        """The review queue of probable duplicates, and merging persons."""
        return DuplicateQueries(self.session)

    @property
    def reports(self) -> ReportQueries:
        """The reports' aggregate queries."""
        return ReportQueries(self.session)

    @property
    def demo_writer(self) -> DemoWriter:
        """The demo data set's bulk writes."""
        return DemoWriter(self.session)

    @property
    def sharing(self) -> SharingQueries:
        """Consents and the pseudonymised sharing exports."""
        return SharingQueries(self.session)

    @property
    def retention(self) -> RetentionQueries:
        """Retention: records past their period, open cases, anonymising."""
        return RetentionQueries(self.session)

    def commit(self) -> None:
        """Make the transaction's work permanent."""
        self.session.commit()

    def rollback(self) -> None:
        """Discard the transaction's work."""
        self.session.rollback()
