"""An officer's own account: signing out a session left open elsewhere, a second step, and
recovery codes. axe checks every page (Visit.step)."""

from __future__ import annotations

import time

from ripa_guard.accounts import totp
from tests.conftest import PASSWORD
from tests.helpers import PageClient


def _password_if_asked(page) -> None:
    """The password is asked again only when it was given more than a few minutes ago."""
    asked = page.get_by_label("Your password")
    if asked.count():
        asked.fill(PASSWORD)


def test_an_officer_signs_out_a_session_left_open_elsewhere(visit, people, app, page):
    officer = people["officer"]
    elsewhere = PageClient(app)  # signed in on another computer, through the sign-in page
    elsewhere.post("/sign-in", {"email": officer.email, "password": PASSWORD})
    v = visit("account-sessions")
    v.sign_in(officer)
    v.goto("/account", step="your account")
    v.click_link("Your active sessions")
    v.step("your active sessions: two")
    rows = page.locator("table.govuk-table tbody tr")
    assert rows.count() == 2
    v.click("Sign out everywhere else")
    v.step("your active sessions: only this one")
    assert rows.count() == 1 and "This session" in rows.first.inner_text()
    assert elsewhere.client.get("/dashboard").headers["Location"].startswith("/sign-in")


def test_an_officer_sets_up_a_second_step_and_makes_recovery_codes(visit, people, page):
    v = visit("account-recovery-codes")
    v.sign_in(people["officer"])
    v.goto("/account", step="your account")
    v.click_link("Set up a second step with an authenticator app")
    v.step("set up a second step")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(totp.code_at(secret, time.time()))
    _password_if_asked(page)
    v.click("Continue")
    v.step("second step set up")

    v.goto("/account", step="your account: with a second step")
    v.click_link("Recovery codes")
    v.step("recovery codes")
    _password_if_asked(page)
    v.click("Make new recovery codes")
    v.step("recovery codes: shown once")
    assert page.locator("#recovery-codes li").count() == 10
    v.click_link("Back to your account")
    v.step("your account: ten codes")
    assert "You have 10 unused recovery codes" in page.locator("main").inner_text()
