"""The screening officer's desk: who is on a recorded list, its warnings, answers that
can be corrected, and closing a list.

Revision ID: 0008_screening_desk
Revises: 0006_corrections
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_screening_desk"
down_revision: str | None = "0007_duplicates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Identity and cells per person, encoding, warnings and closing per list, and the
    `screening_answers` table."""
    with op.batch_alter_table("screening_lists", schema=None) as batch_op:
        batch_op.add_column(sa.Column("encoding", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("warnings", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_screening_lists_closed_by_users"), "users", ["closed_by"], ["id"]
        )
    with op.batch_alter_table("screening_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_name", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("given_name", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("birth_date", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("community", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("origin_municipality", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("caregiver_of", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("cells", sa.JSON(), nullable=True))
    op.create_table(
        "screening_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["users.id"], name=op.f("fk_screening_answers_answered_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["screening_decisions.id"],
            name=op.f("fk_screening_answers_decision_id_screening_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_answers")),
        sa.UniqueConstraint("decision_id", "fact", name="decision_fact"),
    )
    op.create_index(op.f("ix_screening_answers_decision_id"), "screening_answers", ["decision_id"])


def downgrade() -> None:
    """Drop the table and the columns."""
    op.drop_index(op.f("ix_screening_answers_decision_id"), table_name="screening_answers")
    op.drop_table("screening_answers")
    with op.batch_alter_table("screening_decisions", schema=None) as batch_op:
        for column in (
            "cells",
            "caregiver_of",
            "origin_municipality",
            "community",
            "sex",
            "birth_date",
            "given_name",
            "family_name",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("screening_lists", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_screening_lists_closed_by_users"), type_="foreignkey"
        )
        for column in ("closed_at", "closed_by", "warnings", "encoding"):
            batch_op.drop_column(column)
