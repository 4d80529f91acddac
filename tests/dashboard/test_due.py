"""What is due: reviews, last days, lapses, decisions and hearings, scoped by role."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from ripa_guard.accounts.models import User
from ripa_guard.applications import drafting, lifecycle, plans
from ripa_guard.applications.models import (
    Application,
    CourtOutcome,
    Decision,
    ReviewOutcome,
)
from ripa_guard.core import db
from ripa_guard.dashboard.due import what_is_due
from tests.journeys import APPLICATION, MONITOR_SELLER, OFFENCES, STATEMENTS

#: Approved by the JP on Monday 5 January 2026: last day Saturday 4 April 2026, and with
#: reviews every 28 days, the first is due on Monday 2 February 2026.
APPROVED_ON = date(2026, 1, 5)
LAST_DAY = date(2026, 4, 4)
FIRST_REVIEW = date(2026, 2, 2)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def authorisation(
    app,
    officer,
    authoriser=None,
    coordinator=None,
    *,
    until: str = "active",
    approved_on: date = APPROVED_ON,
    title: str = "Counterfeit handbags sold from Market Street",
    review_interval_days: int = 28,
) -> tuple[int, str]:
    """An application taken through the lifecycle until it is `until` ("submitted",
    "awaiting_court" or "active"); returns its id and URN. The JP approves on `approved_on`."""
    with app.app_context():
        s = db.session()
        owner = s.get(User, officer.id)
        register = app.extensions["ripa_guard.offences"]
        definition = app.extensions["ripa_guard.forms"]["application"]
        record = plans.start_triage(s, owner, title)
        plans.save_triage_answers(s, owner, record, MONITOR_SELLER)
        plans.complete_triage(s, owner, record, register)
        application = drafting.start_application(s, owner, record)
        drafting.save_application_answers(
            s, owner, application, {**APPLICATION, "investigation_title": title}, None
        )
        for code, facts in OFFENCES:
            drafting.add_offence(s, owner, application, code, facts, register, None)
        drafting.add_subject(
            s,
            owner,
            application,
            name="Bargain Bags (trading name)",
            description="Seller at Market Street, Borchester",
            profiles=[
                {"platform": "Facebook", "url": "https://www.facebook.com/bargainbags.example"}
            ],
            version=None,
        )
        submitted_at = _at(approved_on - timedelta(days=3), 9)
        drafting.submit_application(
            s,
            owner,
            application,
            definition=definition,
            register=register,
            urn_prefix="RIPA",
            version=None,
            now=submitted_at,
        )
        if until != "submitted":
            lifecycle.decide_application(
                s,
                s.get(User, authoriser.id),
                application,
                decision=Decision.APPROVED,
                what_authorised="Viewing the seller's business pages twice a week.",
                reasons="Necessary and proportionate: the seller trades only online.",
                review_interval_days=review_interval_days,
                directly_involved=False,
                directly_involved_reason="",
                version=None,
                now=submitted_at + timedelta(days=1),
                statements=STATEMENTS,
                offences_genuine=True,
            )
        if until == "active":
            decided_at = _at(approved_on, 11)
            lifecycle.record_court_decision(
                s,
                s.get(User, coordinator.id),
                application,
                court="Borchester Magistrates' Court",
                hearing_date=approved_on,
                magistrate="Ms J Archer JP",
                outcome=CourtOutcome.APPROVED,
                decided_at=decided_at,
                notes="",
                version=None,
                now=decided_at + timedelta(hours=1),
            )
        return application.id, application.urn


def request_renewal(app, officer, application_id: int, today: date) -> None:
    # The request is stamped with the clock, so move the clock to `today`.
    with _travel(today), app.app_context():
        s = db.session()
        lifecycle.request_renewal(
            s,
            s.get(User, officer.id),
            s.get(Application, application_id),
            reasons="The seller is still trading.",
            obtained_so_far="Twelve listings captured.",
            version=None,
            today=today,
        )


def approve_renewal(app, authoriser, application_id: int, when: datetime) -> None:
    """The authorising officer approves the application's renewal; it then awaits the JP."""
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        lifecycle.decide_renewal(
            s,
            s.get(User, authoriser.id),
            application,
            renewal=application.renewals[0],
            decision=Decision.APPROVED,
            what_authorised="Continue viewing the business pages.",
            reasons="Still necessary and proportionate.",
            review_interval_days=28,
            directly_involved=False,
            directly_involved_reason="",
            version=None,
            now=when,
            statements=STATEMENTS,
        )


