"""Screening lists and decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, insert, or_, select, update

from rrms.storage.queries.base import Queries
from rrms.storage.tables import Person, ScreeningAnswer, ScreeningDecision, ScreeningList


@dataclass(frozen=True)
class DecisionFilter:
    """Which of a list's persons to show; None leaves that filter out."""

    recommendation: str | None = None
    decision: str | None = None
    undecided: bool | None = None
    """True: the persons still waiting for an officer; False: those decided."""


def _decisions(list_id: int, wanted: DecisionFilter) -> Select[ScreeningDecision]:
    query = select(ScreeningDecision).where(ScreeningDecision.list_id == list_id)
    if wanted.recommendation is not None:
        query = query.where(ScreeningDecision.recommendation == wanted.recommendation)
    if wanted.decision is not None:
        query = query.where(ScreeningDecision.decision == wanted.decision)
    if wanted.undecided is not None:
        column = ScreeningDecision.decision
        query = query.where(column.is_(None) if wanted.undecided else column.is_not(None))
    return query


class ScreeningQueries(Queries):
    """Screening lists and decisions."""

    def add_list(self, screened: ScreeningList) -> None:
        """Insert a screened list now, so that its recommendations can refer to its id."""
        self.session.add(screened)
        self.session.flush()

    def add_recommendations(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert many recommendations (undecided decisions) in one bulk INSERT."""
        self.session.execute(insert(ScreeningDecision), list(rows))

    def link_known_persons(self, list_id: int) -> None:
        """Set each decision's `person_id` to the person with the same `person_ref`,
        where RRMS knows one (`persons.person_ref` is unique: at most one match)."""
        known = (
            select(Person.id)
            .where(Person.person_ref == ScreeningDecision.person_ref)
            .scalar_subquery()
        )
        self.session.execute(
            update(ScreeningDecision)
            .where(ScreeningDecision.list_id == list_id)
            .where(exists().where(Person.person_ref == ScreeningDecision.person_ref))
            .values(person_id=known)
        )

    def count_lists(self) -> int:
        """How many lists are recorded."""
        return self.session.scalar(select(func.count()).select_from(ScreeningList)) or 0

    def count_lists_undecided(self) -> int:
        """How many lists still have a person without the officer's decision."""
        undecided = (
            select(ScreeningDecision.list_id)
            .where(ScreeningDecision.decision.is_(None))
            .distinct()
            .subquery()
        )
        return self.session.scalar(select(func.count()).select_from(undecided)) or 0

    def lists(
        self, limit: int, offset: int, order: tuple[str, bool] | None = None
    ) -> list[ScreeningList]:
        """A page of the recorded lists, newest first, or by a date column (`as_of`,
        `screened_at`) ascending or descending; the id breaks ties."""
        query = select(ScreeningList)
        if order is not None:
            column = getattr(ScreeningList, order[0])
            query = query.order_by(column.desc() if order[1] else column.asc())
            query = query.order_by(ScreeningList.id.desc() if order[1] else ScreeningList.id)
        else:
            query = query.order_by(ScreeningList.id.desc())
        return list(self.session.scalars(query.limit(limit).offset(offset)).all())

    def screening_list(self, list_id: int) -> ScreeningList | None:
        """The recorded list with this id, if any."""
        return self.session.get(ScreeningList, list_id)

    def outcome_counts(self, list_id: int) -> list[tuple[str, str | None, int]]:
        """How many of a list's persons have each (recommendation, decision) pair; the
        decision is None while undecided."""
        counts = self.session.execute(
            select(ScreeningDecision.recommendation, ScreeningDecision.decision, func.count())
            .where(ScreeningDecision.list_id == list_id)
            .group_by(ScreeningDecision.recommendation, ScreeningDecision.decision)
        ).all()
        return [(recommendation, decision, count) for recommendation, decision, count in counts]

    def count_decisions(self, list_id: int, wanted: DecisionFilter) -> int:
        """How many of a list's persons match the filter."""
        query = _decisions(list_id, wanted)
        return self.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    def decisions(
        self, list_id: int, wanted: DecisionFilter, limit: int, offset: int
    ) -> list[ScreeningDecision]:
        """A page of a list's persons matching the filter, in list order."""
        query = _decisions(list_id, wanted)
        page = query.order_by(ScreeningDecision.id).limit(limit).offset(offset)
        return list(self.session.scalars(page).all())

    def decision(self, decision_id: int) -> ScreeningDecision | None:
        """One person's recommendation and decision, if the id exists."""
        return self.session.get(ScreeningDecision, decision_id)

    def outcome_counts_of(
        self, list_ids: Iterable[int]
    ) -> dict[int, list[tuple[str, str | None, int]]]:
        """`outcome_counts` of many lists in one query (the lists page), by list id."""
        ids = list(list_ids)
        found: dict[int, list[tuple[str, str | None, int]]] = {i: [] for i in ids}
        if not ids:
            return found
        rows = self.session.execute(
            select(
                ScreeningDecision.list_id,
                ScreeningDecision.recommendation,
                ScreeningDecision.decision,
                func.count(),
            )
            .where(ScreeningDecision.list_id.in_(ids))
            .group_by(
                ScreeningDecision.list_id,
                ScreeningDecision.recommendation,
                ScreeningDecision.decision,
            )
        ).all()
        for list_id, recommendation, decision, count in rows:
            found[list_id].append((recommendation, decision, count))
        return found

    def families(self, list_id: int, family_refs: Iterable[str]) -> list[ScreeningDecision]:
        """Every person of these families of a list, in list order."""
        return list(
            self.session.scalars(
                select(ScreeningDecision)
                .where(ScreeningDecision.list_id == list_id)
                .where(ScreeningDecision.family_ref.in_(list(family_refs)))
                .order_by(ScreeningDecision.id)
            ).all()
        )

    def caregiver_families(
        self, list_id: int, person_refs: Iterable[str], cared_for: Iterable[str]
    ) -> set[str]:
        """The families of a list's persons who care for one of `person_refs`, or who
        are one of `cared_for`: screened with them (clause B3 reaches caregivers)."""
        refs, cared = list(person_refs), [ref for ref in cared_for if ref]
        conditions = [ScreeningDecision.caregiver_of.in_(refs)]
        if cared:
            conditions.append(ScreeningDecision.person_ref.in_(cared))
        return set(
            self.session.scalars(
                select(ScreeningDecision.family_ref)
                .where(ScreeningDecision.list_id == list_id)
                .where(or_(*conditions))
                .distinct()
            ).all()
        )

    def undecided(
        self,
        list_id: int,
        recommendations: Iterable[str] | None = None,
        family_ref: str | None = None,
    ) -> list[ScreeningDecision]:
        """A list's persons still waiting for a decision, in list order, optionally only
        those recommended one of `recommendations`, or of one family."""
        query = _decisions(list_id, DecisionFilter(undecided=True))
        if recommendations is not None:
            query = query.where(ScreeningDecision.recommendation.in_(list(recommendations)))
        if family_ref is not None:
            query = query.where(ScreeningDecision.family_ref == family_ref)
        return list(self.session.scalars(query.order_by(ScreeningDecision.id)).all())

    def decisions_by_id(self, list_id: int, ids: Iterable[int]) -> list[ScreeningDecision]:
        """These persons of a list (ids of another list are left out), in list order."""
        return list(
            self.session.scalars(
                select(ScreeningDecision)
                .where(ScreeningDecision.list_id == list_id)
                .where(ScreeningDecision.id.in_(list(ids)))
                .order_by(ScreeningDecision.id)
            ).all()
        )

    def answers(self, decision_ids: Iterable[int]) -> list[ScreeningAnswer]:
        """The officers' current answers of these persons."""
        ids = list(decision_ids)
        if not ids:
            return []
        return list(
            self.session.scalars(
                select(ScreeningAnswer)
                .where(ScreeningAnswer.decision_id.in_(ids))
                .order_by(ScreeningAnswer.decision_id, ScreeningAnswer.fact)
            ).all()
        )

    def remove_answer(self, answer: ScreeningAnswer) -> None:
        """Delete an answer (the question is open again)."""
        self.session.delete(answer)

    def ids_by_ref(self, list_id: int, person_refs: Iterable[str]) -> dict[str, int]:
        """The decision ids of these persons of a list, by person_ref."""
        rows = self.session.execute(
            select(ScreeningDecision.person_ref, ScreeningDecision.id)
            .where(ScreeningDecision.list_id == list_id)
            .where(ScreeningDecision.person_ref.in_(list(person_refs)))
        ).all()
        return {ref: decision_id for ref, decision_id in rows}
