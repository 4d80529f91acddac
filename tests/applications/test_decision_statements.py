"""The authorising officer decides on the whole case, and says in their own words what they are
satisfied of and why (RIPA s.28(2); Code of Practice 2018, proportionality and collateral
intrusion; law/decision_rules.py)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
import time_machine

from ripa_guard.accounts.models import User
from ripa_guard.applications import lifecycle
from ripa_guard.applications.models import Application, ApplicationStatus, Decision
from ripa_guard.core import changes, db
from ripa_guard.law import decision_rules
from ripa_guard.law.decision_rules import Statements
from tests import records
from tests.helpers import check_page, error_messages
from tests.journeys import (
    APPLICATION,
    STATEMENTS,
    application,
    decide,
    submitted_application,
)


def _text(page) -> str:
    return " ".join(page.get_text(" ").split())


@pytest.fixture
def submitted(client, app, officer) -> int:
    return submitted_application(client, app, officer)


# The whole case on the decision page ---------------------------------------------------------


def test_decision_page_shows_every_answer_subjects_offence_and_triage_beside_the_form(
    client, app, submitted, authoriser
):
    client.sign_in(authoriser)
    page = client.get(f"/authorisations/{submitted}/decide")
    case = page.find(id="the-case")
    text = _text(case)
    for name, answer in APPLICATION.items():
        if name not in ("offence", "confidential_likely") and answer:
            assert " ".join(answer.split()) in text, name
    record = application(app, submitted)
    for subject in record.subjects:
        assert subject.name in text
        for profile in subject.profiles:
            assert profile["url"] in text
    snapshot = record.offence_snapshot
    assert snapshot["title"] in text and snapshot["citation"] in text
    assert " ".join(snapshot["threshold_reason"].split()) in text
    assert record.triage.reasons
    for reason in record.triage.reasons:
        assert " ".join(reason["text"].split()) in text
    assert "Read the whole application" not in _text(page)
    form = page.find(id="your-decision").find("form")
    for element in decision_rules.ELEMENTS:
        assert form.find("textarea", attrs={"name": element.name}), element.name


# Bare statements are refused, beside the field, with the text kept ---------------------------


def test_a_bare_i_agree_is_refused_beside_the_field_and_the_typed_text_is_kept(
    client, app, submitted, authoriser
):
    client.sign_in(authoriser)
    response = decide(client, app, submitted, necessity="I agree")
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    errors = error_messages(page)
    assert (
        errors["necessity"]
        == decision_rules.statement_problems(Statements(necessity="I agree"))["necessity"]
    )
    assert errors["necessity"].startswith("Say in your own words why the surveillance is necessary")
    assert set(errors) == {"necessity"}
    assert page.find("textarea", attrs={"name": "necessity"}).get_text() == "I agree"
    assert page.find("textarea", attrs={"name": "collateral_intrusion"}).get_text() == (
        STATEMENTS.collateral_intrusion
    )
    assert page.title.string.startswith("Error: ")
    assert application(app, submitted).status == ApplicationStatus.SUBMITTED
    assert application(app, submitted).decisions == []


@pytest.mark.parametrize(
    "name, typed",
    [
        ("proportionality_balance", "Agreed"),
        ("proportionality_least_intrusive", "As above"),
        ("proportionality_appropriate", "See application"),
        ("proportionality_alternatives", "None were suitable."),
        ("collateral_intrusion", ""),
    ],
)
def test_each_element_of_proportionality_and_collateral_intrusion_needs_own_words(
    client, app, submitted, authoriser, name, typed
):
    client.sign_in(authoriser)
    response = decide(client, app, submitted, **{name: typed})
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert errors[name].startswith("Say in your own words")
    assert application(app, submitted).status == ApplicationStatus.SUBMITTED


def test_the_applicants_answer_pasted_as_the_officers_own_is_refused(
    client, app, submitted, authoriser
):
    client.sign_in(authoriser)
    pasted = "  " + APPLICATION["proportionality_alternatives"].upper() + " "
    response = decide(client, app, submitted, proportionality_alternatives=pasted)
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert "Copying the applicant's answer is not enough" in errors["proportionality_alternatives"]


def test_a_refusal_needs_reasons_but_no_statements(client, app, submitted, authoriser):
    client.sign_in(authoriser)
    blank = dict.fromkeys(Statements.names(), "")
    response = decide(client, app, submitted, decision="refused", reasons="", **blank)
    assert error_messages(check_page(response.get_data(as_text=True))) == {
        "reasons": "Enter your reasons"
    }
    reasons = "Not proportionate: a warning letter has not been tried."
    response = decide(client, app, submitted, decision="refused", reasons=reasons, **blank)
    assert response.status_code == 302
    assert application(app, submitted).status == ApplicationStatus.REFUSED


# The service enforces the same rules as the form ---------------------------------------------


def _decide_directly(app, user_id, application_id, statements, **overrides):
    args = {
        "decision": Decision.APPROVED,
        "what_authorised": "The seller's Facebook page, twice a week.",
        "reasons": "",
        "review_interval_days": 28,
        "directly_involved": False,
        "directly_involved_reason": "",
        **overrides,
    }
    with app.app_context():
        s = db.session()
        record = s.get(Application, application_id)
        try:
            lifecycle.decide_application(
                s,
                s.get(User, user_id),
                record,
                decision=args["decision"],
                what_authorised=args["what_authorised"],
                reasons=args["reasons"],
                review_interval_days=args["review_interval_days"],
                directly_involved=args["directly_involved"],
                directly_involved_reason=args["directly_involved_reason"],
                version=record.version,
                now=datetime(2026, 3, 3, 10, tzinfo=UTC),
                statements=statements,
                offences_genuine=True,
            )
        finally:
            s.rollback()


def test_lifecycle_refuses_an_approval_with_a_bare_statement_whatever_the_form_did(
    app, submitted, authoriser
):
    bare = Statements(**{**STATEMENTS.as_dict(), "proportionality_balance": "As above"})
    with pytest.raises(changes.InputProblem) as refused:
        _decide_directly(app, authoriser.id, submitted, bare)
    assert refused.value.field == "proportionality_balance"
    assert str(refused.value).startswith("Say in your own words how the size and scope")
    with pytest.raises(changes.InputProblem) as refused:
        _decide_directly(app, authoriser.id, submitted, Statements())
    assert refused.value.field == "necessity"
    assert application(app, submitted).status == ApplicationStatus.SUBMITTED


def test_lifecycle_refuses_a_directly_involved_officer_who_gives_no_reason(
    app, submitted, authoriser
):
    for reason in ("", "N/A"):
        with pytest.raises(changes.InputProblem) as refused:
            _decide_directly(
                app,
                authoriser.id,
                submitted,
                STATEMENTS,
                directly_involved=True,
                directly_involved_reason=reason,
            )
        assert refused.value.field == "directly_involved_reason"
        assert "why you must authorise an investigation you are involved in" in str(refused.value)
    assert application(app, submitted).decisions == []


def test_directly_involved_na_is_refused_on_the_page_too(client, app, submitted, authoriser):
    client.sign_in(authoriser)
    response = decide(
        client, app, submitted, directly_involved="yes", directly_involved_reason="n/a"
    )
    errors = error_messages(check_page(response.get_data(as_text=True)))
    assert errors["directly_involved_reason"] == (
        "Explain why you must authorise an investigation you are involved in"
    )


# Where the statements are read ---------------------------------------------------------------


def test_full_statements_show_on_the_central_record_page(
    client, app, officer, authoriser, coordinator, sro
):
    application_id = records.active(app, officer, authoriser, coordinator)
    client.sign_in(sro)
    page = client.get(f"/register/{application_id}")
    text = _text(page)
    for element in decision_rules.ELEMENTS:
        assert element.title in text
        assert " ".join(getattr(STATEMENTS, element.name).split()) in text, element.name


def test_statements_show_on_the_application_page_after_an_approval_through_the_form(
    client, app, submitted, authoriser
):
    client.sign_in(authoriser)
    assert decide(client, app, submitted).status_code == 302
    decision = application(app, submitted).decisions[0]
    assert decision.necessity == STATEMENTS.necessity
    assert decision.collateral_intrusion == STATEMENTS.collateral_intrusion
    text = _text(client.get(f"/applications/{submitted}"))
    assert STATEMENTS.proportionality_alternatives in text


def test_court_papers_print_each_statement_with_its_element(client, app, submitted, authoriser):
    client.sign_in(authoriser)
    assert decide(client, app, submitted).status_code == 302
    page = client.get(f"/applications/{submitted}/court-papers")
    text = _text(page.find(id="papers-authorisation").find_parent("section"))
    for element in decision_rules.ELEMENTS:
        assert f"{element.title}, in the authorising officer's words" in text
        assert " ".join(getattr(STATEMENTS, element.name).split()) in text


def test_csv_and_xlsx_extracts_have_the_statements_of_the_approval(
    client, app, officer, authoriser, coordinator, sro
):
    records.active(app, officer, authoriser, coordinator)
    client.sign_in(sro)
    response = client.get_response("/register/extract.csv?from=2026-01-01&to=2026-12-31")
    row = next(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert row["Authorising officer's own words: Necessity"] == STATEMENTS.necessity
    assert row["Authorising officer's own words: Collateral intrusion"] == (
        STATEMENTS.collateral_intrusion
    )
    response = client.get_response("/register/extract.xlsx?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["Authorisations"]
    values = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    for element in decision_rules.ELEMENTS:
        header = f"Authorising officer's own words: {element.title}"
        assert values[header] == getattr(STATEMENTS, element.name)


# Renewals ------------------------------------------------------------------------------------


def test_a_renewal_decision_needs_the_same_statements(
    client, app, officer, authoriser, coordinator
):
    application_id = records.active(app, officer, authoriser, coordinator)
    with app.app_context():
        s = db.session()
        record = s.get(Application, application_id)
        renewal = lifecycle.request_renewal(
            s,
            s.get(User, officer.id),
            record,
            reasons="The seller has opened a second page.",
            obtained_so_far="Listings of 40 bags.",
            version=record.version,
            today=record.last_day,
        )
        renewal_id, renewal_version, last_day = renewal.id, renewal.version, record.last_day
    client.sign_in(authoriser)
    url = f"/authorisations/{application_id}/renewals/{renewal_id}/decide"
    with time_machine.travel(datetime.combine(last_day, datetime.min.time(), UTC), tick=False):
        page = client.get(url)
        assert page.find("textarea", attrs={"name": "necessity"})
        assert "The seller has opened a second page." in _text(page.find(id="the-case"))
        data = {
            "decision": "approved",
            "what_authorised": "The seller's two pages, twice a week.",
            "review_interval_days": "28",
            "directly_involved": "no",
            **STATEMENTS.as_dict(),
            "necessity": "See application",
            "version": renewal_version,
        }
        response = client.post(url, data)
        errors = error_messages(check_page(response.get_data(as_text=True)))
        assert errors["necessity"].startswith("Say in your own words")
        assert client.post(url, {**data, "necessity": STATEMENTS.necessity}).status_code == 302
    renewal = application(app, application_id).renewals[0]
    decision = application(app, application_id).decisions[-1]
    assert decision.renewal_id == renewal.id
    assert decision.necessity == STATEMENTS.necessity
