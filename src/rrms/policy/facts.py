"""The facts the screening engine reads, and how they are coded for whole-list evaluation.

Facts are three-valued. Every fact column is an ``int8`` array with ``UNKNOWN`` (-1) for
a blank answer: a yes/no fact is 1 for yes and 0 for no; a categorical fact holds the
index of its value in the fact's category tuple. Unknown is never read as "no": each
clause evaluates to true, false or unknown (Kleene logic), so a blank can only lead to
``review``.
"""

from __future__ import annotations

from dataclasses import dataclass

UNKNOWN = -1
YES = 1
NO = 0


@dataclass(frozen=True)
class CategoricalFact:
    """A fact whose answer is one of a fixed set of words (blank: unknown)."""

    name: str
    categories: tuple[str, ...]

    def code(self, value: str) -> int:
        """The integer code of `value`, as stored in the fact's column."""
        return self.categories.index(value)


COMMUNITY = CategoricalFact(
    "community",
    (
        "albanian",
        "serb",
        "roma",
        "ashkali",
        "egyptian",
        "bosniak",
        "gorani",
        "turk",
        "croat",
        "montenegrin",
        "other",
    ),
)
"""Communities as the screening policy names them (manifest.md's `community` column)."""

MIXED_AREA = len(COMMUNITY.categories)
"""Code of an area with no single majority community (e.g. Novo Brdo in 2004)."""

TREATMENT_AVAILABILITY = CategoricalFact(
    "treatment_availability", ("available", "rarely", "unavailable")
)
SUPPORT_AVAILABILITY = CategoricalFact("support_availability", ("available", "unavailable"))
RETURN_TYPE = CategoricalFact("return_type", ("forced", "voluntary"))

CATEGORICAL_FACTS: dict[str, CategoricalFact] = {
    fact.name: fact for fact in (COMMUNITY, TREATMENT_AVAILABILITY, SUPPORT_AVAILABILITY)
}

YES_NO_FACTS: tuple[str, ...] = (
    "protection_problems",
    "mixed_marriage",
    "mixed_ethnicity",
    "perceived_association",
    "severe_illness",
    "severe_mental_illness",
    "severe_handicap",
    "support_in_kosovo",
    "best_interests_separation",
    "informed_consent",
)

MISSABLE_FACTS: tuple[str, ...] = (
    "community",
    "origin_municipality",
    "origin_settlement",
    "birth_date",
    "protection_problems",
    "mixed_marriage",
    "mixed_ethnicity",
    "perceived_association",
    "severe_illness",
    "severe_mental_illness",
    "treatment_availability",
    "severe_handicap",
    "support_availability",
    "support_in_kosovo",
    "informed_consent",
)
"""Every fact that a `review` can ask for, in the order questions are listed.

Bit ``i`` of a person's missing-facts mask stands for ``MISSABLE_FACTS[i]``. The names
are the column names of manifest.md, so an officer knows which cell to fill in.
"""

MISSING_BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(MISSABLE_FACTS)}


def missing_names(mask: int) -> list[str]:
    """Decode a missing-facts bit mask into column names, in questionnaire order."""
    return [name for i, name in enumerate(MISSABLE_FACTS) if mask >> i & 1]


class AreaState:
    """Why a person's area of origin is or is not known, for clause A2."""

    KNOWN = 0
    MUNICIPALITY_UNKNOWN = 1
    SETTLEMENT_NEEDED = 2
