"""Single sign-on and the account pages (issue 18, items 1 and 4): users.sign_on_issuer and
sign_on_subject; sign_on_roles (claim value to role, set by the SRO); recovery_codes;
signed_in_sessions (the person's list of their active sessions). Existing accounts stay local.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

ROLE = sa.Enum(
    "officer",
    "authorising_officer",
    "sro",
    "coordinator",
    "inspector",
    name="role",
    native_enum=False,
    length=40,
)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("sign_on_issuer", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("sign_on_subject", sa.String(length=255), nullable=True))
    # An index, not a constraint: SQLite adds it without copying the table.
    op.create_index("ix_users_sign_on", "users", ["sign_on_issuer", "sign_on_subject"], unique=True)
    op.create_table(
        "sign_on_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_value", sa.String(length=200), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_on_roles")),
        sa.UniqueConstraint("claim_value", "role", name=op.f("uq_sign_on_roles_claim_value")),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_codes_code_hash")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"])
    op.create_table(
        "signed_in_sessions",
        sa.Column("id", sa.String(length=43), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_signed_in_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_in_sessions")),
    )
    op.create_index("ix_signed_in_sessions_user", "signed_in_sessions", ["user_id", "generation"])


def downgrade() -> None:
    op.drop_index("ix_signed_in_sessions_user", table_name="signed_in_sessions")
    op.drop_table("signed_in_sessions")
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    op.drop_table("sign_on_roles")
    op.drop_index("ix_users_sign_on", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("sign_on_subject")
        batch.drop_column("sign_on_issuer")
