"""Sign-in under attack: throttling, lock-out, time-outs, password rules, the second factor."""

from __future__ import annotations

import socket
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from ripa_guard import create_app
from ripa_guard.accounts import passwords, totp
from ripa_guard.accounts.models import Role, SignInFailure, UserSecurity
from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from tests.conftest import PASSWORD, TOTP_KEY
from tests.helpers import PageClient, error_messages

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
REFUSED = "Enter a correct email address and password. After 5 attempts that fail, wait 15"


def _sign_in(client, email, password=PASSWORD, **kwargs):
    return client.post("/sign-in", {"email": email, "password": password}, **kwargs)


def _actions(app, user_id=None) -> list[str]:
    with app.app_context():
        query = select(AuditEvent.action).order_by(AuditEvent.seq)
        if user_id is not None:
            query = query.where(AuditEvent.object_id == user_id)
        return list(db.session().scalars(query))


# Lock-out --------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_against_the_right_password(client, app, officer):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            page = client.post_page("/sign-in", {"email": officer.email, "password": "wrong " * 3})
            assert error_messages(page)["password"].startswith(REFUSED)
        page = client.post_page("/sign-in", {"email": officer.email, "password": PASSWORD})
    assert error_messages(page) == {"password": REFUSED + " minutes before you try again"}
    assert page.select_one("input[name=email]")["value"] == officer.email
    assert client.get_response("/dashboard").status_code == 302  # not signed in
    actions = _actions(app, officer.id)
    assert actions.count("user.sign_in_failed") == 5
    assert "user.locked_out" in actions and "user.sign_in_refused_locked" in actions


def test_the_lock_lifts_after_its_time(client, app, officer):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            _sign_in(client, officer.email, "wrong wrong wrong")
    with time_machine.travel(START + timedelta(minutes=14), tick=False):
        assert REFUSED in _sign_in(client, officer.email).get_data(as_text=True)
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        response = _sign_in(client, officer.email)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(SignInFailure)) == 0


def _change_password(client, current, **kwargs):
    new = "a much longer pass phrase"
    data = {"current_password": current, "new_password": new, "confirm_password": new}
    return client.post("/account/password", data, **kwargs)


def test_wrong_current_passwords_lock_the_account_and_end_the_session(client, app, officer):
    """Before: forty wrong current passwords were answered, and the forty-first accepted."""
    with time_machine.travel(START, tick=False):
        client.sign_in(officer)
        for _ in range(4):
            assert _change_password(client, "wrong wrong wrong").status_code == 200
        response = _change_password(client, "wrong wrong wrong")
        assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
        # The session is over, and the right password does not change it now.
        assert _change_password(client, PASSWORD).status_code == 302
        assert REFUSED in _sign_in(client, officer.email).get_data(as_text=True)
    actions = _actions(app, officer.id)
    assert actions.count("user.sign_in_failed") == 5 and "user.locked_out" in actions
    assert "user.password_changed" not in actions


def test_changing_the_password_is_throttled_per_account(client, app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ACCOUNT", "2 per minute")
    monkeypatch.setitem(app.config, "LOCKOUT_FAILURES", 50)
    with time_machine.travel(START, tick=False):
        client.sign_in(officer)
        statuses = [
            _change_password(
                client, "wrong", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}
            ).status_code
            for n in range(3)
        ]
    assert statuses == [200, 200, 429]


def test_failures_spread_beyond_the_window_do_not_lock(client, officer):
    for n in range(8):
        with time_machine.travel(START + timedelta(minutes=4 * n), tick=False):
            _sign_in(client, officer.email, "wrong wrong wrong")
    with time_machine.travel(START + timedelta(minutes=33), tick=False):
        assert _sign_in(client, officer.email).status_code == 302


