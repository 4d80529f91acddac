"""Training: its currency (a pure rule), the records, who is due, and the approval it gates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from ripa_guard.accounts.models import Role, TrainingRecord, User
from ripa_guard.applications import lifecycle
from ripa_guard.applications.models import Application, ApplicationStatus, Decision
from ripa_guard.core import changes, db
from ripa_guard.law.oversight_rules import Rag, training_current, training_due_by, training_rag
from tests import records
from tests.helpers import error_messages
from tests.journeys import STATEMENTS

TODAY = datetime(2026, 11, 25, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


# The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "last, today, current",
    [
        (None, date(2026, 11, 25), False),
        (date(2023, 11, 25), date(2026, 11, 25), True),  # three years to the day: still current
        (date(2023, 11, 24), date(2026, 11, 25), False),
        (date(2026, 11, 26), date(2026, 11, 25), False),  # a date in the future does not count
        (date(2024, 2, 29), date(2027, 2, 28), True),  # a leap day runs to 28 February
        (date(2024, 2, 29), date(2027, 3, 1), False),
    ],
)
def test_training_is_current_for_three_years(last, today, current):
    assert training_current(last, today, 3) is current


def test_training_due_soon_is_amber_and_out_of_date_red():
    assert training_due_by(date(2024, 1, 10), 3) == date(2027, 1, 10)
    assert training_rag(date(2024, 1, 10), date(2026, 11, 25), 3, 90) == Rag.AMBER
    assert training_rag(date(2025, 1, 10), date(2026, 11, 25), 3, 90) == Rag.GREEN
    assert training_rag(None, date(2026, 11, 25), 3, 90) == Rag.RED
    assert training_rag(date(2022, 1, 10), date(2026, 11, 25), 2, 90) == Rag.RED


# The approval it gates -------------------------------------------------------------------------


@pytest.fixture
def lapsed_authoriser(create_user):
    return create_user(
        Role.AUTHORISING_OFFICER,
        name="Larry Lapsed",
        grade="Head of Service",
        trained_on=date(2023, 6, 1),
    )


def _decision(decision="approved"):
    return {
        "decision": decision,
        "what_authorised": "The seller's Facebook page, twice a week.",
        "reasons": "Necessary and proportionate.",
        "review_interval_days": "28",
        "directly_involved": "no",
        "directly_involved_reason": "",
        "offences_genuine": "yes",
        **STATEMENTS.as_dict(),
    }


def test_authorising_officer_with_lapsed_training_is_refused_and_told_why(
    client, app, officer, lapsed_authoriser
):
    application_id = records.submitted(app, officer)
    client.sign_in(lapsed_authoriser)
    page = client.get(f"/authorisations/{application_id}/decide")
    warning = page.select_one("#training-warning").get_text(" ", strip=True)
    assert "Your RIPA training is out of date, so you cannot approve" in warning
    assert "last trained on Thursday 1 June 2023" in warning

    page = client.post_page(f"/authorisations/{application_id}/decide", _decision())
    problem = page.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "training is out of date" in problem
    assert "Thursday 1 June 2023" in problem
    with app.app_context():
        assert db.session().get(Application, application_id).status == ApplicationStatus.SUBMITTED


def test_lapsed_training_does_not_stop_a_refusal_or_a_return(
    client, app, officer, lapsed_authoriser
):
    application_id = records.submitted(app, officer)
    client.sign_in(lapsed_authoriser)
    response = client.post(f"/authorisations/{application_id}/decide", _decision("refused"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session().get(Application, application_id).status == ApplicationStatus.REFUSED


def test_authorising_officer_never_trained_cannot_approve_a_renewal(
    app, officer, authoriser, coordinator, create_user
):
    untrained = create_user(Role.AUTHORISING_OFFICER, name="Una Untrained", trained_on=None)
    application_id = records.active(app, officer, authoriser, coordinator)
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        renewal = lifecycle.request_renewal(
            s,
            s.get(User, officer.id),
            application,
            reasons="Still selling.",
            obtained_so_far="Listings.",
            version=application.version,
            today=date(2026, 5, 20),
            now=datetime(2026, 5, 20, 9, tzinfo=UTC),
        )
        with pytest.raises(changes.Refused, match="There is no record of your training"):
            lifecycle.decide_renewal(
                s,
                s.get(User, untrained.id),
                application,
                renewal=renewal,
                decision=Decision.APPROVED,
                what_authorised="Same profiles.",
                reasons="Still necessary.",
                review_interval_days=28,
                directly_involved=False,
                directly_involved_reason="",
                version=renewal.version,
                now=datetime(2026, 5, 21, 9, tzinfo=UTC),
                statements=STATEMENTS,
            )
        s.rollback()
        lifecycle.decide_renewal(
            s,
            s.get(User, untrained.id),
            application,
            renewal=renewal,
            decision=Decision.REFUSED,
            what_authorised="",
            reasons="Not enough shown.",
            review_interval_days=None,
            directly_involved=False,
            directly_involved_reason="",
            version=renewal.version,
            now=datetime(2026, 5, 21, 9, tzinfo=UTC),
            statements=STATEMENTS,
        )


def test_training_counts_on_the_day_of_the_decision(app, officer, create_user):
    """Trained after the decision's date does not help a decision made before it."""
    late = create_user(Role.AUTHORISING_OFFICER, trained_on=date(2026, 3, 10))
    application_id = records.submitted(app, officer)
    with pytest.raises(changes.Refused, match="no record of your training"):
        records.approve(app, application_id, late, when=datetime(2026, 3, 3, 10, tzinfo=UTC))


