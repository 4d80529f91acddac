"""SQL the extract's rows are built with, written once for SQLite and once for PostgreSQL:
dates and London times as the extract writes them, and a record's history joined into one
text in the order it happened.

The CSV and the workbook write text the database has already put together, so an extract of
the whole register costs about what the database's own dump of the same rows does.
"""

from __future__ import annotations

from sqlalchemy import Boolean, String, case, cast, func, literal, literal_column, select
from sqlalchemy import true as sql_true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class london_minute(FunctionElement):  # noqa: N801 (an SQL function's name)
    """A moment stored in UTC as "YYYY-MM-DD HH:MM" on the clock in London (extract_columns._dt)."""

    type = String()
    inherit_cache = True
    name = "london_minute"


@compiles(london_minute, "postgresql")
def _london_minute_postgresql(element, compiler, **kw):
    (moment,) = element.clauses
    value = compiler.process(moment, **kw)
    return f"to_char(({value}) AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI')"


@compiles(london_minute, "sqlite")
def _london_minute_sqlite(element, compiler, **kw):
    # SQLite has no time zones. British Summer Time runs from 01:00 UTC on the last Sunday of
    # March to 01:00 UTC on the last Sunday of October (Summer Time Order 2002, SI 2002/262,
    # the rule since 1996): the last Sunday of a 31-day month is the first on or after the 25th.
    (moment,) = element.clauses
    utc = f"datetime({compiler.process(moment, **kw)})"
    year = f"strftime('%Y', {utc})"
    starts = f"date({year} || '-03-25', 'weekday 0') || ' 01:00:00'"
    ends = f"date({year} || '-10-25', 'weekday 0') || ' 01:00:00'"
    return (
        f"(CASE WHEN {utc} >= {starts} AND {utc} < {ends} "
        f"THEN strftime('%Y-%m-%d %H:%M', {utc}, '+1 hour') "
        f"ELSE strftime('%Y-%m-%d %H:%M', {utc}) END)"
    )


class iso_day(FunctionElement):  # noqa: N801
    """A date as "YYYY-MM-DD" (extract_columns._d)."""

    type = String()
    inherit_cache = True
    name = "iso_day"


@compiles(iso_day, "postgresql")
def _iso_day_postgresql(element, compiler, **kw):
    (day,) = element.clauses
    return f"to_char({compiler.process(day, **kw)}, 'YYYY-MM-DD')"


@compiles(iso_day, "sqlite")
def _iso_day_sqlite(element, compiler, **kw):
    (day,) = element.clauses  # SQLite keeps a date as its ISO text already
    return compiler.process(day, **kw)


def joined(dialect: str, table, text, separator: str, where, order_by, outer):
    """The rows of `table` that `where` picks, each as `text`, in the order of `order_by`,
    joined by `separator` into one value: a scalar subquery correlated with `outer`, the table
    of the row around it."""
    if dialect == "postgresql":
        return (
            select(func.string_agg(text, aggregate_order_by(literal(separator), order_by)))
            .select_from(table)
            .where(where)
            .scalar_subquery()
        )
    # SQLite (3.40) has no ORDER BY inside an aggregate: group_concat reads an ordered subquery.
    ordered = (
        select(text.label("part"))
        .select_from(table)
        .where(where)
        .order_by(order_by)
        .correlate(outer)
        .subquery()
    )
    return select(func.group_concat(ordered.c.part, separator)).scalar_subquery()


def titles(column, names: dict[str, str]):
    """A stored value as the words the extract writes for it (an enum's titles)."""
    return case(names, value=column, else_=column)


def offences_named(dialect: str):
    """Every offence named in the snapshot (SI 2010/521 art. 7A(2)-(3)), as
    extract_columns._offence writes them; NULL when the snapshot predates its "offences" list."""
    meets = "': meets the crime threshold'"
    misses = "': does not meet it'"
    if dialect == "postgresql":
        o = "j.value"
        part = (
            f"coalesce({o}->>'title', '') || ' (' || coalesce({o}->>'citation', '') || ')' || "
            f"CASE WHEN coalesce({o}->>'maximum', '') <> '' THEN ', maximum: ' || "
            f"lower(left({o}->>'maximum', 1)) || substr({o}->>'maximum', 2) ELSE '' END || "
            f"CASE WHEN ({o}->>'meets') = 'true' THEN {meets} ELSE {misses} END"
        )
        # No input reaches this SQL: it is constant text.
        sql = (
            f"(SELECT string_agg({part}, ' | ' ORDER BY j.n) FROM json_array_elements("  # noqa: S608
            "CAST(applications.offence_snapshot AS json) -> 'offences') WITH ORDINALITY AS j(value, n))"
        )
    else:
        field = "json_extract(j.value, '$.{}')".format
        part = (
            f"coalesce({field('title')}, '') || ' (' || coalesce({field('citation')}, '') || ')' || "
            f"CASE WHEN coalesce({field('maximum')}, '') <> '' THEN ', maximum: ' || "
            f"lower(substr({field('maximum')}, 1, 1)) || substr({field('maximum')}, 2) ELSE '' END || "
            f"CASE WHEN {field('meets')} THEN {meets} ELSE {misses} END"
        )
        # No input reaches this SQL: it is constant text.
        sql = (
            f"(SELECT group_concat(part, ' | ') FROM (SELECT {part} AS part FROM "  # noqa: S608
            "json_each(applications.offence_snapshot, '$.offences') AS j ORDER BY j.key))"
        )
    return literal_column(sql, String)


def has_offence_list(dialect: str):
    if dialect == "postgresql":
        sql = "((CAST(applications.offence_snapshot AS json) -> 'offences') IS NOT NULL)"
    else:
        sql = "(json_type(applications.offence_snapshot, '$.offences') IS NOT NULL)"
    return literal_column(sql, Boolean)


def blank_if_none(value):
    """A value, or "" where there is none."""
    return func.coalesce(value, "")


def yes_no(value):
    """extract_columns._yes in SQL."""
    return case((value.is_(None), ""), (value == sql_true(), "Yes"), else_="No")


def number_text(value):
    """str(value or "") in SQL."""
    return case((func.coalesce(value, 0) == 0, ""), else_=cast(value, String))


def name_and_grade(decision):
    return case(
        (decision.id.is_(None), ""),
        else_=decision.decided_by_name + ", " + decision.decided_by_grade,
    )


def acting_for(c):
    """extract_columns._acting in SQL (RIPA s.45(4))."""
    return case(
        (func.coalesce(c.acting_for_name, "") == "", ""),
        else_="Acting for "
        + c.acting_for_name
        + ", no longer available: "
        + func.coalesce(c.acting_reason, ""),
    )


def last_id(model, where):
    """The id of the last row of `model` that `where` picks (its latest decision or hearing)."""
    return select(func.max(model.id)).where(where).scalar_subquery()
