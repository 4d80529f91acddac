"""council_details: the council's name, address, telephone, policy link and coordinator

One row, edited by the SRO; each change is an audit event. A new table only: until the SRO
fills it in, the COUNCIL_NAME and COUNCIL_ADDRESS settings stand in.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "council_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("telephone", sa.String(length=50), nullable=False),
        sa.Column("policy_url", sa.String(length=500), nullable=False),
        sa.Column("coordinator_name", sa.String(length=200), nullable=False),
        sa.Column("coordinator_email", sa.String(length=254), nullable=False),
        sa.Column("coordinator_telephone", sa.String(length=50), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_council_details_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_details")),
    )


def downgrade() -> None:
    op.drop_table("council_details")
