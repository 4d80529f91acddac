"""Relevant errors: proposed by ripa_guard from its own records, once; confirmed or dismissed
by the SRO as new entries; recorded by the SRO."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from ripa_guard.accounts.models import Role
from ripa_guard.core import audit, db
from ripa_guard.oversight import relevant_errors
from ripa_guard.oversight.models import ErrorKind, ErrorStatus, RelevantError
from tests import records
from tests.helpers import check_page, error_messages
from tests.viewing_setup import (
    PROFILE_URL,
    at,
    attempts,
    view,
    viewings,
)


def _errors(app) -> list[RelevantError]:
    with app.app_context():
        return list(db.session().scalars(select(RelevantError).order_by(RelevantError.id)))


@pytest.fixture
def lapsed(app, officer, authoriser, coordinator) -> int:
    """Active from 5 March 2026, last day 4 June 2026, never cancelled."""
    return records.active(app, officer, authoriser, coordinator)


def test_a_lapse_proposes_an_error_once(client, app, lapsed, authoriser, sro):
    client.sign_in(sro)
    with time_machine.travel(datetime(2026, 6, 3, 12, tzinfo=UTC), tick=False):
        client.get("/oversight/errors")
    assert _errors(app) == []

    with time_machine.travel(datetime(2026, 6, 10, 12, tzinfo=UTC), tick=False):
        page = client.get("/oversight/errors")
        assert "has just proposed 1 error" in page.select_one("#newly-proposed").get_text()
        again = client.get("/oversight/errors")
        assert not again.select_one("#newly-proposed")
    found = _errors(app)
    assert len(found) == 1
    error = found[0]
    assert error.kind == ErrorKind.LAPSED
    assert error.proposed_by_ripa_guard
    assert error.reference == "RIPA/2026/0001"
    assert error.occurred_on == date(2026, 6, 5)
    assert error.found_on == date(2026, 6, 10)
    assert "has not been cancelled" in error.summary
    assert error.status == ErrorStatus.PROPOSED
    link = again.find("a", string="Authorisation lapsed without being cancelled")
    assert link["href"] == f"/oversight/errors/{error.id}"

    # Cancelled late, it is the same error: still one.
    records.cancel(app, lapsed, authoriser, today=date(2026, 6, 11))
    with time_machine.travel(datetime(2026, 6, 12, 12, tzinfo=UTC), tick=False):
        client.get("/oversight/errors")
    assert len(_errors(app)) == 1


def test_a_cancellation_after_lapse_proposes_an_error(client, app, lapsed, authoriser, sro):
    records.cancel(app, lapsed, authoriser, today=date(2026, 6, 20))
    with app.app_context():
        new = relevant_errors.propose_errors(db.session(), date(2026, 6, 21))
        assert len(new) == 1
        assert "after its last day had passed" in new[0].summary
        assert relevant_errors.propose_errors(db.session(), date(2026, 6, 22)) == []
        events = audit.history(db.session(), "error", new[0].id)
        assert [(e.action, e.actor_id) for e in events] == [("error.proposed", None)]


def test_a_viewing_refused_after_expiry_then_logged_as_made_proposes_an_error(
    client,
    app,
    active,
    officer,
    research_browser,
    sro,
):
    client.sign_in(officer)
    with at(2026, 6, 10):
        view(client, profile=research_browser)
    assert attempts(app)[0].refusal == "after_last_day"
    with at(2026, 6, 11):
        response = view(client, profile=research_browser, reference="HR/2026/0099")
        assert response.status_code == 302
    assert viewings(app)[-1].basis.value == "initial_research"

    with app.app_context():
        new = relevant_errors.propose_errors(db.session(), date(2026, 6, 12))
    kinds = sorted(e.kind.value for e in new)
    # The lapse itself, and the viewing made after the refusal.
    assert kinds == ["after_expiry", "lapsed"]
    viewed = next(e for e in new if e.kind == ErrorKind.AFTER_EXPIRY)
    assert PROFILE_URL in viewed.summary and "HR/2026/0099" in viewed.summary
    assert viewed.occurred_on == date(2026, 6, 11)
    with app.app_context():
        assert relevant_errors.propose_errors(db.session(), date(2026, 6, 13)) == []


def _confirm(client, error_id, **overrides):
    data = {
        "confirm-kind": "lapsed",
        "confirm-what_happened": "RIPA/2026/0001 lapsed on 4 June 2026 without cancellation.",
        "confirm-cause": "The review diary was not kept while the officer was on leave.",
        "confirm-action_taken": "Cancelled; reminders now go to a deputy.",
        "confirm-reported_to_ipco_on": ["", "", ""],
        **overrides,
    }
    return client.post(f"/oversight/errors/{error_id}/confirm", data)


def test_sro_confirms_then_reports_without_changing_history(client, app, lapsed, sro):
    with app.app_context():
        (error,) = relevant_errors.propose_errors(db.session(), date(2026, 6, 10))
        summary = error.summary
    client.sign_in(sro)
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False):
        page = client.get(f"/oversight/errors/{error.id}")
        assert page.select_one("#confirm-what_happened").get_text() == summary
        assert _confirm(client, error.id).status_code == 302
        assert _errors(app)[0].status == ErrorStatus.CONFIRMED
        response = _confirm(
            client, error.id, **{"confirm-reported_to_ipco_on": ["15", "6", "2026"]}
        )
        assert response.status_code == 302
        page = client.get(f"/oversight/errors/{error.id}")
    stored = _errors(app)[0]
    assert stored.status == ErrorStatus.REPORTED
    assert stored.summary == summary
    assert [a.reported_to_ipco_on for a in stored.accounts] == [None, date(2026, 6, 15)]
    assert page.select_one("#status").get_text() == "Reported to IPCO"
    # Reported: it can no longer be dismissed.
    assert not page.select_one("#dismiss-reason")


def test_confirming_needs_the_details_and_keeps_what_was_typed(client, app, lapsed, sro):
    with app.app_context():
        (error,) = relevant_errors.propose_errors(db.session(), date(2026, 6, 10))
    client.sign_in(sro)
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False):
        response = _confirm(
            client,
            error.id,
            **{"confirm-cause": "", "confirm-reported_to_ipco_on": ["40", "6", "2026"]},
        )
    assert response.status_code == 400
    page = check_page(response.get_data(as_text=True))
    assert page.title.string.startswith("Error: ")
    errors = error_messages(page)
    assert errors["confirm-cause"] == "Enter what caused it"
    assert errors["confirm-reported_to_ipco_on"] == "The date it was reported must be a real date"
    assert "Cancelled; reminders" in page.select_one("#confirm-action_taken").get_text()
    assert _errors(app)[0].status == ErrorStatus.PROPOSED


def test_sro_dismisses_a_proposal_with_a_reason(client, app, lapsed, sro):
    with app.app_context():
        (error,) = relevant_errors.propose_errors(db.session(), date(2026, 6, 10))
    client.sign_in(sro)
    response = client.post(f"/oversight/errors/{error.id}/dismiss", {"dismiss-reason": ""})
    assert response.status_code == 400
    assert "Enter why this is not a relevant error" in response.get_data(as_text=True)
    response = client.post(
        f"/oversight/errors/{error.id}/dismiss",
        {"dismiss-reason": "Recorded in error: the court approved a renewal on paper."},
    )
    assert response.status_code == 302
    stored = _errors(app)[0]
    assert stored.status == ErrorStatus.DISMISSED
    assert stored.accounts[0].cause.startswith("Recorded in error")
    # Dismissed proposals are not proposed again.
    with app.app_context():
        assert relevant_errors.propose_errors(db.session(), date(2026, 6, 20)) == []


def test_sro_records_an_error_it_found(client, app, sro):
    client.sign_in(sro)
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=UTC), tick=False):
        page = client.get("/oversight/errors/new")
        assert page.select_one("#kind")
        response = client.post(
            "/oversight/errors/new",
            {
                "kind": "wrong_date",
                "reference": "RIPA/2026/0007",
                "what_happened": "The last day was worked out as 5 June instead of 4 June.",
                "occurred_on": ["5", "3", "2026"],
                "found_on": ["20", "11", "2026"],
                "cause": "Counted from the day after approval.",
                "action_taken": "Corrected; no surveillance took place on 5 June.",
                "reported_to_ipco_on": ["24", "11", "2026"],
            },
        )
    assert response.status_code == 302
    (stored,) = _errors(app)
    assert stored.proposed_by_ripa_guard is False
    assert stored.status == ErrorStatus.REPORTED
    assert stored.kind == ErrorKind.WRONG_DATE
    with app.app_context():
        assert audit.history(db.session(), "error", stored.id)[0].action == "error.recorded"


def test_recording_an_error_checks_its_dates(client, app, sro):
    client.sign_in(sro)
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=UTC), tick=False):
        page = client.post_page(
            "/oversight/errors/new",
            {
                "kind": "other",
                "what_happened": "Something.",
                "found_on": ["1", "12", "2026"],
                "cause": "c",
                "action_taken": "a",
            },
        )
    assert "cannot be in the future" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#what_happened").get_text() == "Something."
    page = client.post_page("/oversight/errors/new", {"what_happened": "x"})
    errors = error_messages(page)
    assert errors["kind"] == "Select the kind of error"
    assert errors["found_on"] == "Enter the date it was found"
    assert _errors(app) == []


@pytest.mark.parametrize(
    "role, method, url, status",
    [
        (Role.COORDINATOR, "get", "/oversight/errors", 200),
        (Role.INSPECTOR, "get", "/oversight/errors", 200),
        (Role.OFFICER, "get", "/oversight/errors", 403),
        (Role.AUTHORISING_OFFICER, "get", "/oversight/errors", 403),
        (Role.COORDINATOR, "get", "/oversight/errors/new", 403),
        (Role.INSPECTOR, "post", "/oversight/errors/1/dismiss", 403),
        (Role.COORDINATOR, "post", "/oversight/errors/1/confirm", 403),
        (Role.SRO, "get", "/oversight/errors/999", 404),
    ],
)
def test_who_may_read_and_decide_errors(client, create_user, role, method, url, status):
    client.sign_in(create_user(role))
    response = client.get_response(url) if method == "get" else client.post(url, {})
    assert response.status_code == status


def test_inspector_reads_but_does_not_trigger_proposals(client, app, lapsed, inspector):
    client.sign_in(inspector)
    with time_machine.travel(datetime(2026, 6, 10, 12, tzinfo=UTC), tick=False):
        page = client.get("/oversight/errors")
    assert not page.select("a.govuk-button")
    assert _errors(app) == []


def test_errors_are_counted_in_full_and_listed_fifty_at_a_time(client, app, sro, inspector):
    from ripa_guard.accounts.models import User

    with app.app_context():
        s = db.session()
        actor = s.get(User, sro.id)
        made = [
            relevant_errors.record_error(
                s,
                actor,
                kind=ErrorKind.WRONG_DATE,
                reference=f"RIPA/2026/{n:04}",
                what_happened=f"Error number {n}.",
                occurred_on=date(2026, 3, 1),
                found_on=date(2026, 3, 1 + n % 28),
                cause="Counted from the wrong day.",
                action_taken="Corrected.",
                reported_to_ipco_on=date(2026, 4, 1) if n < 3 else None,
                today=date(2026, 11, 25),
            )
            for n in range(53)
        ]
        for error in made[-2:]:  # the two found latest, reported or not, are dismissed
            relevant_errors.confirm_error(
                s,
                actor,
                error=error,
                kind=ErrorKind.WRONG_DATE,
                what_happened="Unreported.",
                cause="x",
                action_taken="y",
                reported_to_ipco_on=None,
                today=date(2026, 11, 25),
            )
            relevant_errors.dismiss_error(s, actor, error, "Not an error after all.")
        expected = {ErrorStatus.REPORTED: 3, ErrorStatus.CONFIRMED: 48, ErrorStatus.DISMISSED: 2}
        assert relevant_errors.status_counts(s) == {s_: expected.get(s_, 0) for s_ in ErrorStatus}
        newest_first = sorted(made, key=lambda e: (e.found_on, e.id), reverse=True)
        order = [e.id for e in newest_first]
        dismissed = {made[-1].id, made[-2].id}
    client.sign_in(sro)
    page = client.get("/oversight/errors")
    counts = page.select_one("#counts").get_text()
    assert f"{ErrorStatus.CONFIRMED.title}: 48" in counts
    assert f"{ErrorStatus.DISMISSED.title}: 2" in counts
    first = [int(a["href"].rsplit("/", 1)[1]) for a in page.select("tbody a")]
    assert first == order[:50]
    following = page.find("a", string="Next 50 errors")["href"]
    rest = [int(a["href"].rsplit("/", 1)[1]) for a in client.get(following).select("tbody a")]
    assert rest == order[50:]
    client.sign_in(inspector)
    page = client.get("/oversight/inspection")
    shown = page.select_one("#errors-shown")
    assert "The 50 most recently found of 51 errors not dismissed." in shown.get_text()
    assert shown.find("a")["href"] == "/oversight/errors"
    rows = page.select_one("#errors").find_next("table").select("tbody tr")
    assert len(rows) == 50
    kept = [e for e in newest_first if e.id not in dismissed]
    assert [r.select("td")[2].get_text() for r in rows] == [
        f"Error number {made.index(e)}." for e in kept[:50]
    ]
