"""The officer's journey through HTTP: each triage outcome, then the application to submission."""

from __future__ import annotations

import pytest

from ripa_guard.applications.models import ApplicationStatus, Outcome
from tests.journeys import (
    HR_CHECK,
    MESSAGE_UNDER_FALSE_NAME,
    MONITOR_SELLER,
    MONITOR_SUBLETTING,
    SINGLE_LOOK,
    SINGLE_LOOK_RECORDED,
    answer_triage,
    application,
    complete_application,
    start_application,
    submit,
    triage,
)


@pytest.fixture
def signed_in(client, officer):
    return client.sign_in(officer)


def test_repeated_monitoring_for_a_serious_offence_leads_to_an_application(signed_in, app):
    triage_id = answer_triage(signed_in, MONITOR_SELLER)
    page = signed_in.get(f"/research/{triage_id}/outcome")
    assert page.h1.get_text(strip=True) == "Directed surveillance: you need an authorisation"
    assert "10 years" in page.get_text()
    assert page.find("button", string="Start the application")
    assert triage(app, triage_id).outcome == Outcome.DIRECTED_SURVEILLANCE


def test_offence_below_threshold_cannot_be_authorised_and_no_application_can_be_made(
    signed_in, app, client
):
    triage_id = answer_triage(signed_in, MONITOR_SUBLETTING)
    page = signed_in.get(f"/research/{triage_id}/outcome")
    text = page.get_text(" ")
    assert "must not take place covertly" in text
    assert "article 7A" in text and "SI 2010/521" in text
    assert not page.find("button", string="Start the application")
    response = signed_in.post(f"/research/{triage_id}/application", {})
    assert response.status_code == 302
    assert triage(app, triage_id).application is None


def test_threshold_failure_is_shown_to_the_sro(signed_in, app, create_user, sro):
    triage_id = answer_triage(signed_in, MONITOR_SUBLETTING, title="Flat 4 sub-letting")
    signed_in.sign_in(sro)
    page = signed_in.get("/research/oversight?outcome=cannot_be_authorised")
    assert "Flat 4 sub-letting" in page.get_text()
    assert "Olive Officer" in page.get_text()
    dashboard = signed_in.get("/dashboard")
    assert "1 research plan" in dashboard.get_text(" ")
    assert signed_in.get(f"/research/{triage_id}/outcome").h1.get_text(strip=True)


def test_single_look_needs_no_authorisation(signed_in, app):
    triage_id = answer_triage(signed_in, SINGLE_LOOK)
    page = signed_in.get(f"/research/{triage_id}/outcome")
    assert triage(app, triage_id).outcome == Outcome.NO_AUTHORISATION
    assert not page.find("button", string="Start the application")


def test_messaging_under_a_false_name_is_stopped_as_chis(signed_in, app):
    triage_id = answer_triage(signed_in, MESSAGE_UNDER_FALSE_NAME)
    page = signed_in.get(f"/research/{triage_id}/outcome")
    assert "Do not carry out this research" in page.get_text()
    assert triage(app, triage_id).outcome == Outcome.CHIS


def test_employment_matter_is_recorded_as_outside_ripa(signed_in, app):
    triage_id = answer_triage(signed_in, HR_CHECK)
    assert triage(app, triage_id).outcome == Outcome.OUTSIDE_RIPA
    page = signed_in.get(f"/research/{triage_id}/outcome")
    assert "non-RIPA" in page.get_text() or "outside RIPA" in page.get_text(" ").lower()


def test_borderline_plan_is_referred_to_an_authorising_officer(signed_in, app):
    triage_id = answer_triage(signed_in, SINGLE_LOOK_RECORDED)
    assert triage(app, triage_id).outcome == Outcome.REFER


def test_criminal_investigation_without_offence_is_asked_for_it(signed_in):
    response = signed_in.post("/research/new", {"title": "No offence named"})
    url = response.headers["Location"]
    page = signed_in.post_page(url, {"criminal_investigation": "yes", "offence": ""})
    assert (
        "Choose the offence you are investigating"
        in page.select_one(".govuk-error-summary").get_text()
    )
    checked = page.select_one("input[name=criminal_investigation][value=yes]")
    assert checked.has_attr("checked"), "the answer given was lost"


