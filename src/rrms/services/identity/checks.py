"""Checks where records come in: is this person already known to RRMS?

Three places take in persons, and each asks the linkage model (not a name search)
whether the person is already in the register:

- the **screening results page**: per person on the list, the register's persons
  who are likely the same, with what RRMS knows of them (returned on a date,
  notified by a state on a list, decided earlier), and earlier lists' decisions
  recorded under the same reference (:func:`list_checks`);
- **creating a person** at the desk: the likely duplicates, with the evidence in
  words, before saving (:func:`likely_duplicates`);
- **`rrms import returns`**: how many incoming persons match existing persons under
  other references (:func:`incoming_matches`). Nothing is merged: people decide that
  in the review queue.

Every check is a read of persons, authorised and audited; persons who are the subject
of a confidential case are never read (`register_records`), whoever asks. Returns and
screening decisions are shown only to roles that may read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from rrms.domain.partial_date import PartialDate
from rrms.formats.tabular import match_header, read_table
from rrms.reference.identity import identity_fields
from rrms.services.core import audit
from rrms.services.core.access import Actor, allowed, authorize
from rrms.services.identity.engine import Record
from rrms.services.identity.link import (
    REGISTER_REF_PREFIX,
    LinkedPair,
    LinkResult,
    link_records,
    register_candidates,
    register_records,
)
from rrms.services.identity.model import LinkageModel, shipped_model
from rrms.services.identity.records import ListFileError, read_identity_list
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "CHECK_THRESHOLD",
    "Arrival",
    "IncomingMatches",
    "KnownPerson",
    "ListCheck",
    "Notification",
    "file_person_refs",
    "incoming_matches",
    "likely_duplicates",
    "list_checks",
]

CHECK_THRESHOLD: Final = 0.5
"""The match probability from which a check shows a person as a likely match: lower
than the model's own threshold (which decides what `rrms link` calls one person),
because here a person looks and decides, and a missed duplicate costs more than a
second look."""
_NEW: Final = "new person"
_MATCHES_SHOWN: Final = 5


@dataclass(frozen=True)
class Arrival:
    """One return of a known person: when, from where, how."""

    arrival_date: dt.date
    sending_country: str
    return_type: str


@dataclass(frozen=True)
class Notification:
    """A person on an earlier recorded list: which state, when, what was decided."""

    list_name: str
    sending_country: str | None
    as_of: dt.date
    person_ref: str
    recommendation: str
    decision: str | None


@dataclass(frozen=True)
class KnownPerson:
    """A person of the register who is likely the one being checked."""

    person_id: int
    person_ref: str | None
    family_name: str
    given_name: str
    birth_date: str | None
    probability: float
    evidence: dict[str, str]
    returns: list[Arrival] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


@dataclass(frozen=True)
class ListCheck:
    """What RRMS already knows of one person on a list."""

    person_ref: str
    persons: list[KnownPerson]
    same_reference: list[Notification]
    """Earlier lists' decisions under this person_ref, for no person of the register."""

    @property
    def found(self) -> bool:
        """Whether anything is known."""
        return bool(self.persons or self.same_reference)


@dataclass(frozen=True)
class IncomingMatches:
    """How many persons of an imported file are likely persons under other references."""

    incoming: int
    matching: int
    pairs: int
    threshold: float
    model: str

    def as_dict(self) -> dict[str, Any]:
        """The figures as `rrms import returns --format json` prints them."""
        return {
            "incoming_persons": self.incoming,
            "matching_other_persons": self.matching,
            "pairs": self.pairs,
            "threshold": self.threshold,
            "model": self.model,
        }


def _person_id(ref: str, ids_by_ref: Mapping[str, int]) -> int | None:
    if ref.startswith(REGISTER_REF_PREFIX) and ref[len(REGISTER_REF_PREFIX) :].isdigit():
        return int(ref[len(REGISTER_REF_PREFIX) :])
    return ids_by_ref.get(ref)


