"""The audit chain cannot fork: no two entries may follow the same entry.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Make `prev_hash` unique (an index, so SQLite keeps the table and its triggers)."""
    op.create_index("uq_audit_log_prev_hash", "audit_log", ["prev_hash"], unique=True)


def downgrade() -> None:
    """Allow forks again."""
    op.drop_index("uq_audit_log_prev_hash", table_name="audit_log")
