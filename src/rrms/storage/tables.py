"""The database tables, one class per domain concept (a `Person` is the `persons` table).

Every case record carries `version` (optimistic locking: a save based on an old
version is refused, never silently overwriting) and creation/update times. Money is an
exact amount with its currency; partial dates are stored as their ISO text
(`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) beside a year for searching.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from rrms.domain.vocabulary import (
    ASSISTANCE_STATUSES,
    CONFIDENTIAL_STATUSES,
    CONFIDENTIAL_UNITS,
    CONSENT_PURPOSES,
    CORRECTION_STATUSES,
    CURRENCIES,
    DUPLICATE_STATUSES,
    HOUSING_STATUSES,
    INFORMATION_REQUEST_STATUSES,
    OUTCOMES,
    PROJECT_SCOPES,
    PROJECT_STATUSES,
    ROLES,
    SHARING_FORMATS,
)
from rrms.reference.identity import name_keys

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Versioned:
    """Columns every case record has: optimistic-lock version and timestamps.

    SQLAlchemy checks `version` in the WHERE clause of every UPDATE and raises
    `StaleDataError` when another save came first.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]

    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


# --- access and audit -------------------------------------------------------------


class User(Base):
    """A person who signs in; their role decides what they may see and do."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(40), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="en")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class AuditEntry(Base):
    """One audited read or write; each entry carries the hash of the previous one.

    Database triggers refuse UPDATE and DELETE on this table, and `rrms audit verify`
    recomputes the chain, so tampering is detectable.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("uq_audit_log_prev_hash", "prev_hash", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(80), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(80), nullable=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


# --- persons and families -----------------------------------------------------------


class Person(Versioned, Base):
    """A returnee or a person on a notification list."""

    __tablename__ = "persons"
    __table_args__ = (
        Index("ix_persons_search", "search_key"),
        Index("ix_persons_origin", "origin_municipality"),
        # the persons list: by family name, and by family name within a municipality
        Index("ix_persons_family_name", "family_name", "id"),
        Index("ix_persons_origin_family_name", "origin_municipality", "family_name", "id"),
        # the checks where persons come in read only those whose names could match
        Index("ix_persons_family_key", "family_key"),
        Index("ix_persons_given_key", "given_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    family_name: Mapped[str] = mapped_column(String(200), nullable=False)
    given_name: Mapped[str] = mapped_column(String(200), nullable=False)
    father_name: Mapped[str | None] = mapped_column(String(200))
    search_key: Mapped[str] = mapped_column(String(600), nullable=False)
    family_key: Mapped[str | None] = mapped_column(String(200))
    given_key: Mapped[str | None] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer, index=True)
    community: Mapped[str | None] = mapped_column(String(20))
    origin_municipality: Mapped[str | None] = mapped_column(String(2))
    origin_settlement: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    memberships: Mapped[list[FamilyMember]] = relationship(back_populates="person")
    documents: Mapped[list[Document]] = relationship(back_populates="person")


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _person_name_keys(_mapper: Any, _connection: Any, person: Person) -> None:
    """Keep a person's name keys in step with their names on every write through the
    ORM (the register import's bulk writer sets them itself)."""
    person.family_key, person.given_key = name_keys(person.family_name, person.given_name)


class Family(Versioned, Base):
    """A family unit (clause C of the screening policy keeps it together)."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_ref: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)

    members: Mapped[list[FamilyMember]] = relationship(
        back_populates="family", cascade="all, delete-orphan"
    )


RELATIONSHIPS = (
    "head",
    "spouse",
    "child",
    "parent",
    "sibling",
    "grandchild",
    "grandparent",
    "other_relative",
    "caregiver",
    "other",
)


class FamilyMember(Base):
    """A person's place in a family, with their relationship to its head."""

    __tablename__ = "family_members"
    __table_args__ = (CheckConstraint(_in("relationship", RELATIONSHIPS), name="relationship"),)

    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    relationship_to_head: Mapped[str] = mapped_column(
        "relationship", String(20), nullable=False, default="other"
    )

    family: Mapped[Family] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(back_populates="memberships")


class Document(Versioned, Base):
    """An identity or travel document of a person."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    number: Mapped[str | None] = mapped_column(String(80))
    issued_by: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="documents")


# --- programmes ---------------------------------------------------------------------


class Programme(Versioned, Base):
    """A returns or reintegration programme with donors, eligibility and a cap."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    donors: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    objectives: Mapped[str] = mapped_column(Text, nullable=False, default="")
    eligible_communities: Mapped[list[str] | None] = mapped_column(JSON)
    eligible_sending_countries: Mapped[list[str] | None] = mapped_column(JSON)
    cap_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    cap_currency: Mapped[str | None] = mapped_column(String(3))
    confidential_unit: Mapped[str | None] = mapped_column(String(40))


# --- returns and screening ------------------------------------------------------------

RETURN_TYPES = ("voluntary", "forced")
TRANSPORT_MODES = ("air", "land")


class Return(Versioned, Base):
    """One arrival in Kosovo (shared/spec/returns.md); a person may return more than once."""

    __tablename__ = "returns"
    __table_args__ = (
        CheckConstraint(_in("return_type", RETURN_TYPES), name="return_type"),
        CheckConstraint(_in("transport_mode", TRANSPORT_MODES), name="transport_mode"),
        Index("ix_returns_arrival", "arrival_date"),
        # the arrivals list filtered by sending country, newest first
        Index("ix_returns_country_arrival", "sending_country", "arrival_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_ref: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    family_ref: Mapped[str | None] = mapped_column(String(80))
    return_type: Mapped[str] = mapped_column(String(10), nullable=False)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    sending_country: Mapped[str] = mapped_column(String(2), nullable=False)
    transport_mode: Mapped[str] = mapped_column(String(4), nullable=False)
    departure_date: Mapped[dt.date | None] = mapped_column(Date)
    arrival_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    arrival_point: Mapped[str | None] = mapped_column(String(200))
    destination_municipality: Mapped[str] = mapped_column(String(2), nullable=False)
    destination_settlement: Mapped[str | None] = mapped_column(String(200))
    secondary_transport: Mapped[bool | None] = mapped_column(Boolean)
    vulnerable: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)


class ScreeningList(Base):
    """A notification list as received and screened, with the policy version used."""

    __tablename__ = "screening_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300), nullable=False)
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    sending_country: Mapped[str | None] = mapped_column(String(2))
    policy_version: Mapped[str] = mapped_column(String(60), nullable=False)
    as_of: Mapped[dt.date] = mapped_column(Date, nullable=False)
    screened_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    screened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    persons: Mapped[int] = mapped_column(Integer, nullable=False)
    encoding: Mapped[str | None] = mapped_column(String(40))
    """The CSV encoding detected (None for XLSX, and for lists recorded before 0008)."""
    warnings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """The list's warnings (unknown columns, cells right of the header), as received."""
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """Set once every person is decided and an officer closes the list: it is frozen."""


class ScreeningDecision(Versioned, Base):
    """The engine's recommendation for one person of a list, and the officer's decision."""

    __tablename__ = "screening_decisions"
    __table_args__ = (
        UniqueConstraint("list_id", "person_ref", name="list_person"),
        CheckConstraint(_in("recommendation", OUTCOMES), name="recommendation"),
        CheckConstraint("decision IS NULL OR " + _in("decision", OUTCOMES), name="decision"),
        CheckConstraint(
            "decision IS NULL OR decision = recommendation OR "
            "(reason IS NOT NULL AND reason <> '')",
            name="reason_when_differs",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("screening_lists.id"), nullable=False)
    person_ref: Mapped[str] = mapped_column(String(80), nullable=False)
    family_ref: Mapped[str] = mapped_column(String(80), nullable=False)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    policy_version: Mapped[str] = mapped_column(String(60), nullable=False)
    recommendation: Mapped[str] = mapped_column(String(20), nullable=False)
    clauses: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    missing: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    explanation: Mapped[str] = mapped_column(Text, nullable=False)
    decision: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Who the person is, as the list gives it (reports.screening.IDENTITY_COLUMNS).
    family_name: Mapped[str | None] = mapped_column(Text)
    given_name: Mapped[str | None] = mapped_column(Text)
    birth_date: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(1))
    community: Mapped[str | None] = mapped_column(String(20))
    origin_municipality: Mapped[str | None] = mapped_column(Text)
    caregiver_of: Mapped[str | None] = mapped_column(String(80))
    """The person_ref this person cares for: links families screened together."""
    cells: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The person's non-blank cells as received, to screen the family again."""


class ScreeningAnswer(Base):
    """An officer's current answer to one open question of a recorded list's person.

    Changing it screens the person's family again; every change is in the audit log
    (who, when, before and after); this row keeps the current answer and its author.
    """

    __tablename__ = "screening_answers"
    __table_args__ = (UniqueConstraint("decision_id", "fact", name="decision_fact"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("screening_decisions.id"), nullable=False, index=True
    )
    fact: Mapped[str] = mapped_column(String(40), nullable=False)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    answered_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


# --- reintegration ---------------------------------------------------------------------


class Assistance(Versioned, Base):
    """Reintegration assistance to a person under a programme, within its cap."""

    __tablename__ = "assistance"
    __table_args__ = (
        CheckConstraint(_in("status", ASSISTANCE_STATUSES), name="status"),
        CheckConstraint(_in("currency", CURRENCIES), name="currency"),
        CheckConstraint("amount >= 0", name="amount"),
        # the assistance list, newest first, and by status (the approval queue)
        Index("ix_assistance_requested", "requested_on", "id"),
        Index("ix_assistance_status_requested", "status", "requested_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="requested")
    requested_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    refusal_reason: Mapped[str | None] = mapped_column(Text)


class Project(Versioned, Base):
    """A micro-business or community project with its beneficiaries and jobs."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(_in("status", PROJECT_STATUSES), name="status"),
        CheckConstraint(_in("scope", PROJECT_SCOPES), name="scope"),
        CheckConstraint(
            "direct_beneficiaries >= 0 AND indirect_beneficiaries >= 0 "
            "AND jobs_returnees >= 0 AND jobs_residents >= 0",
            name="counts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    sector: Mapped[str] = mapped_column(String(60), nullable=False)
    scope: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="approved")
    municipality: Mapped[str | None] = mapped_column(String(2))
    settlement: Mapped[str | None] = mapped_column(String(200))
    beneficiary_community: Mapped[str | None] = mapped_column(String(20))
    direct_beneficiaries: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    indirect_beneficiaries: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    jobs_returnees: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    jobs_residents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    grant_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    grant_currency: Mapped[str | None] = mapped_column(String(3))
    loan_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    loan_currency: Mapped[str | None] = mapped_column(String(3))
    approved_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)


class HousingReconstruction(Versioned, Base):
    """A house being rebuilt for returnees, up to its handing over."""

    __tablename__ = "housing"
    __table_args__ = (CheckConstraint(_in("status", HOUSING_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), nullable=False)
    house_ref: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    municipality: Mapped[str] = mapped_column(String(2), nullable=False)
    village: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(25), nullable=False, default="assessed")
    beneficiaries: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    head_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    finished_on: Mapped[dt.date | None] = mapped_column(Date)
    handed_over_on: Mapped[dt.date | None] = mapped_column(Date)


class InformationRequest(Versioned, Base):
    """A Return Information Fund request from a sending mission, and its answer."""

    __tablename__ = "information_requests"
    __table_args__ = (CheckConstraint(_in("status", INFORMATION_REQUEST_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    requesting_mission: Mapped[str] = mapped_column(String(120), nullable=False)
    topic: Mapped[str] = mapped_column(String(60), nullable=False)
    question: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")


class Training(Versioned, Base):
    """A training held under a programme: topic, audience, participants, hours."""

    __tablename__ = "trainings"
    __table_args__ = (CheckConstraint("participants >= 0 AND hours >= 0", name="counts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    topic: Mapped[str] = mapped_column(String(300), nullable=False)
    audience: Mapped[str] = mapped_column(String(300), nullable=False)
    participants: Mapped[int] = mapped_column(Integer, nullable=False)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), nullable=False)
    held_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    municipality: Mapped[str | None] = mapped_column(String(2))


class ConfidentialCase(Versioned, Base):
    """A counter-trafficking or medical case: visible only to users of its unit."""

    __tablename__ = "confidential_cases"
    __table_args__ = (
        CheckConstraint(_in("unit", CONFIDENTIAL_UNITS), name="unit"),
        CheckConstraint(_in("status", CONFIDENTIAL_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    case_type: Mapped[str] = mapped_column(String(60), nullable=False)
    opened_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    district: Mapped[str | None] = mapped_column(String(40))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")


# --- data protection -----------------------------------------------------------------


class Consent(Versioned, Base):
    """A person's consent to a use of their data: purpose, scope, recipients, withdrawal.

    A withdrawn consent is kept, with the date and the user who recorded the withdrawal,
    never deleted: it shows what was allowed when data were shared under it.
    """

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(_in("purpose", CONSENT_PURPOSES), name="purpose"),
        CheckConstraint(
            "withdrawn_by IS NULL OR withdrawn_on IS NOT NULL", name="withdrawal_dated"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    purpose: Mapped[str] = mapped_column(String(40), nullable=False)
    scope: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    recipients: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    given_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SharingLogEntry(Base):
    """One pseudonymised export handed to a partner: to whom, why, under which
    consents, when, by whom, how many records, and the file's SHA-256."""

    __tablename__ = "sharing_log"
    __table_args__ = (
        CheckConstraint(_in("purpose", CONSENT_PURPOSES), name="purpose"),
        CheckConstraint(_in("file_format", SHARING_FORMATS), name="file_format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(80), nullable=False)
    purpose: Mapped[str] = mapped_column(String(40), nullable=False)
    recipient: Mapped[str] = mapped_column(String(200), nullable=False)
    period_from: Mapped[dt.date | None] = mapped_column(Date)
    period_to: Mapped[dt.date | None] = mapped_column(Date)
    consent_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    records: Mapped[int] = mapped_column(Integer, nullable=False)
    withheld: Mapped[int] = mapped_column(Integer, nullable=False)
    file_format: Mapped[str] = mapped_column(String(4), nullable=False)
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False)


class CorrectionRequest(Versioned, Base):
    """A person's request to correct what RRMS holds about them, and what became of it.

    The correction itself is an ordinary, audited edit of the record concerned; this
    row records that it was asked for, by whom it was taken down, and how it was closed.
    """

    __tablename__ = "correction_requests"
    __table_args__ = (
        CheckConstraint(_in("status", CORRECTION_STATUSES), name="status"),
        CheckConstraint(
            "status <> 'refused' OR (refusal_reason IS NOT NULL AND refusal_reason <> '')",
            name="reason_when_refused",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    what: Mapped[str] = mapped_column(Text, nullable=False)
    requested_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(80), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(80))


# --- identity: the register deduplicated ----------------------------------------------


class DuplicatePair(Versioned, Base):
    """Two stored persons the linkage model judged probably one, and what a caseworker
    decided (docs/identity.md, *The register deduplicated*).

    The persons are named by id without a foreign key: a merge deletes one of them (its
    row is kept in `person_merges` to undo it), and the pair stays as the record of the
    decision. `left_person_id` < `right_person_id`, and a pair is stored once, whatever
    became of it, so that a pair in the queue or marked "not the same person" is never
    proposed again.
    """

    __tablename__ = "duplicate_pairs"
    __table_args__ = (
        UniqueConstraint("left_person_id", "right_person_id", name="pair"),
        CheckConstraint("left_person_id < right_person_id", name="ordered"),
        CheckConstraint(_in("status", DUPLICATE_STATUSES), name="status"),
        CheckConstraint("probability >= 0 AND probability <= 1", name="probability"),
        Index("ix_duplicate_pairs_status", "status"),
        Index("ix_duplicate_pairs_right", "right_person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    left_person_id: Mapped[int] = mapped_column(Integer, nullable=False)
    right_person_id: Mapped[int] = mapped_column(Integer, nullable=False)
    probability: Mapped[float] = mapped_column(Float, nullable=False)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    model: Mapped[str] = mapped_column(String(120), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    found_by: Mapped[str] = mapped_column(String(80), nullable=False)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PersonMerge(Versioned, Base):
    """One merge of two persons, with what it takes to undo it.

    `merged_person` is the merged-away person's row as it was; `filled` the fields of
    the kept person that were blank and took the other's value; `moved` the ids of the
    records moved to the kept person, by table and column; `memberships` the family
    memberships moved (or dropped, where the kept person was already in the family).
    """

    __tablename__ = "person_merges"
    __table_args__ = (Index("ix_person_merges_kept", "kept_person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(
        ForeignKey("duplicate_pairs.id"), nullable=False, index=True
    )
    kept_person_id: Mapped[int] = mapped_column(Integer, nullable=False)
    merged_person_id: Mapped[int] = mapped_column(Integer, nullable=False)
    merged_person: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    filled: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    moved: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    memberships: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    cap_breaches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    merged_by: Mapped[str] = mapped_column(String(80), nullable=False)
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    unmerged_by: Mapped[str | None] = mapped_column(String(80))
    unmerged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
