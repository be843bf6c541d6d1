"""The sound keys of each person's names, so that a check reads only candidates.

Creating a person at the desk, the screening results page and `rrms import returns`
ask the linkage model whether a person is already in the register. Reading the whole
register for that took 37 seconds at a million persons (every person brought to
comparable form, then scored). Every blocking rule of the model joins on the sound key
of the family or the given name, so the persons whose keys are one of the incoming
names' keys are all the candidates the model could find; indexed, they are read in
milliseconds (`rrms.services.identity.link.register_candidates`, docs/identity.md).

The keys are filled here for the persons already stored, in batches. They are
`rrms.reference.identity.name_keys` of today: a change to how names are keyed needs a
migration that fills them again.

Revision ID: 0010_person_name_keys
Revises: 0009_list_indexes
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rrms.reference.identity import name_keys

revision: str = "0010_person_name_keys"
down_revision: str | None = "0009_list_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 10_000


def upgrade() -> None:
    """Add the key columns and their indexes, and fill them for every stored person."""
    op.add_column("persons", sa.Column("family_key", sa.String(length=200), nullable=True))
    op.add_column("persons", sa.Column("given_key", sa.String(length=200), nullable=True))
    persons = sa.table(
        "persons",
        sa.column("id", sa.Integer),
        sa.column("family_name", sa.String),
        sa.column("given_name", sa.String),
        sa.column("family_key", sa.String),
        sa.column("given_key", sa.String),
    )
    fill = (
        sa.update(persons)
        .where(persons.c.id == sa.bindparam("person_id"))
        .values(family_key=sa.bindparam("family"), given_key=sa.bindparam("given"))
    )
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(persons.c.id, persons.c.family_name, persons.c.given_name)
            .where(persons.c.id > last)
            .order_by(persons.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        keyed = []
        for person_id, family_name, given_name in rows:
            family, given = name_keys(family_name, given_name)
            keyed.append({"person_id": person_id, "family": family, "given": given})
        connection.execute(fill, keyed)
        last = rows[-1][0]
    op.create_index("ix_persons_family_key", "persons", ["family_key"])
    op.create_index("ix_persons_given_key", "persons", ["given_key"])


def downgrade() -> None:
    """Drop the indexes and the columns."""
    op.drop_index("ix_persons_given_key", table_name="persons")
    op.drop_index("ix_persons_family_key", table_name="persons")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("given_key")
        batch_op.drop_column("family_key")
