"""Identity resolution: the persons of the register as record linkage reads them."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import and_, distinct, exists, func, or_, select, tuple_

from rrms.storage.queries.base import Queries
from rrms.storage.tables import (
    ConfidentialCase,
    Document,
    Person,
    Return,
    ScreeningDecision,
    ScreeningList,
)

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


@dataclass(frozen=True)
class NameBlocks:
    """Which stored persons a check must read: those sharing with an incoming record
    a family key and birth year, both name keys (either way round), a given key and
    birth year, or a given key and municipality (the pairs of keys on which the
    linkage model's blocking rules join)."""

    family_year: frozenset[tuple[str, int]] = frozenset()
    family_given: frozenset[tuple[str, str]] = frozenset()
    given_year: frozenset[tuple[str, int]] = frozenset()
    given_place: frozenset[tuple[str, str]] = frozenset()

    def size(self) -> int:
        """How many values the query carries."""
        return 2 * sum(
            map(len, (self.family_year, self.family_given, self.given_year, self.given_place))
        )


class IdentityQueries(Queries):
    """Reading persons for record linkage."""

    def persons_for_linkage(self, blocks: NameBlocks | None = None) -> Iterator[PersonIdentity]:
        """Every person who is not the subject of a confidential case, in id order, read
        in batches (a register holds a million persons), with the highest-numbered of
        their documents' numbers; with `blocks`, only those in one of them, or who have
        no name key stored (written before the keys were, or with a blank name), found
        through the keys' indexes.

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
        if blocks is not None:
            pairs = (
                ((Person.family_key, Person.birth_year), blocks.family_year),
                ((Person.family_key, Person.given_key), blocks.family_given),
                ((Person.given_key, Person.birth_year), blocks.given_year),
                ((Person.given_key, Person.origin_municipality), blocks.given_place),
            )
            query = query.where(
                or_(
                    Person.family_key.is_(None),
                    Person.given_key.is_(None),
                    *(
                        # the first column's own IN lets each branch use its index
                        and_(
                            columns[0].in_(sorted({first for first, _ in values})),
                            tuple_(*columns).in_(sorted(values)),
                        )
                        for columns, values in pairs
                        if values
                    ),
                )
            )
        for row in self.session.execute(query):
            yield PersonIdentity(*row)

    def count_for_linkage(self) -> int:
        """How many persons `persons_for_linkage` reads without keys: the register's
        size, of which a check's candidates are a part (the model's prior)."""
        persons = self.session.scalar(select(func.count()).select_from(Person)) or 0
        confidential = self.session.scalar(select(func.count(distinct(ConfidentialCase.person_id))))
        return int(persons) - int(confidential or 0)

    def persons_named(self, refs: Collection[str], ids: Collection[int]) -> list[Person]:
        """The persons with one of `refs` as person_ref or one of `ids` as id, leaving
        out those with a confidential case (as `persons_for_linkage` does)."""
        if not refs and not ids:
            return []
        confidential = exists().where(ConfidentialCase.person_id == Person.id)
        query = (
            select(Person)
            .where(Person.person_ref.in_(list(refs)) | Person.id.in_(list(ids)))
            .where(~confidential)
            .order_by(Person.id)
        )
        return list(self.session.scalars(query))

    def returns_of(self, person_ids: Collection[int]) -> list[Return]:
        """The arrivals of these persons, earliest first."""
        if not person_ids:
            return []
        query = (
            select(Return)
            .where(Return.person_id.in_(list(person_ids)))
            .order_by(Return.arrival_date, Return.id)
        )
        return list(self.session.scalars(query))

    def decisions_of(
        self, person_ids: Collection[int], refs: Collection[str]
    ) -> list[tuple[ScreeningDecision, ScreeningList]]:
        """The screening decisions about these persons (by person id) or recorded under
        one of `refs`, each with its list, oldest list first."""
        if not person_ids and not refs:
            return []
        query = (
            select(ScreeningDecision, ScreeningList)
            .join(ScreeningList, ScreeningList.id == ScreeningDecision.list_id)
            .where(
                ScreeningDecision.person_id.in_(list(person_ids))
                | ScreeningDecision.person_ref.in_(list(refs))
            )
            .order_by(ScreeningList.as_of, ScreeningList.id, ScreeningDecision.id)
        )
        return [(decision, listed) for decision, listed in self.session.execute(query)]
