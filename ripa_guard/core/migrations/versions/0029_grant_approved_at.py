"""applications.grant_approved_at, and the reviews' index carrying the last day

The home page orders the grants awaiting the magistrate by the authorising officer's last
approval of each (RIPA s.32A: approved, not yet in effect). It worked that time out from the
decisions of every grant awaiting the magistrate, then sorted them all, on every request:
3.5 ms of the SRO's home page at 100,000 applications, more than any other list (issue 19).
The lifecycle now stores it as the grant is approved (lifecycle.decide); this revision adds the
column with an index beside the status, and fills it from the approvals already recorded.

The reviews due are found by (status, next_review_on) and must also be within the last day;
with the last day in the same index, their count is read from the index alone.

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_REVIEWS = "ix_applications_status_next_review_on"


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(
            sa.Column("grant_approved_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE applications SET grant_approved_at = ("
        " SELECT max(d.decided_at) FROM authorising_decisions d"
        " WHERE d.application_id = applications.id AND d.renewal_id IS NULL"
        " AND d.decision = 'approved')"
    )
    op.create_index(
        "ix_applications_status_grant_approved_at",
        "applications",
        ["status", "grant_approved_at"],
    )
    op.drop_index(_REVIEWS, table_name="applications")
    op.create_index(_REVIEWS, "applications", ["status", "next_review_on", "last_day"])
    # Fresh statistics: without them SQLite takes the new reviews' index for every search by
    # status, and sorts the grants awaiting a decision instead of reading them in order.
    op.execute("ANALYZE applications")


def downgrade() -> None:
    op.drop_index(_REVIEWS, table_name="applications")
    op.create_index(_REVIEWS, "applications", ["status", "next_review_on"])
    op.drop_index("ix_applications_status_grant_approved_at", table_name="applications")
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("grant_approved_at")
