"""`rrms link`: which records of a list are the same person, within it or elsewhere.

Three questions, one answer shape (shared/spec/linkage.md):

- *dedupe*: which records of one list are one person;
- *link* with another file: which records of the list are persons of the other;
- *link* with the register: which records of the list are persons RRMS already
  holds. The register is read through the unit of work, by a named user whose role
  may read persons, as one audited read; persons with a confidential case are never
  read.

The model scores candidate pairs (`engine`); this module keeps the pairs at or above
the threshold, highest first, says for each in words what agreed and how (the
model's level labels, refined with the two records' names: "same" when written
alike, "same after transliteration" when only their sounds agree), and groups them
into clusters. Nothing is written to the database but the audit entry of the read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from rrms.domain.messages import N_
from rrms.domain.partial_date import PartialDate
from rrms.formats.errors import CellError
from rrms.reference.identity import IdentityFields, identity_fields
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import ServiceError
from rrms.services.identity.engine import Record, ScoredPair, score
from rrms.services.identity.model import LinkageModel, shipped_model
from rrms.services.identity.records import read_identity_list
from rrms.storage.queries.identity import NameBlocks, PersonIdentity
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "EVIDENCE_FIELDS",
    "MAX_CANDIDATE_VALUES",
    "Candidates",
    "LinkResult",
    "LinkedPair",
    "dedupe_records",
    "link_files",
    "link_records",
    "link_with_register",
    "name_blocks",
    "register_candidates",
    "register_record",
    "register_records",
]

EVIDENCE_FIELDS: Final[tuple[str, ...]] = (
    "family_name",
    "given_name",
    "father_name",
    "birth_date",
    "sex",
    "community",
    "origin_municipality",
    "birth_place",
    "document_number",
)
"""The keys of a pair's evidence, in the order shown."""

_NAME_PARTS: Final = {"family_name": "family", "given_name": "given", "father_name": "father"}
REGISTER_REF_PREFIX: Final = "rrms:"
"""A register person without a person_ref is named by RRMS's id: 'rrms:1234'."""


@dataclass(frozen=True)
class LinkedPair:
    """Two records judged one person, with the probability and the evidence in words."""

    left: str
    right: str
    probability: float
    evidence: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        """The pair as the JSON contract writes it."""
        return {
            "left": self.left,
            "right": self.right,
            "probability": self.probability,
            "evidence": self.evidence,
        }


