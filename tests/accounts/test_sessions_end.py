"""Sessions end on the server: a copied cookie, a disabled account, a changed password (issue 17).

The session is a signed cookie, which cannot be taken back; the account's session generation can.
"""

from __future__ import annotations

import time

from ripa_guard.accounts import totp
from ripa_guard.accounts.models import Role
from tests.conftest import PASSWORD
from tests.helpers import PageClient

NEW_PASSWORD = "a much longer pass phrase"


def _signed_in(app, user) -> PageClient:
    """A browser that signed in through the sign-in page, as a person does."""
    browser = PageClient(app)
    response = browser.post("/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"
    return browser


def _copy_of(app, browser: PageClient) -> PageClient:
    """Another browser holding the same session cookie, as an attacker who copied it would."""
    thief = PageClient(app)
    cookie = browser.client.get_cookie("session")
    thief.client.set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def _refused(browser: PageClient, url: str) -> bool:
    response = browser.get_response(url)
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_copied_session_cookie_stops_working_after_sign_out(app, officer):
    browser = _signed_in(app, officer)
    thief = _copy_of(app, browser)
    assert thief.get_response("/research/").status_code == 200
    browser.client.post("/sign-out", data={"csrf_token": browser.csrf_token()})
    assert _refused(thief, "/research/")


def test_a_disabled_officers_existing_session_is_refused_on_its_next_request(
    app, client, sro, officer
):
    browser = _signed_in(app, officer)
    assert browser.get_response("/research/").status_code == 200
    client.sign_in(sro)
    assert client.post(f"/admin/users/{officer.id}/disable").status_code == 302
    assert _refused(browser, "/research/")
    assert _refused(browser, "/dashboard")


def test_enabling_the_account_again_does_not_revive_its_old_session(app, client, sro, officer):
    browser = _signed_in(app, officer)
    client.sign_in(sro)
    client.post(f"/admin/users/{officer.id}/disable")
    client.post(f"/admin/users/{officer.id}/enable")
    assert _refused(browser, "/research/")


def test_after_a_password_change_another_session_is_refused_and_this_one_goes_on(app, create_user):
    coordinator = create_user(Role.COORDINATOR)
    here = _signed_in(app, coordinator)
    elsewhere = _signed_in(app, coordinator)
    assert elsewhere.get_response("/register/extract.csv").status_code == 200
    response = here.post(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert _refused(elsewhere, "/register/extract.csv")
    assert here.get_response("/register/extract.csv").status_code == 200


def test_a_password_reset_by_the_sro_ends_the_accounts_sessions(app, client, sro, officer):
    browser = _signed_in(app, officer)
    client.sign_in(sro)
    assert client.post(f"/admin/users/{officer.id}/reset-password").status_code == 200
    assert _refused(browser, "/research/")


def test_setting_up_a_second_step_ends_the_accounts_other_sessions(app, authoriser):
    here = _signed_in(app, authoriser)
    elsewhere = _signed_in(app, authoriser)
    page = here.get("/account/two-step")
    secret = page.select_one("#totp-secret").get_text().replace(" ", "")
    code = totp.code_at(secret, time.time())
    assert here.post("/account/two-step", {"code": code, "password": PASSWORD}).status_code == 302
    assert _refused(elsewhere, "/dashboard")
    assert here.get_response("/dashboard").status_code == 200
