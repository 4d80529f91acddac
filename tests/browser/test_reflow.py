"""The pages of the journeys on a narrow screen, or zoomed to 400%: 320 CSS pixels wide."""

from __future__ import annotations

from tests.journeys import MONITOR_SELLER, answer_triage, application

from .cases import active_authorisation, submitted_application


def test_pages_reflow_to_320_pixels_wide(visit, people, client, app, page):
    active = active_authorisation(client, app, people, "Counterfeit handbags – Market Street")
    waiting = submitted_application(client, app, people["officer"], "Puppy farm adverts")
    triage = answer_triage(client.sign_in(people["officer"]), MONITOR_SELLER, title="Fly-tipping")
    page.set_viewport_size({"width": 320, "height": 640})
    v = visit("narrow-screen")
    v.goto("/sign-in", step="sign in")
    v.click_link("Accessibility statement")
    v.step("accessibility statement")
    assert v.page.locator("h1").inner_text() == "Accessibility statement for RIPA guard"

    v.sign_in(people["officer"])
    v.goto("/research/new", step="plan online research")
    v.click("Continue")
    v.step("plan online research: no name")
    for path, step in [
        (f"/research/{triage}/outcome", "triage outcome"),
        (f"/applications/{active}", "the authorisation"),
        (f"/applications/{active}/court-papers", "court papers"),
        (f"/applications/{active}/renewal", "ask for a renewal"),
        ("/nowhere", "page not found"),
    ]:
        v.goto(path, step=step)

    v.sign_in(people["authoriser"])
    v.goto(f"/authorisations/{waiting}/decide", step="decide")
    v.goto(f"/authorisations/{active}/review", step="review")
    v.goto(f"/authorisations/{active}/cancel", step="cancel")
    v.click("Cancel the authorisation")
    v.step("cancel: nothing answered")
    assert application(app, active).status.value == "active"


def test_tables_reflow_at_320_pixels_instead_of_scrolling_the_page_sideways(
    visit, people, client, app, page
):
    """The central record, the home page and an entry's page: each table's rows become blocks,
    each cell led by its column's heading (Visit.step checks nothing is wider than the page)."""
    active = active_authorisation(client, app, people, "Counterfeit handbags – Market Street")
    submitted_application(client, app, people["officer"], "Puppy farm adverts")
    page.set_viewport_size({"width": 320, "height": 640})
    v = visit("tables-reflow")
    v.sign_in(people["coordinator"])
    for path, step in [
        ("/register/", "central record"),
        ("/register/?sort=urn&order=ascending", "central record by URN"),
        ("/dashboard", "home page"),
        (f"/register/{active}", "central record entry"),
    ]:
        v.goto(path, step=step)
    v.goto("/register/", step="central record again")
    first = page.locator("table.govuk-table tbody tr").first.locator("td").first
    assert first.get_attribute("data-label") == "URN"
    assert page.locator("table.govuk-table thead").first.bounding_box()["width"] <= 1
