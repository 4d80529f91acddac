"""Services apart (issue 15, item 3): an officer who names another service's investigation, by
URN or case reference, gets the answer given for one that does not exist, and stopped-attempt
pages and API answers show nothing of another service. The SRO and coordinator see everything."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import json

import pytest

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import plans
from ripa_guard.core import db
from tests.journeys import application
from tests.viewing.test_viewing_api import make_token
from tests.viewing.test_viewing_checks import CHECKS, VIEWINGS, send
from tests.viewing.test_viewings import logged, stopped
from tests.viewing_setup import CASE, at, register_profile, viewings


@pytest.fixture
def officer(create_user):
    """The applicant in these tests works in Counter Fraud."""
    return create_user(Role.OFFICER, name="Fern Fraud", service="Counter Fraud")


@pytest.fixture
def trader(create_user):
    return create_user(Role.OFFICER, name="Tess Trader", service="Trading Standards")


@pytest.fixture
def trader_profile(app, sro, trader) -> int:
    return register_profile(app, sro, "facebook", "borsetshire.ts.research9", trader)


def unused_urn(urn: str) -> str:
    """A URN of the same shape that no application has."""
    head, _, number = urn.rpartition("/")
    return f"{head}/{int(number) + 900:0{len(number)}d}"


def test_a_trading_standards_officer_with_a_counter_fraud_urn_learns_nothing(
    client, app, active, trader, trader_profile
):
    urn = application(app, active).urn
    raw = make_token(app, trader)
    with at(2026, 4, 1):
        theirs = send(client, CHECKS, raw, investigation=urn)
        nobodys = send(client, CHECKS, raw, investigation=unused_urn(urn))
    assert theirs.status_code == nobodys.status_code == 200
    assert theirs.get_json() == nobodys.get_json()
    assert theirs.get_json()["decision"] == "initial_research"
    assert theirs.get_json()["urn"] is None
    text = json.dumps(theirs.get_json())
    assert urn not in text and "Fern Fraud" not in text and CASE not in text


def test_logging_under_another_services_urn_is_answered_as_for_no_such_urn(
    client, app, active, trader, trader_profile
):
    urn = application(app, active).urn
    raw = make_token(app, trader)
    with at(2026, 4, 1):
        theirs = send(client, VIEWINGS, raw, investigation=urn)
        nobodys = send(
            client,
            VIEWINGS,
            raw,
            investigation=unused_urn(urn),
            url="https://www.facebook.com/other.example",
        )
    assert theirs.status_code == nobodys.status_code == 201
    assert theirs.get_json()["decision"] == nobodys.get_json()["decision"] == "initial_research"
    assert theirs.get_json()["reason"] == nobodys.get_json()["reason"]
    assert theirs.get_json()["urn"] is None
    assert [v.urn for v in viewings(app)] == [None, None]


def test_the_applicants_own_service_is_still_under_the_authorisation(
    client, app, active, officer, facebook_profile
):
    urn = application(app, active).urn
    raw = make_token(app, officer)
    with at(2026, 4, 1):
        answer = send(client, CHECKS, raw, investigation=urn).get_json()
    assert answer["decision"] == "authorised" and answer["urn"] == urn


def test_the_web_form_treats_another_services_case_reference_as_unused(
    client, app, active, trader, trader_profile
):
    client.sign_in(trader)
    with at(2026, 4, 1):
        viewing = logged(client, reference=CASE, profile=trader_profile)
        page = client.get(f"/viewings/{viewing}").get_text(" ")
        assert "initial research" in page.lower()
        assert "Fern Fraud" not in page and application(app, active).urn not in page
        # Her second look is her own investigation's repeat, and names nobody else.
        attempt = stopped(client, reference=CASE, profile=trader_profile)
        blocked = client.get(f"/viewings/stopped/{attempt}").get_text(" ")
    assert "Tess Trader" in blocked and "Fern Fraud" not in blocked


def test_a_stopped_page_shows_nothing_of_the_other_service(
    client, app, officer, trader, trader_profile, facebook_profile, sro, coordinator
):
    """An investigation both services have named (as older records may have): the other
    service's look still counts, but its officer, subject and reference are not shown."""
    client.sign_in(officer)
    with at(2026, 4, 1):
        logged(
            client,
            reference="SHARED/2026/1",
            subject="Mr Quiet Fraudster",
            profile=facebook_profile,
        )
    with app.app_context():
        s = db.session()
        plans.start_triage(s, s.get(User, trader.id), "Bags seller", "SHARED/2026/1")
    client.sign_in(trader)
    with at(2026, 4, 2):
        attempt = stopped(
            client, reference="SHARED-2026-1", subject="Bargain Bags", profile=trader_profile
        )
        page = client.get(f"/viewings/stopped/{attempt}")
    text = page.get_text(" ")
    assert "Do not view this profile again without an authorisation" in text
    assert "Fern Fraud" not in text and "Counter Fraud" not in text
    assert "Mr Quiet Fraudster" not in text and "SHARED/2026/1" not in text
    assert "1 earlier viewing by another service" in page.select_one("#hidden-viewings").text
    for overseer in (sro, coordinator):
        client.sign_in(overseer)
        seen = client.get(f"/viewings/stopped/{attempt}").get_text(" ")
        assert "Mr Quiet Fraudster" in seen