def due_for(app, user, today: date):
    with app.app_context():
        s = db.session()
        return what_is_due(s, s.get(User, user.id), today)


def urns(items) -> list[str]:
    return [item.urn for item in items]


@pytest.fixture
def people(officer, other_officer, authoriser, coordinator, sro, inspector):
    return officer, other_officer, authoriser, coordinator, sro, inspector


# Scope ----------------------------------------------------------------------------------------


def test_officer_sees_only_their_own_applications(app, people):
    officer, other_officer, authoriser, coordinator, *_ = people
    _, mine = authorisation(app, officer, authoriser, coordinator)
    _, theirs = authorisation(app, other_officer, authoriser, coordinator)
    _, mine_submitted = authorisation(app, officer, until="submitted")
    _, theirs_submitted = authorisation(app, other_officer, until="submitted")

    due = due_for(app, officer, FIRST_REVIEW)

    assert urns(due.reviews_due) == [mine]
    assert urns(due.awaiting_decision) == [mine_submitted]
    everyone = due_for(app, authoriser, FIRST_REVIEW)
    assert sorted(urns(everyone.reviews_due)) == sorted([mine, theirs])
    assert sorted(urns(everyone.awaiting_decision)) == sorted([mine_submitted, theirs_submitted])


def test_inspector_sees_nothing(app, people):
    officer, _, authoriser, coordinator, _, inspector = people
    authorisation(app, officer, authoriser, coordinator)
    authorisation(app, officer, authoriser, until="awaiting_court")
    authorisation(app, officer, until="submitted")

    due = due_for(app, inspector, LAST_DAY + timedelta(days=1))

    assert due.is_empty
    assert due.shown == ()
    assert not due_for(app, officer, LAST_DAY + timedelta(days=1)).is_empty


