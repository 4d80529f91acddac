"""An investigating officer logs viewings: one allowed, one blocked, one refused."""

from __future__ import annotations

import pytest

from tests.viewing_setup import CASE, PROFILE_URL, SUBJECT, case_for, register_profile

from .cases import active_authorisation
from .visit import Visit, choose, choose_research_profile


@pytest.fixture
def viewing_log(app):
    if "viewings.new" not in app.view_functions:
        pytest.skip("the viewing log (endpoint viewings.new) is not in this build yet")


def log_viewing(
    v: Visit, url: str, investigation: int, subject: str, step: str, readme: str | None = None
) -> None:
    page = v.page
    v.click_link("Viewing log")
    v.step("your viewing log")
    v.click("Log a viewing")
    v.step(f"log a viewing: {step}")
    page.get_by_label("Web address of the profile or page").fill(url)
    page.get_by_label("Investigation", exact=True).select_option(str(investigation))
    page.get_by_label("Whose profile is it?").fill(subject)
    page.get_by_label("Why are you viewing it?").fill("To see whether the seller is still trading.")
    choose_research_profile(page, "borsetshire.ts.research3")
    choose(page, "Will you capture anything?", "No, I will only look")
    v.click("Log the viewing")
    v.step(step, readme=readme)


def test_officer_logs_viewings_one_allowed_one_blocked_one_refused(
    viewing_log, visit, people, client, app
):
    active_authorisation(client, app, people, "Counterfeit handbags")
    register_profile(app, people["sro"], "facebook", "borsetshire.ts.research3", people["officer"])
    handbags = case_for(app, people["officer"], CASE)
    puppies_case = case_for(app, people["officer"], "AW/2026/0077")
    v = visit("officer-logs-viewings")
    page = v.page
    v.sign_in(people["officer"])

    v.click_link("Viewing log")
    v.step("your viewing log: empty")
    v.click("Log a viewing")
    v.step("log a viewing")
    v.click("Log the viewing")
    v.step("log a viewing: nothing entered")
    v.expect_error(
        "Enter the web address of the profile or page",
        "Select the investigation",
        "Enter who the profile belongs to",
        "Select the research profile you are viewing from",
        "Say why you are viewing it",
        "Select whether you will capture anything",
    )

    # The seller's page, which the authorisation covers: allowed.
    page.get_by_label("Web address of the profile or page").fill(PROFILE_URL)
    page.get_by_label("Investigation", exact=True).select_option(str(handbags))
    page.get_by_label("Whose profile is it?").fill(SUBJECT)
    page.get_by_label("Why are you viewing it?").fill("New listings this week.")
    choose_research_profile(page, "borsetshire.ts.research3")
    # 'Where will it be kept?' is asked only of an officer who will capture something.
    kept = page.get_by_label("Where will it be kept?")
    assert not kept.is_visible()
    choose(page, "Will you capture anything?", "Yes")
    assert kept.is_visible()
    choose(page, "Will you capture anything?", "No, I will only look")
    assert not kept.is_visible()
    v.click("Log the viewing")
    v.step("allowed: under the authorisation")
    assert (
        "Viewing logged: under authorisation"
        in page.locator(".govuk-notification-banner").inner_text()
    )

    # A page the authorisation does not cover, for the same investigation: refused.
    log_viewing(
        v,
        "https://www.facebook.com/bargainbags.supplier.example",
        handbags,
        "The seller's supplier",
        "refused: outside the authorisation",
        readme="viewing-refused.png",
    )
    assert page.locator("h1").inner_text() == "This viewing is outside the authorisation"

    # Another investigation, with no authorisation: a first look is allowed, a second blocked.
    puppies = "https://www.facebook.com/lakeyhill.puppies.example"
    log_viewing(v, puppies, puppies_case, "Lakey Hill Puppies", "allowed: initial research")
    log_viewing(v, puppies, puppies_case, "Lakey Hill Puppies", "blocked: a repeat")
    assert page.locator("h1").inner_text() == (
        "Do not view this profile again without an authorisation"
    )

    v.click_link("Viewing log")
    v.step("your viewing log: two viewings, two stopped")
