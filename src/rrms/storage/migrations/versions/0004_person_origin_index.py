"""Persons are found by their municipality of origin ("Pec" finds persons from Pejë).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index the origin municipality, so a search by place does not scan every person."""
    op.create_index("ix_persons_origin", "persons", ["origin_municipality"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_persons_origin", table_name="persons")
