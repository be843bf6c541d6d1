"""The columns of a sending state's notification list, in one place.

Screening reads them, record linkage reads them plus its own three, and the screening
benchmark writes them: one tuple, so the three cannot disagree.
"""

from __future__ import annotations

from typing import Final

MANIFEST_COLUMNS: Final[tuple[str, ...]] = (
    "person_ref",
    "family_ref",
    "family_name",
    "given_name",
    "father_name",
    "sex",
    "birth_date",
    "relationship",
    "community",
    "origin_country",
    "origin_municipality",
    "origin_settlement",
    "return_type",
    "sending_country",
    "protection_problems",
    "mixed_marriage",
    "mixed_ethnicity",
    "perceived_association",
    "severe_illness",
    "severe_mental_illness",
    "treatment_availability",
    "severe_handicap",
    "support_availability",
    "caregiver_of",
    "support_in_kosovo",
    "best_interests_separation",
    "informed_consent",
    "notes",
)
"""The columns of a notification list (docs/formats.md), in the manifest spec's order."""
