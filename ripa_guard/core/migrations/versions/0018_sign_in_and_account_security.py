"""Sign-in and account security (issue 17, items 6 to 8 and the low ones): failed sign-ins
counted in the database for every app server

Revision ID: 0018
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index("ix_sign_in_failures_account", "sign_in_failures", ["account_key", "failed_at"])
    op.create_index("ix_sign_in_failures_source", "sign_in_failures", ["source", "failed_at"])
    op.create_index(op.f("ix_sign_in_failures_failed_at"), "sign_in_failures", ["failed_at"])
    # The lock-out moved to sign_in_failures: the counters kept with the account are dropped.
    with op.batch_alter_table("user_security") as batch:
        batch.drop_column("failed_sign_ins")
        batch.drop_column("first_failed_at")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("user_security") as batch:
        batch.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("first_failed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.drop_table("sign_in_failures")
