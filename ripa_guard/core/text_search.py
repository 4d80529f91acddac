"""Case-insensitive "contains" for the register's search box, cheap on both databases.

`lower(column) LIKE lower(term)` stops SQLite from reading a covering index cheaply and costs a
function call per row; SQLite's own LIKE already ignores the case of ASCII letters (as its
lower() does), and PostgreSQL has ILIKE. So each database gets its own spelling of one rule:
the column contains the text typed, whatever the case. `%` and `_` typed by a user are matched
as themselves, not as wildcards.
"""

from __future__ import annotations

from sqlalchemy import Boolean, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

ESCAPE = "\\"


def pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped."""
    for special in (ESCAPE, "%", "_"):
        text = text.replace(special, ESCAPE + special)
    return f"%{text}%"


class contains_text(FunctionElement):  # noqa: N801 - used like a SQL function
    """contains_text(column, text): true where `column` contains `text`, ignoring case."""

    type = Boolean()
    inherit_cache = True

    def __init__(self, column, text: str):
        super().__init__(column, literal(pattern(text)))


@compiles(contains_text)
def _anywhere(element, compiler, **kw):
    column, term = element.clauses
    return compiler.process(column.ilike(term, escape=ESCAPE), **kw)


@compiles(contains_text, "sqlite")
def _sqlite(element, compiler, **kw):
    column, term = element.clauses
    return compiler.process(column.like(term, escape=ESCAPE), **kw)
