"""Walk the officer's journey through HTTP, as a browser would, page by page."""

from __future__ import annotations

import re

from ripa_guard.applications.models import Application, Triage
from ripa_guard.core import db
from ripa_guard.law.decision_rules import Statements

#: Repeated viewing of a named person's profiles to build a picture: directed surveillance.
MONITOR_SELLER = {
    "criminal_investigation": "yes",
    "offence": "TMA94-92",
    "other_offence": "",
    "directed_at": "person",
    "frequency": "repeated",
    "profile_public": "yes",
    "overt_notice": "no",
    "recording": "yes",
    "profile_building": "yes",
    "combining": "yes",
    "private_information": "yes",
    "third_parties": "yes",
    "interaction": "none",
    "identity": "disclosed",
    "someone_else": "no",
    "bypass_privacy": "no",
    "confidential": "no",
}
#: The same monitoring, for knowingly sub-letting a council flat: a fine-only offence.
MONITOR_SUBLETTING = {**MONITOR_SELLER, "offence": "PSHFA-1-1"}
#: One look to see whether a profile is relevant: no authorisation.
SINGLE_LOOK = {
    **MONITOR_SELLER,
    "frequency": "single",
    "recording": "no",
    "profile_building": "no",
    "combining": "no",
    "private_information": "no",
    "third_parties": "no",
}
#: Messaging the seller under a false name: a CHIS matter.
MESSAGE_UNDER_FALSE_NAME = {**MONITOR_SELLER, "interaction": "further", "identity": "undisclosed"}
#: The same monitoring, for an offence the register does not list: held for the coordinator.
UNLISTED_OFFENCE = {
    **MONITOR_SELLER,
    "offence": "NOT-LISTED",
    "unlisted_offence": "Selling unsafe toys: Toys (Safety) Regulations 2011, reg. 1 (suspected).",
}
#: An employee's conduct at work: outside RIPA.
HR_CHECK = {**MONITOR_SELLER, "criminal_investigation": "ordinary", "offence": ""}
#: A single look whose findings, which may be private, are kept: in doubt, for the authorising
#: officer.
SINGLE_LOOK_RECORDED = {**SINGLE_LOOK, "recording": "yes", "private_information": "not_sure"}

APPLICATION = {
    "investigation_title": "Counterfeit handbags sold from Market Street",
    "case_reference": "TS/2026/0412",
    "summary": "Complaints from three shoppers that 'designer' handbags bought online are fakes.",
    "activity": "View the seller's Facebook and Instagram pages and capture listings.",
    "frequency": "Twice a week",
    "duration": "Six weeks",
    "research_profile": "TS research profile 3",
    "intended_outcome": "Evidence of the scale of sales and the identity of the seller.",
    "necessity": "The seller trades only online; there is no shop to visit.",
    "proportionality_balance": "Counterfeiting at scale harms consumers and traders.",
    "proportionality_least_intrusive": "Only business pages are viewed, at set times.",
    "proportionality_appropriate": "Test purchases alone cannot show the scale of trade.",
    "proportionality_alternatives": "A test purchase was made; a letter would warn the seller.",
    "collateral_intrusion": "Customers' comments on the listings.",
    "collateral_minimise": "Customers' names are redacted from captures and not kept.",
    "confidential_likely": "no",
    "confidential_details": "",
}


#: Each offence the conduct is believed to constitute, with the facts for each element.
OFFENCES = (("TMA94-92", "Bags bearing a registered trade mark offered for sale without consent."),)


def answer_triage(client, answers: dict, title: str = "Market Street seller") -> int:
    """Start research, answer every page, get the outcome; returns the triage id."""
    response = client.post("/research/new", {"title": title})
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.headers["Location"]
    while "/check" not in url:
        page = client.get(url)
        names = {
            el["name"]
            for el in page.select("form input, form select, form textarea")
            if el.get("name")
        }
        data = {k: v for k, v in answers.items() if k in names}
        response = client.post(url, data)
        assert response.status_code == 302, response.get_data(as_text=True)
        url = response.headers["Location"]
    response = client.post(url, {})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/research/(\d+)/outcome", response.headers["Location"]).group(1))


def start_application(client, triage_id: int) -> int:
    response = client.post(f"/research/{triage_id}/application", {})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/applications/(\d+)/", response.headers["Location"]).group(1))


def version(app, application_id: int) -> int:
    with app.app_context():
        return db.session().get(Application, application_id).version