def _notification(decision: Any, listed: Any) -> Notification:
    return Notification(
        list_name=listed.file_name,
        sending_country=listed.sending_country,
        as_of=listed.as_of,
        person_ref=decision.person_ref,
        recommendation=decision.recommendation,
        decision=decision.decision,
    )


def _known(
    uow: UnitOfWork,
    actor: Actor,
    pairs: Sequence[LinkedPair],
    *,
    history: bool,
    exclude_list: str | None = None,
) -> dict[str, list[KnownPerson]]:
    """Per left reference, the register persons its pairs name, strongest first."""
    refs = {pair.right for pair in pairs if not pair.right.startswith(REGISTER_REF_PREFIX)}
    ids = {
        int(pair.right[len(REGISTER_REF_PREFIX) :])
        for pair in pairs
        if pair.right.startswith(REGISTER_REF_PREFIX)
    }
    persons = uow.identity.persons_named(refs, ids)
    ids_by_ref = {person.person_ref: person.id for person in persons if person.person_ref}
    by_id = {person.id: person for person in persons}
    returns: dict[int, list[Arrival]] = {}
    notifications: dict[int, list[Notification]] = {}
    if history and allowed(actor, "returns", "read"):
        for arrival in uow.identity.returns_of(by_id):
            returns.setdefault(arrival.person_id, []).append(
                Arrival(arrival.arrival_date, arrival.sending_country, arrival.return_type)
            )
    if history and allowed(actor, "screening", "read"):
        refs_of = {person.person_ref: person.id for person in persons if person.person_ref}
        for decision, listed in uow.identity.decisions_of(by_id, refs_of):
            if listed.file_sha256 == exclude_list:
                continue
            owner = decision.person_id or refs_of.get(decision.person_ref)
            if owner is not None:
                notifications.setdefault(owner, []).append(_notification(decision, listed))
    found: dict[str, list[KnownPerson]] = {}
    for pair in pairs:
        person_id = _person_id(pair.right, ids_by_ref)
        person = by_id.get(person_id) if person_id is not None else None
        if person is None:
            continue
        found.setdefault(pair.left, []).append(
            KnownPerson(
                person_id=person.id,
                person_ref=person.person_ref,
                family_name=person.family_name,
                given_name=person.given_name,
                birth_date=person.birth_date,
                probability=pair.probability,
                evidence=pair.evidence,
                returns=returns.get(person.id, []),
                notifications=notifications.get(person.id, []),
            )
        )
    for ref, known in found.items():
        found[ref] = sorted(known, key=lambda k: -k.probability)[:_MATCHES_SHOWN]
    return found


def _link_with_candidates(
    uow: UnitOfWork, records: Sequence[Record], chosen: LinkageModel
) -> tuple[LinkResult, int]:
    """`records` linked, at the checks' threshold, with the register's persons whom
    the model's blocking rules could pair with them (`register_candidates`), the prior
    the whole register's; and how many persons were compared."""
    register = register_candidates(uow, records)
    result = link_records(
        records,
        register.records,
        model=chosen,
        threshold=_threshold(chosen),
        population=register.population,
    )
    return result, len(register.records)


def likely_duplicates(
    uow: UnitOfWork,
    actor: Actor,
    values: Mapping[str, str | None],
    *,
    model: LinkageModel | None = None,
) -> list[KnownPerson]:
    """The register's persons who are likely the person about to be created from the
    form's `values` (family_name, given_name, father_name, birth_date, sex,
    community, origin_municipality), strongest first, with the evidence in words.

    An audited read of persons; an unreadable birth date is left out of the check
    (creating the person refuses it with its own message).
    """
    authorize(actor, "persons", "read")
    try:
        born = PartialDate.parse(values["birth_date"] or "") if values.get("birth_date") else None
    except ValueError:
        born = None
    record: Record = (
        _NEW,
        identity_fields(
            family_name=values.get("family_name") or "",
            given_name=values.get("given_name") or "",
            father_name=values.get("father_name") or "",
            sex=values.get("sex") or None,
            birth_date=born,
            community=values.get("community") or None,
            municipality=values.get("origin_municipality") or "",
        ),
    )
    chosen = model or shipped_model()
    result, compared = _link_with_candidates(uow, [record], chosen)
    known = _known(uow, actor, result.pairs, history=False).get(_NEW, [])
    audit.record(
        uow,
        actor,
        "read",
        "persons",
        "duplicate-check",
        after={
            "persons_compared": compared,
            "persons_shown": [person.person_id for person in known],
            "model": chosen.label,
        },
    )
    uow.commit()
    return known


