"""Reliability under faults: every wait on the database is bounded below the worker timeout,
a wait cut short or a lost connection is answered 503 with Retry-After (the work was rolled
back, so a retry is safe), and closing a session on a dead connection never fails a response.

The locks and terminated connections are real, made from a second connection; nothing sleeps:
the app under test has small bounds, and the lock or the terminated backend does the rest.
"""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import time

import pytest
from flask import g
from sqlalchemy import create_engine, event, text

from ripa_guard import create_app
from ripa_guard.core import db
from tests.helpers import PageClient, check_page
from tests.viewing.test_viewing_api import API, make_token
from tests.viewing_setup import CASE, PROFILE_URL, SUBJECT, case_of_token, viewings

#: The bounds of the app under test, in milliseconds: small, so that a test waits little.
LOCK_MS, STATEMENT_MS, IDLE_MS = 200, 2_000, 3_000
BODY = {
    "url": PROFILE_URL,
    "investigation": CASE,
    "subject": SUBJECT,
    "purpose": "Check for new listings",
    "captured": False,
}


def _on_postgresql(url: str) -> bool:
    return url.startswith("postgresql")


def _settings_of(app) -> dict:
    """The suite's app's keys and database, for a second app beside it."""
    keys = ("TESTING", "SECRET_KEY", "AUDIT_KEY", "AUDIT_HEAD_FILE", "DATABASE_URL")
    return {key: app.config[key] for key in keys}


@pytest.fixture
def bounded(app):
    """A second app on the suite's database, with small bounds on every wait."""
    settings = _settings_of(app)
    bounded_app = create_app(
        {
            **settings,
            "AUTO_MIGRATE": False,
            "DB_LOCK_TIMEOUT_MS": LOCK_MS,
            "DB_STATEMENT_TIMEOUT_MS": STATEMENT_MS,
            "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS": IDLE_MS,
            "SQLITE_BUSY_TIMEOUT_SECONDS": LOCK_MS / 1000,
        }
    )
    yield bounded_app
    bounded_app.extensions["ripa_guard.engine"].dispose()


@pytest.fixture
def other_connection(database_url):
    """A connection of another program (a DBA's psql, a report): no bounds of its own."""
    engine = create_engine(database_url)
    connection = engine.connect()
    yield connection
    connection.close()
    engine.dispose()


def _token(app, officer) -> str:
    """The officer's API token, with their investigation opened before any lock is taken."""
    token = make_token(app, officer)
    case_of_token(app, token)
    return token


def _post(client, token):
    body = {**BODY, "investigation": case_of_token(client.application, token)}
    return client.post(API, json=body, headers={"Authorization": f"Bearer {token}"})


def _assert_try_again(response, started: float, bound_s: float) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert time.monotonic() - started < bound_s + 2, "the wait was not cut short at its bound"


def test_the_bounds_are_those_of_the_settings(bounded, database_url):
    with bounded.app_context(), db.engine().connect() as connection:
        if _on_postgresql(database_url):
            shown = {
                name: connection.execute(text(f"SHOW {name}")).scalar()
                for name in (
                    "lock_timeout",
                    "statement_timeout",
                    "idle_in_transaction_session_timeout",
                )
            }
            assert shown == {
                "lock_timeout": f"{LOCK_MS}ms",
                "statement_timeout": f"{STATEMENT_MS // 1000}s",
                "idle_in_transaction_session_timeout": f"{IDLE_MS // 1000}s",
            }
        else:
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == LOCK_MS


def test_a_query_of_the_app_starts_no_parallel_workers_unless_the_settings_say(app, database_url):
    """DB_PARALLEL_WORKERS (config.py): 0 by default; None leaves the server's setting."""
    if not _on_postgresql(database_url):
        pytest.skip("parallel query is PostgreSQL's")
    with app.app_context(), db.engine().connect() as connection:
        assert connection.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"
    servers = create_app({**_settings_of(app), "AUTO_MIGRATE": False, "DB_PARALLEL_WORKERS": None})
    with servers.app_context(), db.engine().connect() as connection:
        assert connection.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "2"
    servers.extensions["ripa_guard.engine"].dispose()


def _prepared_after_six_runs(application) -> int:
    """How many statements the server holds prepared for a connection that ran one six times."""
    with application.app_context(), db.engine().connect() as connection:
        for _ in range(6):
            connection.execute(text("SELECT count(*) FROM users WHERE id > :n"), {"n": 0})
        prepared = connection.execute(text("SELECT count(*) FROM pg_prepared_statements"))
        return prepared.scalar()


def test_statements_are_prepared_unless_the_settings_say_not(app, database_url):
    """DB_PREPARED_STATEMENTS (config.py): on by default; off behind a pooler that cannot
    carry them from one transaction to the next."""
    if not _on_postgresql(database_url):
        pytest.skip("prepared statements are PostgreSQL's")
    assert _prepared_after_six_runs(app) >= 1
    pooled = create_app(
        {**_settings_of(app), "AUTO_MIGRATE": False, "DB_PREPARED_STATEMENTS": False}
    )
    try:
        assert _prepared_after_six_runs(pooled) == 0
    finally:
        pooled.extensions["ripa_guard.engine"].dispose()


