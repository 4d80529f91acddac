"""each entry's URN and title kept in lower case, for PostgreSQL's search box

The register's search box asks whether an entry's URN or investigation contains the text typed,
ignoring case. PostgreSQL's ILIKE lowers the column on every row it reads: a word in 13% of
titles ("fraud", 13,333 of 100,000), whose first 1,001 matches the box reads to say how many
there are or "more than 1,000", took 7-9 ms, most of it lowering titles (issue 19). This
revision keeps both columns lowered in one generated column, `searched` (the URN, a newline,
the title), written by the database with the same lower() ILIKE uses on a UTF-8 database (it
lowers both sides, then matches as LIKE does), so LIKE on it finds the same rows
(text_search._folded):

- a trigram index on it (replacing those on the title and the URN of 0009) finds a rare text;
- an index of each entry's id and folded text alone (no draft), read until enough are found,
  answers a common one: 1.6-2 ms for the 1,001 matches of "fraud", where the trigram index's
  13,333 candidates, each then read from its row, took 7-9.

SQLite's search reads its FTS5 index (0028) and its LIKE folds ASCII's case cheaply, so there
the column is virtual, computed only if read, and nothing reads it; the covering index of title
and URN (0007), which PostgreSQL no longer needs, stays for SQLite's.

Revision ID: 0033
Revises: 0032
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

#: Application.searched's expression: the newline between the quotes is the separator.
SEARCHED = "lower(coalesce(urn, '') || '\n' || investigation_title)"
#: 0009's trigram indexes, which PostgreSQL no longer reads (nor 0007's covering index).
REPLACED_TRIGRAMS = [
    ("ix_applications_title_trgm", "investigation_title"),
    ("ix_applications_urn_trgm", "urn"),
]


def upgrade() -> None:
    # Stored on PostgreSQL, where it is indexed (PostgreSQL 18 makes a column virtual unless
    # told); virtual on SQLite, the only kind it can add to a table without rebuilding it.
    postgresql = op.get_bind().dialect.name == "postgresql"
    searched = sa.Computed(SEARCHED, persisted=postgresql)
    op.add_column("applications", sa.Column("searched", sa.Text(), searched))
    if not postgresql:
        return
    for name, _column in REPLACED_TRIGRAMS:
        op.drop_index(name, table_name="applications")
    op.drop_index("ix_applications_search", table_name="applications")
    op.create_index(
        "ix_applications_searched_trgm",
        "applications",
        ["searched"],
        postgresql_using="gin",
        postgresql_ops={"searched": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_applications_searched",
        "applications",
        ["id"],
        postgresql_include=["searched"],
        postgresql_where=sa.text("urn IS NOT NULL"),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_applications_searched", table_name="applications")
        op.drop_index("ix_applications_searched_trgm", table_name="applications")
        op.create_index("ix_applications_search", "applications", ["investigation_title", "urn"])
        for name, column in REPLACED_TRIGRAMS:
            op.create_index(
                name,
                "applications",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
    op.drop_column("applications", "searched")
