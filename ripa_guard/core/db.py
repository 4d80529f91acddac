"""The database engine and the request's session."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from ripa_guard.core.private_files import private_file
from ripa_guard.core.text_search import is_search_index

# Named constraints, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def for_dialect(dialect_name: str):
    """An Alembic include_object hook: leave out what the models create on another database
    only, such as PostgreSQL's trigram indexes (Index.ddl_if), and SQLite's trigram indexes,
    which are tables no model describes (migration 0028)."""

    def include(obj, name, type_, reflected, _compare_to) -> bool:
        if type_ == "table" and reflected and is_search_index(name):
            return False
        only = getattr(obj, "_ddl_if", None)
        return only is None or only.dialect in (None, dialect_name)

    return include


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Waits:
    """How long a request may wait on the database, each bound below the app server's worker
    timeout (gunicorn's 30 s by default), so that a held lock ends in an answer that says
    "try again" rather than a worker killed mid-request (issue 17, reliability under faults).
    None leaves a wait unbounded: migrations and commands, which nobody is waiting on."""

    #: PostgreSQL: the longest wait for a row or table lock (lock_timeout), in milliseconds.
    lock_ms: int | None = None
    #: PostgreSQL: the longest one statement may run (statement_timeout), in milliseconds.
    statement_ms: int | None = None
    #: PostgreSQL: a transaction left open and idle this long is ended by the server
    #: (idle_in_transaction_session_timeout), in milliseconds, so it holds no lock for ever.
    idle_in_transaction_ms: int | None = None
    #: SQLite: the longest wait for another writer to finish (the busy timeout), in seconds.
    sqlite_busy_s: float = 30

    @classmethod
    def from_config(cls, config) -> Waits:
        return cls(
            lock_ms=config.get("DB_LOCK_TIMEOUT_MS"),
            statement_ms=config.get("DB_STATEMENT_TIMEOUT_MS"),
            idle_in_transaction_ms=config.get("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"),
            sqlite_busy_s=config.get("SQLITE_BUSY_TIMEOUT_SECONDS", 30),
        )

    def postgresql_options(self) -> str:
        settings = {
            "lock_timeout": self.lock_ms,
            "statement_timeout": self.statement_ms,
            "idle_in_transaction_session_timeout": self.idle_in_transaction_ms,
        }
        return " ".join(f"-c {name}={int(ms)}" for name, ms in settings.items() if ms)


def make_engine(
    url: str,
    waits: Waits | None = None,
    parallel_workers: int | None = None,
    prepared_statements: bool = True,
) -> Engine:
    """An engine; SQLite gets foreign keys and a busy timeout so concurrent writers wait, and
    every wait is bounded by `waits` (none by default). On PostgreSQL `parallel_workers` is how
    many workers one query may start (max_parallel_workers_per_gather; None: the server's), and
    without `prepared_statements` the driver prepares none (config.DB_PREPARED_STATEMENTS)."""
    waits = waits or Waits()
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:" and not path.startswith("file:"):
            # Made here, before SQLite (or a migration) creates it readable by everyone.
            private_file(path)
        engine = create_engine(url, connect_args={"timeout": waits.sqlite_busy_s})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    options = waits.postgresql_options()
    if parallel_workers is not None:
        options = f"{options} -c max_parallel_workers_per_gather={int(parallel_workers)}".strip()
    connect_args = {"options": options} if options else {}
    if not prepared_statements:
        connect_args["prepare_threshold"] = None
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


class RequestSession(Session):
    """A session whose commits can be held: inside `hold_commits()`, commit() only flushes, and
    whoever held them commits once, so that what they add commits with the change itself (an
    API write's idempotency key, core/idempotency.py)."""

    def commit(self) -> None:
        if self.info.get("commits_held"):
            self.flush()
            return
        super().commit()

    @contextmanager
    def hold_commits(self) -> Iterator[None]:
        self.info["commits_held"] = True
        try:
            yield
        finally:
            self.info.pop("commits_held", None)


@event.listens_for(RequestSession, "after_flush")
def _note_flush(session, _context) -> None:
    session.info["flushed"] = True


@event.listens_for(RequestSession, "do_orm_execute")
def _note_write(state) -> None:
    # An INSERT, UPDATE or DELETE given to session.execute() writes without a flush.
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["flushed"] = True


@event.listens_for(RequestSession, "after_transaction_end")
def _forget_flush(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("flushed", None)


def only_read(s: Session) -> bool:
    """Whether this session's transaction holds nothing to commit: nothing added, changed or
    deleted, and nothing flushed since it began."""
    return not (s.new or s.dirty or s.deleted or s.info.get("flushed"))


def init_app(app: Flask) -> None:
    prepared = app.config.get("DB_PREPARED_STATEMENTS", True)
    engine = make_engine(
        app.config["DATABASE_URL"],
        Waits.from_config(app.config),
        app.config.get("DB_PARALLEL_WORKERS"),
        prepared,
    )
    app.extensions["ripa_guard.engine"] = engine
    app.extensions["ripa_guard.sessionmaker"] = sessionmaker(
        engine,
        class_=RequestSession,
        expire_on_commit=False,
        # Where ending a read with COMMIT saves anything (_close_session).
        info={"commit_reads": prepared and engine.dialect.name == "postgresql"},
    )
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["ripa_guard.engine"]


def session() -> Session:
    """The session of this request or app context; rolled back unless committed."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["ripa_guard.sessionmaker"]()
    return g.db_session


def roll_back() -> None:
    """Roll back this request's session after a failure, whatever state its connection is
    in, so that the error page can still read (a dead connection is discarded for a new one)."""
    s = g.get("db_session")
    if s is None:
        return
    try:
        s.rollback()
    except Exception:
        log.warning("could not roll back the database session", exc_info=True)
        g.pop("db_session", None)


def _close_session(_exc=None) -> None:
    s = g.pop("db_session", None)
    if s is None:
        return
    try:
        if (
            s.info.get("commit_reads")
            and _exc is None
            and s.is_active
            and s.in_transaction()
            and only_read(s)
        ):
            # A transaction that only read ends the same committed as rolled back, but on
            # PostgreSQL a ROLLBACK makes psycopg forget the statements it has prepared, so
            # every request planned all its queries afresh (issue 19). One that failed
            # (is_active False) is rolled back by close(), as before. SQLite has nothing to
            # keep, and the commit's own work cost it 0.1-0.2 ms a page.
            s.commit()
        s.close()
    except Exception:
        # The answer is written already: a connection the server ended (a restart, a
        # terminated backend) must not turn it into the app server's bare 500. The pool drops
        # the dead connection; the next request gets a new one.
        log.warning("could not close the database session cleanly", exc_info=True)
        try:
            s.invalidate()
        except Exception:
            log.warning("could not discard the database connection", exc_info=True)
