"""users.session_generation: sessions end on the server (issue 17, ASVS 5.0 V7)

A signed cookie cannot be taken back; a number kept with the account can. The session carries
the number it was signed in with, and a session whose number is no longer the account's is
refused: signing out, disabling the account, or changing its password or second step moves it on.

Revision ID: 0015
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
