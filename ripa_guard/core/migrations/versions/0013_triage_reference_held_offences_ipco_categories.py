"""triages: case reference and investigation key, so the viewing gate follows what triage found

Revision ID: 0013
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("triages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("case_reference", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("investigation_key", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_triages_investigation_key"), ["investigation_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("triages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_triages_investigation_key"))
        batch_op.drop_column("investigation_key")
        batch_op.drop_column("case_reference")
