"""Build engine input straight from short person descriptions, without a file.

Each person is a dict of manifest-like answers ("yes"/"no"/None, community words,
birth dates as text) plus a few test-only keys: `ref`, `family`, `area` (the majority
community of the area of origin, "mixed", None for unknown, or "settlement_needed"),
and `not_kosovo`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from rrms.domain.partial_date import PartialDate
from rrms.policy.engine import PopulationFacts, ScreeningResult, evaluate
from rrms.policy.explain import Explainer
from rrms.policy.facts import (
    CATEGORICAL_FACTS,
    COMMUNITY,
    MIXED_AREA,
    RETURN_TYPE,
    UNKNOWN,
    YES_NO_FACTS,
    AreaState,
    missing_names,
)
from rrms.policy.versions import PolicyCatalogue, PolicyVersion

AS_OF = dt.date(2004, 11, 15)


def answered(**overrides: Any) -> dict[str, Any]:
    """An Albanian adult from an Albanian-majority area with every question answered no."""
    person: dict[str, Any] = {
        "community": "albanian",
        "area": "albanian",
        "birth_date": "1975-03-14",
        "return_type": "forced",
        "protection_problems": "no",
        "mixed_marriage": "no",
        "mixed_ethnicity": "no",
        "perceived_association": "no",
        "severe_illness": "no",
        "severe_mental_illness": "no",
        "severe_handicap": "no",
        "support_in_kosovo": "yes",
    }
    person.update(overrides)
    return person


def blank(**overrides: Any) -> dict[str, Any]:
    """A person about whom nothing is known but that they are a forced returnee."""
    person: dict[str, Any] = {"return_type": "forced"}
    person.update(overrides)
    return person


def build(people: list[dict[str, Any]]) -> PopulationFacts:
    """Code a list of person descriptions as the engine's columns."""
    refs = [p.get("ref", f"P{i}") for i, p in enumerate(people)]
    labels: dict[str, int] = {}
    family = []
    for ref, p in zip(refs, people, strict=True):
        key = p.get("family") or f"own:{ref}"
        family.append(labels.setdefault(key, len(labels)))
    facts: dict[str, np.ndarray] = {}
    for name in YES_NO_FACTS:
        facts[name] = np.array(
            [{"yes": 1, "no": 0, None: UNKNOWN}[p.get(name)] for p in people], dtype=np.int8
        )
    for name, fact in CATEGORICAL_FACTS.items():
        facts[name] = np.array(
            [fact.code(p[name]) if p.get(name) else UNKNOWN for p in people], dtype=np.int8
        )
    births = []
    for p in people:
        text = p.get("birth_date")
        latest = PartialDate.parse(text).latest() if text else None
        births.append(latest.year * 10000 + latest.month * 100 + latest.day if latest else 0)
    majority, state = [], []
    for p in people:
        area = p.get("area")
        if area is None:
            majority.append(UNKNOWN)
            state.append(AreaState.MUNICIPALITY_UNKNOWN)
        elif area == "settlement_needed":
            majority.append(UNKNOWN)
            state.append(AreaState.SETTLEMENT_NEEDED)
        else:
            majority.append(MIXED_AREA if area == "mixed" else COMMUNITY.code(area))
            state.append(AreaState.KNOWN)
    position = {ref: i for i, ref in enumerate(refs)}
    return PopulationFacts(
        family=np.array(family, dtype=np.int32),
        facts=facts,
        return_type=np.array(
            [RETURN_TYPE.code(p.get("return_type", "forced")) for p in people], dtype=np.int8
        ),
        birth_latest=np.array(births, dtype=np.int32),
        caregiver_of=np.array(
            [position[p["caregiver_of"]] if p.get("caregiver_of") else -1 for p in people],
            dtype=np.int32,
        ),
        not_kosovo=np.array([bool(p.get("not_kosovo")) for p in people], dtype=bool),
        area_majority=np.array(majority, dtype=np.int8),
        area_state=np.array(state, dtype=np.int8),
    )


def policy_2004() -> PolicyVersion:
    """The bundled 2004 version."""
    return PolicyCatalogue.bundled().get("unmik-orc-2004-08")


def screen(
    people: list[dict[str, Any]], as_of: dt.date = AS_OF, policy: PolicyVersion | None = None
) -> ScreeningResult:
    """Run the engine over the described people."""
    return evaluate(policy or policy_2004(), build(people), as_of)


def outcomes(result: ScreeningResult) -> list[dict[str, Any]]:
    """Per person: outcome, clause ids, missing facts and explanation, as plain values."""
    from rrms.domain.vocabulary import OUTCOMES

    explainer = Explainer(result.policy)
    rows = []
    for i in range(result.outcome.shape[0]):
        key = (
            int(result.outcome[i]),
            int(result.clauses[i]),
            int(result.unresolved[i]),
            int(result.missing[i]),
            int(result.family_effect[i]),
        )
        rows.append(
            {
                "outcome": OUTCOMES[key[0]],
                "clauses": explainer.clause_ids(key[1]),
                "missing": missing_names(key[3]),
                "explanation": explainer.explain(*key),
            }
        )
    return rows


def one(person: dict[str, Any], as_of: dt.date = AS_OF) -> dict[str, Any]:
    """Screen a single person (a family of one) and return their plain result."""
    return outcomes(screen([person], as_of))[0]
