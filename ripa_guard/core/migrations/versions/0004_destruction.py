"""destruction of an entry's details after its retention period

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "destructions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("destroyed_by_id", sa.Integer(), nullable=False),
        sa.Column("destroyed_by_name", sa.String(length=200), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kept_until", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_destructions_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["destroyed_by_id"], ["users.id"], name=op.f("fk_destructions_destroyed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destructions")),
        sa.UniqueConstraint("application_id", name=op.f("uq_destructions_application_id")),
    )


def downgrade() -> None:
    op.drop_table("destructions")
