"""The council's own policy as settings: monitoring outside RIPA, and the policy settings page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from ripa_guard.core import db
from ripa_guard.council import details
from tests.journeys import HR_CHECK, answer_triage

POLICY = "https://intranet.borsetshire.example.gov.uk/social-media-policy"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def forbidden(app, sro, monkeypatch):
    monkeypatch.setitem(app.config, "NON_RIPA_MONITORING_ALLOWED", False)
    with app.app_context():
        from ripa_guard.accounts.models import User

        details.save(db.session(), db.session().get(User, sro.id), None, policy_url=POLICY)


def test_where_the_policy_forbids_it_outside_ripa_says_so_and_offers_no_route(
    client, officer, forbidden
):
    client.sign_in(officer)
    triage_id = answer_triage(client, HR_CHECK, title="Sickness absence – depot employee")
    page = client.get(f"/research/{triage_id}/outcome")

    warning = page.find(id="non-ripa-forbidden").get_text(" ", strip=True)
    assert "policy does not allow monitoring of social media outside RIPA" in warning
    assert page.find("a", string="the council's policy")["href"] == POLICY
    assert not page.find("a", string="Record it in the non-RIPA register")


def test_the_non_ripa_route_refuses_with_a_clear_page(client, officer, forbidden):
    client.sign_in(officer)
    triage_id = answer_triage(client, HR_CHECK)
    page = client.get(f"/oversight/non-ripa/new/{triage_id}", expected_status=403)
    assert page.h1.get_text(strip=True) == (
        "The council's policy does not allow monitoring outside RIPA"
    )
    assert client.post(f"/oversight/non-ripa/new/{triage_id}", {}).status_code == 403


def test_the_sro_sees_each_attempt_the_policy_forbids(client, officer, sro, forbidden):
    client.sign_in(officer)
    triage_id = answer_triage(client, HR_CHECK)
    client.sign_in(sro)
    listed = client.get("/oversight/").find(id="refused-by-policy")
    link = listed.find("a")
    assert link["href"] == f"/research/{triage_id}/outcome"
    assert "Olive Officer" in listed.get_text()


def test_where_the_policy_allows_it_the_non_ripa_register_works_as_before(client, officer, sro):
    client.sign_in(officer)
    triage_id = answer_triage(client, HR_CHECK)
    page = client.get(f"/research/{triage_id}/outcome")
    assert not page.find(id="non-ripa-forbidden")
    assert page.find("a", string="Record it in the non-RIPA register")
    client.sign_in(sro)
    assert not client.get("/oversight/").find(id="refused-by-policy")


def test_policy_settings_page_lists_each_setting_with_its_value_and_effect(
    client, app, coordinator, monkeypatch
):
    monkeypatch.setitem(app.config, "NON_RIPA_MONITORING_ALLOWED", False)
    monkeypatch.setitem(app.config, "REPEAT_VIEWING_WINDOW_DAYS", 90)
    client.sign_in(coordinator)
    page = client.get_page("council.policy_settings")
    row = page.find(id="setting-non_ripa_monitoring_allowed").get_text(" ", strip=True)
    assert "Not allowed" in row and "no non-RIPA route is offered" in row
    assert "90 days" in page.find(id="setting-repeat_viewing_window_days").get_text()
    for name in (
        "retention_years",
        "training_limit_years",
        "require_officer_training",
        "require_totp_for_deciders",
        "default_review_interval_days",
        "renewal_court_policy",
    ):
        assert page.find(id=f"setting-{name}"), name


def test_help_has_the_glossary_with_sources_and_the_code_of_practice(client, officer):
    client.sign_in(officer)
    page = client.get_page("council.help_page")
    chis = page.find(id="chis").get_text(" ", strip=True)
    assert "RIPA s.26(8)" in chis
    for slug in (
        "directed-surveillance",
        "sro",
        "authorising-officer",
        "urn",
        "collateral-intrusion",
        "initial-research",
        "repeat-viewing",
        "crime-threshold",
    ):
        assert page.find(id=slug), slug
    code = page.find("a", string=lambda s: s and "Code of Practice" in s)
    assert code["href"].startswith("https://www.gov.uk/")
    assert page.find("a", string="Help and glossary")["href"] == "/help"


def test_questions_link_their_terms_the_code_and_the_councils_policy(client, officer, forbidden):
    client.sign_in(officer)
    client.post("/research/new", {"title": "Market Street seller"})
    page = client.get("/research/1/purpose")
    hint = page.select_one("#criminal_investigation-hint")
    links = {a.get_text(strip=True): a["href"] for a in hint.select("a")}
    assert links["crime threshold in the glossary (opens in new tab)"] == "/help#crime-threshold"
    assert links["the council's policy (opens in new tab)"] == POLICY
    assert "RIPA s.28(3)(b)" in hint.get_text()


def test_a_form_naming_help_that_does_not_exist_stops_with_the_file_and_line():
    from ripa_guard.applications.definitions import DefinitionError, parse

    text = """id = "f"
title = "F"
[[pages]]
slug = "p"
title = "P"
[[pages.questions]]
name = "q"
kind = "text"
label = "Q"
required = false
see = ["no-such-term"]
"""
    with pytest.raises(DefinitionError) as raised:
        parse(text, "forms/f.toml")
    assert "'no-such-term' is not one" in str(raised.value)
    assert raised.value.line == 7
