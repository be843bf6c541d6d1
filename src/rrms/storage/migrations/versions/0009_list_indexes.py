"""Lists stay fast at a million persons: indexes for the desk lists' filters and sorts.

The persons list sorts by family name (also within a municipality of origin), the
arrivals list by arrival date within a sending country, the assistance list by the
date requested (also within a status: the approval queue). Each index serves the
filter, the order (the id breaks ties, as `rrms.storage.queries.rows` sorts) and the
total's count without reading the rows (`benchmarks/web.py`, `docs/web.md`).

Revision ID: 0009_list_indexes
Revises: 0006_corrections
Create Date: 2026-12-20
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_list_indexes"
down_revision: str | None = "0008_screening_desk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_persons_family_name", "persons", ["family_name", "id"]),
    ("ix_persons_origin_family_name", "persons", ["origin_municipality", "family_name", "id"]),
    ("ix_returns_country_arrival", "returns", ["sending_country", "arrival_date", "id"]),
    ("ix_assistance_requested", "assistance", ["requested_on", "id"]),
    ("ix_assistance_status_requested", "assistance", ["status", "requested_on", "id"]),
)


def upgrade() -> None:
    """Create the list indexes."""
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Drop them."""
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