def test_each_role_sees_the_lists_that_are_its_job(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    _, submitted = authorisation(app, officer, until="submitted")
    _, at_court = authorisation(app, officer, authoriser, until="awaiting_court")
    today = APPROVED_ON

    by_authoriser = due_for(app, authoriser, today)
    by_coordinator = due_for(app, coordinator, today)
    by_sro = due_for(app, sro, today)

    assert urns(by_authoriser.awaiting_decision) == [submitted]
    assert "awaiting_court" not in by_authoriser.shown and by_authoriser.awaiting_court == []
    assert urns(by_coordinator.awaiting_court) == [at_court]
    assert "awaiting_decision" not in by_coordinator.shown
    assert by_coordinator.awaiting_decision == []
    assert urns(by_sro.awaiting_decision) == [submitted]
    assert urns(by_sro.awaiting_court) == [at_court]
    # The officer follows their own through both stages.
    assert urns(due_for(app, officer, today).awaiting_court) == [at_court]


def test_items_carry_what_a_person_needs_to_act(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    application_id, urn = authorisation(app, officer, authoriser, coordinator, title="Fake perfume")
    _, submitted = authorisation(app, officer, until="submitted")

    due = due_for(app, sro, FIRST_REVIEW)

    [review] = due.reviews_due
    assert (review.urn, review.title, review.officer_name) == (urn, "Fake perfume", "Olive Officer")
    assert review.day == FIRST_REVIEW
    assert review.url_args == {"application_id": application_id}
    [waiting] = due.awaiting_decision
    assert waiting.urn == submitted
    assert waiting.day == APPROVED_ON - timedelta(days=3)
    assert waiting.renewal_number is None


def test_inactive_user_is_shown_nothing(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    authorisation(app, officer, authoriser, coordinator)
    with app.app_context():
        db.session().get(User, sro.id).active = False
        db.session().commit()

    assert due_for(app, sro, LAST_DAY + timedelta(days=1)).is_empty


# Lapsed ---------------------------------------------------------------------------------------


def test_lapsed_authorisation_is_shown_to_the_sro(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    _, urn = authorisation(app, officer, authoriser, coordinator)

    due = due_for(app, sro, LAST_DAY + timedelta(days=2))

    [lapsed] = due.lapsed
    assert lapsed.urn == urn
    assert lapsed.day == LAST_DAY
    assert lapsed.days_left == -2
    assert due.reviews_due == [] and due.ending_soon == []
    assert urns(due_for(app, coordinator, LAST_DAY + timedelta(days=2)).lapsed) == [urn]
    assert urns(due_for(app, authoriser, LAST_DAY + timedelta(days=2)).lapsed) == [urn]
    assert urns(due_for(app, officer, LAST_DAY + timedelta(days=2)).lapsed) == [urn]


def test_last_day_itself_is_ending_not_lapsed(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    _, urn = authorisation(app, officer, authoriser, coordinator)

    due = due_for(app, sro, LAST_DAY)

    assert due.lapsed == []
    [ending] = due.ending_soon
    assert (ending.urn, ending.days_left) == (urn, 0)


def test_cancelled_authorisation_past_its_last_day_is_not_lapsed(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    application_id, _ = authorisation(app, officer, authoriser, coordinator)
    with app.app_context():
        s = db.session()
        lifecycle.cancel_authorisation(
            s,
            s.get(User, authoriser.id),
            s.get(Application, application_id),
            reason="The seller has stopped trading.",
            obtained="Captures of twelve listings.",
            handling="Kept with the case file for the prosecution.",
            stop_instructed_at=_at(LAST_DAY - timedelta(days=10), 9),
            version=None,
            today=LAST_DAY - timedelta(days=10),
        )

    assert due_for(app, sro, LAST_DAY + timedelta(days=1)).is_empty


# Ending soon ----------------------------------------------------------------------------------


def test_ending_soon_includes_exactly_14_days_ahead(app, people):
    officer, _, authoriser, coordinator, _, _ = people
    _, urn = authorisation(app, officer, authoriser, coordinator)

    due = due_for(app, authoriser, LAST_DAY - timedelta(days=14))

    [ending] = due.ending_soon
    assert (ending.urn, ending.day, ending.days_left) == (urn, LAST_DAY, 14)
    assert ending.renewal_under_way is False


def test_ending_soon_leaves_out_15_days_ahead(app, people):
    officer, _, authoriser, coordinator, _, _ = people
    authorisation(app, officer, authoriser, coordinator)

    assert due_for(app, authoriser, LAST_DAY - timedelta(days=15)).ending_soon == []


# Reviews --------------------------------------------------------------------------------------


def test_review_due_today_is_due_but_not_overdue(app, people):
    officer, _, authoriser, coordinator, _, _ = people
    _, urn = authorisation(app, officer, authoriser, coordinator)

    [review] = due_for(app, authoriser, FIRST_REVIEW).reviews_due

    assert (review.urn, review.day, review.days_left, review.overdue) == (
        urn,
        FIRST_REVIEW,
        0,
        False,
    )


def test_review_a_day_late_is_overdue(app, people):
    officer, _, authoriser, coordinator, _, _ = people
    authorisation(app, officer, authoriser, coordinator)

    [review] = due_for(app, authoriser, FIRST_REVIEW + timedelta(days=1)).reviews_due

    assert (review.day, review.days_left, review.overdue) == (FIRST_REVIEW, -1, True)


def test_review_shows_from_seven_days_ahead(app, people):
    officer, _, authoriser, coordinator, _, _ = people
    authorisation(app, officer, authoriser, coordinator)

    [review] = due_for(app, authoriser, FIRST_REVIEW - timedelta(days=7)).reviews_due
    assert review.days_left == 7
    assert due_for(app, authoriser, FIRST_REVIEW - timedelta(days=8)).reviews_due == []


def test_recording_a_review_moves_the_next_one_on(app, people):
    officer, _, authoriser, coordinator, _, _ = people
    application_id, _ = authorisation(app, officer, authoriser, coordinator)
    with app.app_context():
        s = db.session()
        lifecycle.record_review(
            s,
            s.get(User, authoriser.id),
            s.get(Application, application_id),
            outcome=ReviewOutcome.CONTINUE,
            reasons="Still necessary: new listings each week.",
            next_interval_days=14,
            version=None,
            today=FIRST_REVIEW + timedelta(days=1),
        )

    after = FIRST_REVIEW + timedelta(days=2)
    assert due_for(app, authoriser, after).reviews_due == []
    [review] = due_for(app, authoriser, FIRST_REVIEW + timedelta(days=15)).reviews_due
    assert (review.day, review.days_left) == (FIRST_REVIEW + timedelta(days=15), 0)


# Renewals -------------------------------------------------------------------------------------


def test_renewal_waits_for_a_decision_then_for_the_magistrate(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    application_id, urn = authorisation(app, officer, authoriser, coordinator)
    asked_on = LAST_DAY - timedelta(days=10)
    request_renewal(app, officer, application_id, asked_on)

    waiting = due_for(app, authoriser, asked_on)
    [renewal] = waiting.awaiting_decision
    assert (renewal.urn, renewal.renewal_number, renewal.deadline) == (urn, 1, LAST_DAY)
    assert renewal.day == asked_on
    [ending] = waiting.ending_soon
    assert ending.renewal_under_way is True

    approve_renewal(app, authoriser, application_id, _at(asked_on + timedelta(days=1), 10))

    assert due_for(app, authoriser, asked_on + timedelta(days=1)).awaiting_decision == []
    [at_court] = due_for(app, sro, asked_on + timedelta(days=1)).awaiting_court
    assert (at_court.urn, at_court.renewal_number) == (urn, 1)
    assert (at_court.day, at_court.deadline) == (asked_on + timedelta(days=1), LAST_DAY)


# Queries --------------------------------------------------------------------------------------


def _queries(app, count_queries, user, today: date) -> int:
    with app.app_context():
        s = db.session()
        viewer = s.get(User, user.id)
        _ = viewer.roles
        with count_queries() as counted:
            what_is_due(s, viewer, today)
    return counted.count


def test_queries_do_not_grow_with_the_number_of_applications(app, people, count_queries):
    officer, other_officer, authoriser, coordinator, sro, _ = people
    today = LAST_DAY + timedelta(days=1)

    def one_of_each():
        authorisation(app, officer, authoriser, coordinator)
        authorisation(app, other_officer, authoriser, coordinator, approved_on=date(2026, 3, 9))
        authorisation(app, officer, authoriser, until="awaiting_court")
        authorisation(app, other_officer, until="submitted")

    one_of_each()
    few = _queries(app, count_queries, sro, today)
    one_of_each()
    one_of_each()
    due = due_for(app, sro, today)

    assert len(due.lapsed) == 3 and len(due.awaiting_court) == 3
    assert len(due.awaiting_decision) == 3 and len(due.reviews_due) == 3
    assert _queries(app, count_queries, sro, today) == few


# The dashboard --------------------------------------------------------------------------------


def _travel(day: date):
    return time_machine.travel(_at(day, 9), tick=False)


def test_dashboard_warns_the_sro_of_a_lapsed_authorisation(app, client, people):
    officer, _, authoriser, coordinator, sro, _ = people
    application_id, urn = authorisation(app, officer, authoriser, coordinator)

    with _travel(LAST_DAY + timedelta(days=2)):
        page = client.sign_in(sro).get("/dashboard")

    heading = page.find("h2", string="Lapsed: still needs cancelling")
    assert heading is not None
    table = heading.find_next("table")
    row = table.find("tbody").find("tr")
    assert row.find("th").get_text(strip=True) == urn
    assert row.find("a")["href"] == f"/applications/{application_id}"
    assert "Saturday 4 April 2026" in row.get_text(" ")
    assert row.select_one(".govuk-tag--red").get_text(strip=True) == "Lapsed 2 days ago"
    assert page.select_one(".govuk-warning-text") is not None
    # Lapsed comes before anything else that is due.
    assert page.find_all("h2")[0] is heading


def test_dashboard_shows_reviews_and_last_days_with_dates(app, client, people):
    officer, _, authoriser, coordinator, _, _ = people
    _, urn = authorisation(app, officer, authoriser, coordinator)
    _, later = authorisation(app, officer, authoriser, coordinator, approved_on=date(2026, 1, 19))

    with _travel(LAST_DAY - timedelta(days=3)):
        page = client.sign_in(authoriser).get("/dashboard")

    text = page.get_text(" ")
    assert "Lapsed: still needs cancelling" not in text
    ending = page.find("h2", string="Authorisations ending in the next 14 days").find_next("table")
    assert urn in ending.get_text(" ")
    assert "It has effect until 23:59 on Saturday 4 April 2026" in ending.get_text(" ")
    reviews = page.find("h2", string="Reviews due").find_next("table")
    assert later in reviews.get_text(" ")
    assert "Olive Officer" in reviews.get_text(" ")


def test_an_inspectors_home_is_the_register_at_a_glance_with_the_lapse(app, client, people):
    officer, _, authoriser, coordinator, _, inspector = people
    authorisation(app, officer, authoriser, coordinator)

    with _travel(LAST_DAY + timedelta(days=2)):
        client.sign_in(inspector)
        response = client.get_response("/dashboard")
        assert response.headers["Location"].endswith("/register/overview")
        page = client.get("/register/overview")

    # Nothing to act on (the inspector changes nothing), but what is overdue, to read.
    assert page.find(id="lapsed").get_text(strip=True).startswith("1 authorisation lapsed")
    assert not page.find("h2", string="Reviews due")


def test_dashboard_for_an_officer_keeps_their_applications_and_shows_their_lapse(
    app, client, people
):
    officer, other_officer, authoriser, coordinator, _, _ = people
    _, mine = authorisation(app, officer, authoriser, coordinator)
    _, theirs = authorisation(app, other_officer, authoriser, coordinator)

    with _travel(LAST_DAY + timedelta(days=1)):
        page = client.sign_in(officer).get("/dashboard")

    lapsed = page.find("h2", string="Lapsed: still needs cancelling").find_next("table")
    assert mine in lapsed.get_text(" ") and theirs not in lapsed.get_text(" ")
    assert page.find("h2", string="Your applications") is not None
    assert page.select_one("a.govuk-button--start") is not None


def test_dashboard_lists_decisions_and_hearings_for_the_sro(app, client, people):
    officer, _, authoriser, coordinator, sro, _ = people
    _, submitted = authorisation(app, officer, until="submitted", title="Fake perfume")
    _, at_court = authorisation(app, officer, authoriser, until="awaiting_court")
    renewing_id, renewing = authorisation(app, officer, authoriser, coordinator)
    asked_on = LAST_DAY - timedelta(days=10)
    request_renewal(app, officer, renewing_id, asked_on)

    with _travel(asked_on):
        page = client.sign_in(sro).get("/dashboard")

    deciding = page.find("h2", string="Awaiting decision").find_next("table")
    rows = {
        row.find("th").get_text(strip=True): row.get_text(" ", strip=True)
        for row in deciding.select("tbody tr")
    }
    assert set(rows) == {submitted, renewing}
    assert (
        "Renewal 1: it must be granted and approved by a magistrate by the end of "
        in (rows[renewing])
    )
    assert "Saturday 4 April 2026" in rows[renewing]
    assert "Friday 2 January 2026" in rows[submitted]
    assert "Wednesday 25 March 2026" in rows[renewing]  # the day the renewal was asked for
    court = page.find("h2", string="Awaiting the magistrate").find_next("table")
    assert [row.find("th").get_text(strip=True) for row in court.select("tbody tr")] == [at_court]
    ending = page.find("h2", string="Authorisations ending in the next 14 days").find_next("table")
    assert "Renewal under way" in ending.get_text(" ")


# Long lists -----------------------------------------------------------------------------------


def test_a_limited_list_keeps_the_most_pressing_and_counts_the_rest(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    newest = authorisation(app, officer, until="submitted", approved_on=date(2026, 3, 9))[1]
    oldest = authorisation(app, officer, until="submitted", approved_on=date(2026, 1, 5))[1]
    middle = authorisation(app, officer, until="submitted", approved_on=date(2026, 2, 2))[1]
    late = [
        authorisation(app, officer, authoriser, coordinator, approved_on=day)[1]
        for day in (date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19))
    ]
    today = date(2026, 4, 20)  # all three authorisations have lapsed

    with app.app_context():
        s = db.session()
        due = what_is_due(s, s.get(User, sro.id), today, limit=2)

    assert urns(due.awaiting_decision) == [oldest, middle]
    assert due.totals["awaiting_decision"] == 3
    assert urns(due.lapsed) == late[:2]
    assert due.totals["lapsed"] == 3
    assert newest not in urns(due.awaiting_decision)


def test_a_limited_list_of_applications_and_renewals_keeps_the_longest_waiting_of_both(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    approved = (date(2026, 1, 5), date(2026, 1, 12))
    renewed = [
        authorisation(app, officer, authoriser, coordinator, approved_on=day) for day in approved
    ]
    for (application_id, _urn), day in zip(renewed, approved, strict=True):
        # Asked for on 26 March and 2 April: before either last day.
        request_renewal(app, officer, application_id, day + timedelta(days=80))
    submitted = [
        authorisation(app, officer, until="submitted", approved_on=day)[1]
        for day in (date(2026, 3, 31), date(2026, 4, 6), date(2026, 4, 10))
    ]

    with app.app_context():
        s = db.session()
        due = what_is_due(s, s.get(User, sro.id), date(2026, 4, 12), limit=2)

    # The renewal asked for on 26 March, then the application submitted on 28 March.
    assert [(i.urn, i.renewal_number) for i in due.awaiting_decision] == [
        (renewed[0][1], 1),
        (submitted[0], None),
    ]
    assert due.totals["awaiting_decision"] == 5


def test_dashboard_says_how_many_more_there_are_and_where(app, client, people, monkeypatch):
    officer, _, authoriser, coordinator, sro, _ = people
    for day in (date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)):
        authorisation(app, officer, authoriser, coordinator, approved_on=day)
    monkeypatch.setattr("ripa_guard.dashboard.views.DUE_LIMIT", 2)

    with _travel(date(2026, 4, 20)):
        page = client.sign_in(sro).get("/dashboard")

    assert "3 authorisations have passed their last day" in page.text
    heading = page.find("h2", string="Lapsed: still needs cancelling")
    assert len(heading.find_next("table").select("tbody tr")) == 2
    more = heading.find_next("p")
    assert "Showing the 2 most pressing of 3." in more.get_text(" ", strip=True)
    assert more.find("a")["href"] == "/register/?status=lapsed"


def test_reviews_due_keep_the_most_overdue_and_count_the_rest(app, people):
    officer, _, authoriser, coordinator, sro, _ = people
    approved = (date(2026, 1, 19), date(2026, 1, 5), date(2026, 1, 12))
    made = {
        day: authorisation(app, officer, authoriser, coordinator, approved_on=day)[1]
        for day in approved
    }
    today = date(2026, 2, 20)  # every first review (28 days on) has passed

    with app.app_context():
        s = db.session()
        due = what_is_due(s, s.get(User, sro.id), today, limit=2)

    assert urns(due.reviews_due) == [made[date(2026, 1, 5)], made[date(2026, 1, 12)]]
    assert [r.day for r in due.reviews_due] == [date(2026, 2, 2), date(2026, 2, 9)]
    assert due.totals["reviews_due"] == 3


def test_each_total_counts_the_same_items_as_the_whole_list(app, people):
    # The totals are counted from the applications alone (issue 19): for every list and every
    # scope, a total cut to one item must still count what the uncut list shows.
    officer, other_officer, authoriser, coordinator, sro, _ = people
    for owner in (officer, other_officer):
        authorisation(app, owner, until="submitted", approved_on=date(2026, 4, 13))
        authorisation(app, owner, authoriser, until="awaiting_court", approved_on=date(2026, 4, 14))
        authorisation(app, owner, authoriser, coordinator, approved_on=date(2026, 1, 5))  # lapsed
    # Last days 25 April, 1 and 8 May; every review is overdue on 20 April.
    running = [
        (owner, authorisation(app, owner, authoriser, coordinator, approved_on=day)[0])
        for owner, day in (
            (officer, date(2026, 1, 26)),
            (other_officer, date(2026, 2, 2)),
            (officer, date(2026, 2, 9)),
        )
    ]
    for owner, application_id in running:
        request_renewal(app, owner, application_id, date(2026, 4, 15))
    approve_renewal(app, authoriser, running[0][1], _at(date(2026, 4, 16), 10))
    today = date(2026, 4, 20)

    for person in (officer, other_officer, authoriser, coordinator, sro):
        with app.app_context():
            s = db.session()
            user = s.get(User, person.id)
            whole = what_is_due(s, user, today)
            cut = what_is_due(s, user, today, limit=1)
        for kind in whole.shown:
            shown = getattr(whole, kind)
            assert cut.totals[kind] == len(shown), (person.email, kind)
            if person is sro:
                assert len(shown) >= 2, kind  # so that each total was counted, not read


def test_a_review_interval_past_the_last_day_leaves_no_review_due(app, people):
    officer, _, authoriser, coordinator, _, _ = people
    application_id, _ = authorisation(
        app, officer, authoriser, coordinator, review_interval_days=100
    )

    with app.app_context():
        stored = db.session().get(Application, application_id).next_review_on

    assert stored is None
    assert due_for(app, authoriser, LAST_DAY).reviews_due == []


def test_a_review_or_last_day_on_a_weekend_or_bank_holiday_is_flagged_with_the_day_before(
    app, client, people
):
    officer, _, authoriser, coordinator, _, _ = people
    # Approved on Monday 5 January: reviews every 33 days fall first on Saturday 7 February;
    # the last day is Saturday 4 April, after Good Friday (3 April).
    authorisation(app, officer, authoriser, coordinator, review_interval_days=33)
    with _travel(date(2026, 2, 3)):
        reviews = client.sign_in(authoriser).get("/dashboard")
    with _travel(LAST_DAY - timedelta(days=3)):
        ending = client.get("/dashboard")

    review = reviews.find("h2", string="Reviews due").find_next("table").get_text(" ", strip=True)
    assert "Saturday 7 February 2026 Not a working day That is a Saturday." in review
    assert "Plan for Friday 6 February 2026, the working day before." in review
    last_day = ending.find("h2", string="Authorisations ending in the next 14 days")
    assert "Plan for Thursday 2 April 2026, the working day before." in last_day.find_next(
        "table"
    ).get_text(" ", strip=True)


def test_a_review_on_a_working_day_is_not_flagged(app, client, people):
    officer, _, authoriser, coordinator, _, _ = people
    authorisation(app, officer, authoriser, coordinator)  # first review Monday 2 February

    with _travel(FIRST_REVIEW - timedelta(days=1)):
        page = client.sign_in(authoriser).get("/dashboard")

    reviews = page.find("h2", string="Reviews due").find_next("table")
    assert "Monday 2 February 2026" in reviews.get_text(" ")
    assert "Not a working day" not in reviews.get_text(" ")


def test_the_record_page_flags_a_last_day_at_a_weekend(app, client, people):
    officer, _, authoriser, coordinator, _, _ = people
    application_id, _ = authorisation(app, officer, authoriser, coordinator)

    with _travel(date(2026, 3, 1)):
        page = client.sign_in(officer).get(f"/applications/{application_id}")

    last_day = page.find("dt", string="Last day").find_next("dd").get_text(" ", strip=True)
    assert "Saturday 4 April 2026" in last_day
    assert "That is a Saturday. Plan for Thursday 2 April 2026, the working day before." in last_day
