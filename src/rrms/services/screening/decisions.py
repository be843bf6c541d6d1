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
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

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
from rrms.storage.tables import ScreeningDecision, ScreeningList
from rrms.storage.unit_of_work import UnitOfWork

ENTITY = "screening"
"""The permission entity: screening officers write; they and administrators read."""

CHUNK = 5_000
"""Recommendations written per INSERT: big enough to be fast, small enough for memory."""

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
                f"a {field} of {len(longest)} characters ({longest[:20]!r}...) is longer than "
                f"the {MAX_REF} RRMS stores; shorten the references and upload again",
                field,
            )


def _base_name(file_name: str) -> str:
    """The file's own name, whether the client sent a POSIX or a Windows path."""
    return Path(file_name.replace("\\", "/")).name[:300] or "unnamed"


def _recommendations(list_id: int, report: ScreeningReport) -> Iterator[dict[str, Any]]:
    policy_version = report.result.policy.id
    for person in report.persons():
        yield {
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
) -> ScreeningList:
    """Store a screened list with every person's recommendation, undecided; audited once.

    Only a screening officer may; the list and all its recommendations are committed
    together, or nothing is.
    """
    authorize(actor, ENTITY, "write")
    if actor.user_id is None:
        raise Forbidden("a screening is recorded on behalf of a signed-in screening officer")
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
    )
    uow.screening.add_list(screened)
    rows = _recommendations(screened.id, report)
    while chunk := list(islice(rows, CHUNK)):
        uow.screening.add_recommendations(chunk)
    # Link each decision to the person RRMS already knows by the same reference, so the
    # decision shows on that person's page (the sending state's `person_ref` is the one
    # a caseworker records).
    uow.screening.link_known_persons(screened.id)
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
        },
    )
    uow.commit()
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
        raise Invalid(f"cannot sort screening lists by {order[0]!r}", "sort")
    total = uow.screening.count_lists()
    rows = uow.screening.lists(limit, offset, order)
    return Page(items=rows, total=total, limit=limit, offset=offset)


def get_screening(uow: UnitOfWork, actor: Actor, list_id: int) -> ScreeningList:
    """One recorded list."""
    authorize(actor, ENTITY, "read")
    screened = uow.screening.screening_list(list_id)
    if screened is None:
        raise NotFound(f"no screening list with id {list_id}")
    return screened


def progress(uow: UnitOfWork, actor: Actor, list_id: int) -> Progress:
    """Counts of a list's recommendations and decisions, computed in the database."""
    get_screening(uow, actor, list_id)
    return tally(uow.screening.outcome_counts(list_id))


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(f"limit must be between 1 and {MAX_PAGE}", "limit")
    if offset < 0:
        raise Invalid("offset must not be negative", "offset")


def _outcome(value: str, field: str) -> str:
    if value not in OUTCOMES:
        raise Invalid(f"unknown outcome {value!r}; outcomes: {', '.join(OUTCOMES)}", field)
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
        raise NotFound(f"no screening decision with id {decision_id}")
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
        raise Forbidden("a decision is made by a signed-in screening officer")
    _outcome(decision, "decision")
    row = uow.screening.decision(decision_id)
    if row is None:
        raise NotFound(f"no screening decision with id {decision_id}")
    if row.version != expected_version:
        raise Conflict(
            f"this screening decision was changed by someone else (you edited version "
            f"{expected_version}, it is now at version {row.version}); reload it and "
            "decide again"
        )
    if reason_missing(decision, row.recommendation, reason):
        raise Invalid(
            f"the decision {decision!r} differs from the engine's recommendation "
            f"{row.recommendation!r}: write the reason for it",
            "reason",
        )
    before = snapshot(row)
    row.decision = decision
    row.reason = written_reason(reason)
    row.decided_by = actor.user_id
    row.decided_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        uow.screening.flush()
    except RowChanged as exc:
        raise Conflict(
            "this screening decision was changed by someone else; reload it and decide again"
        ) from exc
    audit.record(
        uow,
        actor,
        "decide",
        "screening_decisions",
        decision_id,
        before=before,
        after=snapshot(row),
    )
    uow.commit()
    return row
