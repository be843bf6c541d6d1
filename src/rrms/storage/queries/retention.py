"""Retention: which records are past their period, which are held by an open case, and
the anonymising updates (`rrms.services.records.retention` decides; SQL lives here).

Each anonymising method counts the rows it would change and, with `apply`, changes
them: one UPDATE per batch of ids, the version raised like any edit. A row already
anonymised is not counted again, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    update,
)

from rrms.domain.retention import REMOVED
from rrms.reference.identity import name_keys
from rrms.storage.queries.base import Queries
from rrms.storage.tables import (
    Assistance,
    ConfidentialCase,
    CorrectionRequest,
    Document,
    Family,
    FamilyMember,
    InformationRequest,
    Person,
    Project,
    Return,
    ScreeningDecision,
    ScreeningList,
)

_BATCH = 500
"""Ids per statement: well under SQLite's limit on bound parameters."""

OPEN_ASSISTANCE = ("requested", "approved")


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield list(ids[start : start + _BATCH])


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class RetentionQueries(Queries):
    """Retention's SQL: activity, open cases, anonymising updates."""

    # --- what is due -----------------------------------------------------------------

    def _latest(self, into: dict[int, dt.date], person: Any, *dates: Any) -> None:
        for day in dates:
            query = (
                select(person, func.max(day))
                .where(person.is_not(None), day.is_not(None))
                .group_by(person)
            )
            for person_id, latest in self.session.execute(query):
                value = _day(latest)
                if value is not None and (person_id not in into or into[person_id] < value):
                    into[person_id] = value

    def last_activity(self) -> dict[int, dt.date]:
        """Person id -> the day of the last thing that happened to or about the person,
        for every person not anonymised yet."""
        latest: dict[int, dt.date] = {}
        live = Person.family_name != literal(_removed())
        self._latest(latest, Person.id, Person.created_at, Person.updated_at)
        self._latest(latest, Return.person_id, Return.arrival_date)
        self._latest(
            latest,
            Assistance.person_id,
            Assistance.requested_on,
            Assistance.approved_on,
            Assistance.paid_on,
        )
        self._latest(latest, Project.person_id, Project.approved_on, Project.completed_on)
        self._latest(latest, ScreeningDecision.person_id, ScreeningDecision.decided_at)
        self._latest(
            latest,
            ConfidentialCase.person_id,
            ConfidentialCase.opened_on,
            ConfidentialCase.closed_on,
        )
        self._latest(
            latest,
            CorrectionRequest.person_id,
            CorrectionRequest.requested_on,
            CorrectionRequest.closed_on,
        )
        live_ids = set(self.session.scalars(select(Person.id).where(live)))
        return {person_id: day for person_id, day in latest.items() if person_id in live_ids}

    def _open_lists(self) -> Any:
        return (
            select(ScreeningDecision.list_id)
            .where(ScreeningDecision.decision.is_(None))
            .distinct()
            .scalar_subquery()
        )

    def held_persons(self) -> set[int]:
        """Persons under an open case: an assistance not paid or refused, a confidential
        case not closed, an open correction request, or a decision on a list not fully
        decided (by id, or by the reference on the list)."""
        queries = [
            select(Assistance.person_id).where(Assistance.status.in_(OPEN_ASSISTANCE)),
            select(ConfidentialCase.person_id).where(
                ConfidentialCase.status != "closed", ConfidentialCase.person_id.is_not(None)
            ),
            select(CorrectionRequest.person_id).where(CorrectionRequest.status == "open"),
            select(ScreeningDecision.person_id).where(
                ScreeningDecision.list_id.in_(self._open_lists()),
                ScreeningDecision.person_id.is_not(None),
            ),
            select(Person.id)
            .join(ScreeningDecision, ScreeningDecision.person_ref == Person.person_ref)
            .where(ScreeningDecision.list_id.in_(self._open_lists())),
        ]
        held: set[int] = set()
        for query in queries:
            held.update(i for i in self.session.scalars(query) if i is not None)
        return held

    def closed_lists(self) -> dict[int, dt.date]:
        """List id -> the day the list was closed (its last decision), for lists with
        every decision taken."""
        query = (
            select(ScreeningDecision.list_id, func.max(ScreeningDecision.decided_at))
            .where(ScreeningDecision.list_id.not_in(self._open_lists()))
            .group_by(ScreeningDecision.list_id)
        )
        result: dict[int, dt.date] = {}
        for list_id, latest in self.session.execute(query):
            day = _day(latest)
            if day is not None:
                result[list_id] = day
        screened = select(ScreeningList.id, ScreeningList.screened_at).where(
            ScreeningList.id.in_(list(result))
        )
        for list_id, screened_at in self.session.execute(screened):
            day = _day(screened_at)
            if day is not None and day > result[list_id]:
                result[list_id] = day
        return result

    def closed_on(
        self, table: Any, closed_column: Any, open_status: Iterable[str]
    ) -> dict[int, dt.date]:
        """Row id -> the day it was closed, for rows of `table` in no open status."""
        query = select(table.id, closed_column).where(
            table.status.not_in(list(open_status)), closed_column.is_not(None)
        )
        return {row_id: day for row_id, day in self.session.execute(query) if day is not None}

    # --- anonymising -----------------------------------------------------------------

    def _apply(
        self,
        table: Any,
        ids: Sequence[int],
        key: Any,
        pending: ColumnElement[bool],
        values: dict[str, Any],
        apply: bool,
    ) -> list[int]:
        """The ids of rows of `table` (`key` in `ids`, still `pending`) anonymised by
        `values`; changed only with `apply`."""
        changed: list[int] = []
        for batch in _batches(sorted(ids)):
            rows = list(self.session.scalars(select(table.id).where(key.in_(batch), pending)))
            if rows and apply:
                self.session.execute(
                    update(table)
                    .where(table.id.in_(rows))
                    .values(**values, version=table.version + 1)
                    .execution_options(synchronize_session=False)
                )
            changed += rows
        return changed

    def anonymise_persons(
        self, ids: Sequence[int], values: dict[str, Any], apply: bool
    ) -> list[int]:
        """Persons: `values` (no birth date, which becomes the birth year), and the name
        keys of the names they leave (the keys of the erased names would be personal
        data; none at all would make every check read the person)."""
        birth = case((Person.birth_year.is_(None), None), else_=cast(Person.birth_year, String))
        family_key, given_key = name_keys(values["family_name"], values["given_name"])
        keys = {"family_key": family_key, "given_key": given_key}
        return self._apply(
            Person,
            ids,
            Person.id,
            Person.family_name != literal(_removed()),
            {**values, **keys, "birth_date": birth},
            apply,
        )

    def anonymise_documents(self, person_ids: Sequence[int], apply: bool) -> list[int]:
        """The persons' documents: number, issuer and dates removed; the kind stays."""
        pending = or_(
            Document.number.is_not(None),
            Document.issued_by.is_not(None),
            Document.issued_on.is_not(None),
            Document.expires_on.is_not(None),
        )
        values = {"number": None, "issued_by": None, "issued_on": None, "expires_on": None}
        return self._apply(Document, person_ids, Document.person_id, pending, values, apply)

    def anonymise_returns(self, person_ids: Sequence[int], apply: bool) -> list[int]:
        """The persons' returns: notes and the settlement removed; everything the returns
        report counts stays."""
        pending = or_(Return.notes.is_not(None), Return.destination_settlement.is_not(None))
        values = {"notes": None, "destination_settlement": None}
        return self._apply(Return, person_ids, Return.person_id, pending, values, apply)

    def anonymise_assistance(self, person_ids: Sequence[int], apply: bool) -> list[int]:
        """The persons' assistance: the refusal's reason removed; amounts and dates stay."""
        removed = _removed()
        pending = and_(Assistance.refusal_reason.is_not(None), Assistance.refusal_reason != removed)
        values = {"refusal_reason": removed}
        return self._apply(Assistance, person_ids, Assistance.person_id, pending, values, apply)

    def families_with_notes(self) -> dict[int, set[int]]:
        """Family id -> its members' ids, for families with notes."""
        query = (
            select(Family.id, FamilyMember.person_id)
            .join(FamilyMember, FamilyMember.family_id == Family.id, isouter=True)
            .where(Family.notes.is_not(None))
        )
        result: dict[int, set[int]] = {}
        for family_id, person_id in self.session.execute(query):
            members = result.setdefault(family_id, set())
            if person_id is not None:
                members.add(person_id)
        return result

    def anonymised_persons(self, ids: Iterable[int]) -> set[int]:
        """Which of these persons are anonymised already."""
        found: set[int] = set()
        for batch in _batches(sorted(set(ids))):
            found.update(
                self.session.scalars(
                    select(Person.id).where(
                        Person.id.in_(batch), Person.family_name == literal(_removed())
                    )
                )
            )
        return found

    def anonymise_families(self, ids: Sequence[int], apply: bool) -> list[int]:
        """Families: notes removed; the reference stays."""
        return self._apply(
            Family, ids, Family.id, Family.notes.is_not(None), {"notes": None}, apply
        )

    def decisions_of_lists(self, list_ids: Sequence[int]) -> list[tuple[int, int | None]]:
        """(decision id, person id) of every decision of the lists."""
        result: list[tuple[int, int | None]] = []
        for batch in _batches(sorted(list_ids)):
            query = select(ScreeningDecision.id, ScreeningDecision.person_id).where(
                ScreeningDecision.list_id.in_(batch)
            )
            result += [(row_id, person_id) for row_id, person_id in self.session.execute(query)]
        return result

    def anonymise_decisions(self, ids: Sequence[int], apply: bool) -> list[int]:
        """Decisions: the officer's reason and the explanation (which may tell of an
        illness or a threat) removed; outcomes, clauses and references stay."""
        removed = _removed()
        pending = or_(
            and_(ScreeningDecision.reason.is_not(None), ScreeningDecision.reason != removed),
            ScreeningDecision.explanation != removed,
        )
        reason = case((ScreeningDecision.reason.is_(None), None), else_=literal(removed))
        values = {"reason": reason, "explanation": removed}
        return self._apply(ScreeningDecision, ids, ScreeningDecision.id, pending, values, apply)

    def anonymise_information_requests(self, ids: Sequence[int], apply: bool) -> list[int]:
        """Requests: question and answer removed; topic, mission and dates stay."""
        removed = _removed()
        pending = InformationRequest.question != removed
        answer = case((InformationRequest.answer.is_(None), None), else_=literal(removed))
        values = {"question": removed, "answer": answer}
        return self._apply(InformationRequest, ids, InformationRequest.id, pending, values, apply)

    def anonymise_confidential_cases(self, ids: Sequence[int], apply: bool) -> list[int]:
        """Cases: the summary removed; unit, type, district, dates and status stay."""
        pending = ConfidentialCase.summary != ""
        return self._apply(
            ConfidentialCase, ids, ConfidentialCase.id, pending, {"summary": ""}, apply
        )

    def anonymise_correction_requests(self, ids: Sequence[int], apply: bool) -> list[int]:
        """Correction requests: what was asked and the refusal's reason removed."""
        removed = _removed()
        pending = CorrectionRequest.what != removed
        reason = case((CorrectionRequest.refusal_reason.is_(None), None), else_=literal(removed))
        values = {"what": removed, "refusal_reason": reason}
        return self._apply(CorrectionRequest, ids, CorrectionRequest.id, pending, values, apply)


def _removed() -> str:
    return REMOVED
