"""Recording a screened notification list, and the officer's decision on each person.

The engine recommends; an officer decides (shared/spec/screening.md). A recorded list
keeps, for every person, the engine's recommendation exactly as it was given — outcome,
every cited clause, the facts still missing, the explanation and the policy version —
and, beside it, the officer's final word. When the two differ a written reason is
required, here (`Invalid` naming the field `reason`) and by a CHECK constraint in the
database.

Lists can hold 100,000 persons, so the recommendations are written with one Core bulk
INSERT per chunk rather than one ORM object per person, and the list is audited as a
whole (one entry with its counts); each decision is audited on its own with the values
before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from rrms.domain.messages import N_
from rrms.domain.screening_decisions import Progress, reason_missing, tally, written_reason
from rrms.domain.vocabulary import OUTCOMES
from rrms.reports.screening import ScreeningReport
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Conflict, Forbidden, Invalid, NotFound
from rrms.services.core.records import MAX_PAGE, Page, snapshot
from rrms.services.screening.screen import screen_manifest
from rrms.storage.queries.base import RowChanged
from rrms.storage.queries.screening import DecisionFilter
from rrms.storage.tables import ScreeningAnswer, ScreeningDecision, ScreeningList
from rrms.storage.unit_of_work import UnitOfWork

ENTITY = "screening"
"""The permission entity: screening officers write; they and administrators read."""

CHUNK = 5_000
"""Recommendations written per INSERT: big enough to be fast, small enough for memory."""

MAX_BULK = 200_000
"""Most decisions taken in one action (a list's persons, with room to spare)."""

MAX_REF = 80
"""The longest person or family reference stored (the columns' width)."""


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, so a stored list can be matched to the file it came from."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_refs(report: ScreeningReport) -> None:
    for field, refs in (("person_ref", report.person_refs), ("family_ref", report.family_refs)):
        longest = max(refs, key=len, default="")
        if len(longest) > MAX_REF:
            raise Invalid(
                N_(
                    "a {field} of {longest_count} characters ({longest!r}...) is longer than the "
                    "{max_ref} RRMS stores; shorten the references and upload again",
                    field=field,
                    longest_count=len(longest),
                    longest=longest[:20],
                    max_ref=MAX_REF,
                ),
                field,
            )


def _base_name(file_name: str) -> str:
    """The file's own name, whether the client sent a POSIX or a Windows path."""
    return Path(file_name.replace("\\", "/")).name[:300] or "unnamed"


def person_cells(report: ScreeningReport, position: int) -> dict[str, str]:
    """The person's non-blank cells as received: what screens their family again."""
    return {name: column[position] for name, column in report.cells.items() if column[position]}


def _recommendations(list_id: int, report: ScreeningReport) -> Iterator[dict[str, Any]]:
    policy_version = report.result.policy.id
    for position, person in enumerate(report.persons()):
        cells = person_cells(report, position)
        yield {
            **{name: value or None for name, value in report.who(position).items()},
            "caregiver_of": cells.get("caregiver_of"),
            "cells": cells or None,
            "list_id": list_id,
            "person_ref": person["person_ref"],
            "family_ref": person["family_ref"],
            "policy_version": policy_version,
            "recommendation": person["outcome"],
            "clauses": person["clauses"],
            "missing": person["missing"],
            "explanation": person["explanation"],
            "version": 1,
        }


def record_screening(
    uow: UnitOfWork,
    actor: Actor,
    report: ScreeningReport,
    file_name: str,
    file_sha256: str,
    sending_country: str | None = None,
    answers: Mapping[tuple[str, str], str] | None = None,
) -> ScreeningList:
    """Store a screened list with every person's recommendation, undecided; audited once.

    Only a screening officer may; the list and all its recommendations are committed
    together, or nothing is. `answers` are those the officer gave before recording
    (the report already applies them): they are kept as the list's answers, so they
    stay open to correction until the list is closed.
    """
    authorize(actor, ENTITY, "write")
    if actor.user_id is None:
        raise Forbidden(N_("a screening is recorded on behalf of a signed-in screening officer"))
    _check_refs(report)
    screened = ScreeningList(
        file_name=_base_name(file_name),
        file_sha256=file_sha256,
        sending_country=sending_country,
        policy_version=report.result.policy.id,
        as_of=report.result.as_of,
        screened_by=actor.user_id,
        screened_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        persons=len(report.person_refs),
        encoding=report.source.get("encoding"),
        warnings=[warning.as_dict() for warning in report.warnings],
    )
    uow.screening.add_list(screened)
    rows = _recommendations(screened.id, report)
    while chunk := list(islice(rows, CHUNK)):
        uow.screening.add_recommendations(chunk)
    # Link each decision to the person RRMS already knows by the same reference, so the
    # decision shows on that person's page (the sending state's `person_ref` is the one
    # a caseworker records).
    uow.screening.link_known_persons(screened.id)
    if answers:
        _keep_answers(uow, actor, screened.id, answers)
    audit.record(
        uow,
        actor,
        "create",
        "screening_lists",
        screened.id,
        after={
            "file_name": screened.file_name,
            "file_sha256": file_sha256,
            "policy_version": screened.policy_version,
            "as_of": screened.as_of,
            "persons": screened.persons,
            "families": len(report.family_labels),
            "summary": report.result.summary(),
            "answers": len(answers or {}),
        },
    )
    uow.commit()
    return screened


def _keep_answers(
    uow: UnitOfWork, actor: Actor, list_id: int, answers: Mapping[tuple[str, str], str]
) -> None:
    assert actor.user_id is not None
    ids = uow.screening.ids_by_ref(list_id, {ref for ref, _ in answers})
    at = _now()
    for (ref, fact), value in sorted(answers.items()):
        uow.screening.add(
            ScreeningAnswer(
                decision_id=ids[ref],
                fact=fact,
                value=value,
                answered_by=actor.user_id,
                answered_at=at,
            )
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def open_list(uow: UnitOfWork, list_id: int) -> ScreeningList:
    """The list, refused with `Conflict` once closed: its answers and decisions are
    frozen."""
    screened = uow.screening.screening_list(list_id)
    if screened is None:
        raise NotFound(N_("no screening list with id {list_id}", list_id=list_id))
    if screened.closed_at is not None:
        raise Conflict(
            N_(
                "the list {file_name!r} was closed on {closed_at}: its answers and "
                "decisions can no longer change",
                file_name=screened.file_name,
                closed_at=f"{screened.closed_at:%Y-%m-%d %H:%M}",
            )
        )
    return screened


def screen_and_record(
    uow: UnitOfWork,
    actor: Actor,
    path: str | Path,
    as_of: dt.date | None,
    file_name: str,
) -> tuple[ScreeningList, ScreeningReport]:
    """Screen the file at `path` and store the result: the use case behind an upload.

    The actor is authorised before any work is done. A bad file raises
    `rrms.formats.errors.InputFileError` and a date no policy covers
    `rrms.policy.versions.PolicyError`; in both cases nothing is stored.
    """
    authorize(actor, ENTITY, "write")
    report = screen_manifest(path, as_of)
    screened = record_screening(uow, actor, report, file_name, file_sha256(path))
    return screened, report


LIST_ORDERS = ("as_of", "screened_at")
"""The columns recorded lists can be sorted by: the screening date, the recording time."""


def list_screenings(
    uow: UnitOfWork,
    actor: Actor,
    limit: int = 50,
    offset: int = 0,
    order: tuple[str, bool] | None = None,
) -> Page[ScreeningList]:
    """Recorded lists, newest first or by a date (`LIST_ORDERS`, ascending or
    descending); a page of them (lists hold no personal data)."""
    authorize(actor, ENTITY, "read")
    _check_page(limit, offset)
    if order is not None and order[0] not in LIST_ORDERS:
        raise Invalid(N_("cannot sort screening lists by {order!r}", order=order[0]), "sort")
    total = uow.screening.count_lists()
    rows = uow.screening.lists(limit, offset, order)
    return Page(items=rows, total=total, limit=limit, offset=offset)


def count_undecided_lists(uow: UnitOfWork, actor: Actor) -> int:
    """How many recorded lists still wait for a decision on someone: the screening
    officer's work queue (a number; no person is read)."""
    authorize(actor, "screening", "read")
    return uow.screening.count_lists_undecided()


def progress_of(uow: UnitOfWork, actor: Actor, list_ids: Sequence[int]) -> dict[int, Progress]:
    """Each list's progress (counts by outcome, decided and undecided), for the lists
    page: one query for the page, not one per list."""
    authorize(actor, ENTITY, "read")
    return {
        list_id: tally(counts)
        for list_id, counts in uow.screening.outcome_counts_of(list_ids).items()
    }


def get_screening(uow: UnitOfWork, actor: Actor, list_id: int) -> ScreeningList:
    """One recorded list."""
    authorize(actor, ENTITY, "read")
    screened = uow.screening.screening_list(list_id)
    if screened is None:
        raise NotFound(N_("no screening list with id {list_id}", list_id=list_id))
    return screened


def progress(uow: UnitOfWork, actor: Actor, list_id: int) -> Progress:
    """Counts of a list's recommendations and decisions, computed in the database."""
    get_screening(uow, actor, list_id)
    return tally(uow.screening.outcome_counts(list_id))


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(N_("limit must be between 1 and {max_page}", max_page=MAX_PAGE), "limit")
    if offset < 0:
        raise Invalid(N_("offset must not be negative"), "offset")


def _outcome(value: str, field: str) -> str:
    if value not in OUTCOMES:
        raise Invalid(
            N_(
                "unknown outcome {value!r}; outcomes: {outcomes}",
                value=value,
                outcomes=", ".join(OUTCOMES),
            ),
            field,
        )
    return value


def list_decisions(
    uow: UnitOfWork,
    actor: Actor,
    list_id: int,
    limit: int = 50,
    offset: int = 0,
    recommendation: str | None = None,
    decision: str | None = None,
    undecided: bool | None = None,
) -> Page[ScreeningDecision]:
    """A page of a list's persons in list order, with recommendation and decision; audited.

    `undecided=True` keeps the persons still waiting for an officer, `False` those decided.
    """
    get_screening(uow, actor, list_id)
    _check_page(limit, offset)
    filters: dict[str, Any] = {"list_id": list_id}
    if recommendation is not None:
        filters["recommendation"] = _outcome(recommendation, "recommendation")
    if decision is not None:
        filters["decision"] = _outcome(decision, "decision")
    if undecided is not None:
        filters["undecided"] = undecided
    wanted = DecisionFilter(recommendation, decision, undecided)
    total = uow.screening.count_decisions(list_id, wanted)
    rows = uow.screening.decisions(list_id, wanted, limit, offset)
    if rows:
        audit.record(
            uow,
            actor,
            "list",
            "screening_decisions",
            "-",
            after={"ids": [r.id for r in rows], "filters": filters},
        )
        uow.commit()
    return Page(items=rows, total=total, limit=limit, offset=offset)


def get_decision(uow: UnitOfWork, actor: Actor, decision_id: int) -> ScreeningDecision:
    """One person's recommendation and decision; audited."""
    authorize(actor, ENTITY, "read")
    row = uow.screening.decision(decision_id)
    if row is None:
        raise NotFound(N_("no screening decision with id {decision_id}", decision_id=decision_id))
    audit.record(uow, actor, "read", "screening_decisions", decision_id)
    uow.commit()
    return row


def decide(
    uow: UnitOfWork,
    actor: Actor,
    decision_id: int,
    expected_version: int,
    decision: str,
    reason: str | None = None,
) -> ScreeningDecision:
    """Record the officer's final word on one person, beside the engine's recommendation.

    A written `reason` is required when the decision differs from the recommendation.
    The officer must have seen the current version (`Conflict` otherwise, so two
    officers never silently overwrite each other). Audited with before and after.
    """
    authorize(actor, ENTITY, "write")
    if actor.user_id is None:
        raise Forbidden(N_("a decision is made by a signed-in screening officer"))
    _outcome(decision, "decision")
    row = uow.screening.decision(decision_id)
    if row is None:
        raise NotFound(N_("no screening decision with id {decision_id}", decision_id=decision_id))
    open_list(uow, row.list_id)
    _set_decision(uow, actor, row, expected_version, decision, reason)
    uow.commit()
    return row


def _set_decision(
    uow: UnitOfWork,
    actor: Actor,
    row: ScreeningDecision,
    expected_version: int,
    decision: str,
    reason: str | None,
) -> None:
    """Check and record one decision with its audit entry, in the caller's transaction."""
    _check_decision(row, expected_version, decision, reason)
    before = _audited(row)
    _apply_decision(actor, row, decision, reason, _now())
    _flush_decisions(uow)
    audit.record(
        uow,
        actor,
        "decide",
        "screening_decisions",
        row.id,
        before=before,
        after=_audited(row),
    )


def _check_decision(
    row: ScreeningDecision, expected_version: int, decision: str, reason: str | None
) -> None:
    """Refuse a decision on a version the officer did not see, or one that differs from
    the recommendation without a reason, naming the person."""
    if row.version != expected_version:
        raise Conflict(
            N_(
                "the screening decision on {person_ref} was changed by someone else (you "
                "edited version {expected_version}, it is now at version {row_version}); "
                "reload it and decide again",
                person_ref=row.person_ref,
                expected_version=expected_version,
                row_version=row.version,
            )
        )
    if reason_missing(decision, row.recommendation, reason):
        raise Invalid(
            N_(
                "the decision {decision!r} on {person_ref} differs from the engine's "
                "recommendation {recommendation!r}: write the reason for it",
                decision=decision,
                person_ref=row.person_ref,
                recommendation=row.recommendation,
            ),
            "reason",
        )


def _apply_decision(
    actor: Actor, row: ScreeningDecision, decision: str, reason: str | None, at: dt.datetime
) -> None:
    row.decision = decision
    row.reason = written_reason(reason)
    row.decided_by = actor.user_id
    row.decided_at = at


def _flush_decisions(uow: UnitOfWork) -> None:
    """Write the changed decisions now: a row moved on by someone else refuses them."""
    try:
        uow.screening.flush()
    except RowChanged as exc:
        raise Conflict(
            N_("this screening decision was changed by someone else; reload it and decide again")
        ) from exc


_RELOAD = 5_000
"""Persons read back per query after a bulk decision (well under the databases' limits
on a statement's parameters)."""


def _reload(uow: UnitOfWork, rows: Sequence[ScreeningDecision]) -> None:
    """Read the written rows back in a few queries: the database set their `updated_at`,
    which each row's audit entry holds, and reading them one by one cost a query each."""
    for start in range(0, len(rows), _RELOAD):
        chunk = rows[start : start + _RELOAD]
        uow.screening.decisions_by_id(chunk[0].list_id, [row.id for row in chunk])


def _set_decisions(
    uow: UnitOfWork, actor: Actor, pairs: Sequence[tuple[ScreeningDecision, DecisionEntry]]
) -> None:
    """Check and record many decisions, all or none, in the caller's transaction: every
    one checked first, the rows written in one flush and their audit entries (one per
    person, as `_set_decision` writes) chained in one go (`audit.record_many`)."""
    for row, entry in pairs:
        _check_decision(row, entry.version, entry.decision, entry.reason)
    before = [_audited(row) for row, _ in pairs]
    at = _now()
    for row, entry in pairs:
        _apply_decision(actor, row, entry.decision, entry.reason, at)
    _flush_decisions(uow)
    _reload(uow, [row for row, _ in pairs])
    audit.record_many(
        uow,
        actor,
        [
            audit.Change("decide", "screening_decisions", row.id, old, _audited(row))
            for (row, _), old in zip(pairs, before, strict=True)
        ],
    )


def _audited(row: ScreeningDecision) -> dict[str, Any]:
    """The decision as its audit entry keeps it: without the list's cells, which the
    list's own entry stands for."""
    return snapshot(row, leave_out=("cells",))


@dataclass(frozen=True)
class DecisionEntry:
    """One person's decision in a decision of many: the version the officer read."""

    decision_id: int
    version: int
    decision: str
    reason: str | None = None


def decide_many(
    uow: UnitOfWork, actor: Actor, list_id: int, entries: Sequence[DecisionEntry]
) -> list[ScreeningDecision]:
    """Record many decisions of one list in one action, all or none.

    Each is checked, recorded and audited as `decide` does one: a decision that
    differs from its recommendation needs its own reason, and a stale version refuses
    the whole action (`Conflict`), naming the person. Every person is checked before
    anything is written; the rows are then written in one flush and their audit entries
    (one per person) chained in one go, so thousands take seconds, not minutes.
    """
    authorize(actor, ENTITY, "write")
    if actor.user_id is None:
        raise Forbidden(N_("a decision is made by a signed-in screening officer"))
    if not entries:
        raise Invalid(N_("choose at least one person to decide on"), "decisions")
    if len(entries) > MAX_BULK:
        raise Invalid(
            N_(
                "at most {max_bulk} decisions at once, not {count}",
                max_bulk=MAX_BULK,
                count=len(entries),
            ),
            "decisions",
        )
    open_list(uow, list_id)
    rows = {
        row.id: row
        for row in uow.screening.decisions_by_id(list_id, [e.decision_id for e in entries])
    }
    pairs = []
    for entry in entries:
        _outcome(entry.decision, "decision")
        row = rows.get(entry.decision_id)
        if row is None:
            raise NotFound(
                N_(
                    "no screening decision with id {decision_id} on list {list_id}",
                    decision_id=entry.decision_id,
                    list_id=list_id,
                )
            )
        pairs.append((row, entry))
    _set_decisions(uow, actor, pairs)
    uow.commit()
    return list(rows.values())


BULK_SCOPES = ("page", "family", "accept_or_object")
"""What `accept_recommendations` accepts at once: the persons shown on a page, one
family, or every person recommended `accept` or `object`."""


def accept_recommendations(
    uow: UnitOfWork,
    actor: Actor,
    list_id: int,
    scope: str,
    family_ref: str | None = None,
    shown: Mapping[int, int] | None = None,
) -> int:
    """Decide as the engine recommends for the undecided persons of `scope`, in one
    action; each decision recorded and audited per person. Returns how many.

    Persons already decided keep their decision (an officer's word is not overwritten
    in bulk). For `page`, `shown` maps each person shown to the version shown: a person
    changed since refuses the action (`Conflict`).
    """
    if scope not in BULK_SCOPES:
        raise Invalid(
            N_(
                "unknown scope {scope!r}; scopes: {scopes}",
                scope=scope,
                scopes=", ".join(BULK_SCOPES),
            ),
            "scope",
        )
    authorize(actor, ENTITY, "write")
    open_list(uow, list_id)
    if scope == "family":
        if not family_ref:
            raise Invalid(N_("name the family whose recommendations to accept"), "family_ref")
        rows = uow.screening.undecided(list_id, family_ref=family_ref)
        versions = {row.id: row.version for row in rows}
    elif scope == "accept_or_object":
        rows = uow.screening.undecided(list_id, recommendations=("accept", "object"))
        versions = {row.id: row.version for row in rows}
    else:
        if not shown:
            raise Invalid(N_("no persons were shown on the page"), "shown")
        rows = [
            row for row in uow.screening.decisions_by_id(list_id, shown) if row.decision is None
        ]
        versions = dict(shown)
    if not rows:
        return 0
    entries = [DecisionEntry(row.id, versions[row.id], row.recommendation) for row in rows]
    return len(decide_many(uow, actor, list_id, entries))


def close_list(uow: UnitOfWork, actor: Actor, list_id: int) -> ScreeningList:
    """Close a list whose every person is decided: from now on it is frozen (no more
    answers, corrections or decisions). Audited."""
    authorize(actor, ENTITY, "write")
    if actor.user_id is None:
        raise Forbidden(N_("a list is closed by a signed-in screening officer"))
    screened = open_list(uow, list_id)
    waiting = tally(uow.screening.outcome_counts(list_id)).undecided
    if waiting:
        raise Invalid(
            N_(
                "{waiting} person(s) of {file_name!r} still wait for a decision; "
                "decide on every person before closing the list",
                waiting=waiting,
                file_name=screened.file_name,
            ),
            "list_id",
        )
    before = snapshot(screened)
    screened.closed_by = actor.user_id
    screened.closed_at = _now()
    uow.screening.flush()
    audit.record(
        uow, actor, "close", "screening_lists", list_id, before=before, after=snapshot(screened)
    )
    uow.commit()
    return screened
