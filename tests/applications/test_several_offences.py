"""An application names every offence the conduct is believed to constitute, with the facts for
each element, and the crime threshold is met if any one qualifies (SI 2010/521 art. 7A(2)-(3):
"the criminal offence or one of the criminal offences"; DOMAIN.md §1). The authorising officer
confirms the offences that meet it are genuinely suspected, not named to clear it."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from ripa_guard.applications.models import ApplicationStatus
from ripa_guard.law import decision_rules
from tests import records
from tests.helpers import check_page, error_messages, summary_errors
from tests.journeys import (
    MONITOR_SELLER,
    answer_triage,
    application,
    complete_application,
    decide,
    name_offence,
    start_application,
    submit,
    version,
)

TRADE_MARK = "Unauthorised use of a trade mark"
TRADE_MARK_FACTS = "Bags bearing a registered trade mark offered for sale without consent."
SUBLETTING = "Knowingly sub-letting a secure tenancy"
SUBLETTING_FACTS = "The seller lets out the council flat at 4 Market Street and lives elsewhere."
BLUE_BADGE = "Wrongful use of a disabled person's (Blue) badge when parking"
BLUE_BADGE_FACTS = "The seller parks at the market on a badge issued to a relative."
#: A fine-only offence beside one that carries ten years.
BOTH = (("TMA94-92", TRADE_MARK_FACTS), ("PSHFA-1-1", SUBLETTING_FACTS))


def _text(page) -> str:
    return " ".join(page.get_text(" ").split())


def _draft(client, app, officer) -> int:
    client.sign_in(officer)
    return start_application(client, answer_triage(client, MONITOR_SELLER))


def _remove(client, app, application_id: int, code: str):
    return client.post(
        f"/applications/{application_id}/offences/{code}/remove",
        {"version": version(app, application_id)},
    )


@pytest.fixture
def both(client, app, officer) -> int:
    """Submitted through the pages, naming a fine-only offence and a qualifying one."""
    application_id = _draft(client, app, officer)
    complete_application(client, app, application_id, offences=BOTH)
    response = submit(client, app, application_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    return application_id


# Drafting --------------------------------------------------------------------------------------


def test_the_offences_page_starts_with_the_triages_offence_waiting_for_its_facts(
    client, app, officer
):
    application_id = _draft(client, app, officer)
    page = client.get(f"/applications/{application_id}/offences")
    named = page.select_one("#offences-named")
    assert TRADE_MARK in _text(named)
    assert "The facts for each element are not given yet" in _text(named)
    assert page.select_one("select[name=offence] option[selected]")["value"] == "TMA94-92"


def test_an_offence_without_its_facts_is_refused_beside_the_field(client, app, officer):
    application_id = _draft(client, app, officer)
    page = client.post_page(
        f"/applications/{application_id}/offences",
        {"offence": "PSHFA-1-1", "facts": "  ", "version": version(app, application_id)},
    )
    assert page.title.string.startswith("Error: ")
    assert error_messages(page)["facts"] == "Give the facts for each element of the offence"
    assert application(app, application_id).offence_codes == ["TMA94-92"]


def test_an_offence_not_in_the_register_is_refused_beside_the_field(client, app, officer):
    application_id = _draft(client, app, officer)
    page = client.post_page(
        f"/applications/{application_id}/offences",
        {"offence": "MADE-UP-1", "facts": "Anything.", "version": version(app, application_id)},
    )
    assert error_messages(page)["offence"] == "Choose an offence from the list"


def test_the_officer_adds_an_offence_changes_its_facts_and_removes_it(client, app, officer):
    application_id = _draft(client, app, officer)
    name_offence(client, app, application_id, "PSHFA-1-1", "First account.")
    name_offence(client, app, application_id, "PSHFA-1-1", SUBLETTING_FACTS)
    record = application(app, application_id)
    assert record.offence_codes == ["TMA94-92", "PSHFA-1-1"]
    assert record.offence_facts == {"PSHFA-1-1": SUBLETTING_FACTS}
    page = client.get(f"/applications/{application_id}/offences")
    assert SUBLETTING_FACTS in _text(page.select_one("#offences-named"))
    assert "Does not meet the crime threshold" in _text(page.select_one("#offences-named"))

    response = _remove(client, app, application_id, "TMA94-92")
    assert response.status_code == 302
    record = application(app, application_id)
    assert record.offence_codes == ["PSHFA-1-1"]
    assert record.offence_code == "PSHFA-1-1"


def test_the_check_page_asks_for_the_facts_of_every_offence(client, app, officer):
    application_id = _draft(client, app, officer)
    complete_application(client, app, application_id, offences=())
    page = client.get(f"/applications/{application_id}/check")
    assert f"Give the facts for each element of {TRADE_MARK} (counterfeit goods)" in (
        summary_errors(page)
    )
    _remove(client, app, application_id, "TMA94-92")
    page = client.get(f"/applications/{application_id}/check")
    assert "Add each offence the conduct is believed to constitute, at least one" in (
        summary_errors(page)
    )


# Submission and the crime threshold -------------------------------------------------------------


def test_a_fine_only_offence_beside_a_qualifying_one_can_be_submitted_and_shows_both(
    client, app, both
):
    record = application(app, both)
    assert record.status == ApplicationStatus.SUBMITTED
    assert record.offence_snapshot["code"] == "TMA94-92"
    named = {o["code"]: o for o in record.offences_named}
    assert list(named) == ["TMA94-92", "PSHFA-1-1"]
    assert named["TMA94-92"]["meets"] is True
    assert named["PSHFA-1-1"]["meets"] is False
    assert named["PSHFA-1-1"]["facts"] == SUBLETTING_FACTS

    page = client.get(f"/applications/{both}")
    text = _text(page)
    assert "Trade Marks Act 1994, s.92. Maximum: up to 10 years in prison." in text
    assert (
        "Prevention of Social Housing Fraud Act 2013, s.1(1). Maximum: a fine only: no prison "
        "sentence." in text
    )
    assert "Meets the crime threshold" in text
    assert "Does not meet the crime threshold" in text
    assert SUBLETTING_FACTS in text and TRADE_MARK_FACTS in text


def test_only_fine_only_offences_are_refused_with_the_reason_and_the_citation(client, app, officer):
    application_id = _draft(client, app, officer)
    complete_application(
        client,
        app,
        application_id,
        offences=(("PSHFA-1-1", SUBLETTING_FACTS), ("RTRA-117", BLUE_BADGE_FACTS)),
    )
    _remove(client, app, application_id, "TMA94-92")
    response = submit(client, app, application_id)
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    problem = _text(page.select_one(".govuk-error-summary"))
    assert "None of the offences named meets the crime threshold" in problem
    assert f"{SUBLETTING}: a fine only" in problem and f"{BLUE_BADGE}: a fine only" in problem
    assert "SI 2010/521, article 7A(2)-(3)" in problem
    record = application(app, application_id)
    assert record.status == ApplicationStatus.DRAFT
    assert record.urn is None


def test_one_fine_only_offence_is_refused_with_its_own_reason(client, app, officer):
    application_id = _draft(client, app, officer)
    complete_application(client, app, application_id, offences=(("PSHFA-1-1", SUBLETTING_FACTS),))
    _remove(client, app, application_id, "TMA94-92")
    page = check_page(submit(client, app, application_id).get_data(as_text=True))
    problem = _text(page.select_one(".govuk-error-summary"))
    assert "The offence carries no prison sentence" in problem
    assert "(article 7A(3))" in problem


# The decision page and the authorising officer's confirmation ----------------------------------


def test_the_decision_page_lists_every_offence_and_which_meets_the_threshold(
    client, app, both, authoriser
):
    client.sign_in(authoriser)
    page = client.get(f"/authorisations/{both}/decide")
    case = _text(page.find(id="the-case"))
    assert TRADE_MARK in case and SUBLETTING in case
    assert "Maximum: up to 10 years in prison" in case
    assert "Maximum: a fine only" in case
    assert "Meets the crime threshold" in case and "Does not meet the crime threshold" in case
    assert page.select("input[name=offences_genuine]")


def test_an_approval_needs_the_confirmation_that_the_offences_are_genuinely_suspected(
    client, app, both, authoriser
):
    client.sign_in(authoriser)
    response = decide(client, app, both, offences_genuine="")
    page = check_page(response.get_data(as_text=True))
    assert error_messages(page)["offences_genuine"] == decision_rules.OFFENCES_GENUINE_NEEDED
    assert application(app, both).status == ApplicationStatus.SUBMITTED

    response = decide(client, app, both, offences_genuine="no")
    page = check_page(response.get_data(as_text=True))
    message = error_messages(page)["offences_genuine"]
    assert "You cannot approve unless you are satisfied" in message
    assert "SI 2010/521, article 7A(2)-(3)" in message
    assert application(app, both).status == ApplicationStatus.SUBMITTED

    response = decide(client, app, both)
    assert response.status_code == 302
    record = application(app, both)
    assert record.status == ApplicationStatus.AWAITING_COURT
    assert record.latest_approval.offences_genuine is True


def test_a_refusal_needs_no_confirmation(client, app, both, authoriser):
    client.sign_in(authoriser)
    response = decide(
        client, app, both, decision="refused", reasons="Not proportionate.", offences_genuine=""
    )
    assert response.status_code == 302
    assert application(app, both).status == ApplicationStatus.REFUSED


def test_the_service_refuses_an_approval_without_the_confirmation(app, officer, authoriser):
    from ripa_guard.applications import lifecycle
    from ripa_guard.applications.models import Application, Decision
    from ripa_guard.core import changes, db
    from tests.journeys import STATEMENTS

    application_id = records.submitted(app, officer)
    with app.app_context():
        s = db.session()
        record = s.get(Application, application_id)
        for answer, expected in (
            (None, decision_rules.OFFENCES_GENUINE_NEEDED),
            (False, decision_rules.OFFENCES_NOT_GENUINE),
        ):
            with pytest.raises(changes.InputProblem) as refused:
                lifecycle.decide_application(
                    s,
                    s.get(type(authoriser), authoriser.id),
                    record,
                    decision=Decision.APPROVED,
                    what_authorised="The seller's Facebook page, twice a week.",
                    reasons="",
                    review_interval_days=28,
                    directly_involved=False,
                    directly_involved_reason="",
                    version=record.version,
                    statements=STATEMENTS,
                    offences_genuine=answer,
                )
            assert refused.value.field == "offences_genuine"
            assert str(refused.value) == expected
            s.rollback()


# The record, the extracts and the court papers ----------------------------------------------


@pytest.fixture
def active_both(app, officer, authoriser, coordinator) -> int:
    return records.active(app, officer, authoriser, coordinator, offences=BOTH)


def test_the_central_record_lists_both_offences_and_which_meets_the_threshold(
    client, app, active_both, sro
):
    client.sign_in(sro)
    page = client.get(f"/register/{active_both}")
    offences = _text(page.select_one("#offences"))
    assert (
        f"{TRADE_MARK} (counterfeit goods) (Trade Marks Act 1994, s.92). Maximum: up to 10 years "
        "in prison. Meets the crime threshold" in offences
    )
    assert (
        f"{SUBLETTING} (Prevention of Social Housing Fraud Act 2013, s.1(1)). Maximum: a fine "
        "only: no prison sentence. Does not meet the crime threshold" in offences
    )
    assert SUBLETTING_FACTS in _text(page)


def test_the_register_filter_finds_an_entry_by_its_second_offence(client, app, active_both, sro):
    client.sign_in(sro)
    page = client.get("/register/?year=2026&offence=PSHFA-1-1")
    assert application(app, active_both).urn in _text(page)


def test_the_register_filter_matches_the_offence_code_as_typed_not_as_a_pattern(
    client, app, active_both, sro
):
    """A `%` or `_` in the address's offence is a character of the code, not a wildcard."""
    client.sign_in(sro)
    urn = application(app, active_both).urn
    for code in ("PSHFA_1_1", "PSHFA%", "%", "_"):
        assert urn not in _text(client.get("/register/", query_string={"offence": code})), code


