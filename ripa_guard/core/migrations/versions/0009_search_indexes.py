"""trigram indexes for the register's search box (PostgreSQL), and indexes for renewals

The dashboard's lists of renewals awaiting a decision or the magistrate read renewals by
status, and a renewal's decisions and hearings by renewal. The central record lists plans
stopped at the crime threshold by outcome, newest first.

ILIKE '%text%' reads every row: 100 ms a search at 100,000 applications on PostgreSQL
(BENCHMARKS.md). pg_trgm's GIN indexes answer it from the index. SQLite has no such index and
needs none: its LIKE reads a narrow covering index (migration 0007).

pg_trgm ships with PostgreSQL (Debian's postgresql package includes it) and is a trusted
extension, so the database's owner may create it.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BY_RENEWAL = [
    ("ix_renewals_status", "renewals", "status"),
    ("ix_authorising_decisions_renewal_id", "authorising_decisions", "renewal_id"),
    ("ix_court_hearings_renewal_id", "court_hearings", "renewal_id"),
]
INDEXES = [
    ("ix_applications_title_trgm", "applications", "investigation_title"),
    ("ix_applications_urn_trgm", "applications", "urn"),
    ("ix_subjects_name_trgm", "subjects", "name"),
]


def upgrade() -> None:
    for name, table, column in BY_RENEWAL:
        op.create_index(name, table, [column])
    op.create_index("ix_triages_outcome_completed_at", "triages", ["outcome", "completed_at"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        op.create_index(
            name,
            table,
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _ in reversed(INDEXES):
            op.drop_index(name, table_name=table)
    op.drop_index("ix_triages_outcome_completed_at", table_name="triages")
    for name, table, _ in reversed(BY_RENEWAL):
        op.drop_index(name, table_name=table)
