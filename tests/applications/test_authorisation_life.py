"""The authorisation's life through HTTP: decision, magistrate, reviews, renewals, cancellation.

The clock is moved with time-machine; the rules themselves take "today" as a parameter.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup

from ripa_guard.accounts.models import Role
from ripa_guard.applications.models import ApplicationStatus
from ripa_guard.core import db
from ripa_guard.law import decision_rules
from tests.helpers import error_messages
from tests.journeys import (
    application,
    court_form,
    decide,
    record_court,
    submitted_application,
    version,
)

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=10):
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=LONDON), tick=False)


@pytest.fixture
def submitted(client, app, officer):
    with at(2026, 3, 2):
        return submitted_application(client, app, officer)


@pytest.fixture
def awaiting_court(client, app, submitted, authoriser):
    client.sign_in(authoriser)
    with at(2026, 3, 3):
        assert decide(client, app, submitted).status_code == 302
    return submitted


@pytest.fixture
def active(client, app, awaiting_court, coordinator):
    """Approved by the JP on Thursday 5 March 2026: last day Thursday 4 June 2026."""
    client.sign_in(coordinator)
    with at(2026, 3, 5, 16):
        assert record_court(client, app, awaiting_court, date(2026, 3, 5)).status_code == 302
    return awaiting_court


# Decision ------------------------------------------------------------------------------------


def test_authoriser_approves_and_the_application_waits_for_the_court(client, app, awaiting_court):
    record = application(app, awaiting_court)
    assert record.status == ApplicationStatus.AWAITING_COURT
    assert record.takes_effect is None, "no effect before the JP approves (RIPA s.32A(2))"
    assert record.decisions[0].decided_by_name == "Arthur Authoriser"
    assert record.decisions[0].decided_by_grade == "Head of Service"
    assert record.review_interval_days == 28


def test_decision_queue_lists_the_submitted_application(client, submitted, authoriser):
    client.sign_in(authoriser)
    page = client.get("/authorisations/decisions")
    assert "Counterfeit handbags" in page.get_text()


def test_nobody_decides_their_own_application(client, app, create_user):
    both = create_user(Role.OFFICER, Role.AUTHORISING_OFFICER, name="Dual Role")
    application_id = submitted_application(client, app, both)
    response = decide(client, app, application_id)
    assert response.status_code == 200
    assert "You cannot decide on your own application" in response.get_data(as_text=True)
    assert application(app, application_id).status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.INSPECTOR])
def test_only_authorising_officers_and_the_sro_decide(client, app, submitted, create_user, role):
    client.sign_in(create_user(role))
    assert decide(client, app, submitted).status_code == 403
    assert application(app, submitted).status == ApplicationStatus.SUBMITTED


def test_sro_may_decide(client, app, submitted, sro):
    client.sign_in(sro)
    assert decide(client, app, submitted).status_code == 302
    assert application(app, submitted).status == ApplicationStatus.AWAITING_COURT


def test_approval_needs_the_authorisers_own_words_and_a_review_interval(
    client, app, submitted, authoriser
):
    client.sign_in(authoriser)
    response = decide(client, app, submitted, what_authorised="", review_interval_days="")
    page = client.post_page  # noqa: F841 (the response is checked below)
    from tests.helpers import check_page

    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert errors["what_authorised"] == "Say what you authorise"
    assert (
        errors["review_interval_days"]
        == "Enter how often the authorisation is to be reviewed, in days"
    )


def test_directly_involved_authoriser_must_say_why_and_it_is_recorded(
    client, app, submitted, authoriser
):
    from tests.helpers import check_page

    client.sign_in(authoriser)
    response = decide(client, app, submitted, directly_involved="yes")
    assert "Explain why you must authorise" in response.get_data(as_text=True)
    decide(
        client,
        app,
        submitted,
        directly_involved="yes",
        directly_involved_reason="The only other authorising officer is on leave.",
    )
    record = application(app, submitted)
    assert record.directly_involved is True
    assert record.decisions[0].directly_involved_reason.startswith("The only other")
    client.sign_in(authoriser)
    page = check_page(client.get_response(f"/applications/{submitted}").get_data(as_text=True))
    assert "directly involved in the investigation" in page.get_text()


def test_refusal_ends_the_application(client, app, submitted, authoriser):
    client.sign_in(authoriser)
    decide(
        client, app, submitted, decision="refused", what_authorised="", reasons="Not proportionate."
    )
    assert application(app, submitted).status == ApplicationStatus.REFUSED


def test_returned_application_is_changed_and_resubmitted_with_the_same_urn(
    client, app, submitted, authoriser, officer
):
    from tests.journeys import submit

    urn = application(app, submitted).urn
    client.sign_in(authoriser)
    decide(
        client,
        app,
        submitted,
        decision="returned",
        what_authorised="",
        reasons="Say which profiles.",
    )
    assert application(app, submitted).status == ApplicationStatus.RETURNED
    client.sign_in(officer)
    client.post(
        f"/applications/{submitted}/activity",
        {
            "activity": "Facebook page only.",
            "frequency": "Twice a week",
            "duration": "Six weeks",
            "research_profile": "TS research profile 3",
            "intended_outcome": "Evidence.",
            "version": version(app, submitted),
        },
    )
    submit(client, app, submitted)
    record = application(app, submitted)
    assert record.status == ApplicationStatus.SUBMITTED and record.urn == urn


def test_confidential_information_needs_the_head_of_paid_service(
    client, app, officer, authoriser, create_user
):
    from tests.journeys import (
        APPLICATION,
        answer_triage,
        complete_application,
        start_application,
        submit,
    )

    client.sign_in(officer)
    application_id = start_application(
        client, answer_triage(client, __import__("tests.journeys").journeys.MONITOR_SELLER)
    )
    complete_application(
        client,
        app,
        application_id,
        {
            **APPLICATION,
            "confidential_likely": "yes",
            "confidential_details": "Messages with the seller's solicitor may appear.",
        },
    )
    submit(client, app, application_id)
    client.sign_in(authoriser)
    response = decide(client, app, application_id)
    assert "only the head of paid service" in response.get_data(as_text=True)
    assert application(app, application_id).status == ApplicationStatus.SUBMITTED
    chief = create_user(
        Role.AUTHORISING_OFFICER, name="Chief Executive", can_authorise_confidential=True
    )
    client.sign_in(chief)
    assert decide(client, app, application_id).status_code == 302
    assert application(app, application_id).status == ApplicationStatus.AWAITING_COURT


def test_two_authorisers_at_once_one_wins_the_other_is_told(
    client, app, submitted, authoriser, sro
):
    stale = version(app, submitted)
    client.sign_in(authoriser)
    decide(client, app, submitted)
    client.sign_in(sro)
    response = client.post(
        f"/authorisations/{submitted}/decide",
        {**__import__("tests.journeys").journeys.DECISION, "decision": "refused", "version": stale},
    )
    assert "Someone else changed this record" in response.get_data(
        as_text=True
    ) or "awaiting magistrate" in response.get_data(as_text=True)
    assert application(app, submitted).status == ApplicationStatus.AWAITING_COURT
    assert len(application(app, submitted).decisions) == 1


# The magistrate ------------------------------------------------------------------------------


def test_jp_approval_makes_it_active_from_the_day_of_approval(client, app, active):
    record = application(app, active)
    assert record.status == ApplicationStatus.ACTIVE
    assert record.takes_effect == date(2026, 3, 5)
    assert record.last_day == date(2026, 6, 4)
    assert record.hearings[0].magistrate == "A. N. Justice JP"


def test_page_says_what_the_last_day_means(client, app, active, officer):
    client.sign_in(officer)
    with at(2026, 3, 6):
        page = client.get(f"/applications/{active}")
    assert "has effect until 23:59 on Thursday 4 June 2026" in page.get_text(" ")


def test_month_end_grant_shows_the_earlier_end_and_says_why(
    client, app, awaiting_court, coordinator
):
    client.sign_in(coordinator)
    with at(2026, 3, 31, 16):
        record_court(client, app, awaiting_court, date(2026, 3, 31))
        page = client.get(f"/applications/{awaiting_court}")
    assert application(app, awaiting_court).last_day == date(2026, 6, 29)
    assert "the law leaves room for doubt" in page.get_text()


def test_jp_refusal_never_makes_it_active(client, app, awaiting_court, coordinator):
    client.sign_in(coordinator)
    with at(2026, 3, 5, 16):
        record_court(client, app, awaiting_court, date(2026, 3, 5), outcome="refused")
        page = client.get(f"/applications/{awaiting_court}")
    record = application(app, awaiting_court)
    assert record.status == ApplicationStatus.COURT_REFUSED and record.takes_effect is None
    assert page.find(id="status").get_text(strip=True) == "Refused by magistrate"


def test_quashing_cannot_be_recorded_at_the_hearing_that_refuses(
    client, app, awaiting_court, coordinator
):
    from tests.helpers import check_page

    client.sign_in(coordinator)
    with at(2026, 3, 5, 16):
        response = record_court(client, app, awaiting_court, date(2026, 3, 5), outcome="quashed")
    page = check_page(response.get_data(as_text=True))
    assert "quashed" not in {i["value"] for i in page.find_all("input", attrs={"name": "outcome"})}
    assert application(app, awaiting_court).status == ApplicationStatus.AWAITING_COURT


def _quash(client, app, application_id, day, time="11:00"):
    return client.post(
        f"/authorisations/{application_id}/quash",
        {
            "court": "Borchester Magistrates' Court",
            "magistrate": "A. N. Justice JP",
            "decision_date": [str(day.day), str(day.month), str(day.year)],
            "decision_time": time,
            "notes": "",
            "version": version(app, application_id),
        },
    )


def test_quashing_is_a_later_step_two_business_days_after_the_refusal(
    client, app, awaiting_court, coordinator
):
    from tests.helpers import check_page

    client.sign_in(coordinator)
    # Refused on Thursday 5 March 2026: the council has Friday 6 and Monday 9 March to make
    # representations, so the court may quash from Tuesday 10 March (CrimPR 2020 r.47.52(2)).
    with at(2026, 3, 5, 16):
        record_court(client, app, awaiting_court, date(2026, 3, 5), outcome="refused")
        offered = client.get(f"/applications/{awaiting_court}")
    assert offered.find("a", string="Record a quashing order")
    with at(2026, 3, 9, 16):
        response = _quash(client, app, awaiting_court, date(2026, 3, 9))
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert "from Tuesday 10 March 2026" in errors["decision_date"]
    assert "r.47.52(2)" in errors["decision_date"]
    assert application(app, awaiting_court).status == ApplicationStatus.COURT_REFUSED
    with at(2026, 3, 10, 16):
        assert _quash(client, app, awaiting_court, date(2026, 3, 10)).status_code == 302
        page = client.get(f"/applications/{awaiting_court}")
    record = application(app, awaiting_court)
    assert record.status == ApplicationStatus.QUASHED
    assert [h.outcome.value for h in record.hearings] == ["refused", "quashed"]
    assert page.find(id="status").get_text(strip=True) == "Quashed by magistrate"


def test_quashing_skips_the_easter_bank_holidays(client, app, awaiting_court, coordinator):
    from tests.helpers import check_page

    client.sign_in(coordinator)
    # Refused Thursday 2 April 2026; Good Friday 3 and Easter Monday 6 April are bank holidays,
    # so the two business days are Tuesday 7 and Wednesday 8: quash from Thursday 9 April.
    with at(2026, 4, 2, 16):
        record_court(client, app, awaiting_court, date(2026, 4, 2), outcome="refused")
    with at(2026, 4, 8, 16):
        response = _quash(client, app, awaiting_court, date(2026, 4, 8))
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert "from Thursday 9 April 2026" in errors["decision_date"]


def test_court_decision_timed_before_the_authorisers_on_the_same_day_is_refused(
    client, app, awaiting_court, coordinator
):
    from tests.helpers import check_page

    client.sign_in(coordinator)
    # The authorising officer approved at 10:00 on Tuesday 3 March 2026.
    with at(2026, 3, 3, 16):
        response = record_court(client, app, awaiting_court, date(2026, 3, 3), time="09:59")
        errors = error_messages(check_page(response.get_data(as_text=True)))
        assert "approved it at 10:00" in errors["decision_time"]
        assert "decision_date" not in errors
        assert application(app, awaiting_court).status == ApplicationStatus.AWAITING_COURT
        assert (
            record_court(client, app, awaiting_court, date(2026, 3, 3), time="10:00").status_code
            == 302
        )
    assert application(app, awaiting_court).takes_effect == date(2026, 3, 3)


def test_court_decision_before_the_authorisers_is_refused(client, app, awaiting_court, coordinator):
    client.sign_in(coordinator)
    with at(2026, 3, 5, 16):
        response = record_court(client, app, awaiting_court, date(2026, 3, 1))
    assert "cannot have decided before the authorising officer" in response.get_data(as_text=True)
    assert application(app, awaiting_court).status == ApplicationStatus.AWAITING_COURT


def test_court_decision_in_the_future_is_refused(client, app, awaiting_court, coordinator):
    client.sign_in(coordinator)
    with at(2026, 3, 5, 10):
        response = record_court(client, app, awaiting_court, date(2026, 3, 5), time="15:00")
    assert "cannot be in the future" in response.get_data(as_text=True)


def test_nothing_is_recorded_for_the_court_before_an_authorisers_approval(
    client, app, submitted, coordinator
):
    client.sign_in(coordinator)
    with at(2026, 3, 5, 16):
        response = record_court(client, app, submitted, date(2026, 3, 5))
    assert "awaiting decision" in response.get_data(as_text=True)
    assert application(app, submitted).status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role", [Role.OFFICER, Role.INSPECTOR])
def test_only_the_coordinator_or_an_authorising_officer_records_the_court(
    client, app, awaiting_court, create_user, role
):
    client.sign_in(create_user(role))
    with at(2026, 3, 5, 16):
        assert record_court(client, app, awaiting_court, date(2026, 3, 5)).status_code == 403
    assert application(app, awaiting_court).status == ApplicationStatus.AWAITING_COURT


def test_the_applicant_cannot_record_the_magistrates_approval_of_their_own_application(
    client, app, awaiting_court, officer
):
    client.sign_in(officer)
    with at(2026, 3, 5, 16):
        assert record_court(client, app, awaiting_court, date(2026, 3, 5)).status_code == 403
        page = client.get_response(f"/applications/{awaiting_court}").get_data(as_text=True)
    assert "Record the magistrate" not in page
    assert "Papers for the court" in page  # the applicant takes them to court
    assert application(app, awaiting_court).status == ApplicationStatus.AWAITING_COURT


def test_an_applicant_who_is_also_the_coordinator_is_told_to_ask_someone_else(
    client, app, authoriser, create_user
):
    applicant = create_user(Role.OFFICER, Role.COORDINATOR)
    with at(2026, 3, 2):
        application_id = submitted_application(client, app, applicant)
    client.sign_in(authoriser)
    with at(2026, 3, 3):
        assert decide(client, app, application_id).status_code == 302
    client.sign_in(applicant)
    with at(2026, 3, 5, 16):
        response = record_court(client, app, application_id, date(2026, 3, 5))
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    assert "You cannot record the court's decision on your own application" in page
    assert application(app, application_id).status == ApplicationStatus.AWAITING_COURT


def test_an_authorising_officer_records_the_court(client, app, awaiting_court, create_user):
    client.sign_in(create_user(Role.AUTHORISING_OFFICER))
    with at(2026, 3, 5, 16):
        assert record_court(client, app, awaiting_court, date(2026, 3, 5)).status_code == 302
    assert application(app, awaiting_court).status == ApplicationStatus.ACTIVE


def test_bad_court_dates_get_messages_by_the_fields(client, app, awaiting_court, coordinator):
    from tests.helpers import check_page

    client.sign_in(coordinator)
    data = {
        **court_form(date(2026, 3, 5), time="25:99"),
        "decision_date": ["31", "2", "2026"],
        "version": version(app, awaiting_court),
    }
    response = client.post(f"/authorisations/{awaiting_court}/court", data)
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert errors["decision_date"] == "The date of the decision must be a real date"
    assert errors["decision_time"] == "Enter a time like 14:30"


# Reviews -------------------------------------------------------------------------------------


def test_review_to_continue_is_recorded_and_sets_the_next(client, app, active, authoriser):
    client.sign_in(authoriser)
    with at(2026, 4, 2):
        response = client.post(
            f"/authorisations/{active}/review",
            {
                "outcome": "continue",
                "reasons": "Listings still appearing.",
                "next_interval_days": "14",
                "version": version(app, active),
            },
        )
    assert response.status_code == 302
    record = application(app, active)
    assert record.reviews[0].reviewed_on == date(2026, 4, 2)
    assert record.reviews[0].due_on == date(2026, 4, 2)
    assert record.review_interval_days == 14


def test_review_to_cancel_leads_to_the_cancellation(client, app, active, authoriser):
    client.sign_in(authoriser)
    with at(2026, 4, 2):
        response = client.post(
            f"/authorisations/{active}/review",
            {"outcome": "cancel", "reasons": "Seller identified.", "version": version(app, active)},
        )
    assert response.headers["Location"] == f"/authorisations/{active}/cancel"


def test_applicant_cannot_review(client, app, active, officer):
    client.sign_in(officer)
    assert (
        client.post(f"/authorisations/{active}/review", {"outcome": "continue"}).status_code == 403
    )


# Renewals ------------------------------------------------------------------------------------


def _renew(client, app, application_id, officer, authoriser, coordinator, asked, decided, approved):
    client.sign_in(officer)
    with at(*asked):
        response = client.post(
            f"/authorisations/{application_id}/renewal",
            {
                "reasons": "The seller has moved to a new page.",
                "obtained_so_far": "Listings.",
                "version": version(app, application_id),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    renewal = application(app, application_id).renewals[-1]
    client.sign_in(authoriser)
    with at(*decided):
        client.post(
            f"/authorisations/{application_id}/renewals/{renewal.id}/decide",
            {**__import__("tests.journeys").journeys.DECISION, "version": renewal.version},
        )
    renewal = application(app, application_id).renewals[-1]
    client.sign_in(coordinator)
    with at(*approved, 16):
        return client.post(
            f"/authorisations/{application_id}/renewals/{renewal.id}/court",
            {**court_form(date(*approved)), "version": renewal.version},
        )


def test_renewal_begins_with_the_last_day_it_renews(
    client, app, active, officer, authoriser, coordinator
):
    response = _renew(
        client,
        app,
        active,
        officer,
        authoriser,
        coordinator,
        (2026, 5, 20),
        (2026, 5, 22),
        (2026, 5, 28),
    )
    assert response.status_code == 302
    record = application(app, active)
    # RIPA s.43(9)(b): it takes effect on Thursday 4 June, the old last day, and its three
    # months begin with that day.
    assert record.renewals[0].starts_on == date(2026, 6, 4)
    assert record.renewals[0].ends_on == date(2026, 9, 3)
    assert record.last_day == date(2026, 9, 3)
    client.sign_in(officer)
    with at(2026, 6, 1):
        page = client.get(f"/applications/{active}")
    text = page.get_text(" ")
    assert "Thursday 4 June 2026 to Thursday 3 September 2026" in text
    assert "has effect until 23:59 on Thursday 3 September 2026" in text


def test_a_renewal_can_itself_be_renewed(client, app, active, officer, authoriser, coordinator):
    _renew(
        client,
        app,
        active,
        officer,
        authoriser,
        coordinator,
        (2026, 5, 20),
        (2026, 5, 22),
        (2026, 5, 28),
    )
    _renew(
        client,
        app,
        active,
        officer,
        authoriser,
        coordinator,
        (2026, 8, 20),
        (2026, 8, 24),
        (2026, 8, 27),
    )
    record = application(app, active)
    assert [r.number for r in record.renewals] == [1, 2]
    # 4 June to 3 September, then 3 September to 2 December.
    assert (record.renewals[1].starts_on, record.last_day) == (date(2026, 9, 3), date(2026, 12, 2))


def test_court_decision_on_a_renewal_timed_before_the_authorisers_is_refused(
    client, app, active, officer, authoriser, coordinator
):
    from tests.helpers import check_page

    client.sign_in(officer)
    with at(2026, 5, 20):
        client.post(
            f"/authorisations/{active}/renewal",
            {
                "reasons": "Still trading.",
                "obtained_so_far": "Listings.",
                "version": version(app, active),
            },
        )
    renewal = application(app, active).renewals[0]
    client.sign_in(authoriser)
    with at(2026, 5, 22, 11):
        client.post(
            f"/authorisations/{active}/renewals/{renewal.id}/decide",
            {**__import__("tests.journeys").journeys.DECISION, "version": renewal.version},
        )
    renewal = application(app, active).renewals[0]
    client.sign_in(coordinator)
    with at(2026, 5, 22, 16):
        response = client.post(
            f"/authorisations/{active}/renewals/{renewal.id}/court",
            {**court_form(date(2026, 5, 22), time="10:59"), "version": renewal.version},
        )
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert "approved it at 11:00" in errors["decision_time"]
    assert application(app, active).renewals[0].status.value == "awaiting_court"


def test_renewal_cannot_be_asked_for_after_the_last_day(client, app, active, officer):
    client.sign_in(officer)
    with at(2026, 6, 5):
        response = client.post(
            f"/authorisations/{active}/renewal",
            {"reasons": "x", "obtained_so_far": "y", "version": version(app, active)},
        )
    assert "cannot be renewed" in response.get_data(as_text=True) or response.status_code == 302
    assert application(app, active).renewals == []


def test_renewal_approved_by_the_jp_after_the_last_day_is_refused_as_local_policy(
    client, app, active, officer, authoriser, coordinator
):
    response = _renew(
        client,
        app,
        active,
        officer,
        authoriser,
        coordinator,
        (2026, 5, 30),
        (2026, 6, 2),
        (2026, 6, 5),
    )
    text = response.get_data(as_text=True)
    assert "ceased at the end of Thursday 4 June 2026" in text
    assert "local policy" in text and "s.43(9)(c)" in text
    record = application(app, active)
    assert record.last_day == date(2026, 6, 4)
    assert record.renewals[0].status.value == "awaiting_court"


def test_authoriser_cannot_approve_a_renewal_once_it_has_ceased(
    client, app, active, officer, authoriser
):
    client.sign_in(officer)
    with at(2026, 6, 3):
        client.post(
            f"/authorisations/{active}/renewal",
            {"reasons": "x", "obtained_so_far": "y", "version": version(app, active)},
        )
    renewal = application(app, active).renewals[0]
    client.sign_in(authoriser)
    with at(2026, 6, 5):
        response = client.post(
            f"/authorisations/{active}/renewals/{renewal.id}/decide",
            {**__import__("tests.journeys").journeys.DECISION, "version": renewal.version},
        )
    assert "can no longer be renewed" in response.get_data(as_text=True)


# Cancellation and lapse ----------------------------------------------------------------------


CANCEL = {
    "reason": "The seller has been identified and interviewed under caution.",
    "obtained": "Screenshots of 42 listings; the seller's trading name and phone number.",
    "handling": "Kept on the case file until the prosecution ends, then destroyed.",
    "stop_date": ["10", "4", "2026"],
    "stop_time": "09:15",
}


def test_cancellation_records_when_it_stopped_why_and_what_was_obtained(
    client, app, active, authoriser
):
    client.sign_in(authoriser)
    with at(2026, 4, 10, 11):
        response = client.post(
            f"/authorisations/{active}/cancel", {**CANCEL, "version": version(app, active)}
        )
    assert response.status_code == 302
    record = application(app, active)
    assert record.status == ApplicationStatus.CANCELLED
    assert record.cancelled_on == date(2026, 4, 10)
    assert record.cancellation.after_lapse is False
    assert record.cancellation.stop_instructed_at.astimezone(LONDON).hour == 9


def test_lapsed_authorisation_is_shown_and_still_needs_cancelling(
    client, app, active, authoriser, sro
):
    client.sign_in(sro)
    with at(2026, 6, 10):
        page = client.get(f"/applications/{active}")
        assert "Lapsed" in page.get_text()
        assert page.find("a", string="Cancel the authorisation")
        assert not page.find("a", string="Review")
    client.sign_in(authoriser)
    with at(2026, 6, 10, 11):
        client.post(
            f"/authorisations/{active}/cancel",
            {**CANCEL, "stop_date": ["10", "6", "2026"], "version": version(app, active)},
        )
    assert application(app, active).cancellation.after_lapse is True


def test_another_authorising_officer_cannot_cancel_without_acting_for_the_grantor(
    client, app, active, create_user
):
    from tests.helpers import check_page

    deputy = create_user(Role.AUTHORISING_OFFICER, name="Dora Deputy")
    client.sign_in(deputy)
    with at(2026, 4, 10, 11):
        form = client.get(f"/authorisations/{active}/cancel")
        assert "Arthur Authoriser" in form.find(id="acting").get_text()
        response = client.post(
            f"/authorisations/{active}/cancel", {**CANCEL, "version": version(app, active)}
        )
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert "Only Arthur Authoriser, who granted or last renewed" in errors["acting_for_unavailable"]
    assert "RIPA 2000, s.45(1)" in errors["acting_for_unavailable"]
    assert application(app, active).status == ApplicationStatus.ACTIVE


def test_an_officer_of_lower_rank_cannot_act_for_the_grantor(client, app, active, create_user):
    from tests.helpers import check_page

    client.sign_in(create_user(Role.AUTHORISING_OFFICER, name="Dora Deputy"))
    with at(2026, 4, 10, 11):
        response = client.post(
            f"/authorisations/{active}/cancel",
            {
                **CANCEL,
                "acting_for_unavailable": "yes",
                "acting_reason": "Arthur Authoriser left the council on 31 March 2026.",
                "same_or_senior_rank": "no",
                "version": version(app, active),
            },
        )
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert "SI 2000/2794, reg. 2(2)" in errors["same_or_senior_rank"]
    assert application(app, active).status == ApplicationStatus.ACTIVE


def test_an_officer_acting_for_an_unavailable_grantor_cancels_and_the_record_says_so(
    client, app, active, create_user, sro
):
    client.sign_in(create_user(Role.AUTHORISING_OFFICER, name="Dora Deputy"))
    with at(2026, 4, 10, 11):
        response = client.post(
            f"/authorisations/{active}/cancel",
            {
                **CANCEL,
                "acting_for_unavailable": "yes",
                "acting_reason": "Arthur Authoriser left the council on 31 March 2026; the "
                "director appointed me to act.",
                "same_or_senior_rank": "yes",
                "version": version(app, active),
            },
        )
    assert response.status_code == 302
    record = application(app, active)
    assert record.status == ApplicationStatus.CANCELLED
    assert record.cancellation.cancelled_by_name == "Dora Deputy"
    assert record.cancellation.acting_for_name == "Arthur Authoriser"
    assert "left the council" in record.cancellation.acting_reason
    client.sign_in(sro)
    with at(2026, 4, 11):
        entry = client.get(f"/register/{active}").get_text(" ")
        rows = client.get_response("/register/extract.csv?year=2026").get_data(as_text=True)
    assert "by Dora Deputy" in entry and "acting for Arthur Authoriser" in entry
    assert "SI 2000/2794" in entry
    assert "Acting for Arthur Authoriser, no longer available: Arthur Authoriser left" in rows


def test_applicant_cannot_cancel_their_own(client, app, active, officer):
    client.sign_in(officer)
    assert client.post(f"/authorisations/{active}/cancel", {**CANCEL}).status_code == 403


def test_cancellation_needs_more_than_one_line(client, app, active, authoriser):
    from tests.helpers import check_page

    client.sign_in(authoriser)
    with at(2026, 4, 10, 11):
        response = client.post(
            f"/authorisations/{active}/cancel", {"reason": "Done.", "version": version(app, active)}
        )
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert errors["obtained"] == "Describe what the surveillance obtained"
    assert errors["handling"] == "Say what will happen to the material obtained"
    assert application(app, active).status == ApplicationStatus.ACTIVE


def test_every_step_is_in_the_audit_trail(client, app, active, authoriser):
    from ripa_guard.core import audit

    client.sign_in(authoriser)
    with at(2026, 4, 10, 11):
        client.post(f"/authorisations/{active}/cancel", {**CANCEL, "version": version(app, active)})
    with app.app_context():
        actions = [e.action for e in audit.history(db.session(), "application", active)]
        assert audit.verify(db.session()).intact
    assert actions[-3:] == ["application.approved", "court.approved", "application.cancelled"]


def test_error_summary_lists_problems_in_the_order_of_the_page(client, app, submitted, authoriser):
    from tests.helpers import check_page, summary_errors

    client.sign_in(authoriser)
    response = client.post(
        f"/authorisations/{submitted}/decide", {"version": version(app, submitted)}
    )
    assert summary_errors(check_page(response.get_data(as_text=True))) == [
        "Select your decision",
        "Select whether you are directly involved in the investigation",
    ]
    response = client.post(
        f"/authorisations/{submitted}/decide",
        {"version": version(app, submitted), "decision": "approved"},
    )
    assert summary_errors(check_page(response.get_data(as_text=True))) == [
        "Say what you authorise",
        *(element.needed for element in decision_rules.ELEMENTS),
        "Enter how often the authorisation is to be reviewed, in days",
        "Select whether you are directly involved in the investigation",
        decision_rules.OFFENCES_GENUINE_NEEDED,
    ]


def test_decisions_are_in_the_navigation_of_those_who_decide(client, authoriser, officer):
    def links(page):
        return [a.get_text(strip=True) for a in page.select(".govuk-service-navigation a")]

    client.sign_in(authoriser)
    assert "Decisions" in links(client.get("/dashboard"))
    client.sign_in(officer)
    assert "Decisions" not in links(client.get("/dashboard"))
