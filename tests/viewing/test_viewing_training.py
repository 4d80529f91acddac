"""Trained officers only: an officer whose online research training is out of date cannot log a
viewing, on the form or through the API, and is told why and whom to ask (issue 15, item 5;
IPCO inspection findings, DOMAIN.md §8)."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest

from ripa_guard.accounts.models import Role
from tests.helpers import check_page
from tests.viewing.test_viewing_api import make_token
from tests.viewing.test_viewing_checks import CHECKS, VIEWINGS, send
from tests.viewing_setup import at, attempts, register_profile, view, viewings


@pytest.fixture
def untrained(create_user):
    return create_user(Role.OFFICER, name="Nat Newstarter", trained_on=None)


@pytest.fixture
def lapsed(create_user):
    """Trained on 4 January 2022: out of date after 4 January 2025, with the three-year setting."""
    return create_user(Role.OFFICER, name="Len Lapsed", trained_on=date(2022, 1, 4))


def profile_for(app, sro, officer) -> int:
    return register_profile(
        app, sro, "facebook", f"research.{officer.id}", officer, created_on=date(2024, 1, 1)
    )


def assert_says_why_and_whom_to_ask(text: str):
    assert "training is out of date, so you cannot log a viewing" in text
    assert "Ask the RIPA coordinator or the senior responsible officer" in text
    assert "IPCO inspection findings; DOMAIN.md §8" in text


def test_an_untrained_officer_is_told_on_the_form_and_cannot_log(client, app, sro, untrained):
    profile = profile_for(app, sro, untrained)
    client.sign_in(untrained)
    with at(2026, 4, 1):
        page = client.get("/viewings/new")
        warning = page.select_one("#untrained").get_text(" ", strip=True)
        assert_says_why_and_whom_to_ask(warning)
        assert "There is no record of your training" in warning
        assert page.select_one("form[action$='/viewings/new']") is None
        response = view(client, profile=profile)
    assert response.status_code == 200
    refused = check_page(response.get_data(as_text=True))
    assert_says_why_and_whom_to_ask(refused.select_one(".govuk-error-summary").get_text(" "))
    assert viewings(app) == [] and attempts(app) == []


def test_an_officer_whose_training_lapsed_is_refused_by_the_api_log_and_check(
    client, app, sro, lapsed
):
    profile_for(app, sro, lapsed)
    raw = make_token(app, lapsed)
    with at(2026, 4, 1):
        for path in (CHECKS, VIEWINGS):
            response = send(client, path, raw)
            assert response.status_code == 403, path
            assert_says_why_and_whom_to_ask(response.get_json()["error"])
            assert "4 January 2022" in response.get_json()["error"]
    assert viewings(app) == [] and attempts(app) == []


def test_training_counts_until_the_end_of_the_councils_period(client, app, sro, lapsed):
    profile_for(app, sro, lapsed)
    raw = make_token(app, lapsed)
    with at(2025, 1, 4, 12):
        assert send(client, VIEWINGS, raw).status_code == 201
    with at(2025, 1, 5, 9):
        assert send(client, VIEWINGS, raw).status_code == 403


def test_a_council_may_turn_the_officer_training_check_off(
    client, app, sro, untrained, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUIRE_OFFICER_TRAINING", False)
    profile = profile_for(app, sro, untrained)
    client.sign_in(untrained)
    with at(2026, 4, 1):
        assert client.get("/viewings/new").select_one("#untrained") is None
        assert view(client, profile=profile).status_code == 302
    assert len(viewings(app)) == 1


def test_recording_training_lets_the_officer_log_again(client, app, sro, coordinator, untrained):
    profile = profile_for(app, sro, untrained)
    client.sign_in(coordinator)
    with at(2026, 4, 1):
        recorded = client.post(
            "/oversight/training/new",
            {"user_id": str(untrained.id), "trained_on": ["1", "4", "2026"], "course": "RIPA"},
        )
        assert recorded.status_code == 302
        client.sign_in(untrained)
        assert view(client, profile=profile).status_code == 302