def test_a_held_lock_on_the_viewing_log_is_answered_503_within_the_bound(
    bounded, other_connection, database_url, officer, facebook_profile
):
    token = _token(bounded, officer)
    client = bounded.test_client()
    holding = other_connection.begin()
    if _on_postgresql(database_url):
        other_connection.execute(text("LOCK TABLE viewings IN ACCESS EXCLUSIVE MODE"))
    else:
        # SQLite has one writer at a time: another program holding the write lock.
        other_connection.exec_driver_sql("DELETE FROM viewings WHERE id = -1")
    try:
        started = time.monotonic()
        response = _post(client, token)
        _assert_try_again(response, started, LOCK_MS / 1000)
        assert response.mimetype == "application/json"
        assert "Nothing was saved" in response.get_json()["error"]
    finally:
        holding.rollback()
    # The lock gone, the same request goes through, once.
    assert _post(client, token).status_code == 201
    assert len(viewings(bounded)) == 1


def test_a_page_held_up_by_a_lock_says_try_again(
    bounded, other_connection, database_url, officer, facebook_profile
):
    if not _on_postgresql(database_url):
        pytest.skip("SQLite readers are never blocked by a writer (WAL)")
    client = PageClient(bounded).sign_in(officer)
    holding = other_connection.begin()
    other_connection.execute(text("LOCK TABLE viewings IN ACCESS EXCLUSIVE MODE"))
    try:
        started = time.monotonic()
        response = client.get_response("/viewings/")
        _assert_try_again(response, started, LOCK_MS / 1000)
        page = check_page(response.get_data(as_text=True))
        assert page.h1.get_text(strip=True) == "The service is busy"
        assert "Nothing was saved" in page.get_text()
    finally:
        holding.rollback()
    assert client.get_response("/viewings/").status_code == 200


def _terminate(other_connection, pid: int) -> None:
    other_connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    other_connection.commit()


def test_a_connection_ended_in_the_middle_of_a_write_is_503_and_the_retry_works(
    bounded, other_connection, database_url, officer, facebook_profile
):
    if not _on_postgresql(database_url):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    token = _token(bounded, officer)
    engine = bounded.extensions["ripa_guard.engine"]
    ended = []

    def end_it_before_the_viewing_is_written(conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO VIEWINGS") and not ended:
            ended.append(conn.connection.dbapi_connection.info.backend_pid)
            _terminate(other_connection, ended[0])

    event.listen(engine, "before_cursor_execute", end_it_before_the_viewing_is_written)
    try:
        response = _post(bounded.test_client(), token)
    finally:
        event.remove(engine, "before_cursor_execute", end_it_before_the_viewing_is_written)
    assert ended, "the write was never reached"
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.mimetype == "application/json"
    assert viewings(bounded) == []
    assert _post(bounded.test_client(), token).status_code == 201
    assert len(viewings(bounded)) == 1


def test_a_connection_ended_after_the_page_was_made_still_gives_the_page(
    bounded, other_connection, database_url, officer, facebook_profile
):
    if not _on_postgresql(database_url):
        pytest.skip("pg_terminate_backend is PostgreSQL's")

    @bounded.after_request
    def end_the_connection_before_teardown(response):
        session = g.get("db_session")
        if session is not None and session.in_transaction():
            pid = session.connection().connection.dbapi_connection.info.backend_pid
            _terminate(other_connection, pid)
        return response

    client = PageClient(bounded).sign_in(officer)
    response = client.get_response("/viewings/")
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
    # And the next request gets a working connection.
    assert client.get_response("/viewings/").status_code == 200


def test_a_database_that_drops_every_connection_still_gets_a_page_not_a_bare_500(
    bounded, other_connection, database_url, officer, facebook_profile
):
    if not _on_postgresql(database_url):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    engine = bounded.extensions["ripa_guard.engine"]
    client = PageClient(bounded).sign_in(officer)

    def end_every_connection(conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("SELECT 1"):  # the pool's ping
            _terminate(other_connection, conn.connection.dbapi_connection.info.backend_pid)

    event.listen(engine, "before_cursor_execute", end_every_connection)
    try:
        # Even the signed-in user cannot be read for the error page: the page that needs
        # nothing is drawn instead.
        response = client.get_response("/viewings/")
    finally:
        event.remove(engine, "before_cursor_execute", end_every_connection)
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = check_page(response.get_data(as_text=True))
    assert page.h1.get_text(strip=True) == "The service is busy"
    assert client.get_response("/viewings/").status_code == 200


def test_commands_wait_as_long_as_their_work_takes(app, database_url):
    from ripa_guard.cli import command_app

    if not _on_postgresql(database_url):
        pytest.skip("SQLite's busy timeout is the only bound there, and commands keep it")
    settings = _settings_of(app)
    commands = command_app({**settings, "AUTO_MIGRATE": False})
    with commands.app_context(), db.engine().connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"
        assert connection.execute(text("SHOW lock_timeout")).scalar() == "0"
    commands.extensions["ripa_guard.engine"].dispose()
