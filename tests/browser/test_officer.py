"""An investigating officer plans online research, applies for an authorisation and submits it."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.journeys import APPLICATION, MONITOR_SELLER, OFFENCES

from .keyboard import Keyboard
from .visit import answer

#: The label of the facts on the offences page.
FACTS = "The facts for each element of the offence"
SUBJECT = {
    "Name of the person or organisation": "Bargain Bags (trading name)",
    "Anything else that identifies them (optional)": "Seller at Market Street, Borchester",
    "Profiles or pages to be viewed": "https://www.facebook.com/bargainbags.example\n"
    "https://instagram.com/bargainbags.example",
}


def test_officer_triages_applies_and_submits(visit, people, app):
    officer = people["officer"]
    v = visit("officer-applies")
    page = v.goto("/sign-in", step="sign in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password", exact=True).fill("not my password")
    v.click("Sign in")
    v.step("sign in: wrong password")
    v.expect_error(
        "Enter a correct email address and password. After 5 attempts that fail, wait 15 "
        "minutes before you try again"
    )
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    v.click("Sign in")
    v.user = officer
    v.step("home")

    page.get_by_role("button", name="Start now").click()
    v.step("plan online research")
    v.click("Continue")
    v.step("plan online research: no name")
    v.expect_error("Enter a short name for the research")
    page.get_by_label("Give the research a short name").fill(
        "Counterfeit handbags – Market Street seller"
    )
    v.click("Continue")

    triage = app.extensions["ripa_guard.forms"]["triage"]
    for n, form_page in enumerate(triage.pages):
        v.step(f"triage: {form_page.title}", readme="triage-question.png" if n == 1 else None)
        if n == 0:
            v.click("Continue")
            v.step(f"triage: {form_page.title}: nothing answered")
            v.expect_error(*[q.error for q in form_page.questions if q.required])
        for question in form_page.questions:
            answer(page, question, MONITOR_SELLER.get(question.name, ""))
        if n == 0:
            # Called away: save, come back through "Your research", and pick up where they were.
            v.click("Save and come back later")
            v.step("your research plans")
            v.click_link("Counterfeit handbags – Market Street seller")
            v.step("triage: check your answers: questions not answered")
            assert page.locator(".govuk-error-summary__title").inner_text() == (
                "Some questions are not answered"
            )
            page.locator(".govuk-error-summary__list a").first.click()
            continue
        v.click("Continue")

    v.step("triage: check your answers")
    v.click("Get the outcome")
    v.step("triage: outcome", readme="triage-outcome.png")
    assert page.locator("h1").inner_text() == "Directed surveillance: you need an authorisation"
    v.click("Start the application")

    application = app.extensions["ripa_guard.forms"]["application"]
    for n, form_page in enumerate(application.pages):
        v.step(f"application: {form_page.title}")
        if form_page.slug == "subjects":
            v.click("Add subject")
            v.step("application: subjects: nothing entered")
            v.expect_error(
                "Enter the name or a description of the subject", "Enter at least one web address"
            )
            for label, value in SUBJECT.items():
                page.get_by_label(label, exact=True).fill(value)
            v.click("Add subject")
            v.step("application: subject added")
            v.click_link("Continue")
            continue
        if form_page.slug == "offences":
            # The triage's offence is chosen already, waiting for the facts of its elements.
            page.get_by_label(FACTS, exact=True).fill(OFFENCES[0][1])
            v.click("Add offence")
            v.step("application: offence facts given")
            v.click_link("Continue")
            continue
        if n == 0:
            # The investigation's title is filled in from the research plan's name.
            unanswered = [
                q.error
                for q in form_page.questions
                if q.required and not page.get_by_label(q.label, exact=True).input_value()
            ]
            v.click("Save and continue")
            v.step(f"application: {form_page.title}: nothing answered")
            v.expect_error(*unanswered)
        for question in form_page.questions:
            answer(page, question, APPLICATION.get(question.name, ""))
        v.click("Save and continue")

    v.step("application: check your application")
    v.click("Submit for a decision")
    v.step("application submitted")
    urn = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"RIPA/\d{4}/\d{4}", urn), urn
    v.click_link("View the application")
    v.step("the application")
    assert page.locator(".govuk-tag", has_text="Awaiting decision").first.is_visible()


def test_officer_applies_with_the_keyboard_alone(visit, people, app):
    officer = people["officer"]
    v = visit("officer-applies-keyboard")
    keys = Keyboard(v.page)
    offences = app.extensions["ripa_guard.offences"]
    v.goto("/sign-in", step="sign in")
    keys.type_into("Email address", officer.email)
    keys.type_into("Password", PASSWORD)
    keys.press_button("Sign in")
    v.user = officer
    v.step("home")
    keys.press(v.page.get_by_role("button", name="Start now"), "Start now")
    v.step("plan online research")
    keys.type_into("Give the research a short name", "Market Street seller")
    keys.press_button("Continue")

    for form_page in app.extensions["ripa_guard.forms"]["triage"].pages:
        v.step(f"triage: {form_page.title}")
        for question in form_page.questions:
            keyboard_answer(keys, question, MONITOR_SELLER.get(question.name, ""), offences)
        keys.press_button("Continue")
    v.step("triage: check your answers")
    keys.press_button("Get the outcome")
    v.step("triage: outcome")
    keys.press_button("Start the application")

    for form_page in app.extensions["ripa_guard.forms"]["application"].pages:
        v.step(f"application: {form_page.title}")
        if form_page.slug == "subjects":
            for label, value in SUBJECT.items():
                keys.type_into(label, value)
            keys.press_button("Add subject")
            v.step("application: subject added")
            keys.follow_link("Continue")
            continue
        if form_page.slug == "offences":
            keys.type_into(FACTS, OFFENCES[0][1])
            keys.press_button("Add offence")
            v.step("application: offence facts given")
            keys.follow_link("Continue")
            continue
        for question in form_page.questions:
            keyboard_answer(keys, question, APPLICATION.get(question.name, ""), offences)
        keys.press_button("Save and continue")

    v.step("application: check your application")
    keys.press_button("Submit for a decision")
    v.step("application submitted")
    assert v.page.locator(".govuk-panel__title").inner_text() == "Application submitted"


def keyboard_answer(keys: Keyboard, question, value: str, offences: dict) -> None:
    if not value:
        return
    if question.kind == "radios":
        keys.choose(question.label, next(c.label for c in question.choices if c.value == value))
    elif question.kind == "offence":
        keys.pick(question.label, offences[value].title)
    else:
        keys.type_into(question.label, value)