@dataclass
class LinkResult:
    """The answer of `rrms link`."""

    mode: str
    threshold: float
    left_count: int
    right_count: int
    pairs: list[LinkedPair]
    clusters: list[list[str]]
    model: LinkageModel
    engine: str
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[CellError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract (shared/spec/linkage.md), and the model beside it."""
        return {
            "mode": self.mode,
            "threshold": self.threshold,
            "records": {"left": self.left_count, "right": self.right_count},
            "pairs": [pair.as_dict() for pair in self.pairs],
            "clusters": self.clusters,
            "model": {**self.model.describe(), "engine": self.engine},
            "sources": self.sources,
        }


def _refine(word: str, part: str, left: IdentityFields, right: IdentityFields) -> str:
    """Say how two names agree more exactly than the model's level does."""
    if word == "same":
        spelled = getattr(left, f"{part}_spelling"), getattr(right, f"{part}_spelling")
        return "same" if spelled[0] == spelled[1] else "same after transliteration"
    if word == "similar":
        keys = getattr(left, f"{part}_key"), getattr(right, f"{part}_key")
        return "sounds alike" if keys[0] == keys[1] else "similar"
    return word


def _evidence(
    levels: Mapping[str, int],
    words: Mapping[str, Mapping[int, str]],
    left: IdentityFields,
    right: IdentityFields,
) -> dict[str, str]:
    found: dict[str, str] = {}
    for comparison, level in levels.items():
        if level < 0 or comparison not in words:
            continue  # unknown in one record: no evidence either way
        label = words[comparison][level]
        if comparison == "name":
            for part in label.split("; "):
                key, _, word = part.partition(": ")
                found[key] = word
        else:
            found[comparison] = label
    for key, part in _NAME_PARTS.items():
        if key in found:
            found[key] = _refine(found[key], part, left, right)
    return {key: found[key] for key in EVIDENCE_FIELDS if key in found}


def _clusters(pairs: Sequence[LinkedPair], dedupe: bool) -> list[list[str]]:
    if not dedupe:
        matched: dict[str, set[str]] = {}
        for pair in pairs:
            matched.setdefault(pair.left, set()).add(pair.right)
        return [[left, *sorted(rights)] for left, rights in sorted(matched.items())]
    parent: dict[str, str] = {}

    def root(ref: str) -> str:
        parent.setdefault(ref, ref)
        while parent[ref] != ref:
            parent[ref] = parent[parent[ref]]
            ref = parent[ref]
        return ref

    for pair in pairs:
        a, b = root(pair.left), root(pair.right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for ref in parent:
        groups.setdefault(root(ref), []).append(ref)
    return sorted((sorted(group) for group in groups.values()), key=lambda group: group[0])


def _shown(probability: float, threshold: float) -> float:
    """The probability as printed: four decimals, never rounded below the threshold."""
    rounded = round(probability, 4)
    return rounded if rounded >= threshold else probability


def _result(
    mode: str,
    model: LinkageModel,
    threshold: float | None,
    engine: str,
    left: Sequence[Record],
    right: Sequence[Record] | None,
    population: int | None = None,
) -> LinkResult:
    chosen = model.threshold if threshold is None else threshold
    if not 0 < chosen < 1:
        raise ServiceError(N_("the threshold must be between 0 and 1, not {chosen}", chosen=chosen))
    scored: list[ScoredPair] = score(model, left, right, chosen, engine, population=population)
    fields = dict(left)
    other = dict(right) if right is not None else fields
    words = model.evidence_words()
    pairs = [
        LinkedPair(
            left=pair.left,
            right=pair.right,
            probability=_shown(pair.probability, chosen),
            evidence=_evidence(pair.levels, words, fields[pair.left], other[pair.right]),
        )
        for pair in scored
        if pair.probability >= chosen
    ]
    pairs.sort(key=lambda pair: (-pair.probability, pair.left, pair.right))
    return LinkResult(
        mode=mode,
        threshold=chosen,
        left_count=len(left),
        right_count=len(left) if right is None else len(right),
        pairs=pairs,
        clusters=_clusters(pairs, right is None),
        model=model,
        engine=engine,
    )


def link_files(
    path: Path,
    other: Path | None = None,
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    model: LinkageModel | None = None,
) -> LinkResult:
    """Dedupe one list, or link it with another; `ListFileError` (naming the file) for a
    file with errors."""
    listed = read_identity_list(path)
    second = read_identity_list(other) if other is not None else None
    result = _result(
        "dedupe" if second is None else "link",
        model or shipped_model(),
        threshold,
        engine,
        listed.records,
        None if second is None else second.records,
    )
    result.sources = {"left": listed.name}
    result.warnings = list(listed.warnings)
    if second is not None:
        result.sources["right"] = second.name
        result.warnings += second.warnings
    return result


def register_record(person: PersonIdentity, ref: str) -> Record:
    """One stored person as a linkage record under `ref`."""
    try:
        born = PartialDate.parse(person.birth_date) if person.birth_date else None
    except ValueError:
        born = None
    return (
        ref,
        identity_fields(
            family_name=person.family_name,
            given_name=person.given_name,
            father_name=person.father_name or "",
            sex=person.sex,
            birth_date=born,
            community=person.community,
            municipality=person.origin_municipality or "",
            settlement=person.origin_settlement or "",
            document_number=person.document_number or "",
        ),
    )


def register_records(uow: UnitOfWork, blocks: NameBlocks | None = None) -> list[Record]:
    """The register's persons as linkage records (confidential cases' persons left out);
    with `blocks`, only those in one of them (`name_blocks`)."""
    return [
        register_record(person, person.person_ref or f"{REGISTER_REF_PREFIX}{person.id}")
        for person in uow.identity.persons_for_linkage(blocks)
    ]


MAX_CANDIDATE_VALUES: Final = 10_000
"""Above this many values in the query (a list of a thousand persons or more) the whole
register is read: narrowing would save little and the query would carry too many."""


@dataclass(frozen=True)
class Candidates:
    """The register's persons who could be one of some incoming records, and how many
    persons the register holds in all (the model's prior is the register's)."""

    records: list[Record]
    population: int


def name_blocks(incoming: Sequence[Record]) -> NameBlocks | None:
    """The pairs of stored keys that the model's blocking rules (`model.py`,
    `prediction_blocking_rules`) could join one of `incoming` on: family key with birth
    year (the rule adds the given name's first letter), both name keys (with the
    municipality or the father's; swapped, with the year or the municipality), given
    key with birth year (with the municipality or the full date), given key with
    municipality (with the year or the father's). A change to those rules must keep
    this a superset of what they find.

    None (read everyone) for an incoming record with neither name key, or when the
    query would carry more than `MAX_CANDIDATE_VALUES` values.
    """
    family_year: set[tuple[str, int]] = set()
    family_given: set[tuple[str, str]] = set()
    given_year: set[tuple[str, int]] = set()
    given_place: set[tuple[str, str]] = set()
    for _, fields in incoming:
        family, given = fields.family_key, fields.given_key
        year, place = fields.birth_year, fields.municipality
        if family is None and given is None:
            return None
        if family is not None and year is not None:
            family_year.add((family, year))
        if family is not None and given is not None:
            family_given.update({(family, given), (given, family)})
        if given is not None and year is not None:
            given_year.add((given, year))
        if given is not None and place is not None:
            given_place.add((given, place))
    blocks = NameBlocks(
        frozenset(family_year),
        frozenset(family_given),
        frozenset(given_year),
        frozenset(given_place),
    )
    return blocks if blocks.size() <= MAX_CANDIDATE_VALUES else None


def register_candidates(uow: UnitOfWork, incoming: Sequence[Record]) -> Candidates:
    """The register's persons whom the model's blocking rules could pair with one of
    `incoming` (`name_blocks`), read through the stored name keys (`persons.family_key`,
    `given_key`) rather than the whole register. Persons with a confidential case are
    left out, as `register_records`."""
    return Candidates(
        records=register_records(uow, name_blocks(incoming)),
        population=uow.identity.count_for_linkage(),
    )


def dedupe_records(
    records: Sequence[Record],
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    model: LinkageModel | None = None,
) -> LinkResult:
    """The pairs within `records` at or above the threshold, with their evidence."""
    return _result("dedupe", model or shipped_model(), threshold, engine, records, None)


def link_with_register(
    uow: UnitOfWork,
    actor: Actor,
    path: Path,
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    model: LinkageModel | None = None,
) -> LinkResult:
    """Link a list with the persons RRMS holds: an audited read by `actor`."""
    authorize(actor, "persons", "read")
    listed = read_identity_list(path)
    register = register_records(uow)
    result = _result("link", model or shipped_model(), threshold, engine, listed.records, register)
    result.sources = {"left": listed.name, "right": "register"}
    result.warnings = list(listed.warnings)
    audit.record(
        uow,
        actor,
        "read",
        "persons",
        "linkage",
        after={
            "list": listed.name,
            "persons_compared": len(register),
            "persons_matched": sorted({pair.right for pair in result.pairs}),
            "model": result.model.label,
        },
    )
    uow.commit()
    return result


def matched(pairs: Iterable[LinkedPair]) -> set[str]:
    """Every reference that is in some pair."""
    return {ref for pair in pairs for ref in (pair.left, pair.right)}


def link_records(
    left: Sequence[Record],
    right: Sequence[Record],
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    model: LinkageModel | None = None,
    population: int | None = None,
) -> LinkResult:
    """The pairs of one record of `left` and one of `right` at or above the threshold,
    with their evidence: the link of records already read (the checks where records
    come in, `rrms.services.identity.checks`). `population`: the size of the register
    that `right` are the candidates of (`register_candidates`)."""
    return _result("link", model or shipped_model(), threshold, engine, left, right, population)
