"""Reports for members and IPCO, the inspection page, policy reviews and recommendations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from ripa_guard.accounts import training
from ripa_guard.accounts.models import Role, User
from ripa_guard.core import db
from ripa_guard.law.oversight_rules import (
    Rag,
    errors_rag,
    findings_rag,
    policy_rag,
    policy_review_overdue,
    worst,
)
from ripa_guard.oversight import relevant_errors
from ripa_guard.oversight import reports as oversight
from ripa_guard.oversight.models import (
    ActionProgress,
    FindingCategory,
    InspectionRecommendation,
    RecommendationAction,
)
from ripa_guard.oversight.models import Rag as StoredRag
from ripa_guard.viewing import research_profiles
from tests import records
from tests.helpers import error_messages

TODAY = datetime(2026, 11, 25, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


# The rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "last, overdue",
    [
        (None, True),
        (date(2025, 11, 25), False),  # a year to the day
        (date(2025, 11, 24), True),
        (date(2026, 6, 1), False),
    ],
)
def test_policy_review_is_overdue_after_a_year(last, overdue):
    assert policy_review_overdue(last, date(2026, 11, 25)) is overdue


def test_red_amber_green():
    assert policy_rag(date(2026, 1, 1), date(2026, 11, 25)) == Rag.AMBER
    assert policy_rag(date(2026, 6, 1), date(2026, 11, 25)) == Rag.GREEN
    assert errors_rag(proposed=0, confirmed_unreported=1) == Rag.RED
    assert errors_rag(proposed=2, confirmed_unreported=0) == Rag.AMBER
    assert errors_rag(0, 0) == Rag.GREEN
    assert findings_rag(open_recommendations=1, unanswered=1) == Rag.RED
    assert findings_rag(open_recommendations=1, unanswered=0) == Rag.AMBER
    assert findings_rag(0, 0) == Rag.GREEN
    assert worst([Rag.GREEN, Rag.AMBER]) == Rag.AMBER
    assert worst([]) == Rag.GREEN


# Set-up ---------------------------------------------------------------------------------------------


def _policy(app, sro, reviewed_on, by_members=True):
    with app.app_context():
        s = db.session()
        oversight.record_policy_review(
            s,
            s.get(User, sro.id),
            reviewed_on,
            "Audit Committee",
            by_members,
            "",
            date(2026, 11, 25),
        )


@pytest.fixture
def year_of_work(app, officer, authoriser, coordinator, sro):
    """One authorisation granted in 2026 that lapsed, and its error confirmed and reported."""
    application_id = records.active(app, officer, authoriser, coordinator)
    with app.app_context():
        s = db.session()
        (error,) = relevant_errors.propose_errors(s, date(2026, 6, 10))
        relevant_errors.confirm_error(
            s,
            s.get(User, sro.id),
            error=error,
            kind=error.kind,
            what_happened="Lapsed on 4 June.",
            cause="Leave.",
            action_taken="Cancelled.",
            reported_to_ipco_on=date(2026, 6, 12),
            today=date(2026, 6, 12),
        )
    return application_id


# The members' report ----------------------------------------------------------------------------------


def test_members_report_has_the_figures_errors_training_and_policy(client, app, year_of_work, sro):
    _policy(app, sro, date(2026, 2, 1))
    client.sign_in(sro)
    page = client.get("/oversight/members-report?year=2026")
    assert "report to elected members" in page.h1.get_text()
    assert page.select_one("#figure-ds_granted").get_text() == "1"
    assert page.select_one("#figure-ds_lapsed").get_text() == "1"
    assert page.select_one("#figure-non-ripa").get_text() == "0"
    assert "Lapsed on 4 June." in page.get_text()
    assert "Monday 12 June 2026" not in page.get_text()  # not a Monday: dates are real
    assert "Friday 12 June 2026" in page.get_text()
    assert "Arthur Authoriser" in page.get_text()
    assert "Sunday 1 February 2026" in page.select_one("#policy-reviewed").get_text()
    assert not page.select_one("#policy-warning")
    assert page.find("a", href="/register/annual-return?year=2026")


def test_members_report_warns_when_the_policy_was_last_reviewed_over_a_year_ago(client, app, sro):
    _policy(app, sro, date(2025, 10, 1))
    _policy(app, sro, date(2026, 9, 1), by_members=False)  # the SRO alone does not count
    client.sign_in(sro)
    page = client.get("/oversight/members-report")
    warning = page.select_one("#policy-warning").get_text(" ", strip=True)
    assert "more than a year ago" in warning
    assert "Wednesday 1 October 2025" in warning


def test_members_report_warns_when_the_policy_was_never_reviewed(client, coordinator):
    client.sign_in(coordinator)
    page = client.get("/oversight/members-report?year=nonsense")
    assert "no record of elected members reviewing the policy" in page.get_text()
    assert "2026" in page.h1.get_text()


def test_members_report_is_for_the_sro_and_coordinator(client, create_user):
    for role in (Role.INSPECTOR, Role.OFFICER, Role.AUTHORISING_OFFICER):
        client.sign_in(create_user(role))
        assert client.get_response("/oversight/members-report").status_code == 403


# Policy reviews ---------------------------------------------------------------------------------------


def test_sro_records_a_policy_review(client, app, sro):
    client.sign_in(sro)
    assert client.get("/oversight/policy").select_one("#policy-warning")
    page = client.post_page("/oversight/policy", {"reviewed_by": "Audit Committee"})
    errors = error_messages(page)
    assert errors["reviewed_on"] == "Enter the date of the review"
    assert errors["by_members"] == "Select whether elected members reviewed it"
    assert page.select_one("#reviewed_by")["value"] == "Audit Committee"
    response = client.post(
        "/oversight/policy",
        {"reviewed_on": ["4", "11", "2026"], "reviewed_by": "Audit Committee", "by_members": "yes"},
    )
    assert response.status_code == 302
    page = client.get("/oversight/policy")
    assert "Wednesday 4 November 2026" in page.select_one("#policy-status").get_text()


def test_inspector_reads_policy_reviews_but_cannot_add_one(client, inspector):
    client.sign_in(inspector)
    page = client.get("/oversight/policy")
    assert not page.select("main form[method=post]")
    response = client.post(
        "/oversight/policy",
        {"reviewed_on": ["4", "11", "2026"], "reviewed_by": "x", "by_members": "yes"},
    )
    assert response.status_code == 403


# The inspection page -------------------------------------------------------------------------------------


def _tags(page) -> dict[str, str]:
    return {
        row["id"].removeprefix("rag-"): row.select_one(".govuk-tag").get_text(strip=True)
        for row in page.select("tr[id^=rag-]")
    }


def test_inspection_page_gathers_what_inspectors_ask_for(
    client, app, year_of_work, authoriser, sro
):
    records.cancel(app, year_of_work, authoriser, today=date(2026, 6, 12))
    _policy(app, sro, date(2026, 1, 1))
    with app.app_context():
        s = db.session()
        research_profiles.register_research_profile(
            s,
            s.get(User, sro.id),
            platform="facebook",
            handle="borsetshire.ts.research3",
            covert=True,
            created_on=date(2026, 1, 1),
            user_ids=[],
            notes="",
            today=date(2026, 11, 25),
        )
        recommendation = oversight.record_recommendation(
            s,
            s.get(User, sro.id),
            date(2025, 9, 1),
            "A. Inspector",
            "R1",
            "Keep a register of research profiles.",
            date(2026, 11, 25),
        )
        oversight.record_recommendation(
            s,
            s.get(User, sro.id),
            date(2025, 9, 1),
            "A. Inspector",
            "R2",
            "Train staff outside enforcement teams.",
            date(2026, 11, 25),
        )
        oversight.record_action(
            s,
            s.get(User, sro.id),
            recommendation,
            "Register set up.",
            ActionProgress.COMPLETE,
            date(2026, 11, 25),
        )
        oversight.record_recommendation(
            s,
            s.get(User, sro.id),
            date(2025, 9, 1),
            "A. Inspector",
            "O1",
            "Triage notes were clear.",
            date(2026, 11, 25),
            FindingCategory.OBSERVATION,
        )
    client.sign_in(sro)
    page = client.get("/oversight/inspection")
    assert _tags(page) == {
        "central-record": "Green",
        "non-ripa": "Green",
        "research-profiles": "Green",
        "training": "Red",  # the officer has no training record
        "errors": "Green",
        "policy": "Amber",  # due again by 1 January 2027
        "recommendations": "Red",
    }
    links = {a["href"] for a in page.select("a[href]")}
    assert "/register/extract.xlsx?year=2026" in links
    assert "/oversight/non-ripa/extract.xlsx" in links
    assert "/oversight/training" in links and "/oversight/errors" in links
    assert "/viewings/research-profiles" in links
    assert (
        "borsetshire.ts.research3"
        in page.select_one("#research-profiles").find_next("table").get_text()
    )
    assert "Lapsed on 4 June." in page.select_one("#errors").find_next("table").get_text()
    recommendations = (
        page.select_one("#recommendations").find_next("table").get_text(" ", strip=True)
    )
    assert "R1 Recommendation Keep a register of research profiles. Register set up." in (
        recommendations
    )
    assert "R2 Recommendation Train staff outside enforcement teams. None recorded" in (
        recommendations
    )
    assert "O1 Observation Triage notes were clear. None recorded Not started" in recommendations
    # The findings and the action plan carry no red-amber-green tag, and the page says why.
    assert not page.select_one("#recommendations").find_next("table").select(".govuk-tag")
    assert "no longer grades its findings red, amber or green" in page.get_text()
    assert "IPCO Annual Report 2018, §5.6" in page.get_text()


def test_inspection_page_shows_a_lapse_and_an_unreported_error_red(
    client, app, officer, authoriser, coordinator, sro
):
    records.active(app, officer, authoriser, coordinator)
    client.sign_in(sro)
    page = client.get("/oversight/inspection")
    tags = _tags(page)
    assert tags["central-record"] == "Red"
    assert tags["policy"] == "Red"
    assert tags["errors"] == "Green"  # nothing proposed until the errors page is opened
    client.get("/oversight/errors")
    assert _tags(client.get("/oversight/inspection"))["errors"] == "Amber"


def test_inspector_reads_the_inspection_page_without_any_form(client, inspector):
    client.sign_in(inspector)
    page = client.get("/oversight/inspection")
    assert page.h1.get_text() == "Ready for inspection"
    assert not page.select("main form[method=post]")
    assert "/viewings/research-profiles" not in {a["href"] for a in page.select("a[href]")}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUTHORISING_OFFICER])
def test_inspection_page_is_not_for_officers(client, create_user, role):
    client.sign_in(create_user(role))
    assert client.get_response("/oversight/inspection").status_code == 403
    assert client.get_response("/oversight/").status_code == 403


def test_sro_records_a_recommendation_and_the_action_taken(client, app, sro, inspector):
    client.sign_in(sro)
    page = client.post_page("/oversight/inspection/recommendations/new", {"number": "R1"})
    assert error_messages(page)["inspection_date"] == "Enter the date of the inspection"
    response = client.post(
        "/oversight/inspection/recommendations/new",
        {
            "inspection_date": ["1", "9", "2025"],
            "inspector": "A. Inspector",
            "number": "R1",
            "category": "recommendation",
            "text": "Review the policy annually.",
        },
    )
    assert response.status_code == 302
    page = client.get("/oversight/inspection")
    link = page.find("a", string="R1")
    assert _tags(page)["recommendations"] == "Red"
    detail = client.get(link["href"])
    assert detail.h1.get_text(strip=True) == "Recommendation R1"
    status = detail.select_one("#recommendation-status").get_text(strip=True)
    assert status == "Action plan: Not started"
    response = client.post(link["href"], {"action_taken": "Adopted by members.", "rag": "green"})
    assert response.status_code == 200  # no red-amber-green any more: progress is asked for
    response = client.post(
        link["href"], {"action_taken": "Adopted by members.", "progress": "complete"}
    )
    assert response.status_code == 302
    assert (
        client.get(link["href"]).select_one("#recommendation-status").get_text(strip=True)
        == "Action plan: Complete"
    )
    assert _tags(client.get("/oversight/inspection"))["recommendations"] == "Green"
    client.sign_in(inspector)
    assert (
        client.post(link["href"], {"action_taken": "x", "progress": "complete"}).status_code == 403
    )
    assert client.get(link["href"]).select_one("#recommendation-status")


# The hub and the navigation ---------------------------------------------------------------------------


def _navigation(page) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in page.select(".govuk-service-navigation a")}


def test_sro_has_an_oversight_hub_in_the_navigation(client, sro):
    client.sign_in(sro)
    assert _navigation(client.get("/dashboard"))["Oversight"] == "/oversight/"
    hub = client.get("/oversight/")
    links = {a.get_text(strip=True): a["href"] for a in hub.select("main a")}
    assert links["Training records"] == "/oversight/training"
    assert links["Non-RIPA register"] == "/oversight/non-ripa/"
    assert links["Errors"] == "/oversight/errors"
    assert links["Annual report to elected members"] == "/oversight/members-report"
    assert links["Ready for inspection"] == "/oversight/inspection"
    assert links["Figures for IPCO's annual return"] == "/register/annual-return"


def test_officers_have_their_non_ripa_list_in_the_navigation(client, officer):
    client.sign_in(officer)
    navigation = _navigation(client.get("/dashboard"))
    assert navigation["Non-RIPA"] == "/oversight/non-ripa/"
    assert "Oversight" not in navigation


def test_an_action_graded_before_rag_was_withdrawn_keeps_its_grade_as_history(client, app, sro):
    with app.app_context():
        s = db.session()
        finding = oversight.record_recommendation(
            s, s.get(User, sro.id), date(2020, 9, 1), "A. Inspector", "R3", "Old.", date(2026, 1, 1)
        )
        # As an action recorded before progress was kept: its grade only, never rewritten.
        s.add(
            RecommendationAction(
                recommendation_id=finding.id,
                action_taken="Begun.",
                rag=StoredRag.AMBER,
                written_on=date(2020, 10, 1),
                written_by_id=sro.id,
                written_by_name="Sally SRO",
            )
        )
        s.commit()
        finding_id = finding.id
        stored = s.get(InspectionRecommendation, finding_id)
        assert stored.category == FindingCategory.RECOMMENDATION
        assert stored.progress == ActionProgress.IN_PROGRESS
    client.sign_in(sro)
    page = client.get(f"/oversight/inspection/recommendations/{finding_id}")
    assert "In progress; graded amber before red-amber-green grading was withdrawn" in (
        page.get_text(" ", strip=True)
    )


def test_inspection_page_shows_the_most_pressing_training_and_links_to_everyones(
    client, app, sro, inspector, create_user
):
    untrained = [
        create_user(Role.OFFICER, name=f"Zed Untrained {n}", trained_on=None) for n in range(3)
    ]
    for n in range(50):
        create_user(Role.OFFICER, name=f"Abel Trained {n:02}")
    create_user(Role.AUTHORISING_OFFICER, name="Aaron Lapsed", trained_on=date(2020, 1, 1))
    with app.app_context():
        s = db.session()
        everyone = training.statuses(s, date(2026, 11, 25))
        counted = training.summary(s, date(2026, 11, 25))
    deciders = [p for p in everyone if p.approves]
    assert (counted.people, counted.deciders, counted.deciders_out_of_date) == (
        len(everyone),
        len(deciders),
        sum(1 for p in deciders if p.rag == Rag.RED),
    )
    assert counted.due_or_out_of_date == sum(1 for p in everyone if p.rag != Rag.GREEN)
    client.sign_in(inspector)
    page = client.get("/oversight/inspection")
    shown = page.select_one("#training-shown")
    assert f"The 50 most pressing of {len(everyone)} people in key roles" in shown.get_text()
    assert shown.find("a")["href"] == "/oversight/training"
    rows = page.select_one("#training-shown").find_next("table").select("tbody tr")
    names = [r.select_one("td").get_text() for r in rows]
    assert names == [p.user.name for p in everyone[:50]]
    assert names[0] == "Aaron Lapsed"  # an authorising officer out of date comes first
    assert {u.name for u in untrained} <= set(names)
    # The training page itself still lists everyone.
    assert len(client.get("/oversight/training").select("tr[id^=person-]")) == len(everyone)
