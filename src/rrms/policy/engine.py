"""Evaluate a whole notification list against a policy version in one vectorised pass.

Following OpenFisca's habit, the engine works on columns, not on persons: every fact is
a NumPy array over the list, every condition yields a three-valued array (1 true,
0 false, -1 unknown), and clause C (family unity) is applied with per-family counts.
A million persons take well under a second. The engine knows nothing of files or
databases: `PopulationFacts` is filled by the screening service.

Reading of the policy (shared/spec/screening.md):

* A clause's alternative is a chain of conditions read as a Kleene AND: false if any
  condition is known false, true if all are true, else unknown. The question an officer
  is asked for an unknown chain is the *first* unknown condition in the chain, so a
  follow-up question (treatment availability, the settlement) is only asked once the
  question before it has been answered yes.
* A clause is the Kleene OR of its alternatives.
* A forced returnee from Kosovo is `object` when a clause applies, `review` when none
  applies but one is unknown, `accept` otherwise; `not_applicable` if not from Kosovo.
* Voluntary returns (clause D): `accept` with informed consent, else `review`, the
  applying A/B clauses reported for counselling.
* Family unity (clause C): an `object` member makes every other member from Kosovo
  `object`, a `review` member makes `accept` members `review`, except members with a
  best-interests determination for separation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rrms.domain.vocabulary import OUTCOMES
from rrms.policy.facts import (
    CATEGORICAL_FACTS,
    MISSING_BIT,
    UNKNOWN,
    YES,
    AreaState,
)
from rrms.policy.versions import Clause, Condition, PolicyVersion

Int8Array = npt.NDArray[np.int8]
Int32Array = npt.NDArray[np.int32]
UInt32Array = npt.NDArray[np.uint32]
BoolArray = npt.NDArray[np.bool_]

NOT_APPLICABLE, ACCEPT, REVIEW, OBJECT = 0, 1, 2, 3

FAMILY_EFFECT_NONE, FAMILY_EFFECT_OBJECT, FAMILY_EFFECT_REVIEW = 0, 1, 2

VOLUNTARY = 1


@dataclass
class PopulationFacts:
    """A notification list as columns, coded as `rrms.policy.facts` describes.

    `facts` holds one int8 array per yes/no and categorical fact; `family` numbers the
    family units 0..F-1; `birth_latest` is the latest possible birth day as YYYYMMDD
    (0 when unknown); `caregiver_of` is the row index of the cared-for person or -1;
    `area_majority` is the majority community code of the area of origin (or
    `MIXED_AREA`), valid where `area_state` is `AreaState.KNOWN`.
    """

    family: Int32Array
    facts: dict[str, Int8Array]
    return_type: Int8Array
    birth_latest: Int32Array
    caregiver_of: Int32Array
    not_kosovo: BoolArray
    area_majority: Int8Array
    area_state: Int8Array

    @property
    def size(self) -> int:
        """Number of persons on the list."""
        return int(self.family.shape[0])

    @property
    def family_count(self) -> int:
        """Number of family units."""
        return int(self.family.max()) + 1 if self.size else 0


@dataclass
class ScreeningResult:
    """The engine's recommendation for every person and family, as columns.

    Bit i of `clauses` and `unresolved` stands for `policy.clauses[i]`; `missing` uses
    `rrms.policy.facts.MISSING_BIT`. `family_effect` says whether clause C changed the
    person's outcome (to object or to review).
    """

    policy: PolicyVersion
    as_of: dt.date
    outcome: Int8Array
    clauses: UInt32Array
    unresolved: UInt32Array
    missing: UInt32Array
    family_effect: Int8Array
    family_outcome: Int8Array

    def summary(self) -> dict[str, int]:
        """Number of persons per outcome."""
        counts = np.bincount(self.outcome, minlength=len(OUTCOMES))
        return {name: int(counts[code]) for code, name in enumerate(OUTCOMES)}


@dataclass
class _Tri:
    """A three-valued column and, where unknown, the facts an officer must supply."""

    value: Int8Array
    missing: UInt32Array


def _tri(known_true: BoolArray, unknown: BoolArray, missing_bit: int | UInt32Array) -> _Tri:
    value = np.where(unknown, np.int8(UNKNOWN), known_true.astype(np.int8)).astype(np.int8)
    missing = np.where(unknown, np.uint32(0) + missing_bit, np.uint32(0)).astype(np.uint32)
    return _Tri(value, missing)


class _Evaluator:
    """Evaluates one policy version's conditions over one population."""

    def __init__(self, policy: PolicyVersion, facts: PopulationFacts, as_of: dt.date):
        self.policy = policy
        self.facts = facts
        self.as_of = as_of
        self._family_size = np.bincount(facts.family, minlength=facts.family_count)
        self._own_clause_value: dict[str, _Tri] = {}

    def condition(self, cond: Condition, clause: Clause) -> _Tri:
        """Evaluate one condition for every person."""
        if cond.fact is not None:
            column = self.facts.facts[cond.fact]
            unknown = column == UNKNOWN
            if cond.is_value is not None:
                target = YES if cond.is_value == "yes" else 0
                return _tri(column == target, unknown, MISSING_BIT[cond.fact])
            codes = [CATEGORICAL_FACTS[cond.fact].code(v) for v in cond.in_values]
            return _tri(np.isin(column, codes), unknown, MISSING_BIT[cond.fact])
        return getattr(self, f"_derived_{cond.derived}")(clause)  # type: ignore[no-any-return]

    def _derived_unaccompanied(self, clause: Clause) -> _Tri:
        alone = self._family_size[self.facts.family] == 1
        return _tri(alone, np.zeros_like(alone), 0)

    def _derived_elderly(self, clause: Clause) -> _Tri:
        born = self.facts.birth_latest.astype(np.int64)
        as_of = self.as_of.year * 10000 + self.as_of.month * 100 + self.as_of.day
        elderly = born + self.policy.elderly_age * 10000 <= as_of
        return _tri(elderly, born == 0, MISSING_BIT["birth_date"])

    def _derived_minority_in_origin(self, clause: Clause) -> _Tri:
        community = self.facts.facts["community"]
        state = self.facts.area_state
        minority = community != self.facts.area_majority
        missing = np.select(
            [state == AreaState.MUNICIPALITY_UNKNOWN, state == AreaState.SETTLEMENT_NEEDED],
            [MISSING_BIT["origin_municipality"], MISSING_BIT["origin_settlement"]],
            MISSING_BIT["community"],
        ).astype(np.uint32)
        unknown = (state != AreaState.KNOWN) | (community == UNKNOWN)
        return _tri(minority, unknown, missing)

    def _derived_caregiver_of_person_under_this_clause(self, clause: Clause) -> _Tri:
        own = self._own_clause_value[clause.id].value
        target = self.facts.caregiver_of
        has_target = target >= 0
        cared = np.where(has_target, own[np.where(has_target, target, 0)], np.int8(0))
        return _Tri(cared.astype(np.int8), np.zeros(self.facts.size, dtype=np.uint32))

    def chain(self, conditions: tuple[Condition, ...], clause: Clause) -> _Tri:
        """Kleene AND of a chain, asking for its first unknown condition."""
        n = self.facts.size
        any_false = np.zeros(n, dtype=bool)
        all_true = np.ones(n, dtype=bool)
        missing = np.zeros(n, dtype=np.uint32)
        asked = np.zeros(n, dtype=bool)
        for cond in conditions:
            tri = self.condition(cond, clause)
            any_false |= tri.value == 0
            all_true &= tri.value == 1
            unknown = tri.value == UNKNOWN
            first = unknown & ~asked
            missing |= np.where(first, tri.missing, np.uint32(0)).astype(np.uint32)
            asked |= unknown
        value = np.where(any_false, np.int8(0), np.where(all_true, np.int8(1), np.int8(UNKNOWN)))
        return _Tri(value.astype(np.int8), np.where(value == UNKNOWN, missing, 0).astype(np.uint32))

    def clause(self, clause: Clause) -> _Tri:
        """Kleene OR of a clause's alternatives."""
        n = self.facts.size
        plain = [c for c in clause.when if not any(x.derived == _CAREGIVER for x in c)]
        relayed = [c for c in clause.when if any(x.derived == _CAREGIVER for x in c)]
        own = self._or([self.chain(c, clause) for c in plain], n)
        self._own_clause_value[clause.id] = own
        if not relayed:
            return own
        return self._or([own] + [self.chain(c, clause) for c in relayed], n)

    @staticmethod
    def _or(parts: list[_Tri], n: int) -> _Tri:
        any_true = np.zeros(n, dtype=bool)
        any_unknown = np.zeros(n, dtype=bool)
        missing = np.zeros(n, dtype=np.uint32)
        for part in parts:
            any_true |= part.value == 1
            unknown = part.value == UNKNOWN
            any_unknown |= unknown
            missing |= np.where(unknown, part.missing, np.uint32(0)).astype(np.uint32)
        value = np.where(any_true, np.int8(1), np.where(any_unknown, np.int8(UNKNOWN), np.int8(0)))
        return _Tri(value.astype(np.int8), np.where(value == UNKNOWN, missing, 0).astype(np.uint32))


