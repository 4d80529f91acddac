"""triages: case reference and investigation key; IPCO findings as recommendation or observation

- triages.case_reference and investigation_key, so the viewing gate follows what triage found.
- triages.held_at and the coordinator's resolution, and council_offences: a plan whose offence
  is not in the register waits for the RIPA coordinator, who adds the offence (or records why it
  cannot be) before the crime threshold is checked.
- inspection_recommendations.category: "recommendation" or "observation" (IPCO Annual Report
  2018, §5.6). Every finding recorded before is a recommendation (the server default).
- recommendation_actions.progress: where the council's action plan stands. The old
  red-amber-green grade stays in `rag` as the history of actions recorded then: those rows are
  written once and never updated, so the grade is not rewritten, and `rag` becomes nullable
  because new actions are not graded.

Revision ID: 0013
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
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
        batch_op.add_column(sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("offence_resolved_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("offence_resolved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("offence_resolution", sa.Text(), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_triages_offence_resolved_by_id_users"),
            "users",
            ["offence_resolved_by_id"],
            ["id"],
        )
    op.create_table(
        "council_offences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("act", sa.String(length=400), nullable=False),
        sa.Column("section", sa.String(length=100), nullable=False),
        sa.Column("max_custodial_months", sa.Integer(), nullable=True),
        sa.Column("threshold_exception", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("triage_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_council_offences_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["triage_id"], ["triages.id"], name=op.f("fk_council_offences_triage_id_triages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_offences")),
        sa.UniqueConstraint("code", name=op.f("uq_council_offences_code")),
    )
    with op.batch_alter_table("inspection_recommendations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "category",
                sa.Enum(
                    "recommendation",
                    "observation",
                    name="finding_category",
                    native_enum=False,
                    length=40,
                ),
                server_default="recommendation",
                nullable=False,
            )
        )
    with op.batch_alter_table("recommendation_actions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "progress",
                sa.Enum(
                    "not_started",
                    "in_progress",
                    "complete",
                    name="action_progress",
                    native_enum=False,
                    length=40,
                ),
                nullable=True,
            )
        )
        batch_op.alter_column(
            "rag",
            existing_type=sa.Enum(
                "red", "amber", "green", name="rag", native_enum=False, length=40
            ),
            nullable=True,
        )


def downgrade() -> None:
    op.drop_table("council_offences")
    with op.batch_alter_table("recommendation_actions", schema=None) as batch_op:
        batch_op.drop_column("progress")
    with op.batch_alter_table("inspection_recommendations", schema=None) as batch_op:
        batch_op.drop_column("category")
    with op.batch_alter_table("triages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_triages_offence_resolved_by_id_users"), type_="foreignkey"
        )
        for column in ("offence_resolution", "offence_resolved_by_id", "offence_resolved_at"):
            batch_op.drop_column(column)
        batch_op.drop_column("held_at")
        batch_op.drop_index(batch_op.f("ix_triages_investigation_key"))
        batch_op.drop_column("investigation_key")
        batch_op.drop_column("case_reference")
