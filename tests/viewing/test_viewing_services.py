"""Services apart (issue 15, item 3): an officer uses only the investigations they work on.
Another service's investigation, by id, URN or reference, gets word for word the answer given
for one that does not exist, on the web and through the API; stopped-attempt pages and answers
show nothing of another service. The SRO and coordinator see everything."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import json

import pytest

from ripa_guard.accounts.models import Role
from tests.helpers import check_page, error_messages
from tests.journeys import application
from tests.viewing.test_viewing_api import make_token
from tests.viewing.test_viewing_checks import CHECKS, VIEWINGS, send
from tests.viewing.test_viewings import logged
from tests.viewing_setup import (
    CASE,
    PROFILE_URL,
    SUBJECT,
    at,
    attempts,
    case_for,
    register_profile,
    view,
    viewings,
)

NOT_YOURS = "Select one of your open investigations"


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


def nobodys(case_id: int) -> int:
    """An investigation id nobody has."""
    return case_id + 900


@pytest.mark.parametrize("path", [CHECKS, VIEWINGS])
def test_another_services_investigation_is_answered_as_one_that_does_not_exist_by_the_api(
    client, app, active, officer, trader, trader_profile, path
):
    theirs = case_for(app, officer)  # Counter Fraud's case, under authorisation
    case_for(app, trader, "TS/2026/0001")
    raw = make_token(app, trader)
    with at(2026, 4, 1):
        answers = [send(client, path, raw, investigation=i) for i in (theirs, nobodys(theirs))]
    assert answers[0].status_code == answers[1].status_code == 404
    assert answers[0].get_json() == answers[1].get_json()
    assert answers[0].get_json()["fields"]["investigation"] == NOT_YOURS
    text = json.dumps(answers[0].get_json())
    urn = application(app, active).urn
    assert urn not in text and "Fern Fraud" not in text and CASE not in text
    assert viewings(app) == [] and attempts(app) == []


def test_walking_the_urns_or_references_tells_nothing_they_cannot_be_sent(
    client, app, active, trader, trader_profile
):
    case_for(app, trader, "TS/2026/0001")
    raw = make_token(app, trader)
    urn = application(app, active).urn
    body = {"url": PROFILE_URL, "subject": SUBJECT, "purpose": "Look", "captured": False}
    with at(2026, 4, 1):
        answers = [
            client.client.post(
                CHECKS,
                json={**body, "investigation": typed},
                headers={"Authorization": f"Bearer {raw}"},
            )
            for typed in (urn, "CF/2026/9999")
        ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].get_json() == answers[1].get_json()
    assert urn not in json.dumps(answers[0].get_json())


def test_the_web_form_refuses_another_services_investigation_as_one_that_does_not_exist(
    client, app, officer, trader, trader_profile
):
    theirs = case_for(app, officer)
    case_for(app, trader, "TS/2026/0001")
    client.sign_in(trader)
    pages = []
    for crafted in (theirs, nobodys(theirs)):
        response = view(client, investigation=str(crafted), profile=trader_profile)
        assert response.status_code == 200
        page = check_page(response.get_data(as_text=True))
        pages.append(page)
        assert error_messages(page)["investigation"] == NOT_YOURS
    first, second = (p.select_one("main").get_text(" ") for p in pages)
    assert first == second
    assert CASE not in first and "Fern Fraud" not in first
    assert viewings(app) == [] and attempts(app) == []


def test_another_services_investigation_page_is_the_same_404_as_no_investigation(
    client, app, officer, trader
):
    theirs = case_for(app, officer)
    client.sign_in(trader)
    a = client.get(f"/investigations/{theirs}", expected_status=404)
    b = client.get(f"/investigations/{nobodys(theirs)}", expected_status=404)
    assert a.get_text() == b.get_text()
    assert CASE not in a.get_text()


def test_an_officer_of_the_same_service_not_on_the_investigation_cannot_use_it(
    client, app, officer, create_user, sro
):
    theirs = case_for(app, officer)
    colleague = create_user(Role.OFFICER, name="Carl Colleague", service="Counter Fraud")
    profile = register_profile(app, sro, "web", "CF research laptop", colleague)
    case_for(app, colleague, "CF/2026/0002")
    client.sign_in(colleague)
    page = check_page(
        view(client, investigation=str(theirs), profile=profile).get_data(as_text=True)
    )
    assert error_messages(page)["investigation"] == NOT_YOURS
    client.get(f"/investigations/{theirs}", expected_status=404)


def test_an_officer_lists_only_their_own_investigations_and_the_api_too(
    client, app, officer, trader, sro
):
    case_for(app, officer)
    mine = case_for(app, trader, "TS/2026/0001")
    client.sign_in(trader)
    listing = client.get("/investigations/").get_text(" ")
    assert "TS/2026/0001" in listing and CASE not in listing
    raw = make_token(app, trader)
    answer = client.client.get(
        "/api/v1/investigations", headers={"Authorization": f"Bearer {raw}"}
    ).get_json()
    assert [i["id"] for i in answer["investigations"]] == [mine]
    client.sign_in(sro)
    everything = client.get("/investigations/").get_text(" ")
    assert "TS/2026/0001" in everything and CASE in everything


def test_the_applicants_own_service_is_still_under_the_authorisation(
    client, app, active, officer, facebook_profile
):
    urn = application(app, active).urn
    raw = make_token(app, officer)
    with at(2026, 4, 1):
        answer = send(client, CHECKS, raw, investigation=CASE).get_json()
    assert answer["decision"] == "authorised" and answer["urn"] == urn


def test_a_stopped_page_names_only_the_officers_own_service(
    client, app, officer, create_user, facebook_profile, sro
):
    """A repeat in one's own investigation names a colleague, and nothing of another service."""
    colleague = create_user(Role.OFFICER, name="Carl Colleague", service="Counter Fraud")
    theirs = register_profile(app, sro, "facebook", "borsetshire.cf.research2", colleague)
    client.sign_in(officer)
    with at(2026, 4, 1):
        logged(client, profile=facebook_profile)
    case_for(app, colleague)
    client.sign_in(colleague)
    with at(2026, 4, 2):
        response = view(client, profile=theirs)
        page = client.get(response.headers["Location"]).get_text(" ")
    assert "Fern Fraud" in page  # her own service's colleague
