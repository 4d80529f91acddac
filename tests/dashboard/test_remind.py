"""`ripa-guard remind` queues, and `ripa-guard send` delivers to a real SMTP server (aiosmtpd)
started by the tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete

from ripa_guard.accounts.models import User
from ripa_guard.core import db
from ripa_guard.notifications.messages import REMINDER
from ripa_guard.notifications.models import OutboxMessage
from tests.dashboard.test_due import APPROVED_ON, LAST_DAY, _travel, authorisation, request_renewal
from tests.mail_setup import SENDER, SERVICE_URL, free_port, text

#: Approved on 9 March 2026, reviewed every 28 days: the first review is due on 6 April 2026.
LATER = date(2026, 3, 9)
#: The authorisation approved on APPROVED_ON lapsed two days before; LATER's review is due.
TODAY = LAST_DAY + timedelta(days=2)


def remind(app, today: date, send: bool = True):
    """`ripa-guard remind` for `today`, then (unless told not to) `ripa-guard send`. The
    e-mails the cases' own submissions and decisions queued are dropped first: these tests are
    about reminders (tests/notifications covers the others)."""
    with app.app_context():
        db.session().execute(delete(OutboxMessage).where(OutboxMessage.event != REMINDER))
        db.session().commit()
    queued = app.test_cli_runner().invoke(args=["remind", "--today", today.isoformat()])
    assert queued.exit_code == 0, queued.output
    if not send:
        return queued
    sent = app.test_cli_runner().invoke(args=["send"])
    sent.queued_output = queued.output
    return sent


@pytest.fixture
def cases(app, officer, other_officer, authoriser, coordinator, sro):
    """The officer's authorisation has lapsed; the other officer has two reviews due today.
    The authorising officer, the coordinator and the SRO see all three."""
    lapsed = authorisation(app, officer, authoriser, coordinator, title="Counterfeit handbags")
    first = authorisation(
        app, other_officer, authoriser, coordinator, approved_on=LATER, title="Fake perfume"
    )
    second = authorisation(
        app, other_officer, authoriser, coordinator, approved_on=LATER, title="Puppy farm"
    )
    return lapsed, first, second


def test_each_person_gets_one_email_with_what_is_due_for_them(
    app, inbox, cases, officer, other_officer, authoriser, coordinator, sro, inspector
):
    (lapsed_id, lapsed_urn), (first_id, first_urn), (_, second_urn) = cases

    result = remind(app, TODAY)

    assert result.exit_code == 0, result.output
    received = inbox.messages()
    assert set(received) == {
        officer.email,
        other_officer.email,
        authoriser.email,
        coordinator.email,
        sro.email,
    }
    assert inspector.email not in received
    assert received[officer.email]["Subject"] == "RIPA guard: 1 lapsed authorisation"
    assert received[other_officer.email]["Subject"] == "RIPA guard: 2 reviews due"
    for oversight in (authoriser, coordinator, sro):
        assert (
            received[oversight.email]["Subject"]
            == "RIPA guard: 1 lapsed authorisation, 2 reviews due"
        )
    assert received[sro.email]["From"] == SENDER
    assert received[sro.email]["To"] == sro.email

    officers = text(received[officer.email])
    assert lapsed_urn in officers and first_urn not in officers
    assert "Ceased at the end of Saturday 4 April 2026" in officers
    assert f"{SERVICE_URL}/applications/{lapsed_id}\n" in officers

    sros = text(received[sro.email])
    assert sros.index("LAPSED: STILL NEEDS CANCELLING (1)") < sros.index("REVIEWS DUE (2)")
    assert all(urn in sros for urn in (lapsed_urn, first_urn, second_urn))
    assert "Review due Monday 6 April 2026 (due today)" in sros
    assert f"{SERVICE_URL}/applications/{first_id}\n" in sros

    assert f"Queued for {sro.email}: 1 lapsed authorisation, 2 reviews due" in result.queued_output
    assert "5 reminders queued for Monday 6 April 2026" in result.queued_output
    assert "5 e-mails sent" in result.output


def test_emails_carry_no_subject_names_profiles_or_officers(app, inbox, cases):
    remind(app, TODAY)

    assert len(inbox.envelopes) == 5
    for message in inbox.messages().values():
        body = text(message)
        assert "Bargain Bags" not in body
        assert "facebook.com" not in body and "bargainbags" not in body
        assert "Olive Officer" not in body and "Oscar Other" not in body
        assert "Market Street" not in body  # the subject's description and the answers


def test_email_gives_the_dates_for_each_kind_of_item(
    app, inbox, officer, authoriser, coordinator, sro
):
    authorisation(app, officer, until="submitted")
    authorisation(app, officer, authoriser, until="awaiting_court")
    renewing_id, _ = authorisation(app, officer, authoriser, coordinator)
    asked_on = LAST_DAY - timedelta(days=10)
    request_renewal(app, officer, renewing_id, asked_on)

    result = remind(app, asked_on)

    assert result.exit_code == 0, result.output
    message = inbox.messages()[sro.email]
    assert message["Subject"] == (
        "RIPA guard: 1 review due, 1 authorisation ending soon, 2 awaiting decision, "
        "1 awaiting the magistrate"
    )
    body = text(message)
    for line in (
        "Review due Monday 2 February 2026 (overdue by 51 days)",
        "It has effect until 23:59 on Saturday 4 April 2026 (10 days left); a renewal is under way",
        "Submitted Friday 2 January 2026",
        "Renewal 1 requested Wednesday 25 March 2026; it must be granted and approved by a "
        "magistrate by the end of Saturday 4 April 2026",
        "Approved by the authorising officer Saturday 3 January 2026",
    ):
        assert f"  {line}\n" in body, line
    assert "awaiting the magistrate" not in inbox.messages()[authoriser.email]["Subject"]
    assert "awaiting decision" not in inbox.messages()[coordinator.email]["Subject"]


def test_nothing_is_sent_when_nothing_is_due(app, inbox, officer, authoriser, coordinator, sro):
    authorisation(app, officer, authoriser, coordinator)

    result = remind(app, APPROVED_ON + timedelta(days=1))

    assert result.exit_code == 0, result.output
    assert inbox.envelopes == []
    assert "No reminders queued for Tuesday 6 January 2026" in result.queued_output


def test_disabled_accounts_get_no_email(app, inbox, cases, sro):
    with app.app_context():
        db.session().get(User, sro.id).active = False
        db.session().commit()

    result = remind(app, TODAY)

    assert result.exit_code == 0, result.output
    assert sro.email not in inbox.messages()
    assert len(inbox.envelopes) == 4


def test_today_defaults_to_the_clock(app, inbox, cases, officer):
    with _travel(TODAY):
        result = app.test_cli_runner().invoke(args=["remind"])
    app.test_cli_runner().invoke(args=["send"])

    assert result.exit_code == 0, result.output
    assert "5 reminders queued for Monday 6 April 2026" in result.output
    assert officer.email in inbox.messages()


def test_reminding_twice_in_a_day_sends_each_person_one_email(app, inbox, cases):
    remind(app, TODAY)
    again = remind(app, TODAY)

    assert again.exit_code == 0, again.output
    assert len(inbox.envelopes) == 5
    assert "queued by an earlier run that day" in again.queued_output


def test_unreachable_mail_server_fails_cleanly(app, mail_config, cases):
    mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())

    result = remind(app, TODAY)

    assert result.exit_code == 1
    assert "Could not connect to the mail server 127.0.0.1:" in result.output
    assert "0 e-mails sent; 5 to try again later" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "settings, problem",
    [
        ({"MAIL_USE_TLS": True}, "STARTTLS extension not supported"),
        ({"MAIL_USERNAME": "ripa", "MAIL_PASSWORD": "secret"}, "AUTH extension not supported"),
    ],
)
def test_starttls_and_login_are_used_when_configured(
    app, inbox, mail_config, cases, settings, problem
):
    # The test server offers neither, so asking for them shows they were asked for.
    mail_config.update(settings)

    result = remind(app, TODAY)

    assert result.exit_code == 1
    assert problem in result.output
    assert "Traceback" not in result.output
    assert inbox.envelopes == []
