"""An officer's decision beside the engine's recommendation, and a list's progress.

The engine recommends; an officer decides. A decision that differs from the
recommendation (an override) must carry a written reason, so that every departure
from the policy's answer can be explained later. A list's progress counts, for each
outcome, the persons recommended it and the persons decided it, how many still wait
and how many were overridden.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rrms.domain.vocabulary import OUTCOMES

__all__ = ["Progress", "reason_missing", "tally", "written_reason"]


def written_reason(reason: str | None) -> str | None:
    """The reason as stored: trimmed, and None when nothing but blanks was written."""
    return (reason or "").strip() or None


def reason_missing(decision: str, recommendation: str, reason: str | None) -> bool:
    """Whether this decision overrides the recommendation without a written reason."""
    return decision != recommendation and written_reason(reason) is None


@dataclass(frozen=True)
class Progress:
    """How far the officers are with a list: recommendations and decisions by outcome."""

    recommended: dict[str, int]
    decided: dict[str, int]
    undecided: int
    overridden: int
    """Decisions that differ from the recommendation (each with its written reason)."""


def tally(counts: Iterable[tuple[str, str | None, int]]) -> Progress:
    """A list's progress from the number of persons with each (recommendation,
    decision) pair, the decision None while undecided; every outcome is counted, zero
    where none."""
    recommended = dict.fromkeys(OUTCOMES, 0)
    decided = dict.fromkeys(OUTCOMES, 0)
    undecided = overridden = 0
    for recommendation, decision, count in counts:
        recommended[recommendation] += count
        if decision is None:
            undecided += count
        else:
            decided[decision] += count
            if decision != recommendation:
                overridden += count
    return Progress(recommended, decided, undecided, overridden)
