"""the register's size kept by triggers; the in-force index carries the id on PostgreSQL

At 100,000 applications the register's page counted its entries on every request: on
PostgreSQL an index-only scan of every application, 3-5 ms of a page that is otherwise 10
(issue 19). This revision keeps the count in a one-row table, register_size, written by
triggers on applications whenever a row with a URN comes or goes, or a URN is given (a draft
has none until it is submitted, ripa_guard.applications.urn), and fills it from the rows there.
Triggers, not the application's code, so the seed's bulk inserts and the import of an old
register keep it as a submission does, in the same transaction.

- SQLite: a row trigger for each of insert, delete and a change of URN.
- PostgreSQL: the inserts and deletions counted once a statement from its transition table
  (a row trigger that updated one row 100,000 times in one transaction would follow a chain of
  100,000 versions of it), and a row trigger for a change of URN. Each touches the counter only
  when the count changes, so drafts made and updated never wait on its row lock.

Whoever gives URNs locks the URN counter (urn_sequences) first and this one second; the import
of an old register does too (register.importing moves the URN counters on before it writes),
so two never wait on each other in opposite orders.

A later migration that rebuilds applications in batch mode on SQLite (a copy of the table
under a new name) drops these triggers, as it would 0028's, and must create them again
(tests/register/test_register_size.py fails if it does not).

Also, on PostgreSQL, the index on (status, last_day) now carries the id (INCLUDE), so the counts
of entries in force or lapsed, which leave destroyed entries out by id, read the index alone
(2.3 ms against 0.6 ms at 100,000); SQLite's indexes hold the id already.

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = {
    "register_size_insert": (
        "AFTER INSERT ON applications WHEN new.urn IS NOT NULL"
        " BEGIN UPDATE register_size SET entries = entries + 1; END"
    ),
    "register_size_delete": (
        "AFTER DELETE ON applications WHEN old.urn IS NOT NULL"
        " BEGIN UPDATE register_size SET entries = entries - 1; END"
    ),
    "register_size_update": (
        "AFTER UPDATE OF urn ON applications WHEN (old.urn IS NULL) <> (new.urn IS NULL)"
        " BEGIN UPDATE register_size"
        " SET entries = entries + CASE WHEN new.urn IS NULL THEN -1 ELSE 1 END; END"
    ),
}

_POSTGRESQL_FUNCTIONS = {
    # Statement triggers: the rows inserted (or deleted) by one statement, counted at once.
    "register_size_inserted": """
        DECLARE n integer;
        BEGIN
            SELECT count(*) INTO n FROM changed WHERE urn IS NOT NULL;
            IF n <> 0 THEN UPDATE register_size SET entries = entries + n; END IF;
            RETURN NULL;
        END""",
    "register_size_deleted": """
        DECLARE n integer;
        BEGIN
            SELECT count(*) INTO n FROM changed WHERE urn IS NOT NULL;
            IF n <> 0 THEN UPDATE register_size SET entries = entries - n; END IF;
            RETURN NULL;
        END""",
    "register_size_urn_changed": """
        BEGIN
            UPDATE register_size
            SET entries = entries + CASE WHEN NEW.urn IS NULL THEN -1 ELSE 1 END;
            RETURN NULL;
        END""",
}

_POSTGRESQL_TRIGGERS = {
    "register_size_insert": (
        "AFTER INSERT ON applications REFERENCING NEW TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION register_size_inserted()"
    ),
    "register_size_delete": (
        "AFTER DELETE ON applications REFERENCING OLD TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION register_size_deleted()"
    ),
    "register_size_update": (
        "AFTER UPDATE OF urn ON applications FOR EACH ROW"
        " WHEN ((OLD.urn IS NULL) IS DISTINCT FROM (NEW.urn IS NULL))"
        " EXECUTE FUNCTION register_size_urn_changed()"
    ),
}


def upgrade() -> None:
    op.create_table(
        "register_size",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_size")),
    )
    op.execute(
        "INSERT INTO register_size (id, entries)"
        " SELECT 1, count(*) FROM applications WHERE urn IS NOT NULL"
    )
    if op.get_bind().dialect.name == "postgresql":
        for name, body in _POSTGRESQL_FUNCTIONS.items():
            op.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$"
            )
        for name, definition in _POSTGRESQL_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
        op.drop_index("ix_applications_status_last_day", table_name="applications")
        op.create_index(
            "ix_applications_status_last_day",
            "applications",
            ["status", "last_day"],
            postgresql_include=["id"],
        )
        op.execute("ANALYZE applications")
    else:
        for name, definition in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}" + (" ON applications" if postgresql else ""))
    if postgresql:
        for name in _POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
        op.drop_index("ix_applications_status_last_day", table_name="applications")
        op.create_index("ix_applications_status_last_day", "applications", ["status", "last_day"])
    op.drop_table("register_size")
