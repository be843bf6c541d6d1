"""The register deduplicated: finding probable duplicates among the stored persons and
keeping them in a review queue for people to decide on.

`find_duplicates` (`rrms dedupe persons`) runs the linkage model over the register (as
`rrms link --with-register` reads it: persons with a confidential case are never
read) and queues every pair at or above the threshold that was never queued before:
a pair already waiting, merged or marked "not the same person" is never proposed
again. The queue (`queue`, `queued_pair`) shows only pairs whose two persons both
still exist and neither is the subject of a confidential case, whoever reads it: a
pair naming such a person would tell the reader that RRMS knows them. Marking a pair
"not the same person" (`mark_not_same`) closes it for good. Merging is in `merge`.
Beside a pair, `also_proposed` shows the other open pairs naming either person: most
false suggestions are a sparse record proposed with two namesakes at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from rrms.domain.messages import N_, Word
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Conflict, Invalid, NotFound
from rrms.services.identity.link import LinkedPair, dedupe_records, register_record
from rrms.services.identity.model import LinkageModel, shipped_model
from rrms.storage.queries.duplicates import QueuedPair
from rrms.storage.tables import DuplicatePair, Person
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "ALSO_PROPOSED_LIMIT",
    "AlsoProposed",
    "DedupeRun",
    "OtherProposals",
    "QUEUE_PAGE",
    "also_proposed",
    "also_proposed_counts",
    "decidable_pair",
    "find_duplicates",
    "mark_not_same",
    "queue",
    "queued_pair",
    "read_queued_pair",
]

QUEUE_PAGE: Final = 50
"""Pairs shown on one page of the queue."""
ALSO_PROPOSED_LIMIT: Final = 20
"""The most other pairs shown beside one pair, most probable first."""

Progress = Callable[[str], None]
"""Told each step as it starts ("reading persons", "scoring pairs", "queueing pairs")."""


@dataclass
class DedupeRun:
    """What one run of `rrms dedupe persons` found and queued."""

    persons: int
    threshold: float
    engine: str
    model: LinkageModel
    found: list[LinkedPair]
    queued: list[DuplicatePair] = field(default_factory=list)
    already_known: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The run as `--format json` prints it."""
        return {
            "persons_compared": self.persons,
            "threshold": self.threshold,
            "pairs_found": len(self.found),
            "pairs_queued": len(self.queued),
            "pairs_already_known": self.already_known,
            "queued": [
                {
                    "pair_id": pair.id,
                    "left_person_id": pair.left_person_id,
                    "right_person_id": pair.right_person_id,
                    "probability": pair.probability,
                    "evidence": pair.evidence,
                }
                for pair in self.queued
            ],
            "model": {**self.model.describe(), "engine": self.engine},
        }


def _ordered(pair: LinkedPair) -> tuple[int, int]:
    first, second = int(pair.left), int(pair.right)
    return (first, second) if first < second else (second, first)


def find_duplicates(
    uow: UnitOfWork,
    actor: Actor,
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    model: LinkageModel | None = None,
    progress: Progress | None = None,
) -> DedupeRun:
    """Score every pair of stored persons (but those with a confidential case) and queue
    the new pairs at or above the threshold; one audit entry names the run."""
    authorize(actor, "persons", "read")
    authorize(actor, "duplicates", "write")
    tell = progress or (lambda step: None)
    chosen = model or shipped_model()
    tell("reading persons")
    records = [
        register_record(person, str(person.id)) for person in uow.identity.persons_for_linkage()
    ]
    tell("scoring pairs")
    result = dedupe_records(records, threshold=threshold, engine=engine, model=chosen)
    tell("queueing pairs")
    known = uow.duplicates.known_pairs()
    run = DedupeRun(len(records), result.threshold, engine, chosen, result.pairs)
    for found in result.pairs:
        left, right = _ordered(found)
        if (left, right) in known:
            run.already_known += 1
            continue
        pair = DuplicatePair(
            left_person_id=left,
            right_person_id=right,
            probability=found.probability,
            evidence=found.evidence,
            model=chosen.label,
            status="open",
            found_by=actor.username,
        )
        uow.duplicates.add(pair)
        known.add((left, right))
        run.queued.append(pair)
    uow.duplicates.flush()
    audit.record(
        uow,
        actor,
        "dedupe",
        "duplicates",
        "persons",
        after={
            "persons_compared": run.persons,
            "threshold": run.threshold,
            "pairs_found": len(run.found),
            "pairs_queued": [pair.id for pair in run.queued],
            "pairs_already_known": run.already_known,
            "model": chosen.label,
            "engine": engine,
        },
    )
    uow.commit()
    return run


