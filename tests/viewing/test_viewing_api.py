"""The JSON API for tools: a per-user token, "may I view this now?", and the viewing logged."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from ripa_guard.accounts.models import User
from ripa_guard.core import db
from ripa_guard.viewing import tokens
from ripa_guard.viewing.models import Channel, Stop
from tests.journeys import application
from tests.viewing_setup import (
    CASE,
    PROFILE_URL,
    SUBJECT,
    at,
    attempts,
    case_of_token,
    is_case_reference,
    viewings,
)

API = "/api/v1/viewings"


def ask(client, token, **overrides):
    body = {
        "url": PROFILE_URL,
        "investigation": CASE,
        "subject": SUBJECT,
        "purpose": "Check for new listings",
        "captured": False,
        **overrides,
    }
    if is_case_reference(body["investigation"]) and token:
        # A case named by its reference is sent as the id of the officer's investigation.
        body["investigation"] = case_of_token(client.app, token, body["investigation"])
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.client.post(API, json=body, headers=headers)


def make_token(app, user, name="Browser extension") -> str:
    with app.app_context():
        s = db.session()
        _token, raw = tokens.issue_token(s, s.get(User, user.id), name)
        return raw


@pytest.fixture
def token(app, officer, facebook_profile) -> str:
    return make_token(app, officer)


# Who may ask ------------------------------------------------------------------------------------


def assert_unauthorised(response):
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert "token" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_token_is_401(client, token):
    assert_unauthorised(ask(client, None))


@pytest.mark.parametrize(
    "header", ["Bearer rgv_not-a-real-token", "Bearer ", "Basic b2xpdmU6eA==", "rgv_x"]
)
def test_a_wrong_token_is_401(client, token, header):
    response = client.client.post(API, json={}, headers={"Authorization": header})
    assert_unauthorised(response)
    assert viewings(client.app) == [] and attempts(client.app) == []


def test_a_revoked_token_is_401(client, app, officer, token):
    assert ask(client, token).status_code == 201
    client.sign_in(officer)
    page = client.get("/viewings/tokens")
    revoke = page.select_one("form[action$='/revoke']")["action"]
    assert client.post(revoke, {}).status_code == 302
    assert_unauthorised(ask(client, token, url="https://www.instagram.com/other.example"))
    assert "Revoked" in client.get("/viewings/tokens").get_text()


def test_a_disabled_officers_token_is_401(client, app, officer, token):
    with app.app_context():
        user = db.session().get(User, officer.id)
        user.active = False
        db.session().commit()
    assert_unauthorised(ask(client, token))


def test_the_sign_in_cookie_is_not_a_token(client, officer, token):
    client.sign_in(officer)
    assert_unauthorised(ask(client, None))


def test_an_officer_makes_a_token_and_sees_it_once(client, app, officer, facebook_profile):
    client.sign_in(officer)
    response = client.post("/viewings/tokens", {"name": "Case system"})
    from tests.helpers import check_page

    page = check_page(response.get_data(as_text=True))
    raw = page.select_one(".govuk-panel code").get_text(strip=True)
    assert raw.startswith("rgv_")
    assert raw not in client.get("/viewings/tokens").get_text()
    assert ask(client, raw).status_code == 201
    with app.app_context():
        from ripa_guard.viewing.models import ApiToken

        stored = db.session().query(ApiToken).one()
        assert stored.token_hash != raw and raw not in stored.token_hash


# The answers ------------------------------------------------------------------------------------


def test_a_first_viewing_is_allowed_and_logged(client, app, token, facebook_profile):
    response = ask(client, token)
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["allowed"] is True
    assert answer["decision"] == "initial_research"
    assert answer["profile"] == {
        "platform": "Facebook",
        "identity": "facebook:bargainbagsexample",
        "label": "Facebook: bargainbagsexample",
    }
    assert "paras 3.10 to 3.17" in answer["citation"]
    [logged] = viewings(app)
    assert answer["viewing"]["id"] == logged.id
    assert response.headers["Location"].endswith(f"/viewings/{logged.id}")
    assert logged.channel == Channel.API and logged.api_token_id is not None
    assert logged.research_profile_id == facebook_profile  # the officer's only one


def test_a_repeat_is_blocked_with_the_way_to_an_authorisation(client, app, token, other_officer):
    assert ask(client, token).status_code == 201
    other = make_token(app, other_officer)
    response = ask(client, other, url="https://m.facebook.com/BargainBags.Example/?ref=share")
    assert response.status_code == 403
    answer = response.get_json()
    assert answer["allowed"] is False and answer["decision"] == "blocked"
    assert "by Olive Officer" in answer["reason"]
    assert answer["start_triage"].endswith("/research/new")
    [stopped] = attempts(app)
    assert stopped.outcome == Stop.BLOCKED and answer["attempt"]["id"] == stopped.id


@pytest.mark.parametrize(
    "moment, status, decision, refusal",
    [
        ((2026, 3, 4, 23, 59, 59), 403, "refused", "before_effect"),
        ((2026, 3, 5, 0, 0, 0), 201, "authorised", None),
        ((2026, 6, 4, 23, 59, 59), 201, "authorised", None),
        ((2026, 6, 5, 0, 0, 0), 403, "refused", "after_last_day"),
    ],
)
def test_under_an_authorisation_around_its_first_and_last_day(
    client, app, active, token, moment, status, decision, refusal
):
    with at(*moment):
        response = ask(client, token)
    answer = response.get_json()
    assert response.status_code == status
    assert answer["decision"] == decision and answer["refusal"] == refusal
    assert answer["urn"] == application(app, active).urn


def test_a_profile_the_authorisation_does_not_cover_is_refused(client, app, active, token):
    with at(2026, 4, 1):
        response = ask(client, token, url="https://www.facebook.com/supplier.example")
    assert response.status_code == 403
    assert response.get_json()["refusal"] == "not_covered"


def test_the_research_profile_may_be_named(
    client, app, officer, sro, research_browser, facebook_profile
):
    raw = make_token(app, officer)
    missing = ask(client, raw)
    assert missing.status_code == 400
    assert "research_profile" in missing.get_json()["fields"]
    assert ask(client, raw, research_profile="TS research laptop 3").status_code == 201
    listed = client.client.get(
        "/api/v1/research-profiles", headers={"Authorization": f"Bearer {raw}"}
    ).get_json()["research_profiles"]
    assert {p["name"] for p in listed} == {"TS research laptop 3", "borsetshire.ts.research3"}


# Bad requests: always JSON, never a 500 ------------------------------------------------------------


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("{not json", "application/json"),
        ("", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"a string"', "application/json"),
        ("url=https://x.example", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
    ],
)
def test_bad_json_is_400_with_a_json_body(client, token, body, content_type):
    response = client.client.post(
        API, data=body, content_type=content_type, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert "JSON object" in response.get_json()["error"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"url": ""}, "url"),
        ({"url": 12}, "url"),
        ({"url": "https://bit.ly/abc"}, "url"),
        ({"url": "https://www.facebook.com/"}, "url"),
        ({"investigation": None}, "investigation"),
        ({"investigation": "///"}, "investigation"),
        ({"investigation": "x" * 101}, "investigation"),
        ({"subject": ["a"]}, "subject"),
        ({"purpose": {"a": 1}}, "purpose"),
        ({"captured": "no"}, "captured"),
        ({"captured": True}, "capture_location"),
        ({"research_profile": 99999}, "research_profile"),
        ({"research_profile": True}, "research_profile"),
    ],
)
def test_missing_or_wrong_fields_are_400_naming_the_field(client, app, token, overrides, field):
    response = ask(client, token, **overrides)
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["fields"]
    assert viewings(app) == [] and attempts(app) == []


def test_errors_under_the_api_are_json_not_pages(client, token):
    missing = client.client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.get_json() == {"error": "Page not found"}
    wrong_method = client.client.get(API)
    assert wrong_method.status_code == 405 and wrong_method.mimetype == "application/json"


def test_a_viewing_asked_for_by_a_tool_shows_in_the_officers_log(client, officer, token):
    ask(client, token)
    client.sign_in(officer)
    page = client.get("/viewings/")
    assert "Facebook: bargainbagsexample" in page.get_text()
    logged = page.select_one("table a")["href"]
    assert "A tool, through the API" in client.get(logged).get_text()


def test_control_characters_are_dropped_as_the_web_forms_drop_them(client, app, token):
    response = ask(
        client,
        token,
        url="https://www.facebook.com/bargain\x00bags.example",
        subject="Bargain\x00 Bags\x1b",
        purpose="Check\x00",
    )
    assert response.status_code == 201, response.get_json()
    [logged] = viewings(app)
    assert logged.url == PROFILE_URL
    assert "\x00" not in logged.subject + logged.purpose + logged.identity
