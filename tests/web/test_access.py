"""Who may open which page: sign-in, roles, and other officers' records."""

from __future__ import annotations

import pytest

from ripa_guard.accounts.models import Role
from tests.journeys import (
    MONITOR_SELLER,
    answer_triage,
    complete_application,
    start_application,
    submit,
)

SIGNED_IN_PAGES = [
    "/dashboard",
    "/research/",
    "/research/new",
    "/research/oversight",
    "/offences/",
    "/admin/users",
    "/admin/users/new",
    "/account/password",
]


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_every_page_needs_sign_in(client, url):
    response = client.get_response(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize(
    "role, url, status",
    [
        (Role.INSPECTOR, "/research/new", 403),
        (Role.INSPECTOR, "/offences/", 403),
        (Role.INSPECTOR, "/admin/users", 403),
        (Role.OFFICER, "/research/oversight", 403),
        (Role.OFFICER, "/admin/users", 403),
        (Role.OFFICER, "/offences/", 200),
        (Role.AUTHORISING_OFFICER, "/research/new", 403),
        (Role.AUTHORISING_OFFICER, "/offences/", 200),
        (Role.COORDINATOR, "/offences/", 200),
        (Role.COORDINATOR, "/admin/users", 403),
        (Role.SRO, "/admin/users", 200),
        (Role.SRO, "/research/oversight", 200),
    ],
)
def test_roles_open_only_their_pages(client, create_user, role, url, status):
    client.sign_in(create_user(role))
    assert client.get_response(url).status_code == status


@pytest.fixture
def draft(client, app, officer):
    client.sign_in(officer)
    triage_id = answer_triage(client, MONITOR_SELLER)
    application_id = start_application(client, triage_id)
    return triage_id, application_id


@pytest.mark.parametrize(
    "url",
    [
        "/research/{t}/purpose",
        "/research/{t}/check",
        "/research/{t}/outcome",
        "/applications/{a}/investigation",
        "/applications/{a}/subjects",
        "/applications/{a}/check",
        "/applications/{a}",
        "/applications/{a}/submitted",
    ],
)
def test_another_officer_cannot_open_someone_elses_draft(client, draft, other_officer, url):
    triage_id, application_id = draft
    client.sign_in(other_officer)
    assert client.get_response(url.format(t=triage_id, a=application_id)).status_code == 403


@pytest.mark.parametrize(
    "role", [Role.SRO, Role.AUTHORISING_OFFICER, Role.COORDINATOR, Role.INSPECTOR]
)
def test_nobody_else_reads_a_draft_application(client, draft, create_user, role):
    _, application_id = draft
    client.sign_in(create_user(role))
    assert client.get_response(f"/applications/{application_id}").status_code == 403


@pytest.mark.parametrize("role", [Role.SRO, Role.AUTHORISING_OFFICER, Role.COORDINATOR])
def test_oversight_roles_read_a_submitted_application(
    client, app, draft, officer, create_user, role
):
    _, application_id = draft
    complete_application(client, app, application_id)
    submit(client, app, application_id)
    client.sign_in(create_user(role))
    page = client.get(f"/applications/{application_id}")
    assert "Counterfeit handbags" in page.h1.get_text()


def test_another_officer_cannot_change_or_submit_a_draft(client, app, draft, other_officer):
    from tests.journeys import application

    _, application_id = draft
    client.sign_in(other_officer)
    response = client.post(
        f"/applications/{application_id}/investigation",
        {"investigation_title": "Hijacked", "case_reference": "X", "summary": "Y", "version": 1},
    )
    assert response.status_code == 403
    assert client.post(f"/applications/{application_id}/check", {"version": 1}).status_code == 403
    assert (
        client.post(f"/applications/{application_id}/withdraw", {"version": 1}).status_code == 403
    )
    assert application(app, application_id).investigation_title != "Hijacked"


@pytest.mark.parametrize(
    "url",
    [
        "/research/999999/outcome",
        "/research/999999/purpose",
        "/applications/999999",
        "/applications/999999/check",
        "/research/1/no-such-page",
    ],
)
def test_missing_records_give_not_found(client, officer, url):
    client.sign_in(officer)
    assert client.get_response(url).status_code in (403, 404)
    if "999999" in url:
        assert client.get_response(url).status_code == 404


def test_sro_alone_sees_triage_outcomes_of_every_officer(client, app, officer, other_officer, sro):
    client.sign_in(other_officer)
    triage_id = answer_triage(client, MONITOR_SELLER, title="Oscar's research")
    client.sign_in(officer)
    assert client.get_response(f"/research/{triage_id}/outcome").status_code == 403
    client.sign_in(sro)
    assert "Oscar's research" in client.get(f"/research/{triage_id}/outcome").get_text()


def test_inspector_reads_the_central_record_and_nothing_else(client, app, draft, inspector):
    _, application_id = draft
    complete_application(client, app, application_id)
    submit(client, app, application_id)
    client.sign_in(inspector)
    assert "Counterfeit handbags" in client.get(f"/register/{application_id}").h1.get_text()
    assert client.get_response(f"/applications/{application_id}").status_code == 403
    assert client.get_response(f"/authorisations/{application_id}/decide").status_code == 403
