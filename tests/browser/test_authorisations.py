"""After the officer: the authorising officer's decisions, the magistrate and the court papers,
and then the authorisation's life: a review, a renewal and a cancellation."""

from __future__ import annotations

from ripa_guard.core import clock
from ripa_guard.law import decision_rules
from ripa_guard.law.decision_rules import Statements
from tests.journeys import STATEMENTS

from .cases import active_authorisation, approved_application, now_hhmm, submitted_application
from .visit import Visit, choose, fill_date


def status(v: Visit) -> str:
    return v.page.locator(".govuk-summary-list__row", has_text="Status").locator("dd").inner_text()


def fill_statements(page) -> None:
    """The authorising officer's own statements, typed into the decision form."""
    for name, text in STATEMENTS.as_dict().items():
        page.get_by_label(decision_rules.element(name).question).fill(text)


def test_authorising_officer_refuses_one_application_and_approves_another(
    visit, people, client, app
):
    submitted_application(client, app, people["officer"], "Puppy farm adverts – Lakey Hill")
    submitted_application(client, app, people["officer"], "Counterfeit handbags – Market Street")
    v = visit("authorising-officer-decides")
    page = v.page
    v.sign_in(people["authoriser"])
    v.click_link("Decisions")
    v.step("awaiting your decision")

    v.click_link("Puppy farm adverts – Lakey Hill")
    v.step("decide: the first application")
    v.click("Record the decision")
    v.step("decide: nothing answered")
    v.expect_error(
        "Select your decision",
        "Select whether you are directly involved in the investigation",
    )
    choose(page, "Your decision", "Refuse")
    page.get_by_label("Your reasons").fill(
        "Not proportionate: a test purchase and a warning letter have not been tried."
    )
    choose(page, "Are you directly involved in this investigation?", "No")
    v.click("Record the decision")
    v.step("the refused application")
    assert status(v) == "Refused by authorising officer"

    v.click_link("Decisions")
    v.step("awaiting your decision: one left")
    v.click_link("Counterfeit handbags – Market Street")
    v.step("decide: the second application")
    choose(page, "Your decision", "Approve")
    page.get_by_label("Your reasons").fill("Necessary: online-only trade. Proportionate.")
    choose(page, "Are you directly involved in this investigation?", "No")
    v.click("Record the decision")
    v.step("decide: approved without saying what, or why in their own words")
    v.expect_error(
        "Say what you authorise",
        *(element.needed for element in decision_rules.ELEMENTS),
        decision_rules.OFFENCES_GENUINE_NEEDED,
    )
    choose(page, decision_rules.OFFENCES_GENUINE_QUESTION, "Yes")
    page.get_by_label("What do you authorise?").fill(
        "Viewing the Bargain Bags Facebook and Instagram pages twice a week for six weeks."
    )
    fill_statements(page)
    page.get_by_label(decision_rules.element("necessity").question).fill("I agree")
    v.click("Record the decision")
    v.step("decide: a bare agreement is refused")
    v.expect_error(decision_rules.statement_problems(Statements(necessity="I agree"))["necessity"])
    fill_statements(page)
    v.click("Record the decision")
    v.step("the approved application")
    assert status(v) == "Awaiting magistrate"


def test_coordinator_prints_the_court_papers_and_records_the_magistrates_approval(
    visit, people, client, app
):
    application_id = approved_application(client, app, people, "Counterfeit handbags")
    v = visit("coordinator-records-the-court")
    page = v.page
    v.sign_in(people["coordinator"])
    page.get_by_role("table", name="Awaiting a magistrate's approval").get_by_role(
        "link", name="Counterfeit handbags"
    ).click()
    v.step("the application")
    v.click_link("Papers for the court")
    v.step("court papers", readme="court-papers.png")

    # Printed: the browser's print of the page, and the PDF the service makes.
    out = v.shots
    page.emulate_media(media="print")
    page.screenshot(path=out / "court-papers-as-printed.png", full_page=True)
    assert not page.locator(".govuk-service-navigation").is_visible(), "menus are printed"
    page.pdf(path=out / "court-papers-printed-by-the-browser.pdf")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        v.click("Download the papers as a PDF")
    pdf = out / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF"), "the download is not a PDF"

    v.click_link("Back to the application")
    v.step("the application again")
    v.click_link("Record the magistrate's decision")
    v.step("record the magistrate's decision")
    v.click("Record the court's decision")
    v.step("the magistrate's decision: nothing entered")
    v.expect_error(
        "Enter the name of the court",
        "Enter the date of the hearing",
        "Enter the magistrate's name",
        "Select the magistrate's decision",
        "Enter the date of the decision",
        "Enter the time of the decision",
    )
    today = clock.today()
    page.get_by_label("Magistrates' court").fill("Borchester Magistrates' Court")
    fill_date(page, "Date of the hearing", today)
    page.get_by_label("Name of the justice of the peace or district judge").fill("A. N. Justice JP")
    choose(page, "The magistrate's decision", "Approved")
    group = page.get_by_role("group", name="Date of the decision", exact=True)
    group.get_by_label("Day").fill("31")
    group.get_by_label("Month").fill("2")
    group.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Time of the decision").fill("half past two")
    v.click("Record the court's decision")
    v.step("the magistrate's decision: not a real date or time")
    v.expect_error("The date of the decision must be a real date", "Enter a time like 14:30")
    fill_date(page, "Date of the decision", today)
    page.get_by_label("Time of the decision").fill(now_hhmm())
    v.click("Record the court's decision")
    v.step("the authorisation in effect")
    assert status(v) == "In force"
    assert f"/applications/{application_id}" in page.url


