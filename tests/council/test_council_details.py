"""The council's details: set by the SRO, audited, shown at the foot of every page."""

from __future__ import annotations

from sqlalchemy import select

from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from ripa_guard.council.models import CouncilDetails
from tests.helpers import error_messages

DETAILS = {
    "name": "Borsetshire District Council",
    "address": "Council Offices\nHigh Street\nBorchester BC1 1AA",
    "telephone": "01632 960123",
    "policy_url": "https://intranet.borsetshire.example.gov.uk/ripa-policy",
    "coordinator_name": "Cora Coordinator",
    "coordinator_email": "ripa@borsetshire.example.gov.uk",
    "coordinator_telephone": "01632 960456",
}


def _save(client, version="", **overrides):
    return client.post("/council/details", {**DETAILS, "version": version, **overrides})


def test_sro_sets_the_council_details_and_each_change_is_audited(client, app, sro):
    client.sign_in(sro)
    assert _save(client).status_code == 302
    assert _save(client, version="1", telephone="01632 960999").status_code == 302

    with app.app_context():
        [row] = db.session().scalars(select(CouncilDetails)).all()
        events = (
            db.session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "council.details_changed"))
            .all()
        )
    assert row.telephone == "01632 960999"
    assert len(events) == 2
    assert events[1].detail["changed"] == {
        "telephone": {"was": "01632 960123", "now": "01632 960999"}
    }
    page = client.get("/council/details")
    assert (
        "Telephone changed from “01632 960123” to “01632 960999”"
        in page.find(id="council-history").get_text()
    )


def test_a_change_from_an_out_of_date_page_is_refused(client, app, sro):
    client.sign_in(sro)
    _save(client)
    _save(client, version="1", telephone="01632 960999")
    page = client.post_page("/council/details", {**DETAILS, "version": "1"})
    assert "Someone else changed this record" in page.get_text()


def test_a_bad_link_or_email_is_refused_beside_the_field_keeping_what_was_typed(client, sro):
    client.sign_in(sro)
    page = client.post_page(
        "/council/details",
        {**DETAILS, "version": "", "policy_url": "intranet/ripa", "coordinator_email": "x"},
    )
    errors = error_messages(page)
    assert errors["policy_url"] == "Enter a web address starting with https://"
    assert errors["coordinator_email"].startswith("Enter an e-mail address")
    assert page.select_one("#policy_url")["value"] == "intranet/ripa"


def test_the_settings_stand_in_until_the_sro_sets_the_details(client, app, sro, monkeypatch):
    monkeypatch.setitem(app.config, "COORDINATOR_NAME", "Set In Settings")
    client.sign_in(sro)
    page = client.get("/dashboard")
    assert "Set In Settings" in page.find(id="coordinator-contact").get_text()
    assert (
        page.select_one("header")
        .get_text(" ", strip=True)
        .startswith("Borsetshire District Council")
    )
    _save(client, name="Borsetshire Borough Council")
    page = client.get("/dashboard")
    assert "Cora Coordinator" in page.find(id="coordinator-contact").get_text()
    assert "Borsetshire Borough Council" in page.select_one("header").get_text()


def test_the_coordinators_contact_is_at_the_foot_of_every_page(client, sro, officer):
    client.sign_in(sro)
    _save(client)
    client.sign_in(officer)
    for url in ("/dashboard", "/research/", "/help", "/viewings/"):
        footer = client.get(url).find(id="coordinator-contact")
        assert "ripa@borsetshire.example.gov.uk" in footer.get_text(), url


def test_the_details_are_read_once_a_request(client, app, sro, count_queries):
    client.sign_in(sro)
    _save(client)
    with count_queries() as counted:
        client.get("/help")
    reads = [s for s in counted.statements if "council_details" in s]
    assert len(reads) == 1


def test_only_the_sro_changes_the_council_details(client, coordinator):
    client.sign_in(coordinator)
    assert client.get_response("/council/details").status_code == 403


def test_a_policy_link_that_is_not_a_web_address_is_never_saved(app, sro):
    import pytest

    from ripa_guard.accounts.models import User
    from ripa_guard.core.changes import InputProblem
    from ripa_guard.council import details

    with app.app_context(), pytest.raises(InputProblem):
        details.save(db.session(), db.session().get(User, sro.id), None, policy_url="javascript:x")
