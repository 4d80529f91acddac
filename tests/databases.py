"""Databases of their own for tests that migrate one from an old revision or a first start."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def postgresql_database_beside(suite: str, suffix: str) -> Iterator[str]:
    """A new, empty database on the suite's PostgreSQL server, named after the suite's with
    `suffix` added, dropped afterwards."""
    server = sa.make_url(suite)
    name = f"{server.database}_{suffix}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def own_database(tmp_path, suffix: str) -> Iterator[str]:
    """Its own database: a SQLite file, or on the PostgreSQL server of
    RIPA_GUARD_TEST_DATABASE_URL a database of that name with `suffix` added."""
    suite = os.environ.get("RIPA_GUARD_TEST_DATABASE_URL")
    if not suite:
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    with postgresql_database_beside(suite, suffix) as url:
        yield url


@contextmanager
def at_revision(url: str, revision: str) -> Iterator[tuple[sa.Connection, sa.MetaData]]:
    """The database at `url` brought up to an old `revision`, with a connection in a
    transaction and the tables as they were then, to put in the rows an old install held."""
    from ripa_guard.core import db
    from ripa_guard.core.migrate import upgrade

    upgrade(url, revision)
    engine = db.make_engine(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    try:
        with engine.begin() as connection:
            yield connection, tables
    finally:
        engine.dispose()


def old_entries(connection: sa.Connection, tables: sa.MetaData, rows: list[dict]) -> list[int]:
    """Applications as an old install held them (at_revision), each with its own triage, all by
    one officer, with the columns of each of `rows`: their ids, in order."""
    from tests.core.test_migration_0017 import insert

    olive = insert(connection, tables, "users", email="o@x", name="Olive", service="Licensing")
    ids = []
    for n, columns in enumerate(rows):
        triage = insert(connection, tables, "triages", officer_id=olive, title=f"Plan {n}")
        ids.append(
            insert(
                connection, tables, "applications", triage_id=triage, officer_id=olive, **columns
            )
        )
    return ids
