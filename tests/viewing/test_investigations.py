"""Investigations are records (issue 15, item 1): an officer opens one in their own service, in
the service's case reference format; the officers on it change by one-way steps; closing it
stops its viewings; an officer whose training is out of date opens nothing."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ripa_guard.accounts.models import Role
from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from ripa_guard.viewing.models import Investigation, InvestigationOfficer
from tests.helpers import check_page, error_messages
from tests.viewing.test_viewing_api import make_token
from tests.viewing.test_viewing_checks import CHECKS, VIEWINGS, send
from tests.viewing_setup import PROFILE_URL, at, attempts, case_for, view, viewings

NEW = "/investigations/new"


def opening(**overrides) -> dict:
    return {
        "reference": "TS/2026/0412",
        "title": "Counterfeit handbags sold online",
        "offences": "Trade Marks Act 1994 s.92",
        "subjects": f"Bargain Bags: {PROFILE_URL}",
        **overrides,
    }


def investigation_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def set_format(client, coordinator, service, template):
    client.sign_in(coordinator)
    return client.post("/investigations/formats", {"service": service, "template": template})


def test_an_officer_opens_an_investigation_with_its_subjects_and_colleagues(
    client, app, officer, other_officer
):
    client.sign_in(officer)
    form = client.get(NEW)
    assert form.find("label", string=lambda t: t and "Oscar Other" in t)
    opened = investigation_id(client.post(NEW, opening(officers=[str(other_officer.id)])))
    page = client.get(f"/investigations/{opened}")
    text = page.get_text(" ")
    assert page.h1.get_text(strip=True) == "TS/2026/0412"
    assert "Olive Officer" in page.select_one("#officers").get_text()
    assert "Oscar Other" in page.select_one("#officers").get_text()
    assert "Bargain Bags" in page.select_one("#subjects").get_text() and PROFILE_URL in text
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action)).all()
    assert "investigation.opened" in actions


def test_a_case_reference_is_unique_in_the_service_but_not_across_the_council(
    client, app, officer, create_user
):
    client.sign_in(officer)
    investigation_id(client.post(NEW, opening()))
    again = check_page(client.post(NEW, opening(reference="ts-2026-0412")).get_data(as_text=True))
    assert (
        "already has an investigation with this case reference"
        in (error_messages(again)["reference"])
    )
    fraud = create_user(Role.OFFICER, name="Fern Fraud", service="Counter Fraud")
    client.sign_in(fraud)
    investigation_id(client.post(NEW, opening()))


def test_the_coordinator_sets_the_services_format_and_a_mistyped_reference_is_refused(
    client, app, officer, coordinator
):
    assert set_format(client, coordinator, "Trading Standards", "HB/YYYY/NNNN").status_code == 302
    client.sign_in(officer)
    form = client.get(NEW)
    assert "HB/YYYY/NNNN" in form.get_text()
    with at(2026, 3, 1):
        page = check_page(client.post(NEW, opening(reference="HB/2026/77")).get_data(as_text=True))
    assert error_messages(page)["reference"] == (
        "Enter the case reference in your service's format, HB/YYYY/NNNN, for example HB/2026/0001"
    )
    assert page.select_one("input[name=reference]")["value"] == "HB/2026/77"
    investigation_id(client.post(NEW, opening(reference="HB/2026/0077")))


def test_a_format_the_coordinator_cannot_use_is_explained(client, app, officer, coordinator):
    response = set_format(client, coordinator, "Trading Standards", "TS/2026/????")
    page = check_page(response.get_data(as_text=True))
    assert "YYYY for the year and N for each digit" in error_messages(page)["template"]
    assert set_format(client, coordinator, "Trading Standards", "TS/YYYY").status_code == 200


def test_an_untrained_officer_cannot_open_an_investigation_and_is_told_whom_to_ask(
    client, app, create_user
):
    lapsed = create_user(Role.OFFICER, name="Ed Elm", trained_on=None)
    client.sign_in(lapsed)
    page = client.get(NEW)
    warning = page.select_one("#untrained").get_text(" ")
    assert "training is out of date" in warning and "RIPA coordinator" in warning
    assert not page.find("form", action=NEW)
    refused = check_page(client.post(NEW, opening()).get_data(as_text=True)).get_text(" ")
    assert "training is out of date" in refused
    with app.app_context():
        assert db.session().scalars(select(Investigation)).all() == []


def test_officers_are_added_and_removed_by_one_way_steps(client, app, officer, other_officer):
    client.sign_in(officer)
    opened = investigation_id(client.post(NEW, opening()))
    added = client.post(f"/investigations/{opened}/officers", {"officer": str(other_officer.id)})
    assert added.status_code == 302
    removed = client.post(f"/investigations/{opened}/officers/{other_officer.id}/remove")
    assert removed.status_code == 302
    with app.app_context():
        rows = db.session().scalars(
            select(InvestigationOfficer).where(InvestigationOfficer.user_id == other_officer.id)
        )
        [row] = rows.all()
    assert row.removed_at is not None and row.removed_by_id == officer.id
    client.sign_in(other_officer)
    client.get(f"/investigations/{opened}", expected_status=404)


def test_closing_an_investigation_stops_its_viewings_on_the_web_and_the_api(
    client, app, officer, facebook_profile
):
    client.sign_in(officer)
    opened = investigation_id(client.post(NEW, opening()))
    with at(2026, 3, 1):
        view(client, investigation=str(opened), profile=facebook_profile)
    with at(2026, 3, 2):
        closed = client.post(f"/investigations/{opened}/close", {"reason": "Trader convicted."})
        assert closed.status_code == 302
    assert "Closed" in client.get(f"/investigations/{opened}").select_one("#closed").get_text()
    form = client.get("/viewings/new")
    assert str(opened) not in [o["value"] for o in form.select("select[name=investigation] option")]
    with at(2026, 3, 3):
        refused = view(client, investigation=str(opened), profile=facebook_profile)
        raw = make_token(app, officer)
        api = [send(client, path, raw, investigation=opened) for path in (CHECKS, VIEWINGS)]
    assert "was closed on 2 March 2026" in check_page(refused.get_data(as_text=True)).get_text(" ")
    for answer in api:
        assert (
            answer.status_code == 403 and "was closed on 2 March 2026" in answer.get_json()["error"]
        )
    assert len(viewings(app)) == 1 and attempts(app) == []


def test_the_viewing_form_has_nothing_to_type_for_the_investigation(
    client, app, officer, research_browser
):
    case_for(app, officer)
    client.sign_in(officer)
    page = client.get("/viewings/new")
    assert page.select_one("select[name=investigation]") is not None
    assert not page.select("input[name=reference]")


def test_the_sro_reads_what_the_migration_merged(client, app, sro):
    with app.app_context():
        from ripa_guard.viewing.models import MigrationReport

        s = db.session()
        s.add(MigrationReport(revision="0017", text="- Trading Standards: TS/2026/0412 (merged 2)"))
        s.commit()
    client.sign_in(sro)
    page = client.get("/investigations/migration-report")
    assert "TS/2026/0412 (merged 2)" in page.get_text()
    printed = app.test_cli_runner().invoke(args=["migration-report"])
    assert printed.exit_code == 0 and "TS/2026/0412 (merged 2)" in printed.output


def test_an_investigation_is_opened_in_the_officers_own_service(client, app, officer):
    client.sign_in(officer)
    opened = investigation_id(client.post(NEW, opening()))
    with app.app_context():
        found = db.session().get(Investigation, opened)
        assert found.service == "Trading Standards" and found.created_by_id == officer.id
        assert found.created_at.date() <= date.today()


def test_an_application_from_a_plan_under_an_investigation_keeps_its_case_reference(
    client, app, officer
):
    """The case reference was chosen with the investigation when the research was planned:
    retyping it ("TS/2026/412") on the application is refused, so the authorisation cannot
    drift away from the investigation whose viewings it must cover."""
    from tests.journeys import MONITOR_SELLER, start_application
    from tests.viewing.test_viewings import answer_triage_from

    chosen = case_for(app, officer)
    client.sign_in(officer)
    started = client.post("/research/new", {"title": "Plan", "investigation": str(chosen)})
    triage = answer_triage_from(client, started.headers["Location"], MONITOR_SELLER)
    application_id = start_application(client, triage)
    url = f"/applications/{application_id}/investigation"
    form = client.get(url)
    assert form.select_one("input[name=case_reference]")["value"] == "TS/2026/0412"
    fields = {
        el["name"]: el.get("value", "")
        for el in form.select("form input[name], form textarea[name]")
        if el["name"] != "csrf_token"
    }
    fields["summary"] = "A seller of counterfeit handbags online."
    refused = client.post_page(url, {**fields, "case_reference": "TS/2026/412"})
    assert "its case reference stays TS/2026/0412" in error_messages(refused)["case_reference"]
    assert refused.select_one("input[name=case_reference]")["value"] == "TS/2026/412"
    kept = client.post(url, {**fields, "case_reference": "ts-2026-0412"})
    assert kept.status_code == 302
