"""Sign-in and account security (issue 17, items 6 to 8 and the low ones): failed sign-ins
counted in the database for every app server; second-step secrets sealed under TOTP_KEY; the
log of reads (Data Protection Act 2018 s.62); one-time passwords and API tokens that stop working
after a while

Revision ID: 0018
Revises: 0017
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
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
        for column in ("totp_secret", "totp_pending_secret"):
            batch.alter_column(
                column, type_=sa.String(length=255), existing_type=sa.String(length=64)
            )
    _seal_second_step_secrets()
    op.create_table(
        "read_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_read_log_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_read_log")),
    )
    op.create_index("ix_read_log_actor", "read_log", ["actor_id", "id"])
    _give_one_time_passwords_and_tokens_an_end()


def _give_one_time_passwords_and_tokens_an_end() -> None:
    """One-time passwords and API tokens stop working after a while (issue 17). Those issued
    before this upgrade get the default lifetime from today, so nothing stops working at once."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("one_time_password_until", sa.DateTime(timezone=True)))
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("usable_until", sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    users = sa.table(
        "users",
        sa.column("must_change_password", sa.Boolean()),
        sa.column("one_time_password_until", sa.DateTime(timezone=True)),
    )
    op.execute(
        users.update()
        .where(users.c.must_change_password.is_(True))
        .values(one_time_password_until=now + timedelta(days=7))
    )
    tokens = sa.table(
        "api_tokens",
        sa.column("revoked_at", sa.DateTime(timezone=True)),
        sa.column("usable_until", sa.DateTime(timezone=True)),
    )
    op.execute(
        tokens.update()
        .where(tokens.c.revoked_at.is_(None))
        .values(usable_until=now + timedelta(days=90))
    )


def _seal_second_step_secrets() -> None:
    """Secrets kept in plain text until now are sealed under TOTP_KEY (accounts/sealing.py)."""
    table = sa.table(
        "user_security",
        sa.column("user_id", sa.Integer()),
        sa.column("totp_secret", sa.String()),
        sa.column("totp_pending_secret", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(table).where(
            sa.or_(table.c.totp_secret.is_not(None), table.c.totp_pending_secret.is_not(None))
        )
    ).all()
    if not rows:
        return
    key = op.get_context().config.attributes.get("totp_key")
    if not key:
        raise RuntimeError(
            "Second-step secrets must be sealed with TOTP_KEY: run `ripa-guard upgrade`, which "
            "reads it from instance/config.py (or makes it)"
        )
    from cryptography.fernet import Fernet

    fernet = Fernet(key)
    for row in rows:
        connection.execute(
            table.update()
            .where(table.c.user_id == row.user_id)
            .values(
                totp_secret=_sealed(fernet, row.totp_secret),
                totp_pending_secret=_sealed(fernet, row.totp_pending_secret),
            )
        )


def _sealed(fernet, secret: str | None) -> str | None:
    return None if secret is None else fernet.encrypt(secret.encode("ascii")).decode("ascii")


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("usable_until")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("one_time_password_until")
    op.drop_table("read_log")
    # Sealed secrets do not fit the old columns: second steps are set up again after a downgrade.
    op.execute("UPDATE user_security SET totp_secret = NULL, totp_pending_secret = NULL")
    with op.batch_alter_table("user_security") as batch:
        for column in ("totp_secret", "totp_pending_secret"):
            batch.alter_column(
                column, type_=sa.String(length=64), existing_type=sa.String(length=255)
            )
        batch.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("first_failed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.drop_table("sign_in_failures")
