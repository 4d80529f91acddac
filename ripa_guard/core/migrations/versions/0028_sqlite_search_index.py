"""trigram indexes for the register's search box on SQLite (FTS5)

At 100,000 applications the search box read every URN, title and subject's name with
LIKE '%text%' on SQLite (37 ms a search, issue 19). SQLite's FTS5 with the trigram tokenizer
finds a substring from an index instead: this revision adds one over applications' URN and
investigation title and one over subjects' names, kept in step by triggers, and fills them
from the rows already there (core.text_search reads them).

They are "external content" tables: they hold only the index and read the text from
applications and subjects, so nothing is stored twice. The triggers are those SQLite's FTS5
documentation gives for such tables (https://sqlite.org/fts5.html, "External Content Tables"):
a row's old values are taken out of the index with the 'delete' command before its new ones
go in. Applications are updated often for other columns, so their trigger fires only on the
URN and the title. A later migration that rebuilds applications or subjects in batch mode
(a copy of the table under a new name) drops these triggers and must create them again.

The trigram tokenizer came with SQLite 3.34 (2020): on an older SQLite this upgrade stops
with an error that names the tokenizer.

On PostgreSQL this revision does nothing: pg_trgm's GIN indexes (migration 0009) already
answer the search's ILIKE from an index.

Revision ID: 0028
Revises: 0027
"""

# ruff: noqa: S608 - the SQL below names only this module's own tables and columns
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

#: (the table, its index, the columns the search box reads)
INDEXED = [
    ("applications", "applications_search", ("urn", "investigation_title")),
    ("subjects", "subjects_search", ("name",)),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, index, columns in INDEXED:
        listed = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        take_out = (
            f"INSERT INTO {index} ({index}, rowid, {listed}) VALUES ('delete', old.id, {old});"
        )
        put_in = f"INSERT INTO {index} (rowid, {listed}) VALUES (new.id, {new});"
        op.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5({listed},"
            f" content='{table}', content_rowid='id', tokenize='trigram')"
        )
        op.execute(f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {put_in} END")
        op.execute(f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {take_out} END")
        op.execute(
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF {listed} ON {table}"
            f" BEGIN {take_out} {put_in} END"
        )
        op.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for _table, index, _columns in reversed(INDEXED):
        for event in ("update", "delete", "insert"):
            op.execute(f"DROP TRIGGER {index}_{event}")
        op.execute(f"DROP TABLE {index}")
