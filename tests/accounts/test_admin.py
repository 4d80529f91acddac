"""The SRO manages accounts; `ripa-guard create-user` does the same from the command line."""

from __future__ import annotations

from sqlalchemy import select

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from tests.helpers import error_messages

NEW_PERSON = {
    "email": "Nia.Newcomer@Borsetshire.example.gov.uk",
    "name": "Nia Newcomer",
    "grade": "Fraud Investigator",
    "service": "Counter Fraud",
    "roles": ["officer"],
}


def _user(app, email):
    with app.app_context():
        user = db.session().scalar(select(User).where(User.email == email))
        _ = user.roles
        return user


def test_sro_adds_a_user_who_gets_a_one_time_password(client, app, sro):
    client.sign_in(sro)
    page = client.post_page("/admin/users/new", NEW_PERSON)
    assert "One-time password for Nia Newcomer" in page.h1.get_text()
    user = _user(app, "nia.newcomer@borsetshire.example.gov.uk")
    assert user.role_set == {Role.OFFICER}
    assert user.must_change_password


def test_duplicate_email_is_refused_with_answers_kept(client, app, sro, officer):
    client.sign_in(sro)
    page = client.post_page("/admin/users/new", {**NEW_PERSON, "email": officer.email})
    assert error_messages(page)["email"] == "An account with this email address already exists"
    assert page.select_one("input[name=name]")["value"] == "Nia Newcomer"


def test_user_form_needs_a_role_and_a_valid_email(client, sro):
    client.sign_in(sro)
    page = client.post_page(
        "/admin/users/new", {**NEW_PERSON, "email": "not-an-email", "roles": []}
    )
    errors = error_messages(page)
    assert errors["email"].startswith("Enter an email address in the correct format")
    assert errors["roles"] == "Select at least one role"


def test_sro_changes_roles_and_marks_the_head_of_paid_service(client, app, sro, officer):
    client.sign_in(sro)
    response = client.post(
        f"/admin/users/{officer.id}",
        {
            **NEW_PERSON,
            "email": officer.email,
            "roles": ["officer", "authorising_officer"],
            "can_authorise_confidential": "y",
        },
    )
    assert response.status_code == 302
    user = _user(app, officer.email)
    assert user.role_set == {Role.OFFICER, Role.AUTHORISING_OFFICER}
    assert user.can_authorise_confidential


def test_sro_cannot_remove_their_own_sro_role(client, app, sro):
    client.sign_in(sro)
    page = client.post_page(
        f"/admin/users/{sro.id}", {**NEW_PERSON, "email": sro.email, "roles": ["officer"]}
    )
    assert "You cannot remove your own SRO role" in page.get_text()
    assert Role.SRO in _user(app, sro.email).role_set


def test_disabled_account_is_kept_and_audited(client, app, sro, officer):
    client.sign_in(sro)
    client.post(f"/admin/users/{officer.id}/disable", {})
    assert _user(app, officer.email).active is False
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action)).all()
    assert "user.disabled" in actions


def test_reset_password_issues_a_new_one_time_password(client, app, sro, officer):
    client.sign_in(sro)
    page = client.post_page(f"/admin/users/{officer.id}/reset-password", {})
    assert "One-time password" in page.h1.get_text()
    assert _user(app, officer.email).must_change_password


def test_officer_cannot_manage_users(client, officer):
    client.sign_in(officer)
    assert client.post("/admin/users/new", NEW_PERSON).status_code == 403
    assert client.post(f"/admin/users/{officer.id}/reset-password", {}).status_code == 403


def test_create_user_command_prints_a_one_time_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "cli.person@borsetshire.example.gov.uk",
            "--name",
            "Cli Person",
            "--grade",
            "Head of Service",
            "--role",
            "authorising_officer",
            "--role",
            "officer",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "One-time password" in result.output
    assert _user(app, "cli.person@borsetshire.example.gov.uk").role_set == {
        Role.AUTHORISING_OFFICER,
        Role.OFFICER,
    }
    again = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "cli.person@borsetshire.example.gov.uk",
            "--name",
            "X",
            "--role",
            "officer",
        ]
    )
    assert again.exit_code != 0 and "already exists" in again.output
