"""First start with several workers: they all upgrade at once, one does it, the others wait."""

from __future__ import annotations

import multiprocessing
import os

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from ripa_guard.core import migrate
from tests.databases import postgresql_database_beside

WORKERS = 4


def _upgrade_in_a_worker(url: str, start, results) -> None:
    start.wait()  # all at once, as gunicorn's workers do on the first start
    try:
        migrate.upgrade(url)
    except Exception as error:  # reported to the test, which names it
        results.put(f"{type(error).__name__}: {error}")
    else:
        results.put("ok")


def _upgrade_at_once(url: str) -> list[str]:
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(WORKERS), spawn.Queue()
    workers = [
        spawn.Process(target=_upgrade_in_a_worker, args=(url, start, results))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return answers


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return current


def _head() -> str:
    return ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_current_head()


def test_workers_starting_together_on_a_new_sqlite_file_all_come_up_at_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"

    assert _upgrade_at_once(url) == ["ok"] * WORKERS
    assert _revision(url) == _head()


@pytest.fixture
def fresh_postgresql_database():
    """A new, empty PostgreSQL database beside the suite's, dropped afterwards."""
    suite = os.environ.get("RIPA_GUARD_TEST_DATABASE_URL", "")
    if not suite.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (RIPA_GUARD_TEST_DATABASE_URL)")
    with postgresql_database_beside(suite, "first_start") as url:
        yield url


def test_workers_starting_together_on_a_new_postgresql_database_all_come_up_at_head(
    fresh_postgresql_database,
):
    assert _upgrade_at_once(fresh_postgresql_database) == ["ok"] * WORKERS
    assert _revision(fresh_postgresql_database) == _head()
