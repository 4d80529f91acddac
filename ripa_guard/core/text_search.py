"""Case-insensitive "contains" for the register's search box, cheap on both databases.

`lower(column) LIKE lower(term)` stops SQLite from reading a covering index cheaply and costs a
function call per row; SQLite's own LIKE already ignores the case of ASCII letters (as its
lower() does), and PostgreSQL has ILIKE. So each database gets its own spelling of one rule:
the column contains the text typed, whatever the case. `%` and `_` typed by a user are matched
as themselves, not as wildcards.

A LIKE '%text%' still reads every row. PostgreSQL answers it from pg_trgm's indexes (migration
0009); on SQLite, `any_contains` reads an FTS5 trigram index instead (migration 0028).

ILIKE lowers both sides on every row it reads, and on PostgreSQL that costs most of a search
that matches many rows: a table may therefore keep its searched columns in lower case, in one
column (Application.searched, migration 0033), and PostgreSQL reads that with LIKE instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.functions import FunctionElement

ESCAPE = "\\"
#: A trigram index finds nothing shorter than one trigram: shorter text is read with LIKE.
TRIGRAM = 3
#: What a folded column puts between the columns it holds (Application.searched): a newline,
#: which no search box can type, so no search finds text running from one column into the next.
#: A search for text that holds one (typed into an address, say) reads the columns themselves.
FOLD_SEPARATOR = "\n"


def pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped."""
    for special in (ESCAPE, "%", "_"):
        text = text.replace(special, ESCAPE + special)
    return f"%{text}%"


def phrase(text: str) -> str:
    """An FTS5 query for `text` as it stands: one quoted phrase, every character literal."""
    return '"' + text.replace('"', '""') + '"'


def search_index(table_name: str) -> str:
    """The SQLite trigram index of a table's searched columns (migration 0028)."""
    return f"{table_name}_search"


#: The tables whose searched columns have a trigram index on SQLite (migration 0028).
INDEXED_TABLES = ("applications", "subjects")
#: The tables FTS5 keeps each index in, beside the index's own (sqlite.org/fts5.html).
SHADOW_TABLES = ("data", "idx", "docsize", "config", "content")


def is_search_index(table_name: str) -> bool:
    """Whether a table is one of SQLite's trigram indexes, or one FTS5 keeps an index in: no
    model describes them, and the schema's comparison with the models leaves them out."""
    indexes = {search_index(table) for table in INDEXED_TABLES}
    index, _, shadow = table_name.rpartition("_")
    return table_name in indexes or (index in indexes and shadow in SHADOW_TABLES)


def _distinct_words(text: str) -> list[str]:
    return list(dict.fromkeys(text.split()))


@dataclass(frozen=True)
class Terms:
    """A text searched for, as the parameters a statement reads it from.

    A statement's form depends on the text's shape (too short for the trigram index, how many
    words, a FOLD_SEPARATOR), not on the text itself. With `text`, each parameter is bound to
    it; without (`shape()`), the statement is built once for its shape and kept, and the text
    is given as it runs (parameters()): building the look-ahead's statement in Python took
    0.7 ms of its 1.1 on SQLite (issue 19). A statement searches for one text, so each
    parameter has one name wherever it stands."""

    short: bool
    #: How many distinct words, when there are several; 0 for one.
    words: int
    separator: bool
    text: str | None = None

    @classmethod
    def of(cls, text: str) -> Terms:
        words = len(_distinct_words(text))
        return cls(len(text) < TRIGRAM, words if words > 1 else 0, FOLD_SEPARATOR in text, text)

    def shape(self) -> Terms:
        """These terms with no text bound: a key to keep a statement by."""
        return replace(self, text=None)

    def pattern(self, inline: bool = False) -> BindParameter:
        """The whole text as a LIKE pattern; `inline` writes it into the statement (_folded)."""
        return self._parameter("pattern_inline" if inline else "pattern", inline)

    def phrase(self) -> BindParameter:
        return self._parameter("phrase")

    def word_patterns(self, inline: bool = False) -> list[BindParameter]:
        """A pattern for each word on its own, when there are several (_contains)."""
        prefix = "word_inline_" if inline else "word_"
        return [self._parameter(f"{prefix}{i}", inline) for i in range(self.words)]

    def _parameter(self, name: str, inline: bool = False) -> BindParameter:
        key = f"search_{name}"
        if self.text is None:
            return bindparam(key, type_=String(), literal_execute=inline)
        return bindparam(key, self._values[key], type_=String(), literal_execute=inline)

    @cached_property
    def _values(self) -> dict[str, str]:
        """parameters() of the text bound, worked out once for all of its parameters."""
        return parameters(self.text)