def queue(
    uow: UnitOfWork, actor: Actor, status: str | None = "open", offset: int = 0
) -> tuple[list[QueuedPair], int]:
    """A page of the queue (of pairs with this status; all with None), most probable
    first, and how many pairs there are; the read is audited as a listing of the
    persons shown."""
    authorize(actor, "duplicates", "read")
    authorize(actor, "persons", "read")
    if status is not None and status not in ("open", "merged", "not_same"):
        raise Invalid(
            N_("status must be open, merged or not_same, not {status!r}", status=status),
            "status",
        )
    rows, total = uow.duplicates.queue(status, QUEUE_PAGE, max(0, offset))
    _audit_persons_shown(
        uow,
        actor,
        "queue",
        [person.id for row in rows for person in (row.left, row.right)],
        pairs=[row.pair.id for row in rows],
        status=status,
        offset=offset,
    )
    return rows, total


def _audit_persons_shown(
    uow: UnitOfWork, actor: Actor, where: str, person_ids: list[int], **more: Any
) -> None:
    """Audit a page of the review queue as a listing of the persons it named (`list` on
    `persons`, their ids under `ids`), so that a person's subject access and history
    show who saw them there; `more` says which pairs. Committed at once."""
    audit.record(
        uow,
        actor,
        "list",
        "persons",
        f"duplicates {where}",
        after={"ids": sorted(set(person_ids)), **more},
    )
    uow.commit()


def queued_pair(uow: UnitOfWork, actor: Actor, pair_id: int) -> QueuedPair:
    """One pair with its two persons; `NotFound` for a pair that does not exist, whose
    persons are not both in the register (one merged away), or that names a person
    with a confidential case (as if it did not exist: the reader must not learn it)."""
    authorize(actor, "duplicates", "read")
    authorize(actor, "persons", "read")
    found = uow.duplicates.visible_pair(pair_id)
    if found is None:
        raise NotFound(N_("no pair {pair_id} in the review queue", pair_id=pair_id))
    return found


@dataclass(frozen=True)
class AlsoProposed:
    """Another open pair naming one of the persons of the pair being compared."""

    pair: DuplicatePair
    shared: Person
    """The person the two pairs have in common."""
    third: Person
    """The other pair's other person."""
    apart_from: Person | None
    """The compared pair's person whom `third` is not proposed with, if any: then, if
    those two are different persons, at most one of the two pairs is right (one
    record cannot be two persons). None where `third` is proposed with both."""

    @property
    def queued(self) -> QueuedPair:
        """The other pair as the queue holds it (left the lower id, as stored)."""
        left, right = sorted((self.shared, self.third), key=lambda person: person.id)
        return QueuedPair(self.pair, left, right)


@dataclass(frozen=True)
class OtherProposals:
    """The other open pairs beside one pair: the most probable, and how many in all."""

    shown: list[AlsoProposed]
    total: int