def test_application_is_submitted_with_a_urn_and_offence_snapshot(signed_in, app):
    triage_id = answer_triage(signed_in, MONITOR_SELLER)
    application_id = start_application(signed_in, triage_id)
    complete_application(signed_in, app, application_id)
    check = signed_in.get(f"/applications/{application_id}/check")
    assert check.find("button", string="Submit for a decision")
    assert "Bargain Bags (trading name)" in check.get_text()
    response = submit(signed_in, app, application_id)
    assert response.status_code == 302
    record = application(app, application_id)
    assert record.status == ApplicationStatus.SUBMITTED
    assert record.urn == f"RIPA/{record.submitted_at.year}/0001"
    assert record.offence_snapshot["max_custodial_months"] == 120
    assert record.subjects[0].profiles[0]["platform"] == "Facebook"
    page = signed_in.get(f"/applications/{application_id}/submitted")
    assert record.urn in page.get_text()


def test_incomplete_application_cannot_be_submitted(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    page = signed_in.get(f"/applications/{application_id}/check")
    assert "Add at least one subject" in page.get_text()
    assert not page.find("button", string="Submit for a decision")
    submit(signed_in, app, application_id)
    assert application(app, application_id).status == ApplicationStatus.DRAFT
    assert application(app, application_id).urn is None


def test_draft_keeps_partial_answers_without_required_ones(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    response = signed_in.post(
        f"/applications/{application_id}/investigation",
        {
            "investigation_title": "Half done",
            "case_reference": "",
            "summary": "",
            "save_draft": "1",
            "version": 1,
        },
    )
    assert response.status_code == 302
    record = application(app, application_id)
    assert record.answers["investigation_title"] == "Half done"
    page = signed_in.get(f"/applications/{application_id}/investigation")
    assert page.select_one("input[name=investigation_title]")["value"] == "Half done"


def test_continue_with_an_empty_required_answer_shows_the_message_by_the_field(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    page = signed_in.post_page(
        f"/applications/{application_id}/investigation",
        {"investigation_title": "Kept title", "case_reference": "", "summary": "", "version": 1},
    )
    assert page.title.string.startswith("Error: ")
    group = page.select_one("#case_reference").find_parent(class_="govuk-form-group")
    assert "Enter your service's case reference" in group.get_text()
    assert page.select_one("input[name=investigation_title]")["value"] == "Kept title"


def test_subject_with_a_bad_address_is_refused_with_the_typed_text_kept(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    page = signed_in.post_page(
        f"/applications/{application_id}/subjects",
        {"name": "Mr Example", "profiles": "not a web address at all", "version": 1},
    )
    assert (
        "is not a web address"
        in page.select_one("#profiles").find_parent(class_="govuk-form-group").get_text()
    )
    assert (
        page.select_one("textarea[name=profiles]").get_text().strip() == "not a web address at all"
    )
    assert application(app, application_id).subjects == []


def test_confidential_details_are_required_when_confidential_information_is_likely(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    page = signed_in.post_page(
        f"/applications/{application_id}/confidential-information",
        {"confidential_likely": "yes", "confidential_details": "", "version": 1},
    )
    assert "Describe the confidential or privileged information" in page.get_text()


def test_submitted_application_can_no_longer_be_changed(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    complete_application(signed_in, app, application_id)
    submit(signed_in, app, application_id)
    response = signed_in.post(
        f"/applications/{application_id}/investigation",
        {
            "investigation_title": "Changed after submission",
            "case_reference": "X",
            "summary": "Y",
            "version": application(app, application_id).version,
        },
    )
    assert response.status_code == 302
    assert application(app, application_id).investigation_title == APPLICATION_TITLE


APPLICATION_TITLE = "Counterfeit handbags sold from Market Street"


def test_stale_version_is_refused_and_says_so(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    signed_in.post(
        f"/applications/{application_id}/investigation",
        {"investigation_title": "First", "case_reference": "A", "summary": "B", "version": 1},
    )
    page = signed_in.post_page(
        f"/applications/{application_id}/investigation",
        {"investigation_title": "Second", "case_reference": "A", "summary": "B", "version": 1},
    )
    assert "Someone else changed this record" in page.get_text()
    assert application(app, application_id).investigation_title == "First"


def test_urns_run_on_without_gaps(signed_in, app):
    urns = []
    for n in range(3):
        application_id = start_application(
            signed_in, answer_triage(signed_in, MONITOR_SELLER, f"Case {n}")
        )
        complete_application(signed_in, app, application_id)
        submit(signed_in, app, application_id)
        urns.append(application(app, application_id).urn)
    year = urns[0].split("/")[1]
    assert urns == [f"RIPA/{year}/0001", f"RIPA/{year}/0002", f"RIPA/{year}/0003"]


def test_officer_can_withdraw_a_submitted_application(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    complete_application(signed_in, app, application_id)
    submit(signed_in, app, application_id)
    signed_in.post(
        f"/applications/{application_id}/withdraw",
        {"version": application(app, application_id).version},
    )
    assert application(app, application_id).status == ApplicationStatus.WITHDRAWN


def test_the_outcome_cites_each_source_once(signed_in):
    triage_id = answer_triage(signed_in, MONITOR_SELLER)
    page = signed_in.get(f"/research/{triage_id}/outcome")
    citations = [c.get_text(strip=True) for c in page.select(".app-reason-list .app-citation")]
    assert citations, "the reasons cite their sources"
    assert len(citations) == len(set(citations))


def _add_subject(client, app, application_id: int, name: str, profiles: str):
    return client.post(
        f"/applications/{application_id}/subjects",
        {"name": name, "profiles": profiles, "version": application(app, application_id).version},
    )


def test_a_subject_can_be_changed_and_the_audit_trail_keeps_what_it_said(signed_in, app):
    from ripa_guard.core import audit, db

    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    _add_subject(signed_in, app, application_id, "Mr Exmaple", "https://www.facebook.com/wrong")
    subject_id = application(app, application_id).subjects[0].id
    listing = signed_in.get(f"/applications/{application_id}/subjects")
    change_url = f"/applications/{application_id}/subjects/{subject_id}/change"
    assert listing.find("a", href=change_url) is not None
    form = signed_in.get(change_url)
    assert form.select_one("input[name=name]")["value"] == "Mr Exmaple"
    assert "https://www.facebook.com/wrong" in form.select_one("textarea[name=profiles]").get_text()
    response = signed_in.post(
        change_url,
        {
            "name": "Mr Example",
            "profiles": "https://www.facebook.com/bargainbags.example",
            "version": application(app, application_id).version,
        },
    )
    assert response.status_code == 302
    [subject] = application(app, application_id).subjects
    assert (subject.id, subject.name) == (subject_id, "Mr Example")
    assert subject.profiles[0]["url"] == "https://www.facebook.com/bargainbags.example"
    with app.app_context():
        events = audit.history(db.session(), "application", application_id)
        changed = [e for e in events if e.action == "application.subject_changed"]
        assert changed[0].detail["before"]["name"] == "Mr Exmaple"


def test_a_changed_subject_with_a_bad_address_keeps_what_was_typed(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    _add_subject(signed_in, app, application_id, "Mr Example", "https://www.facebook.com/a.b")
    subject_id = application(app, application_id).subjects[0].id
    page = signed_in.post_page(
        f"/applications/{application_id}/subjects/{subject_id}/change",
        {"name": "Mr Example", "profiles": "no address", "version": 99},
    )
    assert "is not a web address" in page.get_text()
    assert page.select_one("textarea[name=profiles]").get_text().strip() == "no address"
    assert application(app, application_id).subjects[0].profiles[0]["url"].endswith("a.b")


def test_a_submitted_applications_subjects_cannot_be_changed(signed_in, app):
    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    complete_application(signed_in, app, application_id)
    submit(signed_in, app, application_id)
    subject = application(app, application_id).subjects[0]
    response = signed_in.post(
        f"/applications/{application_id}/subjects/{subject.id}/change",
        {"name": "Someone else", "profiles": "https://www.facebook.com/x.y", "version": 99},
    )
    assert response.status_code == 302
    assert application(app, application_id).subjects[0].name == subject.name


def test_an_abandoned_draft_is_withdrawn_from_its_check_page_and_kept_in_the_audit_trail(
    signed_in, app
):
    from ripa_guard.applications import trail_check
    from ripa_guard.core import audit, db

    application_id = start_application(signed_in, answer_triage(signed_in, MONITOR_SELLER))
    check = signed_in.get(f"/applications/{application_id}/check")
    withdraw = check.find("form", action=f"/applications/{application_id}/withdraw")
    assert "Withdraw the draft" in withdraw.get_text()
    signed_in.post(
        f"/applications/{application_id}/withdraw",
        {"version": withdraw.find("input", {"name": "version"})["value"]},
    )
    withdrawn = application(app, application_id)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN and withdrawn.urn is None
    with app.app_context():
        actions = [e.action for e in audit.history(db.session(), "application", application_id)]
        assert actions[-1] == "application.withdrawn"
        assert trail_check.disagreements(db.session()) == []
    assert "Withdrawn" in signed_in.get(f"/applications/{application_id}").get_text()