def parameters(text: str) -> dict[str, str]:
    """What a statement built for `text`'s shape (Terms.shape()) is run with."""
    words = _distinct_words(text)
    values = {"pattern": pattern(text), "phrase": phrase(text)}
    if len(words) > 1:
        for i, word in enumerate(words):
            values[f"word_{i}"] = values[f"word_inline_{i}"] = pattern(word)
    values["pattern_inline"] = values["pattern"]
    return {f"search_{name}": value for name, value in values.items()}


def _terms(text: str | Terms) -> Terms:
    return text if isinstance(text, Terms) else Terms.of(text)


class contains_text(FunctionElement):  # noqa: N801 - used like a SQL function
    """contains_text(column, text): true where `column` contains `text` (or Terms), ignoring
    case."""

    type = Boolean()
    inherit_cache = True

    def __init__(self, column, text: str | Terms):
        super().__init__(column, _terms(text).pattern())


@compiles(contains_text)
def _anywhere(element, compiler, **kw):
    column, term = element.clauses
    return compiler.process(column.ilike(term, escape=ESCAPE), **kw)


@compiles(contains_text, "sqlite")
def _sqlite(element, compiler, **kw):
    column, term = element.clauses
    return compiler.process(column.like(term, escape=ESCAPE), **kw)


def any_contains(
    columns: list, text: str | Terms, indexed: bool = True, folded=None
) -> ColumnElement[bool]:
    """True where any of `columns` (of one table, indexed by migration 0028 on SQLite)
    contains `text` (or Terms), ignoring case; `indexed=False` reads every row, which is
    cheaper when most rows match. `folded`, a column holding `columns` in lower case
    (FOLD_SEPARATOR between them), is what PostgreSQL reads instead of the columns themselves
    (_folded)."""
    terms = _terms(text)
    on_columns = _on_columns(columns, terms, indexed)
    if folded is None or terms.separator:
        return on_columns
    # Written into the statement, not sent beside it: PostgreSQL then plans for the text
    # itself, where a plan made once for any text (a prepared statement's, after its fifth
    # use) read a common word's 13,333 matches from the trigram index (7 ms, against 1.8).
    words = terms.word_patterns(inline=True) if indexed and not terms.short else []
    return _folded(on_columns, folded, terms.pattern(inline=True), *words)


def _on_columns(columns: list, terms: Terms, indexed: bool) -> ColumnElement[bool]:
    if not indexed or terms.short:
        return or_(*(contains_text(column, terms) for column in columns))
    return _indexed(
        columns[0].table.c.id,
        terms.phrase(),
        terms.pattern(),
        *terms.word_patterns(),
        *columns,
    )


def rows_containing(
    key, columns: list, text: str | Terms, dialect: str, folded=None, without=None
) -> Select:
    """`key` (a column of the table of `columns`) of each row where any of `columns` contains
    `text` (or Terms), given as the index finds them, so that a LIMIT on the statement stops
    the search; `without`, a condition of that table which few rows meet (drafts), leaves
    those rows out.

    The rows of any_contains, but on SQLite its `id IN (...)` reads every match from the
    trigram index before it gives the first (13,333 titles hold "fraud" at 100,000: 3.4 ms to
    give the first 1,001), where the index read on its own gives them as it goes. When `key`
    is the table's id it is the index's rowid, and `without`'s few ids are read once, from
    their own index: checking each match against its row took 0.9 ms of the 1,001's 1.1, and
    leaving the drafts' ids out takes 0.05. `dialect` is the name of the database's (the statement is built for
    one); `folded` is any_contains's."""
    terms = _terms(text)
    if dialect != "sqlite" or terms.short:
        query = select(key).where(any_contains(columns, terms, folded=folded))
        return query if without is None else query.where(~without)
    searched = columns[0].table
    index = table(search_index(searched.name), column("rowid"))
    matching = literal_column(index.name).op("MATCH")(terms.phrase())
    if key.primary_key and key.table is searched:  # the index's rowid is the row's id
        query = select(index.c.rowid.label(key.name)).where(matching)
        if without is not None:
            query = query.where(index.c.rowid.not_in(select(key).where(without)))
        return query
    query = select(key).select_from(index).join(searched, searched.c.id == index.c.rowid)
    query = query.where(matching)
    return query if without is None else query.where(~without)


