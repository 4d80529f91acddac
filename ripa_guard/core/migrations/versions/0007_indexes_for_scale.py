"""indexes for a large register: the register's order, the dashboard's lists, the search box, record histories

Found by bench/ (BENCHMARKS.md): at 100,000 applications these queries scanned or sorted the
whole table.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_applications_submitted_at_id", "applications", ["submitted_at", "id"]),
    ("ix_applications_status_submitted_at", "applications", ["status", "submitted_at"]),
    ("ix_applications_status_last_day", "applications", ["status", "last_day"]),
    ("ix_applications_search", "applications", ["investigation_title", "urn"]),
    ("ix_applications_authorised_by_id", "applications", ["authorised_by_id"]),
    ("ix_audit_events_object", "audit_events", ["object_type", "object_id", "seq"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
