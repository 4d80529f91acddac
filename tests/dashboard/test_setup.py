"""The first SRO's set-up checklist: each step worked out from the data, gone once all are done."""

from __future__ import annotations

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import db
from ripa_guard.council import details
from ripa_guard.viewing import investigations
from tests.viewing_setup import register_profile


def _steps(page) -> dict[str, str]:
    checklist = page.find(id="setup-checklist")
    if checklist is None:
        return {}
    return {
        item.find("a").get_text(strip=True): item.select_one(".govuk-task-list__status").get_text(
            strip=True
        )
        for item in checklist.select(".govuk-task-list__item")
    }


COUNCIL = {
    "name": "Borsetshire District Council",
    "address": "Council Offices, Borchester",
    "telephone": "01632 960123",
    "coordinator_name": "Cora Coordinator",
}


def _set_details(app, sro, **given):
    with app.app_context():
        details.save(db.session(), db.session().get(User, sro.id), None, **given)


def test_the_first_sro_sees_what_is_left_to_set_up(client, sro):
    page = client.sign_in(sro).get("/dashboard")
    steps = _steps(page)
    assert steps["Users and their roles"] == "Incomplete"
    assert steps["Research profiles registered"] == "Incomplete"
    assert steps["The link to the council's policy"] == "Incomplete"
    # No investigating officer names a service yet; the SRO's own training is recorded.
    assert steps["Services and their case-reference formats"] == "Incomplete"
    assert steps["Training records"] == "Completed"
    hint = page.find(id="setup-checklist").get_text(" ", strip=True)
    assert "Nobody is yet: Investigating officer, Authorising officer, RIPA coordinator" in hint
    assert "No investigating officer's account names a service yet" in hint


def test_a_service_without_a_case_reference_format_keeps_its_step_open(client, sro, officer):
    steps = _steps(client.sign_in(sro).get("/dashboard"))
    assert steps["Services and their case-reference formats"] == "Incomplete"
    hint = client.get("/dashboard").find(id="setup-checklist").get_text(" ", strip=True)
    assert f"No case-reference format yet for: {officer.service}" in hint


def _set_formats(app, coordinator, *people):
    with app.app_context():
        s = db.session()
        for service in {p.service for p in people if p.service}:
            investigations.set_reference_format(
                s, s.get(User, coordinator.id), service, "TS/YYYY/NNNN"
            )


def test_an_officer_with_no_training_record_keeps_the_training_step_open(client, sro, create_user):
    create_user(Role.OFFICER, trained_on=None)
    steps = _steps(client.sign_in(sro).get("/dashboard"))
    assert steps["Training records"] == "Incomplete"


def test_the_checklist_goes_only_once_every_step_is_done(
    client, app, sro, officer, authoriser, coordinator
):
    client.sign_in(sro)
    _set_details(app, sro, **COUNCIL)
    register_profile(app, sro, "facebook", "borsetshire.ts.research3", officer)
    _set_formats(app, coordinator, sro, officer, authoriser, coordinator)
    assert _steps(client.get("/dashboard")) == {
        **{step: "Completed" for step in _steps(client.get("/dashboard"))},
        "The link to the council's policy": "Incomplete",
    }
    _set_details(app, sro, **COUNCIL, policy_url="https://intranet.borsetshire.example.gov.uk/ripa")
    assert client.get("/dashboard").find(id="setup-checklist") is None


def test_only_the_sro_sees_the_checklist(client, officer, coordinator):
    assert client.sign_in(officer).get("/dashboard").find(id="setup-checklist") is None
    assert client.sign_in(coordinator).get("/dashboard").find(id="setup-checklist") is None