def _threshold(model: LinkageModel) -> float:
    return min(CHECK_THRESHOLD, model.threshold)


def list_checks(
    uow: UnitOfWork,
    actor: Actor,
    path: Path,
    refs: Collection[str],
    *,
    list_sha256: str | None = None,
    model: LinkageModel | None = None,
) -> dict[str, ListCheck]:
    """For the persons `refs` of the list at `path`: the register's persons who are
    likely them, with their returns and earlier lists' decisions, and earlier
    decisions under the same reference. The list's own recorded decisions (the list
    with `list_sha256`) are not "earlier". An audited read of persons.

    A list that linkage cannot read (an error the screening did not see) gives no
    checks rather than an error: the screening stands on its own.
    """
    authorize(actor, "persons", "read")
    wanted = set(refs)
    if not wanted:
        return {}
    try:
        listed = read_identity_list(path)
    except ListFileError:
        return {}
    records = [(ref, fields) for ref, fields in listed.records if ref in wanted]
    chosen = model or shipped_model()
    result, _compared = _link_with_candidates(uow, records, chosen)
    known = _known(uow, actor, result.pairs, history=True, exclude_list=list_sha256)
    shown = {person.person_id for persons in known.values() for person in persons}
    same: dict[str, list[Notification]] = {}
    if allowed(actor, "screening", "read"):
        for decision, earlier in uow.identity.decisions_of((), wanted):
            if earlier.file_sha256 == list_sha256 or decision.person_id in shown:
                continue
            same.setdefault(decision.person_ref, []).append(_notification(decision, earlier))
    checks = {
        ref: ListCheck(ref, known.get(ref, []), same.get(ref, []))
        for ref in sorted(wanted)
        if ref in known or ref in same
    }
    audit.record(
        uow,
        actor,
        "read",
        "persons",
        "screening-check",
        after={
            "list": listed.name,
            "persons_checked": len(records),
            "persons_shown": sorted(shown),
            "model": chosen.label,
        },
    )
    uow.commit()
    return checks


def file_person_refs(path: Path) -> set[str]:
    """The person references of a file in the notification-list or returns form (the
    `person_ref` column, in any header spelling the readers accept)."""
    table = read_table(path)
    index, errors, _warnings = match_header(
        table.header, ("person_ref",), ("person_ref",), header_row=table.header_row
    )
    if errors:
        return set()
    position = index["person_ref"]
    return {row[position].strip() for _, row in table.rows if position < len(row)} - {""}


def incoming_matches(
    uow: UnitOfWork,
    actor: Actor,
    refs: Collection[str],
    *,
    model: LinkageModel | None = None,
) -> IncomingMatches:
    """How many of the persons `refs` (just imported) are likely persons RRMS holds
    under another reference. Nothing is merged; an audited read of persons."""
    authorize(actor, "persons", "read")
    incoming = set(refs)
    register = register_records(uow)
    left = [record for record in register if record[0] in incoming]
    right = [record for record in register if record[0] not in incoming]
    chosen = model or shipped_model()
    result = link_records(left, right, model=chosen)
    matching = sorted({pair.left for pair in result.pairs})
    audit.record(
        uow,
        actor,
        "read",
        "persons",
        "import-check",
        after={
            "incoming_persons": len(left),
            "matching": matching,
            "model": chosen.label,
        },
    )
    uow.commit()
    return IncomingMatches(
        incoming=len(left),
        matching=len(matching),
        pairs=len(result.pairs),
        threshold=result.threshold,
        model=chosen.label,
    )
