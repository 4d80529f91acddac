"""'My offence is not listed': the plan waits for the RIPA coordinator, who adds the offence to
the register (or records why it cannot be) before the crime threshold is checked."""

from __future__ import annotations

import pytest

from ripa_guard.applications.models import Outcome
from tests.helpers import error_messages
from tests.journeys import SINGLE_LOOK, UNLISTED_OFFENCE, answer_triage, triage

TOYS = {
    "decision": "add",
    "code": "TSR11-TOYS",
    "title": "Making available a toy that does not meet the safety requirements",
    "act": "Toys (Safety) Regulations 2011",
    "section": "54",
    "max_custodial_months": "3",
    "threshold_exception": "false",
    "source": "reg. 54: 3 months, summary (invented for this test)",
    "reason": "",
}


@pytest.fixture
def held(client, app, officer):
    client.sign_in(officer)
    return answer_triage(client, UNLISTED_OFFENCE, title="Unsafe toys sold online")


def _resolve(client, app, triage_id, data):
    data = {**data, "version": str(triage(app, triage_id).version)}
    return client.post(f"/offences/held/{triage_id}", data)


def test_an_unlisted_offence_holds_the_plan_for_the_coordinator(client, app, officer, held):
    record = triage(app, held)
    assert record.is_held and not record.is_complete and record.outcome is None
    page = client.get(f"/research/{held}/outcome")
    assert page.h1.get_text(strip=True) == "Waiting for the RIPA coordinator"
    assert "Selling unsafe toys" in page.select_one("#held-description").get_text()
    listed = client.get("/research/")
    assert "Waiting for the RIPA coordinator" in listed.get_text()
    # The answers are frozen while the coordinator works on it.
    response = client.post(f"/research/{held}/purpose", {"criminal_investigation": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/outcome")


def test_the_offence_select_offers_my_offence_is_not_listed(client, officer):
    client.sign_in(officer)
    url = client.post("/research/new", {"title": "Toys"}).headers["Location"]
    page = client.get(url)
    options = [o.get_text() for o in page.select("select[name=offence] option")]
    assert "My offence is not listed" in options
    page = client.post_page(url, {"criminal_investigation": "yes", "offence": "NOT-LISTED"})
    assert error_messages(page)["unlisted_offence"] == "Describe the offence you are investigating"


def test_the_coordinator_adds_the_offence_and_the_threshold_runs_after(
    client, app, held, coordinator, officer
):
    client.sign_in(coordinator)
    register = client.get("/offences/")
    row = register.select_one(f"#held-{held}")
    assert row is not None and "Selling unsafe toys" in row.get_text()
    assert _resolve(client, app, held, TOYS).status_code == 302
    record = triage(app, held)
    assert not record.is_held
    # Three months does not meet the crime threshold: the plan cannot be authorised.
    assert record.outcome == Outcome.CANNOT_BE_AUTHORISED and record.threshold_met is False
    assert record.offence_codes == ["TSR11-TOYS"]
    assert "3 months" in record.threshold_reason
    register = client.get("/offences/")
    assert register.select_one(f"#held-{held}") is None
    assert "added by the RIPA coordinator" in register.get_text()
    client.sign_in(officer)
    page = client.get(f"/research/{held}/outcome")
    assert page.h1.get_text(strip=True) == "Directed surveillance that cannot be authorised"
    assert "Added to the offence register as TSR11-TOYS" in page.get_text()
    # Officers can read the register, the new offence included.
    assert "Toys (Safety) Regulations 2011, reg.54" in client.get("/offences/").get_text()


def test_an_added_offence_that_meets_the_threshold_leads_to_an_application(
    client, app, held, coordinator
):
    client.sign_in(coordinator)
    data = {**TOYS, "max_custodial_months": "6", "source": "6 months (invented for this test)"}
    assert _resolve(client, app, held, data).status_code == 302
    record = triage(app, held)
    assert record.outcome == Outcome.DIRECTED_SURVEILLANCE and record.threshold_met


def test_the_coordinator_records_why_an_offence_cannot_be_added(client, app, held, coordinator):
    client.sign_in(coordinator)
    page = client.post_page(f"/offences/held/{held}", {"decision": "cannot", "reason": ""})
    assert error_messages(page)["reason"] == "Say why the offence cannot be added to the register"
    reason = "Selling a toy is not an offence unless the toy is unsafe; no unsafe toy was found."
    response = _resolve(client, app, held, {"decision": "cannot", "reason": reason})
    assert response.status_code == 302
    record = triage(app, held)
    assert record.outcome == Outcome.CANNOT_BE_AUTHORISED
    texts = " ".join(r["text"] for r in record.reasons)
    assert "could not add the offence you described" in texts and reason in texts


def test_a_bad_register_row_gets_a_message_by_its_field(client, app, held, coordinator):
    client.sign_in(coordinator)
    page = client.post_page(
        f"/offences/held/{held}",
        {**TOYS, "max_custodial_months": "0", "version": str(triage(app, held).version)},
    )
    assert "must be at least 1" in error_messages(page)["max_custodial_months"]
    page = client.post_page(
        f"/offences/held/{held}",
        {**TOYS, "code": "FRAUD-1", "version": str(triage(app, held).version)},
    )
    assert error_messages(page)["code"] == "FRAUD-1 is already in the offence register"
    assert triage(app, held).is_held


def test_a_plan_that_needs_no_authorisation_is_not_held_for_an_unlisted_offence(
    client, app, officer
):
    client.sign_in(officer)
    answers = {**SINGLE_LOOK, "offence": "NOT-LISTED", "unlisted_offence": "Something else."}
    record = triage(app, answer_triage(client, answers))
    assert record.outcome == Outcome.NO_AUTHORISATION and not record.is_held


def test_only_the_coordinator_resolves_a_held_plan(client, held, officer, sro):
    for person in (officer, sro):
        client.sign_in(person)
        assert client.get_response(f"/offences/held/{held}").status_code == 403
