"""The lock-out neither tells nor blocks (issue 17, item 6): failures counted in the database by
every app server, one answer for unknown, wrong and locked, the owner's second step through a
lock-out aimed at them, and a throttle on the address the attempts come from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from ripa_guard import create_app
from ripa_guard.accounts import sign_in, totp
from ripa_guard.accounts.models import SignInFailure
from ripa_guard.core import db
from tests.accounts.test_sign_in_security import _actions, _enrol, _sign_in
from tests.conftest import PASSWORD
from tests.helpers import PageClient, error_messages

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
STRANGER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "192.0.2.10"}


def _second_server(app, database_url):
    """Another worker: its own app, limiter and memory, on the same database."""
    config = {
        key: app.config[key]
        for key in ("TESTING", "SECRET_KEY", "AUDIT_KEY", "TOTP_KEY", "AUDIT_HEAD_FILE")
    }
    return create_app({**config, "DATABASE_URL": database_url, "AUTO_MIGRATE": False})


def test_an_unknown_address_and_a_locked_account_answer_alike_on_two_servers(
    app, database_url, officer
):
    """Before: an unknown address was counted in each worker's memory, so after failures spread
    over two workers it was not locked, while a real account was: the answers told them apart."""
    other = _second_server(app, database_url)
    try:
        servers = [PageClient(app), PageClient(other)]
        pages = {}
        with time_machine.travel(START, tick=False):
            for email in (officer.email, "nobody@borsetshire.example.gov.uk"):
                for n in range(5):
                    _sign_in(servers[n % 2], email, "wrong wrong wrong")
                pages[email] = [
                    error_messages(server.post_page("/sign-in", {"email": email, "password": "x"}))
                    for server in servers
                ]
        known, unknown = pages.values()
        assert known == unknown
        assert known[0] == known[1]
        # The real account is locked on both servers, against its right password too.
        with time_machine.travel(START, tick=False):
            for server in servers:
                assert _sign_in(server, officer.email).status_code == 200
    finally:
        other.extensions["ripa_guard.engine"].dispose()


def test_unknown_wrong_and_locked_do_the_same_work(client, officer, monkeypatch):
    """The password is hashed every time, so the time taken does not tell them apart either."""
    hashed = []
    check = sign_in.check_password_hash
    monkeypatch.setattr(
        sign_in, "check_password_hash", lambda h, p: hashed.append(1) or check(h, p)
    )
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _sign_in(client, officer.email, "wrong wrong wrong")
        answers = {}
        for label, email, password in [
            ("unknown", "nobody@borsetshire.example.gov.uk", PASSWORD),
            ("wrong", "nobody@borsetshire.example.gov.uk", "wrong wrong wrong"),
            ("locked", officer.email, PASSWORD),
        ]:
            hashed.clear()
            page = client.post_page("/sign-in", {"email": email, "password": password})
            answers[label] = (len(hashed), error_messages(page))
    assert answers["unknown"] == answers["wrong"] == answers["locked"]
    assert answers["locked"][0] == 1


def test_the_owner_with_a_second_step_gets_through_a_lock_out_by_strangers(client, app, authoriser):
    secret = _enrol(client, app, authoriser)
    later = START + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        for _ in range(6):
            _sign_in(client, authoriser.email, "guess guess guess", environ_base=STRANGER)
        # The stranger's right guess of the password alone would not be enough, and a wrong
        # code counts on its own, with no way round.
        response = _sign_in(client, authoriser.email, environ_base=OWNER)
        assert response.headers["Location"] == "/sign-in/code"
        response = client.post(
            "/sign-in/code",
            {"code": totp.code_at(secret, later.timestamp())},
            environ_base=OWNER,
        )
        assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    actions = _actions(app, authoriser.id)
    assert "user.locked_out" in actions and actions[-1] == "user.signed_in"


def test_without_a_second_step_the_lock_holds_against_the_right_password(client, officer):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _sign_in(client, officer.email, "guess guess guess", environ_base=STRANGER)
        assert _sign_in(client, officer.email, environ_base=OWNER).status_code == 200


def test_failures_from_one_address_stop_every_attempt_from_it(client, app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_SOURCE_FAILURES", 3)
    with time_machine.travel(START, tick=False):
        for n in range(3):
            _sign_in(client, f"guess{n}@borsetshire.example.gov.uk", "x", environ_base=STRANGER)
        # Even a right password is refused from there, with the same answer as any failure...
        assert _sign_in(client, officer.email, environ_base=STRANGER).status_code == 200
        # ...while the account itself is not locked: from anywhere else it signs in.
        assert _sign_in(client, officer.email, environ_base=OWNER).status_code == 302
    assert "user.sign_in_refused_source" in _actions(app, officer.id)


def test_the_address_throttle_stops_the_way_round_a_lock_out_too(
    client, app, authoriser, monkeypatch
):
    """A stranger who knows the password still cannot use the way round from a busy address."""
    monkeypatch.setitem(app.config, "LOCKOUT_SOURCE_FAILURES", 8)
    secret = _enrol(client, app, authoriser)
    later = START + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        for _ in range(8):
            _sign_in(client, authoriser.email, "guess guess guess", environ_base=STRANGER)
        assert _sign_in(client, authoriser.email, environ_base=STRANGER).status_code == 200
        assert _sign_in(client, authoriser.email, environ_base=OWNER).status_code == 302
        code = totp.code_at(secret, later.timestamp())
        response = client.post("/sign-in/code", {"code": code}, environ_base=OWNER)
        assert response.status_code == 302


def test_the_failures_kept_hold_no_email_address(client, app):
    with time_machine.travel(START, tick=False):
        _sign_in(client, "someone.typed.this@borsetshire.example.gov.uk", "wrong")
    with app.app_context():
        rows = db.session().scalars(select(SignInFailure)).all()
    assert len(rows) == 1
    assert "someone" not in rows[0].account_key and rows[0].source == "127.0.0.1"


def test_old_failures_are_pruned(client, app):
    with time_machine.travel(START, tick=False):
        _sign_in(client, "first@borsetshire.example.gov.uk", "wrong")
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        _sign_in(client, "second@borsetshire.example.gov.uk", "wrong")
    with app.app_context():
        assert len(db.session().scalars(select(SignInFailure)).all()) == 1
