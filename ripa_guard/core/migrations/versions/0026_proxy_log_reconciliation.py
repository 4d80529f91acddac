"""Reconciliation of proxy logs (issue 16, item 3): reconciliation_runs (who checked which
file, its SHA-256 and what it held) and unlogged_visits (the looks at profiles the proxy log
shows and the viewing log does not). New tables only.

Revision ID: 0026
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reconciliation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_by_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_bytes", sa.BigInteger(), nullable=False),
        sa.Column("file_format", sa.String(length=20), nullable=False),
        sa.Column("user_match", sa.String(length=40), nullable=False),
        sa.Column("users_file", sa.String(length=255), nullable=False),
        sa.Column("match_minutes", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "lines",
                "malformed",
                "requests",
                "host_only",
                "host_only_platforms",
                "other_sites",
                "platform_pages",
                "not_pages",
                "unknown_user_requests",
                "visits",
                "matched",
                "unlogged",
            )
        ),
        sa.Column("malformed_examples", sa.JSON(), nullable=False),
        sa.Column("unknown_users", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_by_id"], ["users.id"], name=op.f("fk_reconciliation_runs_run_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliation_runs")),
    )
    op.create_index(op.f("ix_reconciliation_runs_run_at"), "reconciliation_runs", ["run_at"])
    op.create_index(
        op.f("ix_reconciliation_runs_file_sha256"), "reconciliation_runs", ["file_sha256"]
    )
    op.create_table(
        "unlogged_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("officer_name", sa.String(length=200), nullable=False),
        sa.Column("officer_service", sa.String(length=200), nullable=False),
        sa.Column("log_user", sa.String(length=200), nullable=False),
        sa.Column("identity", sa.String(length=400), nullable=False),
        sa.Column("platform", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("stopped_attempt_id", sa.Integer(), nullable=True),
        sa.Column("proposal_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["reconciliation_runs.id"],
            name=op.f("fk_unlogged_visits_run_id_reconciliation_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_unlogged_visits_officer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["stopped_attempt_id"],
            ["viewing_attempts.id"],
            name=op.f("fk_unlogged_visits_stopped_attempt_id_viewing_attempts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unlogged_visits")),
    )
    op.create_index(op.f("ix_unlogged_visits_run_id"), "unlogged_visits", ["run_id"])
    op.create_index(op.f("ix_unlogged_visits_officer_id"), "unlogged_visits", ["officer_id"])
    op.create_index(op.f("ix_unlogged_visits_proposal_key"), "unlogged_visits", ["proposal_key"])


def downgrade() -> None:
    op.drop_table("unlogged_visits")
    op.drop_table("reconciliation_runs")
