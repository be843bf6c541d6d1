"""Projects: the micro-businesses and community projects a programme funds, and their jobs.

The bulletin counts projects by status (approved, ongoing, completed), by economic
sector, as individual or community projects, by direct and indirect beneficiaries,
and by the long-term jobs created, held by returnees or by residents of the
receiving community. So each project records exactly those, with its grant and loan
as exact amounts, and moves only forward: approved → ongoing → completed, each step
dated (`started_on`, `completed_on`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from rrms.domain.messages import N_, Word
from rrms.domain.transitions import PROJECT_TRANSITIONS
from rrms.domain.vocabulary import PROJECT_SCOPES, PROJECT_STATUSES, ProjectScope, ProjectStatus
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import (
    check_dates_in_order,
    check_transition,
    clean_amount,
    clean_choice,
    clean_community,
    clean_currency,
    clean_date,
    clean_int,
    clean_municipality,
    clean_text,
    merged,
)
from rrms.services.core.records import RecordKind
from rrms.services.programmes.lookups import require_person, require_programme
from rrms.storage.tables import Project
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "ECONOMIC_GROUPS",
    "PROJECTS",
    "PROJECT_SCOPES",
    "PROJECT_STATUSES",
    "SECTORS",
    "ProjectScope",
    "ProjectStatus",
    "Sector",
    "TRANSITIONS",
    "jobs_created",
]

Sector = Literal[
    "agriculture",
    "production",
    "services",
    "trade",
    "construction",
    "employment_referral",
    "infrastructure",
    "other",
]
"""Economic sectors as the bulletin's programmes count them (VARRP's referrals to
employment, construction, services and agriculture; CSP's and SEDMIN's production,
services and trade; the community infrastructure of balancing projects)."""
SECTORS: tuple[str, ...] = get_args(Sector)

ECONOMIC_GROUPS: dict[str, tuple[str, ...]] = {
    "production": ("agriculture", "production", "construction"),
    "services": ("services", "employment_referral"),
    "trade": ("trade",),
    "community infrastructure": ("infrastructure",),
    "other": ("other",),
}
"""How the sectors add up to CSP's and SEDMIN's production / services / trade split;
'agricultural' (RSMC, SEDMIN) is the agriculture sector alone."""

TRANSITIONS = PROJECT_TRANSITIONS
"""A project moves one step forward at a time (`rrms.domain.transitions`)."""

_STATUS_DATE = {"ongoing": "started_on", "completed": "completed_on"}
_DATES = ("approved_on", "started_on", "completed_on")
_DATE_FROM = {"started_on": "ongoing", "completed_on": "completed"}


def jobs_created(jobs_returnees: int, jobs_residents: int) -> int:
    """The long-term jobs a project created: those held by returnees and by residents."""
    return jobs_returnees + jobs_residents


def _clean(values: dict[str, Any], creating: bool) -> None:
    clean_text(values, "name", 300, required=creating, nullable=False)
    clean_choice(values, "sector", SECTORS, required=creating)
    clean_choice(values, "scope", PROJECT_SCOPES, required=creating)
    clean_choice(values, "status", PROJECT_STATUSES)
    clean_municipality(values, "municipality")
    clean_text(values, "settlement", 200)
    clean_community(values, "beneficiary_community")
    for name in (
        "direct_beneficiaries",
        "indirect_beneficiaries",
        "jobs_returnees",
        "jobs_residents",
    ):
        clean_int(values, name)
    for prefix in ("grant", "loan"):
        clean_amount(values, f"{prefix}_amount")
        clean_currency(values, f"{prefix}_currency")
    for name in _DATES:
        clean_date(values, name, nullable=name != "approved_on")


def _check_consistent(values: dict[str, Any]) -> None:
    """Invariants of a whole project: money has a currency, dates fit the status."""
    for prefix in ("grant", "loan"):
        amount, currency = values.get(f"{prefix}_amount"), values.get(f"{prefix}_currency")
        if (amount is None) != (currency is None):
            field = f"{prefix}_currency" if currency is None else f"{prefix}_amount"
            raise Invalid(
                N_("a {prefix} needs both an amount and a currency", prefix=prefix), field
            )
    status = values.get("status", "approved")
    reached = PROJECT_STATUSES[: PROJECT_STATUSES.index(status) + 1]
    for name, needs in _DATE_FROM.items():
        if values.get(name) is not None and needs not in reached:
            raise Invalid(
                N_(
                    "{name} is recorded once the project is {needs}",
                    name=Word(name, name.replace("_", " ")),
                    needs=needs,
                ),
                name,
            )
    own = _STATUS_DATE.get(status)
    if own is not None and values.get(own) is None:
        raise Invalid(
            N_(
                "a {status} project needs its {own}",
                status=Word(status),
                own=Word(own, own.replace("_", " ")),
            ),
            own,
        )
    check_dates_in_order(values, _DATES)


def _check_people(uow: UnitOfWork, programme_id: Any, person_id: Any) -> None:
    """The programme and person exist, and no person is named under a confidential one."""
    programme = require_programme(uow, programme_id)
    if person_id is not None:
        require_person(uow, person_id)
        if programme.confidential_unit is not None:
            raise Invalid(
                N_(
                    "{programme_code}'s beneficiaries are confidential: record the project "
                    "without a person",
                    programme_code=programme.code,
                ),
                "person_id",
            )


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    _check_people(uow, values.get("programme_id"), values.get("person_id"))
    _clean(values, creating=True)
    values.setdefault("status", "approved")
    values.setdefault("approved_on", dt.date.today())
    for name in (
        "direct_beneficiaries",
        "indirect_beneficiaries",
        "jobs_returnees",
        "jobs_residents",
    ):
        values.setdefault(name, 0)
    _check_consistent(values)


def _check_update(uow: UnitOfWork, actor: Actor, row: Project, changes: dict[str, Any]) -> None:
    if "programme_id" in changes or changes.get("person_id") is not None:
        final = merged(row, changes)
        _check_people(uow, final["programme_id"], final["person_id"])
    _clean(changes, creating=False)
    new_status = changes.get("status", row.status)
    check_transition("a project", TRANSITIONS, row.status, new_status)
    own = _STATUS_DATE.get(new_status)
    if new_status != row.status and own is not None and changes.get(own) is None:
        changes[own] = dt.date.today()
    _check_consistent(merged(row, changes))


PROJECTS: RecordKind[Project] = RecordKind(
    entity="projects",
    table=Project,
    filterable=(
        "programme_id",
        "status",
        "sector",
        "scope",
        "municipality",
        "beneficiary_community",
        "person_id",
    ),
    check_create=_check_create,
    check_update=_check_update,
)
"""Projects: programme managers record them and move them forward."""
