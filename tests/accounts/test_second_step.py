"""Changing the second step needs the password again, or a sign-in a few minutes ago (issue 17,
item 7); the second step is required by default for the SRO, authorising officers, the
coordinator and inspectors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from ripa_guard.accounts import totp
from ripa_guard.accounts.models import Role, UserSecurity
from ripa_guard.config import DefaultConfig
from ripa_guard.core import db
from tests.accounts.test_sign_in_security import _actions, _enrol, _sign_in
from tests.conftest import PASSWORD
from tests.helpers import error_messages

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _code(page, when) -> str:
    secret = page.select_one("#totp-secret").get_text().replace(" ", "")
    return totp.code_at(secret, when.timestamp())


def _has_totp(app, user) -> bool:
    with app.app_context():
        row = db.session().get(UserSecurity, user.id)
        return row is not None and row.has_totp


def test_a_session_signed_in_a_while_ago_must_give_the_password_to_set_up(client, app, officer):
    """Before: whoever held the session could bind their own phone to the account."""
    with time_machine.travel(START, tick=False):
        client.sign_in(officer)
        page = client.get("/account/two-step")
        assert page.select_one("input[name=password]") is not None
        code = _code(page, START)
        errors = error_messages(client.post_page("/account/two-step", {"code": code}))
        assert errors == {"password": "Enter your password"}
        page = client.post_page("/account/two-step", {"code": code, "password": "not it at all"})
        assert error_messages(page) == {"password": "Your password is not correct"}
        assert not _has_totp(app, officer)
        response = client.post("/account/two-step", {"code": code, "password": PASSWORD})
    assert response.status_code == 302 and _has_totp(app, officer)


def test_just_after_signing_in_the_password_is_not_asked_again(client, app, officer):
    with time_machine.travel(START, tick=False):
        assert _sign_in(client, officer.email).status_code == 302
    later = START + timedelta(minutes=4)
    with time_machine.travel(later, tick=False):
        page = client.client.get("/account/two-step")
        from tests.helpers import check_page

        page = check_page(page.get_data(as_text=True))
        assert page.select_one("input[name=password]") is None
        response = client.client.post(
            "/account/two-step",
            data={"code": _code(page, later), "csrf_token": client.csrf_token()},
        )
    assert response.status_code == 302 and _has_totp(app, officer)


def test_removing_the_second_step_needs_the_password(client, app, officer):
    _enrol(client, app, officer)
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        client.sign_in(officer)
        page = client.get("/account/two-step")
        assert page.select_one("form[action='/account/two-step/remove'] input[name=password]")
        page = client.post_page("/account/two-step/remove", {"password": "not it at all"})
        assert error_messages(page) == {"password": "Your password is not correct"}
        assert _has_totp(app, officer)
        response = client.post("/account/two-step/remove", {"password": PASSWORD})
    assert response.status_code == 302 and not _has_totp(app, officer)
    assert "user.two_step_removed" in _actions(app, officer.id)


def test_wrong_passwords_here_count_towards_the_lock_out(client, app, officer):
    _enrol(client, app, officer)
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        client.sign_in(officer)
        for _ in range(4):
            client.post("/account/two-step/remove", {"password": "guess guess guess"})
        response = client.post("/account/two-step/remove", {"password": "guess guess guess"})
        assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert _has_totp(app, officer)


def test_a_new_app_replaces_the_old_one(client, app, officer):
    old = _enrol(client, app, officer)
    later = START + timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        client.sign_in(officer)
        page = client.get("/account/two-step?replace=1")
        new = page.select_one("#totp-secret").get_text().replace(" ", "")
        assert new != old
        response = client.post(
            "/account/two-step?replace=1",
            {"code": totp.code_at(new, later.timestamp()), "password": PASSWORD},
        )
        assert response.status_code == 302
    assert "user.two_step_changed" in _actions(app, officer.id)
    client.sign_out()
    when = later + timedelta(minutes=2)
    with time_machine.travel(when, tick=False):
        _sign_in(client, officer.email)
        assert (
            client.post("/sign-in/code", {"code": totp.code_at(old, when.timestamp())}).status_code
            == 200
        )
        assert (
            client.post("/sign-in/code", {"code": totp.code_at(new, when.timestamp())}).status_code
            == 302
        )


def test_the_second_step_is_required_by_default():
    assert DefaultConfig.REQUIRE_TOTP_FOR_DECIDERS is True


def test_sro_authorisers_coordinator_and_inspectors_must_set_it_up(
    client, app, sro, authoriser, coordinator, inspector, officer, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_FOR_DECIDERS", True)
    for person in (sro, authoriser, coordinator, inspector):
        client.sign_in(person)
        response = client.get_response("/dashboard")
        assert response.headers["Location"] == "/account/two-step", person.name
        # ...and they may not remove it once set up.
    client.sign_in(officer)
    assert client.get_response("/dashboard").status_code == 200


def test_a_role_that_needs_the_second_step_cannot_remove_it(client, app, inspector, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_FOR_DECIDERS", True)
    _enrol(client, app, inspector)
    client.sign_in(inspector)
    page = client.get("/account/two-step")
    assert "cannot be removed" in page.get_text()
    assert not page.select("form[action='/account/two-step/remove']")
    client.post("/account/two-step/remove", {"password": PASSWORD})
    assert _has_totp(app, inspector)


def test_the_sro_removes_the_second_step_of_someone_who_lost_their_phone(
    client, app, sro, authoriser
):
    _enrol(client, app, authoriser)
    client.sign_in(sro)
    response = client.post(f"/admin/users/{authoriser.id}/remove-two-step")
    assert response.status_code == 302
    assert not _has_totp(app, authoriser)
    with app.app_context():
        events = db.session().scalars(select(UserSecurity)).all()
    assert all(row.totp_secret is None for row in events)


def test_the_first_sro_changes_the_one_time_password_then_sets_up_the_second_step(
    client, app, create_user, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_FOR_DECIDERS", True)
    first = create_user(Role.SRO, Role.COORDINATOR, must_change_password=True)
    with time_machine.travel(START, tick=False):
        assert _sign_in(client, first.email).headers["Location"] == "/dashboard"
        response = client.client.get("/dashboard")
        assert response.headers["Location"] == "/account/two-step"
        response = client.client.get("/account/two-step")
        assert response.headers["Location"] == "/account/password"
        new = "kettle marmalade lighthouse"
        token = client.csrf_token()
        response = client.client.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "new_password": new,
                "confirm_password": new,
                "csrf_token": token,
            },
        )
        assert response.headers["Location"] == "/dashboard"
        page = client.client.get("/account/two-step").get_data(as_text=True)
    assert 'name="password"' not in page  # signed in a moment ago: no password asked again
