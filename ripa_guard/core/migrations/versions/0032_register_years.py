"""each year's count of entries kept by triggers, and how many of them were submitted later

The register filtered by a year lists the entries submitted in it or having effect at any time
during it (central_record.narrowed). At 100,000 applications its page counted them on every
request from an index of every entry (16,000-17,000 of 100,000 pass): 9-15 ms of a page that
is otherwise 5 (issue 19). Which years an entry is on depends on four dates and its URN, so no
index range finds them; instead this revision keeps, for each year 2000-2100 (the years the
register's filter takes), the number of entries on that year's register, in register_years,
written by triggers on applications whenever a row with a URN comes or goes or one of those
dates changes, and fills it from the rows there.

An entry is on year Y's register when (the condition of central_record.narrowed, in years):
- the year it was submitted (UTC: 1 January begins at midnight GMT in London) is Y; or
- it has taken effect and has an end (its cancellation, else its last day), the year it took
  effect is Y or before and the year it ended is Y or after.

Each year also keeps `submitted_later`: its entries submitted after it, or with no date of
submission (an old register's import may hold an entry whose recorded dates run backwards).
While that is 0, none of the year's entries was submitted after its last day, so the page,
newest first, starts reading at the year's end instead of at the newest entry (8 ms for 2020 at
100,000 on PostgreSQL, against well under 1).

- SQLite: a row trigger for each of insert, delete and a change of those columns.
- PostgreSQL: statement triggers with transition tables, as 0030 counts inserts and deletions,
  so a bulk insert or update changes each year's row once; the update trigger returns at once
  when no row's URN or dates changed, and touches a year's row only when its count changes.
  Years are updated in order, so two transactions moving the same years cannot deadlock
  (SQLite's writers take the whole database, one at a time).

Like 0030's, these triggers are dropped by a later migration that rebuilds applications in
batch mode on SQLite, which must create them again (tests/register/test_register_years.py).

Revision ID: 0032
Revises: 0031
"""

# ruff: noqa: S608 - the SQL below names only this module's own tables, columns and constants

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

#: The years kept: those the register's year filter accepts (register.views).
FIRST_YEAR, LAST_YEAR = 2000, 2100

#: The year of a row's dates, by dialect; {x} is the row ("new", "old" or a table's alias).
_YEARS = {
    "sqlite": {
        "submitted": "CAST(substr({x}.submitted_at, 1, 4) AS INTEGER)",
        "took_effect": "CAST(substr({x}.takes_effect, 1, 4) AS INTEGER)",
        "ended": "CAST(substr(coalesce({x}.cancelled_on, {x}.last_day), 1, 4) AS INTEGER)",
    },
    "postgresql": {
        "submitted": "CAST(extract(year FROM {x}.submitted_at AT TIME ZONE 'UTC') AS integer)",
        "took_effect": "CAST(extract(year FROM {x}.takes_effect) AS integer)",
        "ended": "CAST(extract(year FROM coalesce({x}.cancelled_on, {x}.last_day)) AS integer)",
    },
}


def _on_year(dialect: str, x: str, year: str) -> str:
    """Whether row `x`, an entry on the record, is on the register of `year` (a column)."""
    y = {name: shape.format(x=x) for name, shape in _YEARS[dialect].items()}
    return (
        f"{x}.urn IS NOT NULL AND ({y['submitted']} = {year}"
        f" OR ({y['took_effect']} <= {year} AND {y['ended']} >= {year}))"
    )


def _later(dialect: str, x: str, year: str) -> str:
    """1 when row `x` was submitted after `year`, or has no date of submission; else 0."""
    return f"CASE WHEN {_YEARS[dialect]['submitted'].format(x=x)} <= {year} THEN 0 ELSE 1 END"


_WATCHED = ("urn", "submitted_at", "takes_effect", "cancelled_on", "last_day")


