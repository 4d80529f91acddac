"""Your account (issue 18, item 4): found in the navigation, with the password, the second
step, recovery codes that stand in for the app's code, and the sessions signed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from ripa_guard.accounts import totp
from ripa_guard.accounts.models import Role
from tests.accounts.test_sign_in_security import _actions, _enrol, _sign_in
from tests.conftest import PASSWORD
from tests.helpers import PageClient, check_page, error_messages

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
#: After the set-up at START: the app's code of START is never accepted twice.
LATER = START + timedelta(minutes=1)


@pytest.mark.parametrize("role", list(Role))
def test_every_signed_in_person_finds_your_account_in_the_navigation(client, create_user, role):
    client.sign_in(create_user(role))
    # An inspector's home page is the register's overview; everyone else's the dashboard.
    page = client.get("/register/overview" if role == Role.INSPECTOR else "/dashboard")
    links = {a.get_text(strip=True): a["href"] for a in page.select("header a")}
    assert links["Your account"] == "/account"


def test_your_account_links_to_the_password_and_the_second_step(client, officer):
    page = client.sign_in(officer).get("/account")
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select("main a")}
    assert links["Change your password"] == "/account/password"
    assert links["Set up a second step with an authenticator app"] == "/account/two-step"
    assert links["Your active sessions"] == "/account/sessions"


def _signed_in_with_code(client, user, secret, when):
    """A real sign-in: the password, then the app's code."""
    with time_machine.travel(when, tick=False):
        assert _sign_in(client, user.email).headers["Location"] == "/sign-in/code"
        code = totp.code_at(secret, when.timestamp())
        return client.client.post(
            "/sign-in/code", data={"code": code, "csrf_token": client.csrf_token()}
        )


def _new_codes(client, user, secret, when=LATER) -> list[str]:
    _signed_in_with_code(client, user, secret, when)
    with time_machine.travel(when, tick=False):
        response = client.client.post(
            "/account/recovery-codes", data={"csrf_token": client.csrf_token()}
        )
    page = check_page(response.get_data(as_text=True))
    return [li.get_text(strip=True) for li in page.select("#recovery-codes li")]


def test_recovery_codes_are_ten_shown_once(client, app, authoriser):
    secret = _enrol(client, app, authoriser)
    codes = _new_codes(client, authoriser, secret)
    assert len(codes) == 10 and len(set(codes)) == 10
    with time_machine.travel(LATER, tick=False):
        page = check_page(client.client.get("/account/recovery-codes").get_data(as_text=True))
    assert "You have 10 unused recovery codes" in page.get_text()
    assert not any(code in str(page) for code in codes)
    assert "user.recovery_codes_made" in _actions(app, authoriser.id)


def test_recovery_codes_need_a_second_step_first(client, officer):
    response = client.sign_in(officer).get_response("/account/recovery-codes")
    assert response.headers["Location"] == "/account/two-step"


def test_a_recovery_code_signs_in_instead_of_the_apps_code_once(app, authoriser):
    first = PageClient(app)
    secret = _enrol(first, app, authoriser)
    codes = _new_codes(first, authoriser, secret)
    later = START + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        lost_phone = PageClient(app)
        _sign_in(lost_phone, authoriser.email)
        answer = lost_phone.client.post(
            "/sign-in/code",
            data={"code": codes[3].lower(), "csrf_token": lost_phone.csrf_token()},
        )
        assert answer.status_code == 302 and answer.headers["Location"] == "/dashboard"
        again = PageClient(app)
        _sign_in(again, authoriser.email)
        page = again.post_page("/sign-in/code", {"code": codes[3]})
    assert error_messages(page)["code"].startswith("Enter the code your authenticator app")
    assert "user.recovery_code_used" in _actions(app, authoriser.id)


def test_new_recovery_codes_stop_the_old_ones(app, authoriser):
    client = PageClient(app)
    secret = _enrol(client, app, authoriser)
    old = _new_codes(client, authoriser, secret)
    _new_codes(PageClient(app), authoriser, secret, LATER + timedelta(minutes=1))
    with time_machine.travel(LATER + timedelta(minutes=2), tick=False):
        other = PageClient(app)
        _sign_in(other, authoriser.email)
        page = other.post_page("/sign-in/code", {"code": old[0]})
    assert "code" in error_messages(page)


def test_sessions_are_listed_and_others_signed_out(app, officer):
    here, there = PageClient(app), PageClient(app)
    with time_machine.travel(START, tick=False):
        _sign_in(here, officer.email, headers={"User-Agent": "Edge on the office PC"})
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        _sign_in(there, officer.email, headers={"User-Agent": "Firefox at home"})
        page = check_page(here.client.get("/account/sessions").get_data(as_text=True))
        rows = [" ".join(r.get_text(" ").split()) for r in page.select("tbody tr")]
        assert len(rows) == 2
        assert any("Edge on the office PC" in r and "This session" in r for r in rows)
        assert any("Firefox at home" in r and "This session" not in r for r in rows)
        response = here.client.post("/account/sessions", data={"csrf_token": here.csrf_token()})
        assert response.status_code == 302
        assert there.client.get("/dashboard").headers["Location"].startswith("/sign-in")
        assert here.client.get("/dashboard").status_code == 200
        page = check_page(here.client.get("/account/sessions").get_data(as_text=True))
    assert len(page.select("tbody tr")) == 1
    assert "user.signed_out_elsewhere" in _actions(app, officer.id)


def test_last_seen_is_written_at_most_once_a_minute(app, officer, count_queries):
    client = PageClient(app)
    with time_machine.travel(START, tick=False):
        _sign_in(client, officer.email)
    with time_machine.travel(START + timedelta(seconds=30), tick=False):
        with count_queries() as quiet:
            client.client.get("/account")
    with time_machine.travel(START + timedelta(seconds=90), tick=False):
        with count_queries() as noted:
            client.client.get("/account")
        page = check_page(client.client.get("/account/sessions").get_data(as_text=True))
    writes = [q for q in quiet.statements if "signed_in_sessions" in q]
    assert writes == []
    assert (
        len([q for q in noted.statements if q.lstrip().startswith("UPDATE signed_in_sessions")])
        == 1
    )
    assert "9:01am" in page.select_one("tbody tr").get_text(" ")


def test_the_password_again_before_new_recovery_codes_after_a_while(client, app, authoriser):
    _enrol(client, app, authoriser)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        client.sign_in(authoriser)
        page = client.post_page("/account/recovery-codes", {"password": "not it at all"})
        assert error_messages(page) == {"password": "Your password is not correct"}
        page = check_page(
            client.post("/account/recovery-codes", {"password": PASSWORD}).get_data(as_text=True)
        )
    assert len(page.select("#recovery-codes li")) == 10
