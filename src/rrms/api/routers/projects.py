"""/projects: micro-business and community projects, their beneficiaries and jobs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, computed_field

from rrms.api.contract import UtcDateTime
from rrms.api.crud import VersionedUpdate, crud_router
from rrms.api.routers.programmes import (
    Amount,
    Body,
    Count,
    Id,
    MunicipalityFilter,
    bounded,
)
from rrms.domain.vocabulary import Currency
from rrms.services.programmes import projects
from rrms.services.programmes.projects import ProjectScope, ProjectStatus, Sector

Name = Annotated[str, Field(min_length=1, max_length=300)]


class ProjectFields(Body):
    """Fields of a project (values are checked again by the service)."""

    municipality: Annotated[str, Field(max_length=80)] | None = Field(
        None, description="Any spelling; stored as the KAS code"
    )
    settlement: Annotated[str, Field(max_length=200)] | None = None
    beneficiary_community: Annotated[str, Field(max_length=60)] | None = None
    direct_beneficiaries: Count | None = None
    indirect_beneficiaries: Count | None = None
    jobs_returnees: Count | None = Field(None, description="Long-term jobs held by returnees")
    jobs_residents: Count | None = Field(None, description="Jobs held by residents")
    grant_amount: Amount | None = None
    grant_currency: Currency | None = None
    loan_amount: Amount | None = None
    loan_currency: Currency | None = None
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    person_id: Id | None = None


class ProjectCreate(ProjectFields):
    """A new project; it starts as approved unless its later dates are given."""

    programme_id: Id
    name: Name
    sector: Sector
    scope: ProjectScope
    status: ProjectStatus | None = None
    approved_on: dt.date | None = Field(None, description="Default: today")


class ProjectUpdate(VersionedUpdate, ProjectFields):
    """Changes to a project; status only moves forward (approved → ongoing → completed)."""

    programme_id: Id | None = None
    name: Name | None = None
    sector: Sector | None = None
    scope: ProjectScope | None = None
    status: ProjectStatus | None = None
    approved_on: dt.date | None = None


class ProjectRead(BaseModel):
    """A project as stored, with the jobs it created."""

    id: int
    version: int
    programme_id: int
    name: str
    sector: str
    scope: str
    status: str
    municipality: str | None
    settlement: str | None
    beneficiary_community: str | None
    direct_beneficiaries: int
    indirect_beneficiaries: int
    jobs_returnees: int
    jobs_residents: int
    grant_amount: Decimal | None
    grant_currency: str | None
    loan_amount: Decimal | None
    loan_currency: str | None
    approved_on: dt.date
    started_on: dt.date | None
    completed_on: dt.date | None
    person_id: int | None
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def jobs_total(self) -> int:
        """Long-term jobs created: held by returnees plus by residents."""
        return projects.jobs_created(self.jobs_returnees, self.jobs_residents)


class ProjectFilter(Body):
    """Exact-value filters for listing projects."""

    programme_id: Id | None = None
    status: ProjectStatus | None = None
    sector: Sector | None = None
    scope: ProjectScope | None = None
    municipality: MunicipalityFilter | None = None
    beneficiary_community: Annotated[str, Field(max_length=20)] | None = None
    person_id: Id | None = None


ROUTERS = [
    bounded(
        crud_router(projects.PROJECTS, ProjectCreate, ProjectUpdate, ProjectRead, ProjectFilter)
    )
]
