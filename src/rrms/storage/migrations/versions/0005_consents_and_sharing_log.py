"""Consents per person and the log of pseudonymised sharing exports.

Revision ID: 0005_consent
Revises: 0004
Create Date: 2026-12-06
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_consent"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The vocabulary as it stood when the tables were made (rrms.domain.vocabulary); a later
# change of it comes with its own migration.
CONSENT_PURPOSES = (
    "case_management",
    "reintegration_assistance",
    "referral_to_partner",
    "research",
    "reporting",
)
SHARING_FORMATS = ("csv", "xlsx")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _timestamp(name: str) -> sa.Column[dt.datetime]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        server_default=sa.text("(CURRENT_TIMESTAMP)"),
        nullable=False,
    )


def upgrade() -> None:
    """Create `consents` and `sharing_log`."""
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(_in("purpose", CONSENT_PURPOSES), name=op.f("ck_consents_purpose")),
        sa.CheckConstraint(
            "withdrawn_by IS NULL OR withdrawn_on IS NOT NULL",
            name=op.f("ck_consents_withdrawal_dated"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_consents_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_consents_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["users.id"], name=op.f("fk_consents_withdrawn_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_person_id"), "consents", ["person_id"], unique=False)
    op.create_table(
        "sharing_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("consent_ids", sa.JSON(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("withheld", sa.Integer(), nullable=False),
        sa.Column("file_format", sa.String(length=4), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint(_in("purpose", CONSENT_PURPOSES), name=op.f("ck_sharing_log_purpose")),
        sa.CheckConstraint(
            _in("file_format", SHARING_FORMATS), name=op.f("ck_sharing_log_file_format")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sharing_log_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_log")),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("sharing_log")
    op.drop_index(op.f("ix_consents_person_id"), table_name="consents")
    op.drop_table("consents")
