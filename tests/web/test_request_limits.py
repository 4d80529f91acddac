"""What a request may be: not too large, and addressed to the service's own name."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import json

import pytest

from tests.helpers import check_page
from tests.viewing.test_viewing_api import make_token
from tests.viewing_setup import CASE, PROFILE_URL, SUBJECT, case_of_token

SERVICE_HOST = "ripa.borsetshire.example.gov.uk"
CHECK = {
    "url": PROFILE_URL,
    "investigation": CASE,
    "subject": SUBJECT,
    "purpose": "Check for new listings",
    "captured": False,
}


@pytest.fixture
def settings(app):
    """Change the app's settings for one test, and put them back after."""
    saved = dict(app.config)
    yield app.config
    app.config.clear()
    app.config.update(saved)


def test_a_form_too_large_gets_a_page_saying_so(client, officer):
    client.sign_in(officer)
    response = client.client.post(
        "/research/new", data={"title": "x" * (3 * 1024 * 1024)}, follow_redirects=False
    )
    assert response.status_code == 413
    page = check_page(response.get_data(as_text=True))
    assert page.h1.get_text(strip=True) == "What you sent is too large"
    assert "Nothing was saved" in page.get_text()


def test_a_multipart_field_over_the_form_memory_limit_is_refused_too(client, officer, settings):
    # Werkzeug holds each multipart field in memory: MAX_FORM_MEMORY_SIZE bounds each one.
    settings.update(MAX_CONTENT_LENGTH=4 * 1024 * 1024, MAX_FORM_MEMORY_SIZE=64 * 1024)
    client.sign_in(officer)
    response = client.client.post(
        "/research/new",
        data={"title": "x" * (100 * 1024)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_a_json_body_too_large_gets_a_json_413(client, app, officer, facebook_profile):
    token = make_token(app, officer)
    body = {**CHECK, "purpose": "p" * (3 * 1024 * 1024)}
    response = client.client.post(
        "/api/v1/viewings",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
    assert response.mimetype == "application/json"
    assert "too large" in response.get_json()["error"]


# Trusted hosts ----------------------------------------------------------------------------------


def test_a_forged_host_cannot_steer_the_apis_addresses(
    client, app, officer, facebook_profile, settings
):
    settings["TRUSTED_HOSTS"] = [SERVICE_HOST]
    token = make_token(app, officer)
    check = {**CHECK, "investigation": case_of_token(app, token)}

    forged = client.client.post(
        "/api/v1/checks",
        json=check,
        headers={"Authorization": f"Bearer {token}", "Host": "evil.example"},
    )
    assert forged.status_code == 400
    assert forged.mimetype == "application/json"
    assert "evil.example" not in forged.get_data(as_text=True)

    response = client.client.post(
        "/api/v1/checks",
        json=check,
        headers={"Authorization": f"Bearer {token}", "Host": SERVICE_HOST},
    )
    assert response.status_code == 200
    assert response.get_json()["log_with"] == f"http://{SERVICE_HOST}/api/v1/viewings"


def test_a_forged_host_gets_a_page_not_a_crash(client, settings):
    settings["TRUSTED_HOSTS"] = [SERVICE_HOST]
    response = client.client.get("/sign-in", headers={"Host": "evil.example"})
    assert response.status_code == 400
    page = check_page(response.get_data(as_text=True))
    assert "evil.example" not in page.get_text()
    assert client.client.get("/sign-in", headers={"Host": SERVICE_HOST}).status_code == 200
