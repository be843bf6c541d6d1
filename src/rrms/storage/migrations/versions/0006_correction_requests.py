"""Correction requests: a person asks RRMS to correct what it holds about them.

Revision ID: 0006_corrections
Revises: 0005_consent
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_corrections"
down_revision: str | None = "0005_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The `correction_requests` table."""
    op.create_table(
        "correction_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "status IN ('open', 'corrected', 'refused')",
            name=op.f("ck_correction_requests_status"),
        ),
        sa.CheckConstraint(
            "status <> 'refused' OR (refusal_reason IS NOT NULL AND refusal_reason <> '')",
            name=op.f("ck_correction_requests_reason_when_refused"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_correction_requests_person_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_requests")),
    )
    op.create_index(op.f("ix_correction_requests_person_id"), "correction_requests", ["person_id"])


def downgrade() -> None:
    """Drop the table."""
    op.drop_index(op.f("ix_correction_requests_person_id"), table_name="correction_requests")
    op.drop_table("correction_requests")
