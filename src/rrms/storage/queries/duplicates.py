"""The register deduplicated: the review queue of probable duplicates, and the SQL of a
merge and its undoing (every reference to a person moved, and moved back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final, NamedTuple

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from rrms.reference.identity import name_keys
from rrms.storage.queries.base import Queries
from rrms.storage.queries.rows import column_values
from rrms.storage.tables import (
    Assistance,
    Base,
    ConfidentialCase,
    Consent,
    CorrectionRequest,
    Document,
    DuplicatePair,
    FamilyMember,
    HousingReconstruction,
    Person,
    PersonMerge,
    Programme,
    Project,
    Return,
    ScreeningDecision,
)

PERSON_REFERENCES: Final[tuple[tuple[type[Base], str], ...]] = (
    (Document, "person_id"),
    (Return, "person_id"),
    (ScreeningDecision, "person_id"),
    (Assistance, "person_id"),
    (Project, "person_id"),
    (HousingReconstruction, "head_person_id"),
    (ConfidentialCase, "person_id"),
    (Consent, "person_id"),
    (CorrectionRequest, "person_id"),
)
"""Every column that names a person by foreign key, in a table whose rows have an `id`:
a merge moves these rows to the kept person and keeps their ids to move them back.
Family memberships (keyed by family and person, no id of their own) are moved apart
(`move_memberships`). tests/integration/identity/test_merge.py fails when a foreign
key to `persons` is added that neither handles."""

MEMBERSHIPS: Final = (FamilyMember, "person_id")
"""The one reference to a person that is part of its table's key."""


def reference_key(table: type[Base], column: str) -> str:
    """How a merge names a reference in what it keeps: 'documents.person_id'."""
    return f"{table.__tablename__}.{column}"


_BY_KEY: Final = {
    reference_key(table, column): (table, column) for table, column in PERSON_REFERENCES
}


class QueuedPair(NamedTuple):
    """A pair of the queue with its two persons."""

    pair: DuplicatePair
    left: Person
    right: Person


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