class _indexed(FunctionElement):  # noqa: N801 - used like a SQL function
    """_indexed(id, phrase, pattern, *words, *columns): any_contains for text of a trigram or
    more; `words`, when the text has several, are patterns for each word on its own.

    Chosen in Python, not when compiled: a compiled statement is cached by its shape, not by
    the text searched for, so the shape must differ between the index and the LIKE. It has no
    Boolean type: SQLite would be given `id IN (...) = 1`, which it cannot answer by id."""

    inherit_cache = True


@compiles(_indexed)
def _indexed_anywhere(element, compiler, **kw):
    _id, _phrase, term, *rest = element.clauses
    words = [c for c in rest if isinstance(c, BindParameter)]
    columns = [c for c in rest if not isinstance(c, BindParameter)]
    # In brackets: it is compiled on its own, outside the AND it may stand in.
    anywhere = or_(*(_contains(c, term, words) for c in columns)).self_group()
    return compiler.process(anywhere, **kw)


def _contains(column, term, words: list) -> ColumnElement[bool]:
    """`column ILIKE term`, for PostgreSQL's trigram index. With several words, the index is
    asked for rows holding each word, and only those rows are read for the whole text: pg_trgm
    reads every posting list of the whole text's trigrams, those that cross between its words
    too, and in a register where most titles share a word ("seller") that took 15 ms where each
    word on its own took 2 ms. Each word is in the text, so no row the text matches is lost;
    `|| ''` keeps the whole text out of the index's condition."""
    if not words:
        return column.ilike(term, escape=ESCAPE)
    unindexed = column.op("||")(literal_column("''"))
    return and_(
        *(column.ilike(word, escape=ESCAPE) for word in words),
        unindexed.ilike(term, escape=ESCAPE),
    )


@compiles(_indexed, "sqlite")
def _indexed_sqlite(element, compiler, **kw):
    # FTS5's trigram tokenizer folds the case of every letter, not only ASCII's as SQLite's
    # LIKE does: "ÉLODIE" finds "Élodie" here, though a two-letter search's LIKE would not.
    id_, query, _term, *_words_and_columns = element.clauses
    index = search_index(id_.table.name)  # a table's name from the models, never typed text
    return (
        f"{compiler.process(id_, **kw)} IN (SELECT rowid FROM {index}"  # noqa: S608
        f" WHERE {index} MATCH {compiler.process(query, **kw)})"
    )


class _folded(FunctionElement):  # noqa: N801 - used like a SQL function
    """_folded(on_columns, folded, pattern, *words): on PostgreSQL, `folded LIKE lower(pattern)`
    (with each word's pattern first, as _contains asks, when the text has several); on SQLite,
    `on_columns`, whose LIKE folds ASCII's case cheaply and whose FTS5 index folds every letter.

    ILIKE lowers the column on every row it reads, then matches as LIKE does (on a UTF-8
    database: PostgreSQL's like.c). The folded column was lowered by the same lower() when the
    row was written, so the rows are the same and each costs a fifth: "fraud" in 13,333 of
    100,000 titles, its first 1,001 read 7.4 ms with ILIKE and 1.6 with LIKE. The pattern is
    lowered by the database, never by Python, whose lower() is not PostgreSQL's."""

    inherit_cache = True


@compiles(_folded)
def _folded_anywhere(element, compiler, **kw):
    _on_columns, folded, term, *words = element.clauses
    whole = folded.like(func.lower(term), escape=ESCAPE)
    if words:
        # As _contains: the index asked for each word, the whole text read only on those rows.
        unindexed = folded.op("||")(literal_column("''"))
        whole = and_(
            *(folded.like(func.lower(word), escape=ESCAPE) for word in words),
            unindexed.like(func.lower(term), escape=ESCAPE),
        )
    return compiler.process(whole.self_group(), **kw)


@compiles(_folded, "sqlite")
def _folded_sqlite(element, compiler, **kw):
    on_columns, *_rest = element.clauses
    return compiler.process(on_columns.self_group(), **kw)
