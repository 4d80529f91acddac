"""Who is told what, queued in the transaction of the change that causes it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import lifecycle
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    CourtOutcome,
    Decision,
)
from ripa_guard.core import db
from ripa_guard.core.changes import STALE, Refused
from ripa_guard.law.viewing_rules import Stop
from ripa_guard.notifications import messages, outbox
from ripa_guard.notifications.models import Notification, OutboxMessage
from ripa_guard.viewing.models import Channel, Investigation, ViewingAttempt
from tests import records


def queued(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def told(app, event: str) -> set[str]:
    return {m.email for m in queued(app) if m.event == event}


def in_app(app, user) -> list[Notification]:
    with app.app_context():
        return list(
            db.session().scalars(select(Notification).where(Notification.user_id == user.id))
        )


def test_a_submitted_application_is_sent_to_each_authorising_officer(
    app, officer, authoriser, create_user, sro, coordinator
):
    second = create_user(Role.AUTHORISING_OFFICER)
    gone = create_user(Role.AUTHORISING_OFFICER)
    with app.app_context():
        db.session().get(User, gone.id).active = False
        db.session().commit()

    application_id = records.submitted(app, officer, title="Counterfeit handbags")

    assert told(app, messages.SUBMITTED) == {authoriser.email, second.email}
    [message, *_] = queued(app)
    with app.app_context():
        urn = db.session().get(Application, application_id).urn
    assert message.subject == f"RIPA guard: {urn} is waiting for an authorising officer's decision"
    assert f"{urn}: Counterfeit handbags\n" in message.body
    assert f"http://127.0.0.1:5000/applications/{application_id}\n" in message.body
    [notification] = in_app(app, authoriser)
    assert notification.link == f"/applications/{application_id}"
    assert notification.read_at is None


def test_an_applicant_who_is_also_an_authorising_officer_is_not_asked_to_decide(
    app, create_user, authoriser
):
    both = create_user(Role.OFFICER, Role.AUTHORISING_OFFICER)

    records.submitted(app, both)

    assert told(app, messages.SUBMITTED) == {authoriser.email}


def test_messages_carry_the_urn_title_and_link_never_the_subject(app, officer, authoriser):
    records.submitted(app, officer, title="Fake perfume", subject="Bargain Bags")

    for message in queued(app):
        for text in (message.subject, message.body, str(message.personalisation)):
            assert "Bargain Bags" not in text and "bargainbags" not in text
            assert "Olive Officer" not in text
            assert "Market Street" not in text  # the application's answers


def _decide(app, application_id, authoriser, decision, version_behind=0) -> None:
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        lifecycle.decide_application(
            s,
            s.get(User, authoriser.id),
            application,
            decision=decision,
            what_authorised="The seller's page." if decision == Decision.APPROVED else "",
            reasons="Necessary and proportionate.",
            review_interval_days=28,
            directly_involved=False,
            directly_involved_reason="",
            version=application.version - version_behind,
            now=datetime(2026, 3, 3, 10, tzinfo=UTC),
            statements=records.STATEMENTS,
            offences_genuine=True,
        )


@pytest.mark.parametrize(
    "decision, event",
    [
        (Decision.APPROVED, messages.APPROVED),
        (Decision.REFUSED, messages.REFUSED),
        (Decision.RETURNED, messages.RETURNED),
    ],
)
def test_the_decision_is_sent_to_the_applicant(app, officer, authoriser, decision, event):
    application_id = records.submitted(app, officer)

    _decide(app, application_id, authoriser, decision)

    assert told(app, event) == {officer.email}


def test_the_courts_decision_is_sent_to_the_applicant_and_the_coordinator(
    app, officer, authoriser, coordinator, sro
):
    application_id = records.submitted(app, officer)
    records.approve(app, application_id, authoriser)
    records.court(app, application_id, coordinator, outcome=CourtOutcome.REFUSED)

    assert told(app, messages.COURT_REFUSED) == {officer.email, coordinator.email}
    assert [n.event for n in in_app(app, officer)] == [messages.APPROVED, messages.COURT_REFUSED]


def test_a_refused_change_queues_nothing(app, officer, authoriser):
    application_id = records.submitted(app, officer)
    before = len(queued(app))

    with pytest.raises(Refused):  # someone else changed it meanwhile
        _decide(app, application_id, authoriser, Decision.REFUSED, version_behind=1)

    assert len(queued(app)) == before


def test_a_change_lost_at_commit_takes_its_emails_with_it(app, officer, authoriser, monkeypatch):
    application_id = records.submitted(app, officer)
    before = len(queued(app))

    def lost_race(session):
        # What core.changes.commit does when someone else changed the record first.
        session.rollback()
        raise Refused(STALE)

    monkeypatch.setattr(lifecycle, "commit", lost_race)
    with pytest.raises(Refused):
        _decide(app, application_id, authoriser, Decision.APPROVED)

    assert len(queued(app)) == before
    with app.app_context():
        assert db.session().get(Application, application_id).status == ApplicationStatus.SUBMITTED


def test_a_held_look_is_sent_to_the_coordinators_with_the_reference_and_link(
    app, coordinator, sro, officer
):
    with app.app_context():
        s = db.session()
        told_count = outbox.notify_look_held(
            s,
            investigation_reference="TS/2026/0412",
            title="Counterfeit handbags",
            link="/viewings/held/7",
        )
        s.commit()

    assert told_count == 1
    [message] = queued(app)
    assert message.email == coordinator.email
    assert message.subject == (
        "RIPA guard: A look for TS/2026/0412 is held until you say whether it is the same matter"
    )
    assert "http://127.0.0.1:5000/viewings/held/7\n" in message.body
    assert [n.link for n in in_app(app, coordinator)] == ["/viewings/held/7"]


def _stopped(app, officer, outcome: Stop, at: datetime) -> None:
    with app.app_context():
        s = db.session()
        investigation = s.scalar(select(Investigation)) or Investigation(
            key="TS20260412", reference="TS/2026/0412"
        )
        s.add(
            ViewingAttempt(
                attempted_at=at,
                officer_id=officer.id,
                officer_name="Olive Officer",
                investigation=investigation,
                reference="TS/2026/0412",
                url="https://www.facebook.com/bargainbags.example",
                platform="Facebook",
                identity="facebook:bargainbags.example",
                subject="Bargain Bags",
                subject_key="bargain bags",
                purpose="Check listings",
                outcome=outcome,
                reason="A repeat",
                citation="RIPA s.26(2)",
                channel=Channel.WEB,
            )
        )
        s.commit()


def test_the_sro_gets_a_daily_digest_of_stopped_looks_with_counts_and_a_link(
    app, officer, sro, coordinator
):
    # 23:30 on 5 April in London is 22:30 UTC: still the 5th in England and Wales.
    _stopped(app, officer, Stop.BLOCKED, datetime(2026, 4, 5, 22, 30, tzinfo=UTC))
    _stopped(app, officer, Stop.BLOCKED, datetime(2026, 4, 5, 9, tzinfo=UTC))
    _stopped(app, officer, Stop.REFUSED, datetime(2026, 4, 5, 12, tzinfo=UTC))
    _stopped(app, officer, Stop.REFUSED, datetime(2026, 4, 5, 23, 30, tzinfo=UTC))  # the 6th

    for _ in range(2):  # a cron job run twice
        result = app.test_cli_runner().invoke(args=["remind", "--today", "2026-04-06"])
        assert result.exit_code == 0, result.output

    [digest] = [m for m in queued(app) if m.event == messages.VIEWING_DIGEST]
    assert digest.email == sro.email
    assert digest.subject == "RIPA guard: 2 blocked and 1 refused looks on Sunday 5 April 2026"
    assert "http://127.0.0.1:5000/viewings/oversight\n" in digest.body
    for detail in ("Bargain Bags", "bargainbags", "Olive Officer", "TS/2026/0412", "Check"):
        assert detail not in digest.body


def test_no_digest_on_a_day_nothing_was_stopped(app, officer, sro):
    _stopped(app, officer, Stop.BLOCKED, datetime(2026, 4, 1, 9, tzinfo=UTC))

    app.test_cli_runner().invoke(args=["remind", "--today", date(2026, 4, 6).isoformat()])

    assert told(app, messages.VIEWING_DIGEST) == set()
