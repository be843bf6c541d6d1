"""Identity resolution: the persons of the register as record linkage reads them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import exists, func, select

from rrms.storage.queries.base import Queries
from rrms.storage.tables import ConfidentialCase, Document, Person

_BATCH = 10_000


class PersonIdentity(NamedTuple):
    """One stored person's identity columns, and one document number of theirs."""

    id: int
    person_ref: str | None
    family_name: str
    given_name: str
    father_name: str | None
    sex: str | None
    birth_date: str | None
    community: str | None
    origin_municipality: str | None
    origin_settlement: str | None
    document_number: str | None


class IdentityQueries(Queries):
    """Reading persons for record linkage."""

    def persons_for_linkage(self) -> Iterator[PersonIdentity]:
        """Every person who is not the subject of a confidential case, in id order, read
        in batches (a register holds a million persons), with the highest-numbered of
        their documents' numbers.

        Persons with a confidential case are left out whoever asks: a match would tell
        the reader that RRMS knows them, and only the case's unit may know that.
        """
        document = (
            select(func.max(Document.number))
            .where(Document.person_id == Person.id, Document.number.is_not(None))
            .correlate(Person)
            .scalar_subquery()
        )
        confidential = exists().where(ConfidentialCase.person_id == Person.id)
        query = (
            select(
                Person.id,
                Person.person_ref,
                Person.family_name,
                Person.given_name,
                Person.father_name,
                Person.sex,
                Person.birth_date,
                Person.community,
                Person.origin_municipality,
                Person.origin_settlement,
                document,
            )
            .where(~confidential)
            .order_by(Person.id)
            .execution_options(yield_per=_BATCH)
        )
        for row in self.session.execute(query):
            yield PersonIdentity(*row)
