"""authorising_decisions: the authorising officer's own statements on an approval

IPCO criticises authorisations that read as formulaic (DOMAIN.md §8). An approval now carries the
authorising officer's own words on necessity (RIPA s.28(2)(a), (3)(b)), on each of the Code's
four elements of proportionality, and on collateral intrusion (law/decision_rules.py). Decisions
recorded before this revision keep their reasons and have empty statements.

Revision ID: 0014
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

STATEMENTS = (
    "necessity",
    "proportionality_balance",
    "proportionality_least_intrusive",
    "proportionality_appropriate",
    "proportionality_alternatives",
    "collateral_intrusion",
)


def upgrade() -> None:
    with op.batch_alter_table("authorising_decisions") as batch_op:
        for name in STATEMENTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("authorising_decisions") as batch_op:
        for name in reversed(STATEMENTS):
            batch_op.drop_column(name)
