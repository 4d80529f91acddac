"""Local passwords switched off for single sign-on, with the break-glass account (issue 18,
item 1); the SRO's mapping of claim values to roles; IT's commands for a locked-out SRO
(item 4)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ripa_guard.accounts.models import Role, SignOnRole, UserSecurity
from ripa_guard.core import db
from tests.accounts.test_sign_in_security import _actions, _enrol, _sign_in
from tests.conftest import PASSWORD
from tests.helpers import PageClient, error_messages


@pytest.fixture
def passwords_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOCAL_PASSWORDS_ENABLED", False)


def test_with_passwords_off_the_sign_in_page_has_no_password_form(client, passwords_off):
    page = client.get("/sign-in")
    assert page.select_one("input[name=password]") is None
    assert "Passwords are switched off" in page.get_text()
    emergency = client.get("/sign-in?emergency=1")
    assert emergency.select_one("input[name=password]") is not None


def test_with_passwords_off_a_password_is_refused(client, officer, sro, passwords_off):
    page = client.post_page("/sign-in", {"email": officer.email, "password": "anything"})
    assert error_messages(page)["email"].startswith("Passwords are switched off")
    assert "user.signed_in" not in _actions(client.app, officer.id)


def test_the_break_glass_sro_needs_a_second_step(client, app, create_user, passwords_off):
    first = create_user(Role.SRO, name="First SRO")
    page = client.post_page("/sign-in", {"email": first.email, "password": PASSWORD})
    assert error_messages(page)["email"].startswith("The emergency account must have a second")
    app.config["LOCAL_PASSWORDS_ENABLED"] = True
    _enrol(client, app, first)
    app.config["LOCAL_PASSWORDS_ENABLED"] = False
    response = _sign_in(PageClient(app), first.email)
    assert response.headers["Location"] == "/sign-in/code"


def test_break_glass_email_names_the_emergency_account(
    client, app, create_user, passwords_off, monkeypatch
):
    first = create_user(Role.SRO, name="First SRO")
    chosen = create_user(Role.SRO, name="Chosen SRO")
    monkeypatch.setitem(app.config, "BREAK_GLASS_EMAIL", chosen.email.upper())
    page = client.post_page("/sign-in", {"email": chosen.email, "password": "not it"})
    assert error_messages(page)["password"].startswith("Enter a correct email address")
    page = client.post_page("/sign-in", {"email": first.email, "password": "not it"})
    assert error_messages(page)["email"].startswith("Passwords are switched off")


def test_the_sro_maps_a_claim_value_to_a_role(client, app, sro):
    client.sign_in(sro)
    page = client.post_page("/admin/sign-on-roles", {"claim_value": "", "role": ""})
    assert error_messages(page) == {
        "claim_value": "Enter the value from the claim",
        "role": "Select a role",
    }
    response = client.post("/admin/sign-on-roles", {"claim_value": "RIPA.SRO", "role": "sro"})
    assert response.status_code == 302
    page = client.post_page("/admin/sign-on-roles", {"claim_value": "RIPA.SRO", "role": "sro"})
    assert error_messages(page)["claim_value"] == (
        "RIPA.SRO already gives the role Senior responsible officer"
    )
    with app.app_context():
        mapping = db.session().scalar(select(SignOnRole))
    assert mapping.claim_value == "RIPA.SRO" and mapping.role is Role.SRO
    client.post(f"/admin/sign-on-roles/{mapping.id}/remove")
    page = client.get("/admin/sign-on-roles")
    assert "No values give a role yet" in page.get_text()
    assert ["sign_on_role.added", "sign_on_role.removed"] == [
        a for a in _actions(app) if a.startswith("sign_on_role")
    ]


@pytest.mark.parametrize("args", [["EMAIL"], ["--email", "EMAIL"]])
def test_it_resets_the_sros_password_from_the_command_line(app, sro, args):
    result = app.test_cli_runner().invoke(
        args=["reset-password", *[sro.email.upper() if a == "EMAIL" else a for a in args]]
    )
    assert result.exit_code == 0, result.output
    assert f"New one-time password for {sro.email}" in result.output
    assert "user.password_reset" in _actions(app, sro.id)


def test_it_resets_the_sros_second_step_from_the_command_line(app, sro):
    _enrol(PageClient(app), app, sro)
    result = app.test_cli_runner().invoke(args=["reset-two-step", sro.email])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert not db.session().get(UserSecurity, sro.id).has_totp
    assert _actions(app, sro.id)[-1] == "user.two_step_removed"


def test_the_commands_say_when_there_is_no_such_account(app):
    result = app.test_cli_runner().invoke(args=["reset-two-step", "nobody@example.gov.uk"])
    assert result.exit_code != 0
    assert "There is no account with the email address nobody@example.gov.uk" in result.output
