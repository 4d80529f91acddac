"""`ripa-guard demo`: each invented investigation tells one consistent story, dated when it
happened, and a council looking around sees a working register."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ripa_guard import db
from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import Application
from ripa_guard.core import clock
from ripa_guard.demo import stories
from ripa_guard.notifications.models import OutboxMessage
from tests.helpers import PageClient

#: Acts an investigation's offences must (or must not) come from, by words in its title.
FITTING_ACTS = {
    "Counterfeit": "Trade Marks Act 1994",
    "Fake perfume": "Trade Marks Act 1994",
    "Fly-tipping": "Environmental Protection Act 1990",
    "Tenancy fraud": "Prevention of Social Housing Fraud Act 2013",
    "money lending": "Financial Services and Markets Act 2000",
    "Knife sales": "Criminal Justice Act 1988",
    "Puppy": "Animal Welfare Act 2006",
    "Blue Badge": "Fraud Act 2006",
}


@pytest.fixture
def demo(app):
    from ripa_guard import demo as demo_module

    with app.app_context():
        demo_module.fill(db.session(), app)
    return app


def _applications(app) -> list[Application]:
    with app.app_context():
        found = list(db.session().scalars(select(Application)))
        for application in found:
            # Loaded while the session is open, for the checks below.
            _ = (application.decisions, application.hearings, application.renewals)
            _ = (application.reviews, application.subjects, application.cancellation)
        return found


def test_each_demo_investigation_names_the_offence_its_story_describes(demo):
    register = demo.extensions["ripa_guard.offences"]
    applications = _applications(demo)
    for application in applications:
        acts = {register[code].act for code in application.offence_codes}
        for words, act in FITTING_ACTS.items():
            if words.lower() in application.investigation_title.lower():
                assert act in acts, application.investigation_title
        if "counterfeit" in application.investigation_title.lower():
            assert "Fraud Act 2006" not in acts, "a counterfeit-goods case is not fraud"


def test_no_two_demo_investigations_share_a_summary_or_subject(demo):
    applications = [a for a in _applications(demo) if a.submitted_at]
    summaries = [a.answers.get("summary") for a in applications]
    subjects = [a.subjects[0].name for a in applications]
    assert len(set(summaries)) == len(summaries)
    assert len(set(subjects)) == len(subjects)


def _moments(application: Application) -> list[tuple[str, datetime]]:
    """Each step of an application with when it happened, in the order it was taken."""
    local = clock.local_date
    steps = [("submitted", local(application.submitted_at))]
    steps += [("decided", local(d.decided_at)) for d in application.decisions]
    steps += [("heard", h.hearing_date) for h in application.hearings]
    steps += [("reviewed", r.reviewed_on) for r in application.reviews]
    steps += [("renewal asked", local(r.requested_at)) for r in application.renewals]
    if application.cancellation:
        steps.append(("cancelled", application.cancellation.cancelled_on))
    return steps


def test_each_demo_history_is_in_order_and_none_of_it_in_the_future(demo):
    today = clock.today()
    for application in _applications(demo):
        if application.submitted_at is None:
            continue
        steps = _moments(application)
        submitted = steps[0][1]
        for name, day in steps:
            assert submitted <= day <= today, (application.investigation_title, name, day)
        decided = [day for name, day in steps if name == "decided"]
        heard = [day for name, day in steps if name == "heard"]
        reviewed = [day for name, day in steps if name == "reviewed"]
        assert all(decided[0] <= h for h in heard)
        assert all(heard[0] <= r for r in reviewed)


def test_the_demo_reference_numbers_follow_the_order_of_submission(demo):
    submitted = sorted((a for a in _applications(demo) if a.urn), key=lambda a: a.submitted_at)
    assert [a.urn for a in submitted] == sorted(a.urn for a in submitted)


def test_the_demo_stories_are_dated_as_they_happened(demo):
    """A review four weeks after the JP's approval is on the record four weeks after it, not
    on the day the demo was loaded."""
    by_title = {a.investigation_title: a for a in _applications(demo)}
    for story in stories.STORIES:
        application = by_title[story.title]
        days_ago = (clock.today() - clock.local_date(application.submitted_at)).days
        assert days_ago == story.submitted_days_ago
        for review, (_step, ago) in zip(
            application.reviews, [e for e in story.events if e[0] == "review"], strict=True
        ):
            assert (clock.today() - review.reviewed_on).days == ago


def test_the_demo_queues_no_email_to_its_invented_people(demo):
    with demo.app_context():
        assert db.session().scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_every_demo_role_sees_its_dashboard_and_readers_see_the_register(demo):
    with demo.app_context():
        # Their roles with them: they are read after the session has closed.
        people = list(db.session().scalars(select(User).options(selectinload(User.roles))))
    readers = (Role.COORDINATOR, Role.SRO, Role.INSPECTOR, Role.AUTHORISING_OFFICER)
    for person in people:
        client = PageClient(demo).sign_in(person)
        # An inspector's home page is the register's overview.
        client.get("/register/overview" if person.role_set == {Role.INSPECTOR} else "/dashboard")
        if person.has_role(*readers):
            page = client.get("/register/")
            assert "Counterfeit tobacco" in page.get_text()


def test_the_audit_trail_checks_out_after_the_demo(demo):
    result = demo.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "Audit trail intact" in result.output


def test_the_demo_council_is_set_up_so_its_sro_sees_no_checklist(demo):
    with demo.app_context():
        sro = db.session().scalar(select(User).where(User.email.startswith("sally.stone@")))
    page = PageClient(demo).sign_in(sro).get("/dashboard")
    assert page.find(id="setup-checklist") is None


def test_the_demo_screenshots_are_on_the_captured_material_register(demo):
    from ripa_guard.viewing.capture_models import Capture

    with demo.app_context():
        captures = list(db.session().scalars(select(Capture)))
    assert captures, "the recent looks' screenshots are on the register"
    assert all(c.kept_at == "Screenshots in the case file" for c in captures)
    assert len({c.viewing_id for c in captures}) == len(captures)
