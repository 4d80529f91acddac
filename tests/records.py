"""Records made straight through the lifecycle functions: fast set-up for tests of the register."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from ripa_guard.accounts.models import User
from ripa_guard.applications import drafting, lifecycle, plans
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    CourtOutcome,
    Decision,
    ReviewOutcome,
    Subject,
    Triage,
)
from ripa_guard.core import db

from .journeys import APPLICATION, MONITOR_SELLER, OFFENCES, STATEMENTS

DEFINITION = "application"


def _user(user_id: int) -> User:
    return db.session().get(User, user_id)


def submitted(
    app,
    officer,
    title="Counterfeit handbags",
    subject="Bargain Bags",
    when=None,
    case_reference=None,
    offences=OFFENCES,
) -> int:
    """A submitted application by `officer`, made without HTTP; returns its id."""
    when = when or datetime(2026, 3, 2, 10, tzinfo=UTC)
    with app.app_context():
        s = db.session()
        person = _user(officer.id)
        register = app.extensions["ripa_guard.offences"]
        triage = plans.start_triage(s, person, title)
        plans.save_triage_answers(s, person, triage, MONITOR_SELLER)
        plans.complete_triage(s, person, triage, register)
        application = drafting.start_application(s, person, triage)
        answers = {**APPLICATION, "investigation_title": title}
        if case_reference:
            answers["case_reference"] = case_reference
        drafting.save_application_answers(s, person, application, answers, application.version)
        for code, facts in offences:
            drafting.add_offence(s, person, application, code, facts, register, application.version)
        drafting.add_subject(
            s,
            person,
            application,
            name=subject,
            description="",
            profiles=[
                {
                    "platform": "Facebook",
                    "url": f"https://www.facebook.com/{subject.lower().replace(' ', '')}.example",
                }
            ],
            version=application.version,
        )
        drafting.submit_application(
            s,
            person,
            application,
            definition=app.extensions["ripa_guard.forms"][DEFINITION],
            register=register,
            urn_prefix=app.config["URN_PREFIX"],
            version=application.version,
            now=when,
        )
        return application.id


def approve(app, application_id, authoriser, when=None, directly_involved=False):
    when = when or datetime(2026, 3, 3, 10, tzinfo=UTC)
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        lifecycle.decide_application(
            s,
            _user(authoriser.id),
            application,
            decision=Decision.APPROVED,
            what_authorised="The seller's Facebook page, twice a week.",
            reasons="Necessary and proportionate.",
            review_interval_days=28,
            directly_involved=directly_involved,
            directly_involved_reason="No one else available." if directly_involved else "",
            version=application.version,
            now=when,
            statements=STATEMENTS,
            offences_genuine=True,
        )


def court(app, application_id, coordinator, when=None, outcome=CourtOutcome.APPROVED):
    when = when or datetime(2026, 3, 5, 15, tzinfo=UTC)
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        lifecycle.record_court_decision(
            s,
            _user(coordinator.id),
            application,
            court="Borchester Magistrates' Court",
            hearing_date=when.date(),
            magistrate="A. N. Justice JP",
            outcome=outcome,
            decided_at=when,
            notes="",
            version=application.version,
            now=when + timedelta(hours=1),
        )


def review(app, application_id, authoriser, today=date(2026, 4, 2)):
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        lifecycle.record_review(
            s,
            _user(authoriser.id),
            application,
            outcome=ReviewOutcome.CONTINUE,
            reasons="Still needed.",
            next_interval_days=28,
            version=application.version,
            today=today,
        )


def cancel(app, application_id, authoriser, today=date(2026, 4, 10)):
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        lifecycle.cancel_authorisation(
            s,
            _user(authoriser.id),
            application,
            reason="Seller identified.",
            obtained="42 screenshots.",
            handling="Kept until the case ends.",
            stop_instructed_at=datetime(2026, 4, 10, 9, tzinfo=UTC),
            version=application.version,
            today=today,
        )


def active(app, officer, authoriser, coordinator, **kwargs) -> int:
    application_id = submitted(app, officer, **kwargs)
    approve(app, application_id, authoriser)
    court(app, application_id, coordinator)
    return application_id


def bulk(app, officer, count: int, start: int = 1) -> None:
    """`count` submitted applications inserted in bulk, as a large register would hold."""
    with app.app_context():
        s = db.session()
        now = datetime(2026, 3, 2, 10, tzinfo=UTC)
        triage_ids = (
            s.execute(
                insert(Triage).returning(Triage.id),
                [
                    {
                        "officer_id": officer.id,
                        "title": f"Case {n}",
                        "answers": {},
                        "started_at": now,
                        "reasons": [],
                        "offence_codes": [],
                        "threshold_reason": "",
                    }
                    for n in range(count)
                ],
            )
            .scalars()
            .all()
        )
        application_ids = (
            s.execute(
                insert(Application).returning(Application.id),
                [
                    {
                        "urn": f"BULK/2026/{start + n:06d}",
                        "triage_id": t,
                        "officer_id": officer.id,
                        "status": ApplicationStatus.SUBMITTED,
                        "investigation_title": f"Bulk case {n} " + "x" * 80,
                        "offence_snapshot": {"title": "Fraud", "citation": "Fraud Act 2006, s.1"},
                        "answers": {**APPLICATION, "summary": "y" * 500},
                        "submitted_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n, t in enumerate(triage_ids)
                ],
            )
            .scalars()
            .all()
        )
        s.execute(
            insert(Subject),
            [
                {"application_id": a, "name": f"Subject {a}", "description": "", "profiles": []}
                for a in application_ids
            ],
        )
        s.commit()
        assert s.scalar(select(Application.id).where(Application.urn == f"BULK/2026/{start:06d}"))
