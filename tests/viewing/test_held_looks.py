"""A repeat is a repeat whoever asks (issue 15, item 2): a look at a profile or subject already
looked at under another investigation is held until the RIPA coordinator says whether it is the
same matter. The officer is told the coordinator must confirm, and nothing of the other
investigation; the coordinator's queue is on their dashboard and in the reminder e-mail."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import clock, db
from ripa_guard.dashboard.due import what_is_due
from ripa_guard.dashboard.remind import compose
from ripa_guard.law.viewing_rules import Verdict
from ripa_guard.notifications import messages
from ripa_guard.notifications.models import Notification, OutboxMessage
from ripa_guard.viewing import log as viewing_log
from ripa_guard.viewing.models import HeldLook, HeldLookDecision
from tests.helpers import check_page
from tests.viewing.test_viewing_api import make_token
from tests.viewing.test_viewing_checks import CHECKS, VIEWINGS, send
from tests.viewing.test_viewings import logged, stopped
from tests.viewing_setup import (
    PROFILE_URL,
    SUBJECT,
    at,
    at_once,
    attempts,
    case_for,
    register_profile,
    view,
    viewings,
)


@pytest.fixture
def fraud(create_user):
    return create_user(Role.OFFICER, name="Fern Fraud", service="Counter Fraud")


@pytest.fixture
def fraud_profile(app, sro, fraud) -> int:
    return register_profile(app, sro, "facebook", "borsetshire.cf.research1", fraud)


def held_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/investigations/held-looks/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def held(app) -> list[HeldLook]:
    with app.app_context():
        return list(db.session().scalars(select(HeldLook).order_by(HeldLook.id)))


def decide(client, coordinator, look: int, ruling: str, reason="Checked with both services."):
    client.sign_in(coordinator)
    response = client.post(
        f"/investigations/held-looks/{look}/decision", {"ruling": ruling, "reason": reason}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def seen_by_trading_standards(client, app, officer, facebook_profile):
    """Olive Officer of Trading Standards looked at the profile under TS/2026/0412."""
    client.sign_in(officer)
    with at(2026, 3, 1):
        logged(client, profile=facebook_profile, subject="Mr Quiet Seller")


def test_a_new_investigation_for_the_same_profile_is_held_and_the_page_says_nothing_of_the_other(
    client, app, seen_by_trading_standards, fraud, fraud_profile
):
    client.sign_in(fraud)
    with at(2026, 3, 2):
        response = view(client, reference="CF/2026/0001", subject="A seller", profile=fraud_profile)
        page = client.get(response.headers["Location"])
    look = held_id(response)
    assert page.h1.get_text(strip=True) == "The RIPA coordinator must confirm before you look"
    log = client.get("/viewings/").select_one("#held-looks").get_text(" ")
    assert "waiting for the coordinator" in log and "TS/2026/0412" not in log
    text = page.get_text(" ")
    assert "do not open the profile" in text.lower()
    for other in ("Olive Officer", "Trading Standards", "TS/2026/0412", "Mr Quiet Seller"):
        assert other not in text
    assert [h.id for h in held(app)] == [look]
    assert len(viewings(app)) == 1 and attempts(app) == []


def test_a_new_reference_for_the_same_subject_on_another_profile_is_held(
    client, app, seen_by_trading_standards, other_officer, facebook_profile
):
    """The subject's key counts as well as the profile's identity."""
    client.sign_in(other_officer)
    with at(2026, 3, 2):
        response = view(
            client,
            reference="TS/2026/0999",
            url="https://www.facebook.com/another.page.example",
            subject="mr quiet  seller",
            profile=facebook_profile,
        )
    held_id(response)


def test_the_api_holds_the_look_and_tells_nothing_of_the_other_investigation(
    client, app, seen_by_trading_standards, fraud, fraud_profile
):
    raw = make_token(app, fraud)
    with at(2026, 3, 2):
        checked = send(client, CHECKS, raw, investigation="CF/2026/0001")
        logged_ = send(client, VIEWINGS, raw, investigation="CF/2026/0001")
        again = send(client, VIEWINGS, raw, investigation="CF/2026/0001")
    for answer in (checked, logged_, again):
        assert answer.status_code == 403
        body = answer.get_json()
        assert body["decision"] == "held" and body["allowed"] is False
        assert "coordinator must confirm" in body["reason"]
        text = json.dumps(body)
        assert "Olive Officer" not in text and "TS/2026/0412" not in text
    # Asking again waits on the same held look.
    assert logged_.get_json()["held_look"]["id"] == again.get_json()["held_look"]["id"]
    assert len(held(app)) == 1


def test_same_matter_makes_the_look_a_repeat_that_needs_an_authorisation(
    client, app, seen_by_trading_standards, fraud, fraud_profile, coordinator
):
    client.sign_in(fraud)
    with at(2026, 3, 2):
        look = held_id(view(client, reference="CF/2026/0001", profile=fraud_profile))
    decide(client, coordinator, look, "same_matter")
    client.sign_in(fraud)
    with at(2026, 3, 3):
        attempt = stopped(client, reference="CF/2026/0001", profile=fraud_profile)
        page = client.get(f"/viewings/stopped/{attempt}").get_text(" ")
    assert "Do not view this profile again without an authorisation" in page
    assert "Olive Officer" not in page and "TS/2026/0412" not in page


def test_separate_matter_lets_the_look_go_ahead_as_initial_research_and_the_sro_reads_why(
    client, app, seen_by_trading_standards, fraud, fraud_profile, coordinator, sro
):
    client.sign_in(fraud)
    with at(2026, 3, 2):
        look = held_id(view(client, reference="CF/2026/0001", profile=fraud_profile))
    decide(client, coordinator, look, "separate_matter", "Benefit fraud, not counterfeiting.")
    client.sign_in(fraud)
    with at(2026, 3, 3):
        logged(client, reference="CF/2026/0001", profile=fraud_profile)
    assert [v.basis.value for v in viewings(app)] == ["initial_research", "initial_research"]
    client.sign_in(sro)
    queue = client.get("/investigations/held-looks")
    assert "Benefit fraud, not counterfeiting." in queue.select_one("#decided").get_text()


def test_a_decision_is_written_once_and_only_by_the_coordinator(
    client, app, seen_by_trading_standards, fraud, fraud_profile, coordinator, sro
):
    client.sign_in(fraud)
    with at(2026, 3, 2):
        look = held_id(view(client, reference="CF/2026/0001", profile=fraud_profile))
    client.sign_in(sro)
    forbidden = client.post(
        f"/investigations/held-looks/{look}/decision", {"ruling": "same_matter", "reason": "x"}
    )
    assert forbidden.status_code == 403
    decide(client, coordinator, look, "same_matter")
    again = client.post(
        f"/investigations/held-looks/{look}/decision",
        {"ruling": "separate_matter", "reason": "Changed my mind."},
    )
    assert "decided already" in check_page(again.get_data(as_text=True)).get_text()
    with app.app_context():
        assert len(db.session().scalars(select(HeldLookDecision)).all()) == 1


def test_the_coordinators_queue_is_on_their_dashboard_and_in_the_reminder(
    client, app, seen_by_trading_standards, fraud, fraud_profile, coordinator
):
    client.sign_in(fraud)
    with at(2026, 3, 2):
        look = held_id(view(client, reference="CF/2026/0001", profile=fraud_profile))
    client.sign_in(coordinator)
    dashboard = client.get("/dashboard")
    assert "Looks held for your decision" in dashboard.get_text()
    assert dashboard.find("a", href=f"/investigations/held-looks/{look}")
    with app.app_context():
        user = db.session().get(User, coordinator.id)
        due = what_is_due(db.session(), user, clock.today())
        message = compose(app, due)
    assert "1 held look to decide" in message.subject
    body = message.body
    assert "LOOKS HELD FOR YOUR DECISION (1)" in body and f"/held-looks/{look}" in body
    assert "CF/2026/0001" in body and PROFILE_URL not in body


def test_a_held_look_tells_the_coordinator_with_the_reference_and_a_link_only(
    client, app, seen_by_trading_standards, fraud, fraud_profile, coordinator
):
    client.sign_in(fraud)
    with at(2026, 3, 2):
        look = held_id(view(client, reference="CF/2026/0001", profile=fraud_profile))

    with app.app_context():
        s = db.session()
        [message] = s.scalars(
            select(OutboxMessage).where(OutboxMessage.event == messages.LOOK_HELD)
        ).all()
        [notice] = s.scalars(select(Notification).where(Notification.user_id == coordinator.id))
    assert message.email == coordinator.email
    assert "CF/2026/0001" in message.body and f"/held-looks/{look}" in message.body
    assert PROFILE_URL not in message.body and SUBJECT not in message.body
    assert f"/held-looks/{look}" in notice.link


def test_two_officers_in_two_investigations_look_at_once_and_at_most_one_passes(
    app, officer, fraud, facebook_profile, fraud_profile
):
    """Each asks in its own thread, connection and transaction (a real SQLite file, or
    PostgreSQL when RIPA_GUARD_TEST_DATABASE_URL names it): the profile's lock makes them take
    turns, so the second sees the first's look under the other investigation and is held."""
    asks = [
        (user.id, viewing_log.ViewingRequest(PROFILE_URL, case, SUBJECT, "Look", profile, False))
        for user, case, profile in (
            (officer, case_for(app, officer), facebook_profile),
            (fraud, case_for(app, fraud, "CF/2026/0001"), fraud_profile),
        )
    ]
    verdicts, errors = at_once(app, asks)
    assert errors == []
    assert sorted(verdicts) == sorted([Verdict.INITIAL_RESEARCH, Verdict.HELD])
    assert len(viewings(app)) == 1 and len(held(app)) == 1