_CAREGIVER = "caregiver_of_person_under_this_clause"


def _clause_bit(policy: PolicyVersion, clause_id: str) -> int:
    return 1 << [c.id for c in policy.clauses].index(clause_id)


def evaluate(policy: PolicyVersion, facts: PopulationFacts, as_of: dt.date) -> ScreeningResult:
    """Screen every person of `facts` against `policy` on the date `as_of`."""
    if not policy.in_force_on(as_of):
        raise ValueError(f"policy {policy.id} is not in force on {as_of.isoformat()}")
    n = facts.size
    evaluator = _Evaluator(policy, facts, as_of)
    applies = np.zeros(n, dtype=np.uint32)
    unresolved = np.zeros(n, dtype=np.uint32)
    missing = np.zeros(n, dtype=np.uint32)
    for clause in policy.objection_clauses:
        tri = evaluator.clause(clause)
        bit = np.uint32(_clause_bit(policy, clause.id))
        applies |= np.where(tri.value == 1, bit, np.uint32(0)).astype(np.uint32)
        unknown = tri.value == UNKNOWN
        unresolved |= np.where(unknown, bit, np.uint32(0)).astype(np.uint32)
        missing |= np.where(unknown, tri.missing, np.uint32(0)).astype(np.uint32)

    outcome = np.where(applies != 0, OBJECT, np.where(unresolved != 0, REVIEW, ACCEPT))
    outcome = outcome.astype(np.int8)
    missing = np.where(outcome == REVIEW, missing, np.uint32(0)).astype(np.uint32)
    clauses = applies.copy()

    if policy.has_clause("D"):
        voluntary = facts.return_type == VOLUNTARY
        consent = facts.facts["informed_consent"] == YES
        outcome[voluntary] = np.where(consent[voluntary], ACCEPT, REVIEW)
        clauses[voluntary] |= np.uint32(_clause_bit(policy, "D"))
        unresolved[voluntary] = 0
        missing[voluntary] = np.where(consent[voluntary], 0, MISSING_BIT["informed_consent"])

    outcome[facts.not_kosovo] = NOT_APPLICABLE
    for column in (clauses, unresolved, missing):
        column[facts.not_kosovo] = 0

    family_effect = np.zeros(n, dtype=np.int8)
    if policy.has_clause("C") and n:
        _apply_family_unity(policy, facts, outcome, clauses, missing, family_effect)

    family_outcome = np.zeros(facts.family_count, dtype=np.int8)
    np.maximum.at(family_outcome, facts.family, outcome)
    return ScreeningResult(
        policy=policy,
        as_of=as_of,
        outcome=outcome,
        clauses=clauses,
        unresolved=unresolved,
        missing=missing,
        family_effect=family_effect,
        family_outcome=family_outcome,
    )


