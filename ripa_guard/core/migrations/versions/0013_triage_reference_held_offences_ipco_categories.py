"""triages: case reference and investigation key; IPCO findings as recommendation or observation

- triages.case_reference and investigation_key, so the viewing gate follows what triage found.
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
    with op.batch_alter_table("recommendation_actions", schema=None) as batch_op:
        batch_op.drop_column("progress")
    with op.batch_alter_table("inspection_recommendations", schema=None) as batch_op:
        batch_op.drop_column("category")
    with op.batch_alter_table("triages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_triages_investigation_key"))
        batch_op.drop_column("investigation_key")
        batch_op.drop_column("case_reference")
