"""Signing in and out, one-time passwords, CSRF."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.helpers import error_messages


def _sign_in(client, email, password, next_url=""):
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"email": email, "password": password})


def test_officer_signs_in_and_reaches_the_dashboard(client, officer):
    response = _sign_in(client, officer.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard")
    assert page.h1.get_text(strip=True) == "Olive Officer"


def test_wrong_password_and_unknown_email_get_the_same_message(client, officer):
    wrong_password = client.post_page(
        "/sign-in", {"email": officer.email, "password": "nope nope nope"}
    )
    unknown_email = client.post_page(
        "/sign-in", {"email": "nobody@example.gov.uk", "password": PASSWORD}
    )
    assert error_messages(wrong_password) == error_messages(unknown_email)
    assert error_messages(wrong_password)["password"].startswith(
        "Enter a correct email address and password"
    )
    assert wrong_password.select_one("input[name=email]")["value"] == officer.email


def test_disabled_account_cannot_sign_in(client, create_user, app):
    from ripa_guard.accounts.models import User
    from ripa_guard.core import db

    user = create_user()
    with app.app_context():
        db.session().get(User, user.id).active = False
        db.session().commit()
    page = client.post_page("/sign-in", {"email": user.email, "password": PASSWORD})
    assert "Enter a correct email address and password" in page.get_text()


def test_empty_sign_in_says_what_is_missing(client):
    page = client.post_page("/sign-in", {"email": "", "password": ""})
    assert error_messages(page) == {
        "email": "Enter your email address",
        "password": "Enter your password",
    }
    assert page.title.string.startswith("Error: ")


def test_post_without_csrf_token_is_refused(client, officer):
    response = client.post("/sign-in", {"email": officer.email, "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "session has expired" in response.get_data(as_text=True)


def test_sign_in_never_redirects_to_another_site(client, officer):
    response = _sign_in(client, officer.email, PASSWORD, next_url="//evil.example/")
    assert response.headers["Location"] == "/dashboard"
    client.sign_out()
    response = _sign_in(client, officer.email, PASSWORD, next_url="/research/")
    assert response.headers["Location"] == "/research/"


@pytest.mark.parametrize(
    "next_url",
    [
        "/%09/evil.example",  # a tab, which browsers drop: //evil.example
        "/%0a/x",  # a line break: a 500 before
        "/%0d%0a/evil.example",
        "/%5Cevil.example",  # a backslash, which browsers read as a slash
        "/%20/evil.example",
        "https://evil.example/",
        "https:/evil.example/",
        "/%2F/evil.example",
        "/no-such-page",
        "/sign-out",  # a route, but not a page to land on: signing out is a POST
        "javascript:alert(1)",
        "/research/%01",
    ],
)
def test_sign_in_goes_only_to_a_page_of_this_app(client, officer, next_url):
    response = _sign_in(client, officer.email, PASSWORD, next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize("next_url", ["/research/", "/research/?page=2", "/research"])
def test_sign_in_returns_to_the_page_asked_for(client, officer, next_url):
    response = _sign_in(client, officer.email, PASSWORD, next_url=next_url)
    assert response.headers["Location"] == next_url


def test_one_time_password_must_be_changed_before_anything_else(client, create_user):
    user = create_user(must_change_password=True)
    _sign_in(client, user.email, PASSWORD)
    response = client.get_response("/research/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    page = client.post_page(
        "/account/password",
        {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    assert error_messages(page)["new_password"] == "Enter a password of at least 12 characters"
    response = client.post(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "a much longer pass phrase",
            "confirm_password": "a much longer pass phrase",
        },
    )
    assert response.status_code == 302
    assert client.get_response("/research/").status_code == 200
    client.sign_out()
    assert (
        _sign_in(client, user.email, "a much longer pass phrase").headers["Location"]
        == "/dashboard"
    )


def test_wrong_current_password_does_not_change_it(client, create_user):
    user = create_user(must_change_password=True)
    client.sign_in(user)
    page = client.post_page(
        "/account/password",
        {
            "current_password": "not my password",
            "new_password": "a much longer pass phrase",
            "confirm_password": "a much longer pass phrase",
        },
    )
    assert error_messages(page)["current_password"] == "Your current password is not correct"


def test_passwords_are_stored_hashed_with_scrypt(create_user, app):
    from ripa_guard.accounts.models import User
    from ripa_guard.core import db

    user = create_user()
    with app.app_context():
        stored = db.session().get(User, user.id).password_hash
    assert stored.startswith("scrypt:") and PASSWORD not in stored


def test_sign_out_ends_the_session(client, officer):
    client.sign_in(officer)
    client.sign_out()
    response = client.get_response("/research/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_signing_out_is_a_button_posting_its_token_and_a_get_signs_nobody_out(client, officer):
    """An image or a link on another site pointing at /sign-out cannot end a session."""
    client.sign_in(officer)
    page = client.get("/dashboard")
    form = page.select_one("form[action='/sign-out']")
    assert form["method"] == "post" and form.find("input", {"name": "csrf_token"})
    assert form.find("button").get_text(strip=True) == "Sign out"
    assert not page.find("a", string="Sign out")
    assert client.get_response("/sign-out").status_code == 405
    assert client.get_response("/dashboard").status_code == 200
    assert client.post("/sign-out", csrf=False).status_code == 400
    assert client.get_response("/dashboard").status_code == 200


def test_pages_carry_security_headers(client):
    response = client.get_response("/sign-in")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
