"""viewings: covering indexes for the SRO's oversight tables, in place of two plain ones

At 1,000,000 viewings, grouping the log by profile and by subject to count officers and
investigations took about 2 s each, reading every row (BENCHMARKS.md). These indexes lead with
the same column as the indexes they replace, so lookups by identity or subject are unchanged,
and hold every column the grouping reads.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COUNTED = ["officer_id", "investigation_id", "basis", "viewed_at", "subject"]


def upgrade() -> None:
    for key in ("identity", "subject_key"):
        op.create_index(f"ix_viewings_{key}_tally", "viewings", [key, *COUNTED])
        op.drop_index(f"ix_viewings_{key}", table_name="viewings")


def downgrade() -> None:
    for key in ("identity", "subject_key"):
        op.create_index(f"ix_viewings_{key}", "viewings", [key])
        op.drop_index(f"ix_viewings_{key}_tally", table_name="viewings")
