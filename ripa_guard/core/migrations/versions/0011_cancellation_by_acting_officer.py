"""cancellations: who cancelled in place of an unavailable grantor, and why

RIPA s.45(4) and SI 2000/2794 reg. 2: where the officer who granted or last renewed an
authorisation is no longer available, an officer of the same or a more senior rank cancels it.
The cancellation records whom they acted for, why, and that they confirmed their rank.
Existing rows were cancelled by the grantor: the new columns are empty or false for them.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cancellations") as batch:
        batch.add_column(sa.Column("acting_for_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("acting_reason", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column(
                "acting_same_or_senior_rank",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("cancellations") as batch:
        batch.drop_column("acting_same_or_senior_rank")
        batch.drop_column("acting_reason")
        batch.drop_column("acting_for_name")
