"""The register deduplicated: the review queue of probable duplicates and the merges.

Revision ID: 0007_duplicates
Revises: 0006_corrections
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_duplicates"
down_revision: str | None = "0006_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _versioned() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    """The `duplicate_pairs` and `person_merges` tables."""
    op.create_table(
        "duplicate_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left_person_id", sa.Integer(), nullable=False),
        sa.Column("right_person_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("found_by", sa.String(length=80), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        *_versioned(),
        sa.CheckConstraint(
            "left_person_id < right_person_id", name=op.f("ck_duplicate_pairs_ordered")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'merged', 'not_same')", name=op.f("ck_duplicate_pairs_status")
        ),
        sa.CheckConstraint(
            "probability >= 0 AND probability <= 1", name=op.f("ck_duplicate_pairs_probability")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_pairs")),
        sa.UniqueConstraint("left_person_id", "right_person_id", name="pair"),
    )
    op.create_index("ix_duplicate_pairs_status", "duplicate_pairs", ["status"])
    op.create_index("ix_duplicate_pairs_right", "duplicate_pairs", ["right_person_id"])
    op.create_table(
        "person_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("kept_person_id", sa.Integer(), nullable=False),
        sa.Column("merged_person_id", sa.Integer(), nullable=False),
        sa.Column("merged_person", sa.JSON(), nullable=False),
        sa.Column("filled", sa.JSON(), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("memberships", sa.JSON(), nullable=False),
        sa.Column("cap_breaches", sa.JSON(), nullable=False),
        sa.Column("merged_by", sa.String(length=80), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unmerged_by", sa.String(length=80), nullable=True),
        sa.Column("unmerged_at", sa.DateTime(timezone=True), nullable=True),
        *_versioned(),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["duplicate_pairs.id"],
            name=op.f("fk_person_merges_pair_id_duplicate_pairs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merges")),
    )
    op.create_index(op.f("ix_person_merges_pair_id"), "person_merges", ["pair_id"])
    op.create_index("ix_person_merges_kept", "person_merges", ["kept_person_id"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_index("ix_person_merges_kept", table_name="person_merges")
    op.drop_index(op.f("ix_person_merges_pair_id"), table_name="person_merges")
    op.drop_table("person_merges")
    op.drop_index("ix_duplicate_pairs_right", table_name="duplicate_pairs")
    op.drop_index("ix_duplicate_pairs_status", table_name="duplicate_pairs")
    op.drop_table("duplicate_pairs")