def _sqlite_triggers() -> dict[str, str]:
    def moved(row: str, sign: str) -> str:
        return (
            f"UPDATE register_years SET entries = entries {sign} 1,"
            f" submitted_later = submitted_later {sign} {_later('sqlite', row, 'year')}"
            f" WHERE {_on_year('sqlite', row, 'year')};"
        )

    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED)
    return {
        "register_years_insert": f"AFTER INSERT ON applications BEGIN {moved('new', '+')} END",
        "register_years_delete": f"AFTER DELETE ON applications BEGIN {moved('old', '-')} END",
        "register_years_update": (
            f"AFTER UPDATE OF {', '.join(_WATCHED)} ON applications WHEN {changed}"
            f" BEGIN {moved('old', '-')} {moved('new', '+')} END"
        ),
    }


def _postgresql_counted(rows: str, sign: str) -> str:
    """The rows of transition table `rows`, counted into each year they are on, times sign."""
    return (
        f"SELECT y.year, {sign}1 AS entries, {sign}{_later('postgresql', 'x', 'y.year')} AS later"
        f" FROM {rows} AS x JOIN register_years AS y ON {_on_year('postgresql', 'x', 'y.year')}"
    )


def _postgresql_function(*parts: str, guard: str = "") -> str:
    """A trigger function adding `parts` (each _postgresql_counted) into each year's row, one
    year at a time in order of year: two transactions that move the same years lock their rows
    in the same order, so neither waits on a row the other holds while holding one it needs."""
    return f"""
        DECLARE moved record;
        BEGIN
            {guard}
            FOR moved IN
                SELECT year, sum(entries) AS entries, sum(later) AS later
                FROM ({" UNION ALL ".join(parts)}) AS counted
                GROUP BY year
                HAVING sum(entries) <> 0 OR sum(later) <> 0
                ORDER BY year
            LOOP
                UPDATE register_years
                SET entries = entries + moved.entries,
                    submitted_later = submitted_later + moved.later
                WHERE year = moved.year;
            END LOOP;
            RETURN NULL;
        END"""


_UPDATE_GUARD = (
    "IF NOT EXISTS (SELECT 1 FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id WHERE "
    + " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in _WATCHED)
    + ") THEN RETURN NULL; END IF;"
)

_POSTGRESQL_FUNCTIONS = {
    "register_years_inserted": _postgresql_function(_postgresql_counted("new_rows", "+")),
    "register_years_deleted": _postgresql_function(_postgresql_counted("old_rows", "-")),
    "register_years_updated": _postgresql_function(
        _postgresql_counted("new_rows", "+"),
        _postgresql_counted("old_rows", "-"),
        guard=_UPDATE_GUARD,
    ),
}

_POSTGRESQL_TRIGGERS = {
    "register_years_insert": (
        "AFTER INSERT ON applications REFERENCING NEW TABLE AS new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION register_years_inserted()"
    ),
    "register_years_delete": (
        "AFTER DELETE ON applications REFERENCING OLD TABLE AS old_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION register_years_deleted()"
    ),
    "register_years_update": (
        "AFTER UPDATE ON applications REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION register_years_updated()"
    ),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    years = op.create_table(
        "register_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("submitted_later", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_register_years")),
    )
    op.bulk_insert(
        years,
        [
            {"year": year, "entries": 0, "submitted_later": 0}
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
        ],
    )
    # Every entry counted into each year it is on, once (UPDATE ... FROM: SQLite 3.33 and up).
    op.execute(
        "UPDATE register_years SET entries = c.entries, submitted_later = c.later FROM ("
        f" SELECT y.year, count(*) AS entries, sum({_later(dialect, 'x', 'y.year')}) AS later"
        f" FROM applications AS x JOIN register_years AS y ON {_on_year(dialect, 'x', 'y.year')}"
        " GROUP BY y.year) AS c WHERE register_years.year = c.year"
    )
    if dialect == "postgresql":
        for name, body in _POSTGRESQL_FUNCTIONS.items():
            op.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$"
            )
        for name, definition in _POSTGRESQL_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    else:
        for name, definition in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {definition}")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in _POSTGRESQL_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}" + (" ON applications" if postgresql else ""))
    if postgresql:
        for name in _POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("register_years")
