"""An officer opens an investigation; a look at a profile another service has looked at is held;
the RIPA coordinator decides it is a separate matter, and the look goes ahead. axe checks every
page (Visit.step)."""

from __future__ import annotations

from ripa_guard.accounts.models import Role
from tests.viewing_setup import PROFILE_URL, SUBJECT, case_for, register_profile, view

from .visit import Visit, choose, choose_research_profile


def _log(v: Visit, subject: str, step: str) -> None:
    page = v.page
    v.click("Log a viewing", role="button")
    v.step(f"log a viewing: {step}")
    page.get_by_label("Web address of the profile or page").fill(PROFILE_URL)
    page.get_by_label("Whose profile is it?").fill(subject)
    page.get_by_label("Why are you viewing it?").fill("Complaint about counterfeit bags.")
    choose_research_profile(page, "borsetshire.")
    choose(page, "Will you capture anything?", "No, I will only look")
    v.click("Log the viewing")
    v.step(step)


def test_an_officer_opens_an_investigation_and_a_held_look_waits_for_the_coordinator(
    visit, people, client, app, create_user
):
    fraud = create_user(Role.OFFICER, name="Fern Fraud", service="Counter Fraud")
    theirs = register_profile(app, people["sro"], "facebook", "borsetshire.cf.research1", fraud)
    register_profile(app, people["sro"], "facebook", "borsetshire.ts.research3", people["officer"])
    # Counter Fraud looked at the profile first, under its own investigation.
    case_for(app, fraud, "CF/2026/0001")
    client.sign_in(fraud)
    assert view(client, reference="CF/2026/0001", profile=theirs).status_code == 302

    v = visit("investigation-and-held-look")
    page = v.page
    v.sign_in(people["officer"])
    v.click_link("Your investigations")
    v.step("your investigations: none yet")
    v.click("Open an investigation", role="button")
    v.step("open an investigation")
    v.click("Open the investigation")
    v.step("open an investigation: nothing entered")
    v.expect_error(
        "Enter the case reference",
        "Enter the title of the investigation",
        "Enter the offence or offences under investigation",
    )
    page.get_by_label("Case reference").fill("TS/2026/0412")
    page.get_by_label("Title").fill("Counterfeit handbags sold online")
    page.get_by_label("Offence or offences under investigation").fill("Trade Marks Act 1994 s.92")
    page.get_by_label("Subjects and their profiles (optional)").fill(f"{SUBJECT}: {PROFILE_URL}")
    v.click("Open the investigation")
    v.step("the investigation's page")
    assert page.locator("h1").inner_text() == "TS/2026/0412"

    _log(v, SUBJECT, "held: the coordinator must confirm")
    assert page.locator("h1").inner_text() == "The RIPA coordinator must confirm before you look"
    assert "Counter Fraud" not in page.locator("main").inner_text()
    assert "Fern Fraud" not in page.locator("main").inner_text()

    c = v
    c.sign_in(people["coordinator"])
    assert "Looks held for your decision" in c.page.locator("main").inner_text()
    c.click_link("TS/2026/0412")
    c.step("a held look, with the earlier look under another investigation")
    choose(
        c.page,
        "Is this the same matter as the earlier looks?",
        "Separate matter: the look may go ahead as initial research",
    )
    c.page.get_by_label("Why?").fill("Benefit fraud, not counterfeiting: a separate matter.")
    c.click("Record the decision")
    c.step("held looks: decided")
    assert "Benefit fraud" in c.page.locator("#decided").inner_text()
