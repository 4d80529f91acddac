"""`ripa-guard send` by SMTP, against a real SMTP server (aiosmtpd): each e-mail goes once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from ripa_guard.core import db
from ripa_guard.notifications import sending
from ripa_guard.notifications.backends import SmtpBackend
from ripa_guard.notifications.models import MessageStatus, OutboxMessage
from tests import records

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def send(app, now=NOW) -> sending.Run:
    with app.app_context():
        config = app.config
        return sending.run(
            db.session(), SmtpBackend(config), lambda: now, sending.Settings.from_config(config)
        )


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_each_queued_email_is_delivered_once_with_a_message_id_from_its_outbox_id(
    app, inbox, officer, authoriser
):
    records.submitted(app, officer)

    first = app.test_cli_runner().invoke(args=["send"])
    second = app.test_cli_runner().invoke(args=["send"])

    assert first.exit_code == 0, first.output
    assert "1 e-mail sent; 0 to try again later; 0 failed; 0 unconfirmed." in first.output
    assert "0 e-mails sent" in second.output
    [message] = inbox.parsed()
    [row] = outbox(app)
    assert message["To"] == authoriser.email
    assert message["Message-ID"] == f"<ripa-guard-outbox-{row.id}@borsetshire.example.gov.uk>"
    assert row.status == MessageStatus.SENT and row.backend == "smtp" and row.attempts == 1


def test_a_server_that_says_try_later_is_tried_again_after_a_growing_wait(
    app, inbox, officer, authoriser
):
    records.submitted(app, officer)
    inbox.answer = "451 4.3.0 Mail server temporarily rejected message"

    run = send(app)
    [row] = outbox(app)
    assert (run.sent, run.retrying) == (0, 1)
    assert row.status == MessageStatus.PENDING
    assert row.next_attempt_at == NOW + timedelta(seconds=60)
    assert "try later" in row.last_error

    send(app, NOW + timedelta(seconds=30))  # not due yet: nothing is tried
    assert outbox(app)[0].attempts == 1

    send(app, NOW + timedelta(seconds=60))
    assert outbox(app)[0].next_attempt_at == NOW + timedelta(seconds=60 + 120)

    inbox.answer = "250 OK"
    run = send(app, NOW + timedelta(seconds=180))
    assert run.sent == 1
    assert len(inbox.envelopes) == 1
    assert outbox(app)[0].status == MessageStatus.SENT


def test_an_email_still_failing_after_the_last_attempt_is_failed_and_shown_to_the_sro(
    app, client, inbox, officer, authoriser, sro
):
    records.submitted(app, officer)
    inbox.answer = "451 4.3.0 Try again later"
    app.config["SEND_MAX_ATTEMPTS"] = 2
    try:
        send(app)
        run = send(app, NOW + timedelta(hours=1))
    finally:
        app.config["SEND_MAX_ATTEMPTS"] = 8

    assert run.failed == 1
    assert outbox(app)[0].status == MessageStatus.FAILED
    page = client.sign_in(sro).get_page("notifications.outbox")
    row = page.find("tbody").find("tr")
    assert authoriser.email in row.get_text()
    assert "Failed" in row.get_text()


def test_a_refused_address_is_failed_at_once(app, inbox, officer, authoriser):
    records.submitted(app, officer)
    inbox.answer = "550 5.1.1 No such mailbox"

    result = app.test_cli_runner().invoke(args=["send"])

    assert result.exit_code == 1
    assert f"Not sent: {authoriser.email} (application_submitted)" in result.output
    assert outbox(app)[0].status == MessageStatus.FAILED


def test_a_sender_stopped_between_sending_and_recording_is_never_resent_by_smtp(
    app, inbox, officer, authoriser
):
    records.submitted(app, officer)
    with app.app_context():
        # As a sender leaves it when it dies after the server took the e-mail.
        token, [claimed] = sending.claim(db.session(), NOW, batch=10)
        SmtpBackend(app.config).send(claimed)

    soon = send(app, NOW + timedelta(minutes=5))
    assert soon.sent == 0 and outbox(app)[0].status == MessageStatus.SENDING

    later = send(app, NOW + timedelta(minutes=16))
    assert later.unconfirmed == 1
    assert outbox(app)[0].status == MessageStatus.UNCONFIRMED
    assert len(inbox.envelopes) == 1


def test_a_claimed_message_is_not_claimed_again(app, officer, authoriser):
    records.submitted(app, officer)
    with app.app_context():
        _, first = sending.claim(db.session(), NOW, batch=10)
        _, second = sending.claim(db.session(), NOW, batch=10)

    assert len(first) == 1 and second == []


def test_a_late_sender_does_not_overwrite_what_another_recorded(app, officer, authoriser):
    records.submitted(app, officer)
    with app.app_context():
        s = db.session()
        token, [claimed] = sending.claim(s, NOW, batch=10)
        s.execute(update(OutboxMessage).values(claim_token="someone else"))
        s.commit()
        sending._record(s, claimed, token, status=MessageStatus.FAILED, last_error="late")

    assert outbox(app)[0].status == MessageStatus.SENDING


class _Stop(Exception):
    pass


def test_send_loop_keeps_sending_what_is_queued_between_passes(
    app, inbox, officer, authoriser, monkeypatch
):
    from ripa_guard.notifications import commands

    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        if len(pauses) == 1:
            records.submitted(app, officer, title="Second")  # queued while the worker waits
            return
        raise _Stop

    monkeypatch.setattr(commands.time, "sleep", pause)
    records.submitted(app, officer, title="First")

    result = app.test_cli_runner().invoke(args=["send", "--loop", "--every", "5"])

    assert isinstance(result.exception, _Stop)
    assert pauses == [5, 5]
    assert len(inbox.envelopes) == 2
