"""How a request's database session ends: what it wrote and did not commit is rolled back; a
transaction that only read is committed, so that PostgreSQL's driver keeps the statements it has
prepared and plans a page's queries once per connection, not once a request (issue 19)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from ripa_guard.accounts.models import User
from ripa_guard.core import db


def _users(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(User))


def _a_person(email: str) -> User:
    return User(email=email, name="Morwenna Tregarth", password_hash="x")


def test_a_person_added_and_not_committed_is_not_saved(app, officer):
    before = _users(app)
    with app.app_context():
        db.session().add(_a_person("added@example.gov.uk"))
    assert _users(app) == before


def test_a_person_flushed_and_not_committed_is_not_saved(app, officer):
    before = _users(app)
    with app.app_context():
        s = db.session()
        s.add(_a_person("flushed@example.gov.uk"))
        s.flush()
        s.expunge_all()  # nothing left pending: only the flush says there is a write
    assert _users(app) == before


def test_a_failed_request_rolls_back_even_what_looks_read_only(app, officer):
    before = _users(app)
    with pytest.raises(RuntimeError), app.app_context():
        s = db.session()
        s.add(_a_person("failed@example.gov.uk"))
        s.flush()
        s.expunge_all()
        raise RuntimeError("the view failed")
    assert _users(app) == before


def test_pages_read_with_statements_prepared_once_per_connection_on_postgresql(
    app, client, officer
):
    engine = app.extensions["ripa_guard.engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    used = []
    listener = lambda dbapi_connection, _record, _proxy: used.append(dbapi_connection)  # noqa: E731
    client.sign_in(officer)
    event.listen(engine, "checkout", listener)
    try:
        # The pool lends its idle connections in turn (up to five): each is lent six times.
        for _ in range(30):
            client.get("/about")
    finally:
        event.remove(engine, "checkout", listener)
    # The driver prepares a statement on its fifth run; a ROLLBACK would have forgotten it.
    try:
        with used[-1].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%FROM users%"],
            )
            prepared = cursor.fetchone()[0]
    finally:
        used[-1].rollback()  # back in the pool as it was lent
    assert prepared >= 1


def test_a_request_whose_write_failed_is_rolled_back_without_an_error(app, officer, caplog):
    """A flush that failed leaves the session needing a rollback: the end of the request
    rolls it back, with nothing in the log for an operator to chase, and the next request
    reads as before."""
    before = _users(app)
    with app.app_context():
        s = db.session()
        s.add(_a_person(officer.email))  # the address is taken: the flush fails
        with pytest.raises(IntegrityError):
            s.flush()
        s.expunge_all()
        assert not s.is_active
    assert _users(app) == before
    assert "could not" not in caplog.text