def test_a_locked_address_looks_the_same_whether_or_not_it_has_an_account(client, officer):
    pages = {}
    with time_machine.travel(START, tick=False):
        for email in (officer.email, "nobody@borsetshire.example.gov.uk"):
            for _ in range(5):
                _sign_in(client, email, "wrong wrong wrong")
            pages[email] = client.post_page("/sign-in", {"email": email, "password": "x" * 12})
    known, unknown = (error_messages(p) for p in pages.values())
    assert known == unknown and known["password"].startswith(REFUSED)


# Throttling (Flask-Limiter) --------------------------------------------------------------------


def test_sign_in_is_throttled_per_client_address(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_IP", "3 per minute")
    with time_machine.travel(START, tick=False):
        statuses = [
            _sign_in(client, f"person{n}@example.gov.uk", "wrong wrong").status_code
            for n in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        other_address = _sign_in(
            client, "x@example.gov.uk", "wrong", environ_base={"REMOTE_ADDR": "10.0.0.9"}
        )
        assert other_address.status_code == 200
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        assert _sign_in(client, "late@example.gov.uk", "wrong").status_code == 200


def test_sign_in_is_throttled_per_email_address_from_any_client(client, app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ACCOUNT", "2 per minute")
    monkeypatch.setitem(app.config, "LOCKOUT_FAILURES", 50)
    with time_machine.travel(START, tick=False):
        statuses = [
            _sign_in(
                client, officer.email, "wrong", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}
            ).status_code
            for n in range(3)
        ]
    assert statuses == [200, 200, 429]


def test_a_throttled_sign_in_gets_a_page_that_says_what_to_do(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_IP", "1 per minute")
    with time_machine.travel(START, tick=False):
        _sign_in(client, "a@example.gov.uk", "wrong")
        response = _sign_in(client, "a@example.gov.uk", "wrong")
    assert response.status_code == 429
    from tests.helpers import check_page

    page = check_page(response.get_data(as_text=True))
    assert page.h1.get_text(strip=True) == "Too many attempts"
    assert "Wait a minute" in page.get_text()


def _redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_running(), reason="Redis is not running on 127.0.0.1:6379")
def test_several_app_servers_count_together_in_redis(database_url, tmp_path):
    """Two app servers configured with the same Redis refuse the attempt past the limit between
    them, wherever it lands."""
    prefix = f"ripa_guard_test_{uuid.uuid4().hex}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test only",
        "AUDIT_KEY": "test audit key",
        "TOTP_KEY": TOTP_KEY,
        "AUDIT_HEAD_FILE": str(tmp_path / "audit-head.log"),
        "DATABASE_URL": database_url,
        "AUTO_MIGRATE": False,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "RATELIMIT_KEY_PREFIX": prefix,
        "SIGN_IN_LIMIT_PER_IP": "3 per minute",
    }
    servers = [create_app(config), create_app(config)]
    try:
        clients = [PageClient(s) for s in servers]
        statuses = [
            _sign_in(clients[n % 2], "someone@example.gov.uk", "wrong").status_code
            for n in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
    finally:
        for server in servers:
            server.extensions["ripa_guard.engine"].dispose()


# Session time-outs -----------------------------------------------------------------------------


def test_an_idle_session_ends_after_thirty_minutes(client, officer):
    with time_machine.travel(START, tick=False):
        assert _sign_in(client, officer.email).status_code == 302
    with time_machine.travel(START + timedelta(minutes=29), tick=False):
        assert client.get_response("/research/").status_code == 200
    with time_machine.travel(START + timedelta(minutes=58), tick=False):
        assert client.get_response("/research/").status_code == 200
    with time_machine.travel(START + timedelta(minutes=89), tick=False):
        response = client.get_response("/research/")
        assert response.status_code == 302
        assert response.headers["Location"] == "/sign-in?next=/research/"
        page = client.get("/sign-in?next=/research/")
    assert "had not used the service for 30 minutes" in page.get_text()
    assert client.get_response("/research/").status_code == 302


def test_last_seen_is_rewritten_at_most_once_a_minute_and_idle_never_runs_longer(client, officer):
    """Most pages send no new cookie; the idle time-out counts from the last time written, so a
    session ends up to a minute sooner than 30 minutes after its last use, never later."""
    with time_machine.travel(START, tick=False):
        assert _sign_in(client, officer.email).status_code == 302
        assert client.get_response("/research/").status_code == 200
    with time_machine.travel(START + timedelta(seconds=50), tick=False):
        response = client.get_response("/research/")
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        response = client.get_response("/research/")
        assert response.status_code == 200 and "Set-Cookie" in response.headers
    with time_machine.travel(START + timedelta(minutes=2, seconds=30), tick=False):
        assert client.get_response("/research/").status_code == 200
    # 29 minutes 31 seconds after its last use, 30 minutes and a second after "last seen".
    with time_machine.travel(START + timedelta(minutes=32, seconds=1), tick=False):
        response = client.get_response("/research/")
        assert response.status_code == 302
        assert response.headers["Location"] == "/sign-in?next=/research/"


def test_a_session_ends_eight_hours_after_sign_in_however_busy(client, app, officer):
    with time_machine.travel(START, tick=False):
        _sign_in(client, officer.email)
    for minutes in range(20, 8 * 60, 20):
        with time_machine.travel(START + timedelta(minutes=minutes), tick=False):
            assert client.get_response("/dashboard").status_code == 200, minutes
    with time_machine.travel(START + timedelta(hours=8, minutes=1), tick=False):
        response = client.get_response("/dashboard")
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
        assert "more than 8 hours ago" in client.get("/sign-in").get_text()
    assert "user.session_timed_out" in _actions(app, officer.id)


def test_time_outs_follow_the_settings(client, app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    with time_machine.travel(START, tick=False):
        _sign_in(client, officer.email)
    with time_machine.travel(START + timedelta(minutes=6), tick=False):
        assert client.get_response("/dashboard").status_code == 302


def test_a_session_without_its_times_is_not_accepted(client, officer):
    with client.client.session_transaction() as s:
        s["_user_id"] = str(officer.id)
    assert client.get_response("/dashboard").status_code == 302


# Passwords (NCSC) ------------------------------------------------------------------------------


def _change(client, new):
    return client.post_page(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )


@pytest.mark.parametrize(
    "new, message",
    [
        ("short", "Enter a password of at least 12 characters"),
        ("Password1234", "this one is on a list of common passwords"),
        ("QWERTYUIOP123", "this one is on a list of common passwords"),
        ("aaaaaaaaaaaaaaa", "this one is on a list of common passwords"),
        ("Correct Horse Battery Staple", "this one is on a list of common passwords"),
        ("Olive Officer", "not your name or email address"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, create_user, new, message):
    client.sign_in(create_user(name="Olive Officer", must_change_password=True))
    page = _change(client, new)
    assert message in error_messages(page)["new_password"]


def test_no_composition_rules_long_plain_words_are_fine(client, create_user):
    client.sign_in(create_user(must_change_password=True))
    response = client.post(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "kettle marmalade lighthouse",
            "confirm_password": "kettle marmalade lighthouse",
        },
    )
    assert response.status_code == 302


def test_minimum_length_follows_the_setting(client, create_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_MIN_LENGTH", 20)
    client.sign_in(create_user(must_change_password=True))
    page = _change(client, "kettle marmalade")
    assert error_messages(page)["new_password"] == "Enter a password of at least 20 characters"


def test_the_deny_list_holds_thousands_of_common_passwords():
    common = passwords.common_passwords()
    assert len(common) > 5000
    assert {"password123", "qwerty123456", "letmein123", "123456789012"} <= common
    assert passwords.problem("p4ssword plus words", 12) is None


def test_passwords_never_expire():
    from ripa_guard.config import DefaultConfig

    assert not [name for name in vars(DefaultConfig) if "EXPIR" in name or "ROTAT" in name]


# The second factor (TOTP) ----------------------------------------------------------------------


def _enrol(client, app, user, when=START) -> str:
    with time_machine.travel(when, tick=False):
        client.sign_in(user)
        page = client.get("/account/two-step")
        secret = page.select_one("#totp-secret").get_text().replace(" ", "")
        assert page.select_one("#totp-uri").get_text().startswith("otpauth://totp/")
        response = client.post(
            "/account/two-step",
            {"code": totp.code_at(secret, when.timestamp()), "password": PASSWORD},
        )
        assert response.status_code == 302
    client.sign_out()
    return secret


def test_a_wrong_code_does_not_set_up_the_second_step(client, app, authoriser):
    client.sign_in(authoriser)
    client.get("/account/two-step")
    page = client.post_page("/account/two-step", {"code": "000000", "password": PASSWORD})
    assert error_messages(page)["code"] == "Enter the code your authenticator app shows now"
    with app.app_context():
        assert not db.session().get(UserSecurity, authoriser.id).has_totp


def test_sign_in_with_a_second_step_asks_for_the_code(client, app, authoriser):
    secret = _enrol(client, app, authoriser)
    later = START + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        response = _sign_in(client, authoriser.email)
        assert response.headers["Location"] == "/sign-in/code"
        assert client.get_response("/dashboard").status_code == 302  # not in yet
        page = client.post_page("/sign-in/code", {"code": "123456"})
        assert "Enter the code your authenticator app shows now" in error_messages(page)["code"]
        response = client.post("/sign-in/code", {"code": totp.code_at(secret, later.timestamp())})
        assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
        assert client.get_response("/dashboard").status_code == 200
    assert "user.two_step_set_up" in _actions(app, authoriser.id)


def test_a_code_is_never_accepted_twice(client, app, authoriser):
    secret = _enrol(client, app, authoriser)
    later = START + timedelta(minutes=5)
    code = totp.code_at(secret, later.timestamp())
    with time_machine.travel(later, tick=False):
        _sign_in(client, authoriser.email)
        assert client.post("/sign-in/code", {"code": code}).status_code == 302
        client.sign_out()
        _sign_in(client, authoriser.email)
        assert client.post("/sign-in/code", {"code": code}).status_code == 200


def test_wrong_codes_count_towards_the_lock_out(client, app, authoriser):
    secret = _enrol(client, app, authoriser)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        _sign_in(client, authoriser.email)
        for _ in range(5):
            client.post("/sign-in/code", {"code": "000000"})
        code = totp.code_at(secret, (START + timedelta(minutes=5)).timestamp())
        assert client.post("/sign-in/code", {"code": code}).status_code == 200
    assert "user.locked_out" in _actions(app, authoriser.id)


def test_the_code_step_expires(client, app, authoriser):
    secret = _enrol(client, app, authoriser)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        _sign_in(client, authoriser.email)
    late = START + timedelta(minutes=11)
    with time_machine.travel(late, tick=False):
        response = client.post("/sign-in/code", {"code": totp.code_at(secret, late.timestamp())})
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"


def test_the_code_page_needs_a_password_first(client):
    response = client.get_response("/sign-in/code")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"


def test_council_can_require_the_second_step_for_deciders(
    client, app, authoriser, sro, officer, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_FOR_DECIDERS", True)
    for person in (authoriser, sro):
        client.sign_in(person)
        response = client.get_response("/dashboard")
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-step"
    client.sign_in(officer)
    assert client.get_response("/dashboard").status_code == 200
    _enrol(client, app, authoriser)
    client.sign_in(authoriser)
    assert client.get_response("/dashboard").status_code == 200


def test_an_enrolled_account_sees_that_it_is_set_up(client, app, authoriser):
    _enrol(client, app, authoriser)
    client.sign_in(authoriser)
    assert "Your account has a second step" in client.get("/account/two-step").get_text()


def test_officers_may_set_up_the_second_step_too(client, app, create_user):
    officer = create_user(Role.OFFICER)
    _enrol(client, app, officer)
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        assert _sign_in(client, officer.email).headers["Location"] == "/sign-in/code"