def test_review_renewal_and_cancellation(visit, people, client, app):
    application_id = active_authorisation(client, app, people, "Counterfeit handbags")
    v = visit("review-renewal-cancellation")
    page = v.page
    url = f"/applications/{application_id}"

    # The authorising officer reviews it and lets it continue.
    v.sign_in(people["authoriser"])
    v.goto(url, step="the authorisation")
    v.click_link("Review")
    v.step("review")
    v.click("Record the review")
    v.step("review: nothing answered")
    v.expect_error("Select the result of the review", "Enter the reasons for your review")
    choose(page, "Result of the review", "Continue: still necessary and proportionate")
    page.get_by_label("Your reasons").fill("Listings still appear weekly; no collateral intrusion.")
    v.click("Record the review")
    v.step("reviewed")

    # The officer asks for a renewal.
    v.sign_in(people["officer"])
    v.goto(url, step="the authorisation, as the officer sees it")
    v.click_link("Ask for a renewal")
    v.step("ask for a renewal")
    v.click("Ask for a renewal")
    v.step("ask for a renewal: nothing answered")
    v.expect_error(
        "Explain why the surveillance needs to continue",
        "Describe what the surveillance has obtained so far",
    )
    page.get_by_label("Why does the surveillance need to continue?").fill(
        "The seller has moved to a new page; the scale of trade is not yet clear."
    )
    page.get_by_label("What has the surveillance obtained so far?").fill(
        "Captures of 40 listings over six weeks."
    )
    v.click("Ask for a renewal")
    v.step("renewal asked for")

    # The authorising officer approves the renewal.
    v.sign_in(people["authoriser"])
    v.click_link("Decisions")
    v.step("awaiting your decision: the renewal")
    v.click_link("Renewal 1: Counterfeit handbags")
    v.step("decide on the renewal")
    choose(page, "Your decision on the renewal", "Approve the renewal")
    page.get_by_label("What do you authorise?").fill("Viewing the seller's new page twice a week.")
    fill_statements(page)
    choose(page, "Are you directly involved in this investigation?", "No")
    v.click("Record the decision")
    v.step("renewal approved")

    # The coordinator records the magistrate's approval of the renewal.
    v.sign_in(people["coordinator"])
    v.goto(url, step="the authorisation, as the coordinator sees it")
    v.click_link("Record the magistrate's decision on renewal 1")
    v.step("record the magistrate's decision on the renewal")
    today = clock.today()
    page.get_by_label("Magistrates' court").fill("Borchester Magistrates' Court")
    fill_date(page, "Date of the hearing", today)
    page.get_by_label("Name of the justice of the peace or district judge").fill("A. N. Justice JP")
    choose(page, "The magistrate's decision", "Approved")
    fill_date(page, "Date of the decision", today)
    page.get_by_label("Time of the decision").fill(now_hhmm())
    v.click("Record the court's decision")
    v.step("renewed")
    renewals = page.get_by_role("table", name="Renewals")
    assert "Approved" in renewals.inner_text()

    # The authorising officer cancels it.
    v.sign_in(people["authoriser"])
    v.goto(url, step="the renewed authorisation")
    v.click_link("Cancel the authorisation")
    v.step("cancel")
    v.click("Cancel the authorisation")
    v.step("cancel: nothing answered")
    v.expect_error(
        "Explain why the authorisation is being cancelled",
        "Describe what the surveillance obtained",
        "Say what will happen to the material obtained",
        "Enter the date the officers were told to stop",
        "Enter the time the officers were told to stop",
    )
    page.get_by_label("Why is it being cancelled?").fill("The seller has been identified.")
    page.get_by_label("What did the surveillance obtain?").fill("Captures of 52 listings.")
    page.get_by_label("What will happen to the material obtained?").fill(
        "Kept on the case file until the prosecution ends, then reviewed."
    )
    fill_date(page, "Date the officers were told to stop", today)
    page.get_by_label("Time they were told to stop").fill(now_hhmm())
    v.click("Cancel the authorisation")
    v.step("cancelled")
    assert status(v) == "Cancelled"