class DuplicateQueries(Queries):
    """The review queue, and moving a person's records to another and back."""

    # --- the queue -----------------------------------------------------------------

    def known_pairs(self) -> set[tuple[int, int]]:
        """Every pair ever queued, whatever became of it, as (left, right) ids."""
        query = select(DuplicatePair.left_person_id, DuplicatePair.right_person_id)
        return {(left, right) for left, right in self.session.execute(query)}

    def pair(self, pair_id: int) -> DuplicatePair | None:
        """The pair with this id, or None."""
        return self.session.get(DuplicatePair, pair_id)

    def _visible(self, status: str | None) -> Any:
        left, right = aliased(Person), aliased(Person)
        query = (
            select(DuplicatePair, left, right)
            .join(left, left.id == DuplicatePair.left_person_id)
            .join(right, right.id == DuplicatePair.right_person_id)
            .where(
                ~exists().where(
                    or_(
                        ConfidentialCase.person_id == left.id,
                        ConfidentialCase.person_id == right.id,
                    )
                )
            )
        )
        if status is not None:
            query = query.where(DuplicatePair.status == status)
        return query

    def queue(self, status: str | None, limit: int, offset: int) -> tuple[list[QueuedPair], int]:
        """The pairs (of this status) whose two persons both exist and neither is the
        subject of a confidential case, most probable first; and how many there are."""
        query = self._visible(status)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.execute(
            query.order_by(DuplicatePair.probability.desc(), DuplicatePair.id)
            .limit(limit)
            .offset(offset)
        )
        return [QueuedPair(*row) for row in rows], total

    def _open_naming(self, person_ids: Sequence[int]) -> Any:
        return self._visible("open").where(
            or_(
                DuplicatePair.left_person_id.in_(person_ids),
                DuplicatePair.right_person_id.in_(person_ids),
            )
        )

    def open_pairs_naming(
        self, person_ids: Sequence[int], besides: int, limit: int
    ) -> list[QueuedPair]:
        """The open pairs, but `besides`, that name one of these persons (only those the
        queue shows), most probable first."""
        query = self._open_naming(person_ids).where(DuplicatePair.id != besides)
        rows = self.session.execute(
            query.order_by(DuplicatePair.probability.desc(), DuplicatePair.id).limit(limit)
        )
        return [QueuedPair(*row) for row in rows]

    def open_pairs_among(self, person_ids: Sequence[int]) -> list[tuple[int, int]]:
        """The (left, right) person ids of every open pair (of those the queue shows)
        that names one of these persons: ids only, however many."""
        query = self._open_naming(person_ids).with_only_columns(
            DuplicatePair.left_person_id, DuplicatePair.right_person_id
        )
        return [(left, right) for left, right in self.session.execute(query)]

    def visible_pair(self, pair_id: int) -> QueuedPair | None:
        """The pair, if both its persons exist and neither has a confidential case."""
        row = self.session.execute(self._visible(None).where(DuplicatePair.id == pair_id)).first()
        return QueuedPair(*row) if row is not None else None

    # --- a merge and its undoing ---------------------------------------------------

    def person(self, person_id: int) -> Person | None:
        """The person with this id, or None."""
        return self.session.get(Person, person_id)

    def person_by_ref(self, person_ref: str) -> Person | None:
        """The person stored under this reference, or None."""
        return self.session.scalar(select(Person).where(Person.person_ref == person_ref))

    def has_confidential_case(self, person_ids: Sequence[int]) -> bool:
        """Whether any of these persons is the subject of a confidential case."""
        query = select(exists().where(ConfidentialCase.person_id.in_(list(person_ids))))
        return bool(self.session.scalar(query))

    def move_references(self, from_id: int, to_id: int) -> dict[str, list[int]]:
        """Make every record naming `from_id` (but family memberships) name `to_id`;
        the ids moved, by 'table.column'. Each moved row's version moves on."""
        moved: dict[str, list[int]] = {}
        for table, column in PERSON_REFERENCES:
            key = reference_key(table, column)
            ids = self._ids_naming(table, column, from_id)
            if ids:
                self._repoint(table, column, ids, to_id)
                moved[key] = ids
        self.session.expire_all()
        return moved

    def move_back(self, moved: dict[str, list[int]], kept_id: int, merged_id: int) -> None:
        """Make the records a merge moved name the merged person again (those that still
        name the kept person; a record deleted since is gone)."""
        for key, ids in moved.items():
            table, column = _BY_KEY[key]
            still = [
                row_id for row_id in self._ids_naming(table, column, kept_id) if row_id in set(ids)
            ]
            if still:
                self._repoint(table, column, still, merged_id)
        self.session.expire_all()

    def _ids_naming(self, table: type[Base], column: str, person_id: int) -> list[int]:
        query = select(table.id).where(getattr(table, column) == person_id).order_by(table.id)  # type: ignore[attr-defined]
        return list(self.session.scalars(query))

    def _repoint(self, table: type[Base], column: str, ids: list[int], person_id: int) -> None:
        statement = (
            update(table)
            .where(table.id.in_(ids))  # type: ignore[attr-defined]
            .values({column: person_id, "version": table.version + 1})  # type: ignore[attr-defined]
            .execution_options(synchronize_session=False)
        )
        self.session.execute(statement)

    def move_memberships(self, from_id: int, to_id: int) -> list[dict[str, Any]]:
        """Move `from_id`'s family memberships to `to_id`; where `to_id` is already in
        the family, drop the membership instead. What was done, to undo it."""
        done: list[dict[str, Any]] = []
        kept = set(
            self.session.scalars(
                select(FamilyMember.family_id).where(FamilyMember.person_id == to_id)
            )
        )
        rows = self.session.execute(
            select(FamilyMember.family_id, FamilyMember.relationship_to_head)
            .where(FamilyMember.person_id == from_id)
            .order_by(FamilyMember.family_id)
        ).all()
        for family_id, relationship in rows:
            dropped = family_id in kept
            where = (FamilyMember.family_id == family_id, FamilyMember.person_id == from_id)
            if dropped:
                self.session.execute(
                    delete(FamilyMember).where(*where).execution_options(synchronize_session=False)
                )
            else:
                self.session.execute(
                    update(FamilyMember)
                    .where(*where)
                    .values(person_id=to_id)
                    .execution_options(synchronize_session=False)
                )
            done.append({"family_id": family_id, "relationship": relationship, "dropped": dropped})
        self.session.expire_all()
        return done

    def restore_memberships(
        self, memberships: Sequence[dict[str, Any]], kept_id: int, merged_id: int
    ) -> None:
        """Undo `move_memberships`: moved memberships back, dropped ones made again."""
        for item in memberships:
            family_id = item["family_id"]
            if item["dropped"]:
                self.session.execute(
                    insert(FamilyMember).values(
                        family_id=family_id,
                        person_id=merged_id,
                        relationship=item["relationship"],
                    )
                )
            else:
                self.session.execute(
                    update(FamilyMember)
                    .where(FamilyMember.family_id == family_id, FamilyMember.person_id == kept_id)
                    .values(person_id=merged_id)
                    .execution_options(synchronize_session=False)
                )
        self.session.expire_all()

    def snapshot(self, person: Person) -> dict[str, Any]:
        """The person's row as JSON-safe values, to be made again by `restore_person`."""
        return {name: _plain(value) for name, value in column_values(person).items()}

    def delete_person(self, person_id: int) -> None:
        """Delete the person's row (nothing may name it any more)."""
        self.session.flush()
        self.session.execute(
            delete(Person)
            .where(Person.id == person_id)
            .execution_options(synchronize_session=False)
        )
        self.session.expire_all()

    def restore_person(self, snapshot: dict[str, Any]) -> None:
        """Insert the person's row again exactly as `snapshot` holds it, id included (its
        name keys from its names: a snapshot taken before the keys existed has none)."""
        values = dict(snapshot)
        values["family_key"], values["given_key"] = name_keys(
            values.get("family_name"), values.get("given_name")
        )
        for name in ("created_at", "updated_at"):
            if isinstance(values.get(name), str):
                values[name] = dt.datetime.fromisoformat(values[name])
        self.session.execute(insert(Person).values(**values))

    def merges_of_pair(self, pair_id: int) -> list[PersonMerge]:
        """The pair's merges, the latest first."""
        query = (
            select(PersonMerge)
            .where(PersonMerge.pair_id == pair_id)
            .order_by(PersonMerge.id.desc())
        )
        return list(self.session.scalars(query))

    def merge(self, merge_id: int) -> PersonMerge | None:
        """The merge with this id, or None."""
        return self.session.get(PersonMerge, merge_id)

    def merge_that_took(self, person_id: int) -> PersonMerge | None:
        """The merge, not undone, that merged this person away into another, or None."""
        query = select(PersonMerge).where(
            PersonMerge.merged_person_id == person_id, PersonMerge.unmerged_at.is_(None)
        )
        return self.session.scalars(query.order_by(PersonMerge.id.desc())).first()

    def assisted_programmes(self, person_id: int) -> list[Programme]:
        """The programmes under which the person has assistance, by code."""
        query = (
            select(Programme)
            .where(
                Programme.id.in_(
                    select(Assistance.programme_id).where(Assistance.person_id == person_id)
                )
            )
            .order_by(Programme.code)
        )
        return list(self.session.scalars(query))