def name_offence(client, app, application_id: int, code: str, facts: str):
    """Name an offence on the application's offences page, with the facts for its elements."""
    return client.post(
        f"/applications/{application_id}/offences",
        {"offence": code, "facts": facts, "version": version(app, application_id)},
    )


def complete_application(
    client, app, application_id: int, answers: dict | None = None, offences=OFFENCES
) -> None:
    """Answer every page of the application, add one subject, and give the facts for each of
    `offences` (naming any the triage did not)."""
    answers = {**APPLICATION, **(answers or {})}
    definition = app.extensions["ripa_guard.forms"]["application"]
    for page in definition.pages:
        url = f"/applications/{application_id}/{page.slug}"
        if page.slug == "offences":
            for code, facts in offences:
                response = name_offence(client, app, application_id, code, facts)
                assert response.status_code == 302, response.get_data(as_text=True)
            continue
        if page.slug == "subjects":
            data = {
                "name": "Bargain Bags (trading name)",
                "description": "Seller at Market Street, Borchester",
                "profiles": "https://www.facebook.com/bargainbags.example\nhttps://instagram.com/bargainbags.example",
            }
        else:
            data = {q.name: answers.get(q.name, "") for q in page.questions}
        data["version"] = version(app, application_id)
        response = client.post(url, data)
        assert response.status_code == 302, response.get_data(as_text=True)


def submit(client, app, application_id: int):
    return client.post(
        f"/applications/{application_id}/check", {"version": version(app, application_id)}
    )


def triage(app, triage_id: int) -> Triage:
    with app.app_context():
        record = db.session().get(Triage, triage_id)
        _ = record.application
        return record


def application(app, application_id: int) -> Application:
    with app.app_context():
        record = db.session().get(Application, application_id)
        _ = record.subjects, record.triage
        return record


def submitted_application(client, app, officer) -> int:
    """An application by `officer`, complete and submitted; the client is left signed in as them."""
    client.sign_in(officer)
    application_id = start_application(client, answer_triage(client, MONITOR_SELLER))
    complete_application(client, app, application_id)
    response = submit(client, app, application_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    return application_id


#: An authorising officer's own statements on an approval, long enough and their own.
STATEMENTS = Statements(
    necessity=(
        "Bargain Bags sells only online, so test purchases alone cannot show the scale of the "
        "trade in counterfeit goods; without seeing the listings over time the offence under "
        "the Trade Marks Act cannot be proved."
    ),
    proportionality_balance=(
        "Two short visits a week to two business pages for three months is modest against a "
        "trade-mark offence carrying ten years and apparent sales of hundreds of bags."
    ),
    proportionality_least_intrusive=(
        "Only the seller's business pages are viewed, at set times, from a registered council "
        "research profile, and nothing from personal posts is captured."
    ),
    proportionality_appropriate=(
        "Trading standards enforce the Trade Marks Act; watching a public shop front online is "
        "the reasonable way to gather this evidence, as the other routes were weighed and failed."
    ),
    proportionality_alternatives=(
        "A warning letter in January was ignored, and a test purchase showed one sale only; an "
        "overt visit is impossible because no premises are known."
    ),
    collateral_intrusion=(
        "Customers' comments and names will appear on the pages; they are not captured, and any "
        "that are caught in a screenshot are redacted before it is kept."
    ),
)

DECISION = {
    "decision": "approved",
    "what_authorised": "Viewing of the Bargain Bags Facebook and Instagram pages twice a week.",
    "reasons": "Necessary: online-only trade. Proportionate: business pages only.",
    **STATEMENTS.as_dict(),
    "review_interval_days": "28",
    "directly_involved": "no",
    "directly_involved_reason": "",
    "offences_genuine": "yes",
}


def decide(client, app, application_id: int, **overrides):
    data = {**DECISION, **overrides, "version": version(app, application_id)}
    return client.post(f"/authorisations/{application_id}/decide", data)


def court_form(day, time="14:30", outcome="approved", hearing_day=None, **overrides):
    hearing = hearing_day or day
    return {
        "court": "Borchester Magistrates' Court",
        "hearing_date": [str(hearing.day), str(hearing.month), str(hearing.year)],
        "magistrate": "A. N. Justice JP",
        "outcome": outcome,
        "decision_date": [str(day.day), str(day.month), str(day.year)],
        "decision_time": time,
        "notes": "",
        **overrides,
    }


def record_court(client, app, application_id: int, day, **kwargs):
    data = {**court_form(day, **kwargs), "version": version(app, application_id)}
    return client.post(f"/authorisations/{application_id}/court", data)