def _apply_family_unity(
    policy: PolicyVersion,
    facts: PopulationFacts,
    outcome: Int8Array,
    clauses: UInt32Array,
    missing: UInt32Array,
    family_effect: Int8Array,
) -> None:
    """Clause C, in place: no family is split, unless in the best interests of the child."""
    families = facts.family_count
    family = facts.family
    is_object = outcome == OBJECT
    has_object = np.bincount(family, weights=is_object, minlength=families) > 0
    has_review = np.bincount(family, weights=outcome == REVIEW, minlength=families) > 0
    object_clauses = np.zeros(families, dtype=np.uint32)
    np.bitwise_or.at(object_clauses, family[is_object], clauses[is_object])
    object_clauses &= ~np.uint32(_clause_bit(policy, "D") if policy.has_clause("D") else 0)

    separable = facts.facts["best_interests_separation"] == YES
    may_follow = ~facts.not_kosovo & ~separable
    c_bit = np.uint32(_clause_bit(policy, "C"))

    to_object = may_follow & has_object[family] & ~is_object
    outcome[to_object] = OBJECT
    clauses[to_object] |= c_bit | object_clauses[family[to_object]]
    missing[to_object] = 0
    family_effect[to_object] = FAMILY_EFFECT_OBJECT

    to_review = may_follow & ~has_object[family] & has_review[family] & (outcome == ACCEPT)
    outcome[to_review] = REVIEW
    clauses[to_review] |= c_bit
    family_effect[to_review] = FAMILY_EFFECT_REVIEW
