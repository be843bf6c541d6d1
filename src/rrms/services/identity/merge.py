"""Merging two persons of the register into one, and undoing it.

A caseworker who judges a pair of the review queue to be one person merges them: the
person kept receives every record of the other (every foreign key to `persons`:
documents, returns, screening decisions, assistance, projects, houses, consents,
correction requests, confidential cases, family memberships), takes the other's value
for each of its own identity fields that is blank, and the other person's row is
deleted. What it takes to undo the merge is kept with it (`person_merges`): the other
person's row as it was, the ids of the records moved, the memberships moved or dropped
and the fields filled. One audit entry names both persons.

A cap per person means nothing while a person exists twice: after the merge the caps
of every programme under which the kept person has assistance are checked again, and
a breach is *shown* (stored with the merge, printed on the page after it), not
refused: the assistance was granted to two persons who turn out to be one, and what to
do about it is a programme manager's decision, not the merge's.

`unmerge` restores both persons as they were: the other person's row under its own
id, the moved records and memberships back, the filled fields blank again (where they
still hold the value the merge gave them), and the pair back in the queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from rrms.domain import caps
from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_
from rrms.domain.money import Money
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Conflict, Invalid, NotFound
from rrms.services.identity.duplicates import decidable_pair
from rrms.storage.tables import Person, PersonMerge
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["FILLABLE", "MergeView", "cap_breaches", "merge_pair", "merge_view", "unmerge"]

FILLABLE: Final[tuple[str, ...]] = (
    "person_ref",
    "father_name",
    "sex",
    "birth_date",
    "birth_year",
    "community",
    "origin_municipality",
    "origin_settlement",
)
"""The kept person's fields that take the other person's value when blank."""


def cap_breaches(uow: UnitOfWork, person_id: int) -> list[dict[str, str]]:
    """Every programme cap the person's assistance passes (requested, approved and paid
    together, as `rrms.domain.caps` counts them), or cannot be checked against because
    amounts are in another currency; in words and amounts."""
    breaches: list[dict[str, str]] = []
    for programme in uow.duplicates.assisted_programmes(person_id):
        if programme.cap_amount is None or programme.cap_currency is None:
            continue
        cap = Money(programme.cap_amount, programme.cap_currency)
        taken = uow.programmes.reserved_amounts(person_id, programme.id)
        try:
            use = caps.cap_use(programme.code, cap, taken)
        except RuleBroken as broken:
            breaches.append({"programme": programme.code, "problem": broken.message})
            continue
        if use.used > use.cap:
            breaches.append(
                {
                    "programme": programme.code,
                    "cap": str(use.cap),
                    "used": str(use.used),
                    "excess": str(use.used - use.cap),
                }
            )
    return breaches


def merge_pair(uow: UnitOfWork, actor: Actor, pair_id: int, version: int, keep: int) -> PersonMerge:
    """Merge the open pair's two persons into `keep` (one of them); the merge, with the
    caps re-checked on the kept person."""
    found = decidable_pair(uow, actor, pair_id, version)
    pair = found.pair
    if keep not in (pair.left_person_id, pair.right_person_id):
        raise Invalid(
            N_(
                "keep must be one of the pair's persons ({left} or {right}), not {keep}",
                left=pair.left_person_id,
                right=pair.right_person_id,
                keep=keep,
            ),
            "keep",
        )
    kept, other = (found.left, found.right) if keep == found.left.id else (found.right, found.left)
    kept_id, other_id = kept.id, other.id
    for person_id in sorted((kept_id, other_id)):
        uow.programmes.lock_person(person_id)
    merged_person = uow.duplicates.snapshot(other)
    filled = {
        name: getattr(other, name)
        for name in FILLABLE
        if getattr(kept, name) in (None, "") and getattr(other, name) not in (None, "")
    }
    uow.duplicates.flush()
    moved = uow.duplicates.move_references(other_id, kept_id)
    memberships = uow.duplicates.move_memberships(other_id, kept_id)
    uow.duplicates.delete_person(other_id)
    survivor = _person(uow, kept_id)
    for name, value in filled.items():
        setattr(survivor, name, value)
    uow.duplicates.flush()
    breaches = cap_breaches(uow, kept_id)
    now = dt.datetime.now(dt.UTC)
    pair = found_again(uow, pair_id)
    pair.status = "merged"
    pair.decided_by = actor.username
    pair.decided_at = now
    merge = PersonMerge(
        pair_id=pair_id,
        kept_person_id=kept_id,
        merged_person_id=other_id,
        merged_person=merged_person,
        filled=audit.plain(filled),
        moved=moved,
        memberships=memberships,
        cap_breaches=breaches,
        merged_by=actor.username,
        merged_at=now,
    )
    uow.duplicates.add(merge)
    uow.duplicates.flush()
    audit.record(
        uow,
        actor,
        "merge",
        "persons",
        kept_id,
        before={"merged_person": merged_person},
        after={
            "kept_person_id": kept_id,
            "merged_person_id": other_id,
            "pair_id": pair_id,
            "merge_id": merge.id,
            "filled": audit.plain(filled),
            "moved": moved,
            "memberships": memberships,
            "cap_breaches": breaches,
        },
    )
    uow.commit()
    return merge


def _person(uow: UnitOfWork, person_id: int) -> Person:
    person = uow.duplicates.person(person_id)
    if person is None:  # deleted under us: the transaction will not commit
        raise Conflict(N_("person {person_id} no longer exists", person_id=person_id))
    return person


def found_again(uow: UnitOfWork, pair_id: int) -> Any:
    """The pair row after the merge's bulk statements expired the session's objects."""
    pair = uow.duplicates.pair(pair_id)
    if pair is None:
        raise NotFound(N_("no pair {pair_id} in the review queue", pair_id=pair_id))
    return pair


@dataclass
class MergeView:
    """A merge as the page after it shows it: the kept person (None once merged away
    again) and the merge with its cap breaches."""

    merge: PersonMerge
    kept: Person | None
    merged_name: str


def _visible_merge(uow: UnitOfWork, merge_id: int) -> PersonMerge:
    merge = uow.duplicates.merge(merge_id)
    people = [] if merge is None else [merge.kept_person_id, merge.merged_person_id]
    if merge is None or uow.duplicates.has_confidential_case(people):
        raise NotFound(N_("no merge {merge_id}", merge_id=merge_id))
    return merge


def merge_view(uow: UnitOfWork, actor: Actor, merge_id: int) -> MergeView:
    """One merge and the person kept; read as the queue is (a merge concerning a person
    with a confidential case is not found), audited."""
    authorize(actor, "duplicates", "read")
    authorize(actor, "persons", "read")
    merge = _visible_merge(uow, merge_id)
    snapshot = merge.merged_person
    view = MergeView(
        merge=merge,
        kept=uow.duplicates.person(merge.kept_person_id),
        merged_name=f"{snapshot.get('family_name', '')} {snapshot.get('given_name', '')}",
    )
    audit.record(uow, actor, "read", "duplicates", f"merge:{merge_id}")
    uow.commit()
    return view


def unmerge(uow: UnitOfWork, actor: Actor, merge_id: int, version: int) -> PersonMerge:
    """Undo a merge: both persons as they were, the pair open again; audited."""
    authorize(actor, "duplicates", "write")
    authorize(actor, "persons", "write")
    merge = _visible_merge(uow, merge_id)
    if merge.version != version:
        raise Conflict(
            N_(
                "merge {merge_id} was changed by someone else since you read it "
                "(version {current}, not {version}): read it again",
                merge_id=merge_id,
                current=merge.version,
                version=version,
            )
        )
    if merge.unmerged_at is not None:
        raise Conflict(
            N_(
                "merge {merge_id} was already undone by {unmerged_by}",
                merge_id=merge_id,
                unmerged_by=merge.unmerged_by,
            )
        )
    kept_id, other_id = merge.kept_person_id, merge.merged_person_id
    kept = uow.duplicates.person(kept_id)
    if kept is None:
        later = uow.duplicates.merge_that_took(kept_id)
        if later is not None:
            raise Conflict(
                N_(
                    "person {person_id} was itself merged into another since (merge "
                    "{later_id}): undo that first",
                    person_id=kept_id,
                    later_id=later.id,
                )
            )
        raise Conflict(
            N_(
                "person {person_id} was itself merged into another since: undo that first",
                person_id=kept_id,
            )
        )
    if uow.duplicates.person(other_id) is not None:
        raise Conflict(
            N_(
                "the id {other_id} of the merged person is used by another person now; "
                "the merge cannot be undone",
                other_id=other_id,
            )
        )
    uow.programmes.lock_person(kept_id)
    for name, value in merge.filled.items():
        if audit.plain(getattr(kept, name)) == value:
            setattr(kept, name, None)
    uow.duplicates.flush()
    reference = merge.merged_person.get("person_ref")
    if reference and uow.duplicates.person_by_ref(reference) is not None:
        raise Conflict(
            N_(
                "the reference {reference!r} of the merged person is used by another person "
                "now; the merge cannot be undone until it is changed",
                reference=reference,
            )
        )
    uow.duplicates.restore_person(merge.merged_person)
    uow.duplicates.restore_memberships(merge.memberships, kept_id, other_id)
    uow.duplicates.move_back(merge.moved, kept_id, other_id)
    merge = uow.duplicates.merge(merge_id) or merge
    merge.unmerged_by = actor.username
    merge.unmerged_at = dt.datetime.now(dt.UTC)
    pair = found_again(uow, merge.pair_id)
    pair.status = "open"
    pair.decided_by = None
    pair.decided_at = None
    uow.duplicates.flush()
    audit.record(
        uow,
        actor,
        "unmerge",
        "persons",
        kept_id,
        after={
            "kept_person_id": kept_id,
            "restored_person_id": other_id,
            "pair_id": merge.pair_id,
            "merge_id": merge.id,
            "moved_back": merge.moved,
            "memberships": merge.memberships,
        },
    )
    uow.commit()
    return merge
