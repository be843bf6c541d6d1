"""Persons, families and documents: search, similar names, memberships."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, column, or_, select, table

from rrms.storage.queries.base import Queries
from rrms.storage.tables import (
    ConfidentialCase,
    Family,
    FamilyMember,
    HousingReconstruction,
    Person,
    ScreeningDecision,
)

_TRIGRAM = 3

MembershipRow = tuple[int, str, int, str, str, str]
"""(family id, family reference, person id, family name, given name, relationship)."""


class PersonQueries(Queries):
    """Persons, families and documents: search, similar names, memberships."""

    def person(self, person_id: int) -> Person | None:
        """The person with this id, if any."""
        return self.session.get(Person, person_id)

    def family(self, family_id: int) -> Family | None:
        """The family with this id, if any."""
        return self.session.get(Family, family_id)

    def search(
        self, names: Sequence[str], places: Mapping[str, str], limit: int, offset: int
    ) -> list[Person]:
        """Persons whose search key contains every word of `names` and, for each word of
        `places`, either contains it or comes from the municipality it names (a KAS
        code); in search-key order."""
        conditions = [self._name_contains(names)] if names else []
        for word, code in places.items():
            conditions.append(or_(self._name_contains([word]), Person.origin_municipality == code))
        query = (
            select(Person)
            .where(and_(*conditions))
            .order_by(Person.search_key, Person.id)
            .limit(limit)
            .offset(offset)
        )
        return list(self.session.scalars(query).all())

    def _name_contains(self, words: Sequence[str]) -> ColumnElement[bool]:
        """Every word is in the search key, through the database's substring index.

        SQLite answers from the trigram FTS5 table `persons_fts` (migration 0002);
        PostgreSQL's planner uses the pg_trgm index for LIKE by itself. Words shorter
        than a trigram cannot use either index and are checked on the candidates found.
        """
        conditions = [Person.search_key.contains(word, autoescape=True) for word in words]
        indexed = [word for word in words if len(word) >= _TRIGRAM]
        if self.session.get_bind().dialect.name != "sqlite" or not indexed:
            return and_(*conditions)
        fts = table("persons_fts", column("rowid"), column("search_key"))
        # FTS5 uses its trigram index only for a plain LIKE (no ESCAPE clause): the
        # wildcard characters are dropped from the words here; the exact check follows.
        patterns = [f"%{word.replace('%', '').replace('_', '')}%" for word in indexed]
        candidates = select(fts.c.rowid).where(
            and_(*(fts.c.search_key.like(pattern) for pattern in patterns))
        )
        return and_(Person.id.in_(candidates), *conditions)

    def similar(self, key_prefix: str, birth_year: int | None, limit: int) -> list[Person]:
        """Persons whose search key starts with `key_prefix` and, when a birth year is
        given, born that year or in a year not known."""
        conditions = [Person.search_key.startswith(key_prefix, autoescape=True)]
        if birth_year is not None:
            conditions.append(or_(Person.birth_year == birth_year, Person.birth_year.is_(None)))
        query = select(Person).where(and_(*conditions)).limit(limit)
        return list(self.session.scalars(query).all())

    def membership(self, family_id: int, person_id: int) -> FamilyMember | None:
        """The person's place in the family, if they are in it."""
        return self.session.get(FamilyMember, (family_id, person_id))

    def family_by_ref(self, family_ref: str) -> Family | None:
        """The family with this reference, if any."""
        return self.session.scalars(select(Family).where(Family.family_ref == family_ref)).first()

    def remove_membership(self, member: FamilyMember) -> None:
        """Take a person out of a family (deleted at the next flush)."""
        self.session.delete(member)

    def add_membership(self, family_id: int, person_id: int) -> FamilyMember:
        """Put a person in a family (inserted at the next flush; no relationship yet)."""
        member = FamilyMember(family_id=family_id, person_id=person_id)
        self.session.add(member)
        return member

    def memberships_of_person(self, person_id: int) -> list[MembershipRow]:
        """The families a person is in, with the names needed to show them."""
        return self._memberships(FamilyMember.person_id == person_id)

    def memberships_of_family(self, family_id: int) -> list[MembershipRow]:
        """A family's members, with the names needed to show them."""
        return self._memberships(FamilyMember.family_id == family_id)

    def _memberships(self, condition: ColumnElement[bool]) -> list[MembershipRow]:
        rows = self.session.execute(
            select(Family.id, Family.family_ref, Person.id, Person.family_name, Person.given_name)
            .add_columns(FamilyMember.relationship_to_head)
            .select_from(FamilyMember)
            .join(Family, Family.id == FamilyMember.family_id)
            .join(Person, Person.id == FamilyMember.person_id)
            .where(condition)
            .order_by(Family.id, Person.id)
        ).all()
        return [tuple(row) for row in rows]

    def families_of(self, person_id: int) -> list[tuple[Family, FamilyMember]]:
        """The families a person is in, each with the person's membership."""
        query = (
            select(Family, FamilyMember)
            .join(FamilyMember)
            .where(FamilyMember.person_id == person_id)
        )
        return [(family, member) for family, member in self.session.execute(query)]

    def relatives(self, family_id: int) -> list[tuple[Person, str]]:
        """A family's members with their relationship to its head, as stored."""
        query = (
            select(Person, FamilyMember.relationship_to_head)
            .join(FamilyMember, FamilyMember.person_id == Person.id)
            .where(FamilyMember.family_id == family_id)
        )
        return [(person, relationship) for person, relationship in self.session.execute(query)]

    def records_about(self, table: Any, person_id: int, limit: int | None) -> list[Any]:
        """The first rows of `table` (any table with a `person_id`) about one person, in
        id order (all of them when `limit` is None)."""
        query = select(table).where(table.person_id == person_id).order_by(table.id).limit(limit)
        return list(self.session.scalars(query))

    def decisions_by_ref(self, person_ref: str, person_id: int) -> list[ScreeningDecision]:
        """Screening decisions about a person by their reference on a notification list
        (not yet linked to the person's record) or by their id, in id order."""
        query = (
            select(ScreeningDecision)
            .where(
                or_(
                    ScreeningDecision.person_ref == person_ref,
                    ScreeningDecision.person_id == person_id,
                )
            )
            .order_by(ScreeningDecision.id)
        )
        return list(self.session.scalars(query))

    def houses_headed_by(self, person_id: int) -> list[HousingReconstruction]:
        """The houses rebuilt with this person as the head of the household."""
        query = (
            select(HousingReconstruction)
            .where(HousingReconstruction.head_person_id == person_id)
            .order_by(HousingReconstruction.id)
        )
        return list(self.session.scalars(query))

    def confidential_cases_of(self, person_id: int, unit: str) -> list[ConfidentialCase]:
        """One unit's confidential cases about a person (never another unit's)."""
        query = (
            select(ConfidentialCase)
            .where(ConfidentialCase.person_id == person_id, ConfidentialCase.unit == unit)
            .order_by(ConfidentialCase.id)
        )
        return list(self.session.scalars(query))