def test_a_council_can_switch_the_check_off_while_it_records_training(
    client, app, officer, lapsed_authoriser, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUIRE_TRAINING", False)
    application_id = records.submitted(app, officer)
    client.sign_in(lapsed_authoriser)
    page = client.get(f"/authorisations/{application_id}/decide")
    assert "does not yet enforce it" in page.select_one("#training-warning").get_text()
    assert client.post(f"/authorisations/{application_id}/decide", _decision()).status_code == 302


# Records and who is due -------------------------------------------------------------------------


def test_sro_records_training_and_the_officer_can_then_approve(
    client, app, officer, sro, lapsed_authoriser
):
    client.sign_in(sro)
    page = client.get("/oversight/training/new")
    assert page.select_one("select#user_id")
    response = client.post(
        "/oversight/training/new",
        {
            "user_id": str(lapsed_authoriser.id),
            "trained_on": ["20", "11", "2026"],
            "course": "RIPA refresher for authorising officers",
            "provider": "Borsetshire Legal",
            "notes": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        found = (
            db.session()
            .scalars(select(TrainingRecord).where(TrainingRecord.user_id == lapsed_authoriser.id))
            .all()
        )
        assert [t.trained_on for t in found] == [date(2023, 6, 1), date(2026, 11, 20)]
    application_id = records.submitted(app, officer)
    client.sign_in(lapsed_authoriser)
    assert not client.get(f"/authorisations/{application_id}/decide").select_one(
        "#training-warning"
    )
    assert client.post(f"/authorisations/{application_id}/decide", _decision()).status_code == 302


def test_training_form_shows_errors_by_the_field_and_keeps_what_was_typed(client, sro):
    client.sign_in(sro)
    page = client.post_page(
        "/oversight/training/new",
        {"user_id": "", "trained_on": ["31", "2", "2026"], "course": "", "provider": "Acme"},
    )
    assert page.title.string.startswith("Error: ")
    errors = error_messages(page)
    assert errors["user_id"] == "Select the person who was trained"
    assert errors["trained_on"] == "The date of the training must be a real date"
    assert errors["course"] == "Enter what the training covered"
    assert page.select_one("#provider")["value"] == "Acme"


def test_training_in_the_future_is_refused(client, sro, officer):
    client.sign_in(sro)
    page = client.post_page(
        "/oversight/training/new",
        {"user_id": str(officer.id), "trained_on": ["1", "1", "2027"], "course": "RIPA"},
    )
    assert "cannot be in the future" in page.select_one(".govuk-error-summary").get_text()


def test_sro_sees_who_is_due(client, sro, create_user, lapsed_authoriser, authoriser):
    officer = create_user(Role.OFFICER, name="Nat Newstarter", trained_on=None)
    client.sign_in(sro)
    page = client.get("/oversight/training")
    lapsed = page.select_one(f"#person-{lapsed_authoriser.id}").get_text(" ", strip=True)
    assert "Out of date" in lapsed and "Cannot approve" in lapsed
    assert "Not trained" in page.select_one(f"#person-{officer.id}").get_text()
    assert "Up to date" in page.select_one(f"#person-{authoriser.id}").get_text()
    rows = [r["id"] for r in page.select("#due tbody tr[id]")]
    assert rows.index(f"person-{lapsed_authoriser.id}") < rows.index(f"person-{authoriser.id}")


@pytest.mark.parametrize(
    "role, url, status",
    [
        (Role.OFFICER, "/oversight/training", 403),
        (Role.AUTHORISING_OFFICER, "/oversight/training/new", 403),
        (Role.INSPECTOR, "/oversight/training", 200),
        (Role.INSPECTOR, "/oversight/training/new", 403),
        (Role.COORDINATOR, "/oversight/training/new", 200),
    ],
)
def test_who_may_read_and_record_training(client, create_user, role, url, status):
    client.sign_in(create_user(role))
    assert client.get_response(url).status_code == status


def test_recording_training_is_in_the_audit_trail(client, app, sro, officer):
    from ripa_guard.core import audit

    client.sign_in(sro)
    client.post(
        "/oversight/training/new",
        {"user_id": str(officer.id), "trained_on": ["2", "11", "2026"], "course": "RIPA basics"},
    )
    with app.app_context():
        events = audit.history(db.session(), "user", officer.id)
        assert events[-1].action == "training.recorded"
        assert events[-1].actor_id == sro.id
        assert audit.verify(db.session()).intact