def test_the_csv_and_xlsx_extracts_list_both_offences(client, app, active_both, sro):
    client.sign_in(sro)
    expected = (
        f"{TRADE_MARK} (counterfeit goods) (Trade Marks Act 1994, s.92), maximum: up to 10 years "
        f"in prison: meets the crime threshold | {SUBLETTING} (Prevention of Social Housing Fraud "
        "Act 2013, s.1(1)), maximum: a fine only: no prison sentence: does not meet it"
    )
    urn = application(app, active_both).urn
    response = client.get_response("/register/extract.csv?year=2026")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    [row] = [r for r in rows if r["URN (item 4)"] == urn]
    assert row["Offence"] == expected

    response = client.get_response("/register/extract.xlsx?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["Authorisations"]
    headers = [c.value for c in sheet[1]]
    rows = [
        dict(zip(headers, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    [row] = [r for r in rows if r["URN (item 4)"] == urn]
    assert row["Offence"] == expected


def test_the_court_papers_list_both_offences_with_their_facts(client, app, active_both, officer):
    client.sign_in(officer)
    page = client.get(f"/applications/{active_both}/court-papers")
    form = _text(page.find(id="papers-form").find_parent("section"))
    assert (
        "Trade Marks Act 1994, s.92). Maximum: up to 10 years in prison. Meets the crime threshold"
        in form
    )
    assert (
        "Prevention of Social Housing Fraud Act 2013, s.1(1)). Maximum: a fine only: no prison "
        "sentence. Does not meet the crime threshold" in form
    )
    offences = _text(page.select_one("#papers-offences"))
    assert TRADE_MARK_FACTS in offences and SUBLETTING_FACTS in offences
    details = _text(page.find(id="papers-application").find_parent("section"))
    assert "Offences under investigation" in details
