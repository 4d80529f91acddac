"""Ask before looking: POST /api/v1/checks gives the answer logging would give, and writes
nothing (issue 15, item 4)."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from ripa_guard.viewing.models import Investigation
from tests.journeys import application
from tests.viewing.test_viewing_api import make_token
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

CHECKS = "/api/v1/checks"
VIEWINGS = "/api/v1/viewings"
#: What a check and a log both answer with.
SAME = ("allowed", "decision", "reason", "citation", "urn", "refusal", "profile")


def send(client, path, token, **overrides):
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
    return client.client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})


def written(app) -> tuple[int, int, int, int]:
    """(viewings, attempts, audit events, investigations): what a check must leave alone."""
    with app.app_context():
        s = db.session()
        return (
            len(viewings(app)),
            len(attempts(app)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
            s.scalar(select(func.count()).select_from(Investigation)),
        )


def check_then_log(client, app, token, **overrides):
    """The check's answer, proved to write nothing, and then the log's answer to the same."""
    named = overrides.get("investigation", CASE)
    if isinstance(named, str):
        overrides["investigation"] = case_of_token(app, token, named)
    before = written(app)
    checked = send(client, CHECKS, token, **overrides)
    assert written(app) == before
    logged = send(client, VIEWINGS, token, **overrides)
    return checked, logged


def assert_same_answer(checked, logged):
    a, b = checked.get_json(), logged.get_json()
    assert {k: a[k] for k in SAME} == {k: b[k] for k in SAME}
    assert a["logged"] is False and "viewing" not in a and "attempt" not in a


@pytest.fixture
def token(app, officer, facebook_profile) -> str:
    return make_token(app, officer)


def test_a_check_for_initial_research_answers_as_logging_does(client, app, token):
    checked, logged = check_then_log(client, app, token)
    assert checked.status_code == 200 and logged.status_code == 201
    assert checked.get_json()["decision"] == "initial_research"
    assert "paras 3.10 to 3.17" in checked.get_json()["citation"]
    assert checked.get_json()["log_with"].endswith("/api/v1/viewings")
    assert_same_answer(checked, logged)


def test_a_check_of_a_repeat_is_blocked_as_logging_would_be(client, app, token, other_officer):
    assert send(client, VIEWINGS, token).status_code == 201
    other = make_token(app, other_officer)
    checked, logged = check_then_log(client, app, other)
    assert checked.status_code == 403 and logged.status_code == 403
    assert checked.get_json()["decision"] == "blocked"
    assert "by Olive Officer" in checked.get_json()["reason"]
    assert checked.get_json()["start_triage"].endswith("/research/new")
    assert_same_answer(checked, logged)
    assert len(attempts(app)) == 1  # the log's, not the check's


def test_a_check_outside_the_authorisation_is_refused_as_logging_would_be(
    client, app, active, token
):
    with at(2026, 6, 5):
        checked, logged = check_then_log(client, app, token)
    assert checked.status_code == 403 and logged.status_code == 403
    assert checked.get_json()["refusal"] == "after_last_day"
    assert checked.get_json()["urn"] == application(app, active).urn
    assert_same_answer(checked, logged)


def test_a_check_under_the_authorisation_is_allowed_and_writes_nothing(client, app, active, token):
    with at(2026, 4, 1):
        checked, logged = check_then_log(client, app, token)
    assert checked.status_code == 200 and checked.get_json()["decision"] == "authorised"
    assert_same_answer(checked, logged)


def test_checking_many_times_never_makes_a_viewing_count(client, app, token, other_officer):
    case_of_token(app, token)
    before = written(app)
    for _ in range(3):
        assert send(client, CHECKS, token).status_code == 200
    assert written(app) == before
    assert send(client, VIEWINGS, token).status_code == 201


def test_a_check_without_a_token_or_with_bad_fields_says_so_in_json(client, app, token):
    case_of_token(app, token)
    before = written(app)
    no_token = client.client.post(CHECKS, json={})
    assert no_token.status_code == 401 and "token" in no_token.get_json()["error"]
    bad = send(client, CHECKS, token, url="https://bit.ly/abc")
    assert bad.status_code == 400 and "url" in bad.get_json()["fields"]
    assert written(app) == before
