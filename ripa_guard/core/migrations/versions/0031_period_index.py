"""the register's order indexes carry what a period filter reads

The register filtered by a year (or any period) lists the entries submitted in it or in force
during it (central_record.narrowed). At 100,000 applications its count read every row of the
table (PostgreSQL: a sequential scan, 46 ms) and its page walked the index of submission dates
reading each row it passed (12 ms), 58 ms a page on PostgreSQL and 74-92 ms on SQLite (issue
19). This revision widens the indexes the register is read in order from, (submitted_at, id) and
(status, submitted_at), with the columns the period condition reads (takes_effect,
cancelled_on, last_day), the URN (on the record or a draft) and the status, so both read an
index alone: 14-17 ms on PostgreSQL and 12-16 on SQLite, with a status filter beside the period
too (SQLite: 123 ms before, PostgreSQL 54). The order each gives is unchanged: its columns
before the added ones are those it had.

Revision ID: 0031
Revises: 0030
"""

from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

#: The register's two order indexes (newest first; of one status, newest first), widened.
WIDENED = {
    "ix_applications_submitted_at_id": (
        ["submitted_at", "id"],
        ["takes_effect", "cancelled_on", "last_day", "urn", "status"],
    ),
    "ix_applications_status_submitted_at": (
        ["status", "submitted_at"],
        ["id", "takes_effect", "cancelled_on", "last_day", "urn"],
    ),
}


def upgrade() -> None:
    for name, (columns, added) in WIDENED.items():
        op.drop_index(name, table_name="applications")
        op.create_index(name, "applications", columns + added)
    op.execute("ANALYZE applications")


def downgrade() -> None:
    for name, (columns, _added) in WIDENED.items():
        op.drop_index(name, table_name="applications")
        op.create_index(name, "applications", columns)
