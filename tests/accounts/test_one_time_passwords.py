"""One-time passwords stop working after ONE_TIME_PASSWORD_DAYS (issue 17); the SRO, or the
command line for the first SRO, issues another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from ripa_guard.accounts.models import Role
from tests.accounts.test_sign_in_security import _sign_in

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_a_one_time_password_stops_working_after_seven_days(client, create_user):
    with time_machine.travel(START, tick=False):
        newcomer = create_user(Role.OFFICER, must_change_password=True)
    with time_machine.travel(START + timedelta(days=6), tick=False):
        assert _sign_in(client, newcomer.email).status_code == 302
    client.sign_out()
    with time_machine.travel(START + timedelta(days=8), tick=False):
        response = _sign_in(client, newcomer.email)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_a_password_of_ones_own_has_no_end(client, create_user):
    with time_machine.travel(START, tick=False):
        person = create_user(Role.OFFICER)
    with time_machine.travel(START + timedelta(days=400), tick=False):
        assert _sign_in(client, person.email).status_code == 302


def test_the_sro_sees_until_when_a_one_time_password_works(client, sro):
    with time_machine.travel(START, tick=False):
        client.sign_in(sro)
        page = client.post_page(
            "/admin/users/new",
            {
                "email": "nina.new@borsetshire.example.gov.uk",
                "name": "Nina New",
                "grade": "Enforcement Officer",
                "roles": "officer",
            },
        )
        assert "It works until 9:00am on Wednesday 2 December 2026" in page.get_text()
        listed = client.get("/admin/users").get_text()
    assert "One-time password until 9:00am on Wednesday 2 December 2026" in listed


def test_the_command_line_gives_the_first_sro_a_new_one_time_password(app, client, create_user):
    with time_machine.travel(START, tick=False):
        first = create_user(Role.SRO, must_change_password=True)
    later = START + timedelta(days=10)
    with time_machine.travel(later, tick=False):
        result = app.test_cli_runner().invoke(args=["reset-password", "--email", first.email])
        password = result.output.strip().rsplit(" ", 1)[-1]
        assert "works for 7 days" in result.output
        assert _sign_in(client, first.email, password).status_code == 302
