"""The coded words RRMS stores, each defined once: roles, units, currencies, outcomes,
statuses and the upload limit.

Each closed list is a `Literal` type with its tuple of words drawn from it: request
models use the type, so the API's schema lists the words the services check; tables
and services use the tuple. Tables build their check constraints from these, services
check input against them, pages and reports translate them, docs list them, and tests
import them: a word added here is known everywhere at once, and no two places can
disagree.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Role = Literal[
    "screening_officer",
    "caseworker",
    "programme_manager",
    "counter_trafficking",
    "medical",
    "reporting",
    "administrator",
]
ROLES: Final[tuple[str, ...]] = get_args(Role)
"""Every user has exactly one of these roles (see docs/access.md)."""

Unit = Literal["counter_trafficking", "medical"]
CONFIDENTIAL_UNITS: Final[tuple[str, ...]] = get_args(Unit)
"""Roles that are also units owning confidential case types: only their own users see
those cases, not administrators, not in counts."""

Currency = Literal["EUR", "GBP", "CHF"]
CURRENCIES: Final[tuple[str, ...]] = get_args(Currency)
"""The currencies the bulletin's programmes paid in (ISO 4217)."""

Outcome = Literal["not_applicable", "accept", "review", "object"]
OUTCOMES: Final[tuple[str, ...]] = get_args(Outcome)
"""Screening outcomes, weakest first: an outcome's index is its code in the engine, and
a higher code is the stronger outcome (a family takes its strongest member's)."""

AssistanceStatus = Literal["requested", "approved", "paid", "refused"]
ASSISTANCE_STATUSES: Final[tuple[str, ...]] = get_args(AssistanceStatus)
ProjectStatus = Literal["approved", "ongoing", "completed"]
PROJECT_STATUSES: Final[tuple[str, ...]] = get_args(ProjectStatus)
ProjectScope = Literal["individual", "community"]
PROJECT_SCOPES: Final[tuple[str, ...]] = get_args(ProjectScope)
HousingStatus = Literal["assessed", "under_reconstruction", "finished", "handed_over"]
HOUSING_STATUSES: Final[tuple[str, ...]] = get_args(HousingStatus)
InformationRequestStatus = Literal["open", "answered", "closed"]
INFORMATION_REQUEST_STATUSES: Final[tuple[str, ...]] = get_args(InformationRequestStatus)
ConfidentialStatus = Literal["open", "assisted", "closed"]
CONFIDENTIAL_STATUSES: Final[tuple[str, ...]] = get_args(ConfidentialStatus)
CorrectionStatus = Literal["open", "corrected", "refused"]
CORRECTION_STATUSES: Final[tuple[str, ...]] = get_args(CorrectionStatus)
"""A person's request to correct what RRMS holds: open until corrected or refused."""

MAX_UPLOAD_BYTES: Final[int] = 200 * 1024 * 1024
"""The largest file any upload accepts (a screening list, a returns register), on the
web pages and the API alike: a list or register of a million persons is 120-150 MB."""

CONSENT_PURPOSES: Final[tuple[str, ...]] = (
    "case_management",
    "reintegration_assistance",
    "referral_to_partner",
    "research",
    "reporting",
)
"""What a person consented their data be used for (docs/data-protection.md): following
their case in RRMS, assistance under a programme, referral to a partner organisation
(a shelter, a health service, a municipality), research by a named institution, and
statistics in reports. A sharing export names one of them."""

DATA_CATEGORIES: Final[tuple[str, ...]] = (
    "identity",
    "demographics",
    "returns",
    "assistance",
    "projects",
    "documents",
)
"""The categories of a person's data a consent may cover (its scope): names and
references (identity); sex, birth year, community and place of origin (demographics);
arrivals (returns); reintegration assistance, projects and documents. Health and
counter-trafficking data (confidential cases) are never in any scope."""

SHARING_FORMATS: Final[tuple[str, ...]] = ("csv", "xlsx")
"""The file formats of a pseudonymised sharing export."""

DUPLICATE_STATUSES: Final[tuple[str, ...]] = ("open", "merged", "not_same")
"""Where a pair of probable duplicates in the register stands (docs/identity.md, *The
register deduplicated*): waiting for a caseworker, merged into one person, or marked
"not the same person" (never proposed again). Undoing a merge opens the pair again."""
