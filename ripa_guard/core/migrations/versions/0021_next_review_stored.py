"""applications.next_review_on: the next review date, stored and kept by the lifecycle

The dashboard and the inspection page worked the next review date out for every live
authorisation on every request (issue 19). The lifecycle now stores it as it moves (the
authorisation taking effect, a review held, a renewal approved); this revision adds the column
with an index beside the status, and fills it for authorisations already in force from their
reviews, as lifecycle.next_review works it out (periods.next_review).

Revision ID: 0021
Revises: 0020
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

from ripa_guard.law import periods

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(sa.Column("next_review_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_applications_status_next_review_on", ["status", "next_review_on"])
    connection = op.get_bind()
    live = connection.execute(
        sa.text(
            "SELECT a.id, a.takes_effect, a.review_interval_days, a.last_day,"
            " max(r.reviewed_on) FROM applications a"
            " LEFT JOIN reviews r ON r.application_id = a.id"
            " WHERE a.takes_effect IS NOT NULL AND a.review_interval_days > 0"
            " AND a.last_day IS NOT NULL"
            " GROUP BY a.id, a.takes_effect, a.review_interval_days, a.last_day"
        )
    ).all()
    update = sa.text("UPDATE applications SET next_review_on = :due WHERE id = :id")
    for id_, takes_effect, interval, last_day, reviewed in live:
        takes_effect, last_day, reviewed = (_day(d) for d in (takes_effect, last_day, reviewed))
        due = periods.next_review(takes_effect, [reviewed] if reviewed else [], interval, last_day)
        if due is not None:
            connection.execute(update, {"id": id_, "due": due})


def _day(value) -> date | None:
    """SQLite hands a date back as text in a raw query."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_index("ix_applications_status_next_review_on")
        batch_op.drop_column("next_review_on")