def also_proposed(uow: UnitOfWork, actor: Actor, found: QueuedPair) -> OtherProposals:
    """The other open pairs that name either person of `found` (the
    `ALSO_PROPOSED_LIMIT` most probable, and how many there are), each with whether it
    contradicts `found`; the read is audited as a listing of the persons shown.

    Where a record lacks its birth date and father's name, the model may propose it
    with two namesakes; side by side, the reviewer then sees both proposals at once
    rather than merging the first one met. Whether a third person is proposed with
    both persons is read from every open pair, not only those shown.
    """
    authorize(actor, "duplicates", "read")
    authorize(actor, "persons", "read")
    members = {found.left.id: found.left, found.right.id: found.right}
    others = _other_pairs(uow.duplicates.open_pairs_among(list(members)), set(members))
    proposed_with: dict[int, set[int]] = {}
    for left, right in others:
        for member_id, other_id in ((left, right), (right, left)):
            if member_id in members:
                proposed_with.setdefault(other_id, set()).add(member_id)
    rows = uow.duplicates.open_pairs_naming(list(members), found.pair.id, ALSO_PROPOSED_LIMIT)
    shown = []
    for row in rows:
        shared, third = (row.left, row.right) if row.left.id in members else (row.right, row.left)
        missing = set(members) - proposed_with.get(third.id, set())
        shown.append(
            AlsoProposed(
                pair=row.pair,
                shared=shared,
                third=third,
                apart_from=members[missing.pop()] if missing else None,
            )
        )
    if shown:
        _audit_persons_shown(
            uow,
            actor,
            f"{found.pair.id} also proposed",
            [person.id for item in shown for person in (item.shared, item.third)],
            pairs=[item.pair.id for item in shown],
        )
    return OtherProposals(shown, len(others))


def also_proposed_counts(uow: UnitOfWork, actor: Actor, rows: list[QueuedPair]) -> dict[int, int]:
    """For each pair of a queue page, how many other open pairs name either of its
    persons (what `also_proposed` counts), so that the queue can point at them."""
    authorize(actor, "duplicates", "read")
    authorize(actor, "persons", "read")
    person_ids = sorted({person.id for row in rows for person in (row.left, row.right)})
    pairs = uow.duplicates.open_pairs_among(person_ids) if person_ids else []
    return {row.pair.id: len(_other_pairs(pairs, {row.left.id, row.right.id})) for row in rows}


def _other_pairs(pairs: list[tuple[int, int]], members: set[int]) -> list[tuple[int, int]]:
    """Of these (left, right) pairs of person ids, those naming one of `members`, the
    two persons of a pair, other than that pair itself."""
    return [pair for pair in pairs if set(pair) != members and members & set(pair)]


def read_queued_pair(uow: UnitOfWork, actor: Actor, pair_id: int) -> QueuedPair:
    """One pair with its two persons, for a reader who sees their names and birth dates
    (the API): as `queued_pair`, and the read is audited as a listing of both persons.
    (The comparison page reads each person through their overview, audited there.)"""
    found = queued_pair(uow, actor, pair_id)
    _audit_persons_shown(uow, actor, str(pair_id), [found.left.id, found.right.id], pairs=[pair_id])
    return found


def decidable_pair(uow: UnitOfWork, actor: Actor, pair_id: int, version: int) -> QueuedPair:
    """The open pair, for a decision on it: refused for a role that may not change
    persons, not found as `queued_pair` says, `Conflict` if decided or changed since
    the caller read `version`."""
    authorize(actor, "duplicates", "write")
    authorize(actor, "persons", "write")
    found = queued_pair(uow, actor, pair_id)
    if found.pair.version != version:
        raise Conflict(
            N_(
                "pair {pair_id} was decided or changed by someone else since you read it "
                "(version {current}, not {version}): read it again",
                pair_id=pair_id,
                current=found.pair.version,
                version=version,
            )
        )
    if found.pair.status != "open":
        raise Conflict(
            N_(
                "pair {pair_id} is already decided ({status})",
                pair_id=pair_id,
                status=Word(found.pair.status),
            )
        )
    return found


def mark_not_same(uow: UnitOfWork, actor: Actor, pair_id: int, version: int) -> DuplicatePair:
    """Mark the pair "not the same person": it is closed and never proposed again."""
    found = decidable_pair(uow, actor, pair_id, version)
    pair = found.pair
    pair.status = "not_same"
    pair.decided_by = actor.username
    pair.decided_at = dt.datetime.now(dt.UTC)
    uow.duplicates.flush()
    audit.record(
        uow,
        actor,
        "not_same",
        "duplicates",
        pair.id,
        before={"status": "open"},
        after={
            "status": "not_same",
            "persons": [pair.left_person_id, pair.right_person_id],
        },
    )
    uow.commit()
    return pair
