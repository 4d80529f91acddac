"""The non-RIPA register: from an "outside RIPA" triage to approval, review, closure, extract."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
import time_machine
from sqlalchemy import select

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import plans
from ripa_guard.applications.models import Triage
from ripa_guard.core import audit, changes, db
from ripa_guard.core.models import AuditEvent
from ripa_guard.oversight import non_ripa
from ripa_guard.oversight.models import NonRipaActivity, NonRipaStatus
from tests.helpers import check_page, error_messages
from tests.journeys import HR_CHECK, MONITOR_SELLER, answer_triage

ASSESSMENT = {
    "title": "Sickness absence – depot employee",
    "purpose": "A disciplinary investigation: an employee on sick leave may be working elsewhere.",
    "subjects": "The employee; the removals firm's Facebook page",
    "activity": "View the firm's public page once a week for four weeks.",
    "necessity": "The page is the only evidence of the work.",
    "proportionality": "One business page, weekly, for four weeks; no contact.",
    "collateral_intrusion": "Other staff appear in posts: their images are not kept.",
    "alternatives": "An interview first would let the evidence be removed.",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def outside(client, officer) -> int:
    client.sign_in(officer)
    return answer_triage(client, HR_CHECK, title="Sickness absence – depot employee")


@pytest.fixture
def recorded(client, app, outside) -> int:
    response = client.post(f"/oversight/non-ripa/new/{outside}", ASSESSMENT)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        return db.session().scalar(non_ripa.register_query()).id


def _activity(app, activity_id) -> NonRipaActivity:
    with app.app_context():
        return db.session().get(NonRipaActivity, activity_id)


def _decide(client, activity_id, decision="approve", **overrides):
    data = {
        "decide-decision": decision,
        "decide-reasons": "Necessary for the disciplinary case; one page, weekly.",
        "decide-review_interval_days": "14",
        "version": "1",
        **overrides,
    }
    return client.post(f"/oversight/non-ripa/{activity_id}/decide", data)


def test_outside_ripa_outcome_offers_the_non_ripa_register(client, outside):
    page = client.get(f"/research/{outside}/outcome")
    button = page.find("a", string="Record it in the non-RIPA register")
    assert button["href"] == f"/oversight/non-ripa/new/{outside}"
    form = client.get(button["href"])
    assert form.select_one("#title")["value"] == "Sickness absence – depot employee"
    assert "no crime threshold" in form.get_text()


def test_officer_records_it_with_its_own_reference_and_waits_for_approval(
    client, app, outside, officer
):
    response = client.post(f"/oversight/non-ripa/new/{outside}", ASSESSMENT)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.h1.get_text(strip=True).startswith("NR/2026/0001")
    assert page.select_one("#status").get_text() == "Awaiting approval"
    assert "Do not start until a senior officer approves it" in page.get_text()
    outcome = client.get(f"/research/{outside}/outcome")
    assert "in the non-RIPA register as NR/2026/0001" in outcome.get_text()
    # A second visit goes to the record, not to a second entry.
    again = client.get_response(f"/oversight/non-ripa/new/{outside}")
    assert again.status_code == 302
    assert again.headers["Location"] == response.headers["Location"]
    with app.app_context():
        assert len(db.session().scalars(non_ripa.register_query()).all()) == 1


def test_the_assessment_form_gives_errors_by_the_field_and_keeps_what_was_typed(client, outside):
    page = client.post_page(
        f"/oversight/non-ripa/new/{outside}", {**ASSESSMENT, "necessity": "", "alternatives": ""}
    )
    assert page.title.string.startswith("Error: ")
    errors = error_messages(page)
    assert errors["necessity"] == "Enter why it is necessary"
    assert errors["alternatives"] == "Enter what else was considered"
    assert page.select_one("#proportionality").get_text() == ASSESSMENT["proportionality"]


def test_only_an_outside_ripa_triage_leads_to_the_register(client, officer):
    client.sign_in(officer)
    triage_id = answer_triage(client, MONITOR_SELLER)
    assert client.get_response(f"/oversight/non-ripa/new/{triage_id}").status_code == 404


def test_another_officer_cannot_record_or_read_someone_elses(
    client, outside, recorded, other_officer
):
    client.sign_in(other_officer)
    assert client.get_response(f"/oversight/non-ripa/new/{outside}").status_code == 403
    assert client.get_response(f"/oversight/non-ripa/{recorded}").status_code == 403
    page = client.get("/oversight/non-ripa/")
    assert "NR/2026/0001" not in page.get_text()


def test_senior_officer_approves_reviews_and_it_is_closed(
    client, app, recorded, officer, authoriser
):
    client.sign_in(authoriser)
    page = client.get(f"/oversight/non-ripa/{recorded}")
    assert page.select_one("#decide-decision")
    assert _decide(client, recorded).status_code == 302
    activity = _activity(app, recorded)
    assert activity.status == NonRipaStatus.APPROVED
    assert activity.decision.decided_by_name == "Arthur Authoriser"
    assert non_ripa.next_review(activity).isoformat() == "2026-12-09"

    response = client.post(
        f"/oversight/non-ripa/{recorded}/review",
        {"review-continues": "yes", "review-notes": "Still needed.", "version": "2"},
    )
    assert response.status_code == 302
    assert _activity(app, recorded).reviews[0].continues is True

    client.sign_in(officer)
    response = client.post(
        f"/oversight/non-ripa/{recorded}/close",
        {"close-reason": "Evidence obtained.", "close-handling": "Kept in the HR case file."},
    )
    assert response.status_code == 302
    activity = _activity(app, recorded)
    assert activity.status == NonRipaStatus.CLOSED
    assert activity.closure.closed_by_name == "Olive Officer"
    with app.app_context():
        actions = [e.action for e in audit.history(db.session(), "non_ripa", recorded)]
    assert actions == [
        "non_ripa.recorded",
        "non_ripa.approved",
        "non_ripa.reviewed",
        "non_ripa.closed",
    ]


def test_approval_needs_a_review_interval_and_reasons(client, recorded, authoriser):
    client.sign_in(authoriser)
    response = _decide(
        client, recorded, **{"decide-review_interval_days": "", "decide-reasons": ""}
    )
    assert response.status_code == 400
    page = check_page(response.get_data(as_text=True))
    errors = error_messages(page)
    assert errors["decide-review_interval_days"] == "Enter how often it is to be reviewed, in days"
    assert errors["decide-reasons"] == "Enter your reasons"


def test_the_applicant_cannot_approve_their_own(app, outside, create_user):
    both = create_user(Role.OFFICER, Role.AUTHORISING_OFFICER, name="Bea Both")
    with app.app_context():
        s = db.session()
        person = s.get(User, both.id)
        triage = plans.start_triage(s, person, "HR check")
        plans.save_triage_answers(s, person, triage, HR_CHECK)
        plans.complete_triage(s, person, triage, app.extensions["ripa_guard.offences"])
        activity = non_ripa.record_activity(
            s,
            person,
            triage,
            title="HR check",
            purpose="p",
            subjects="s",
            activity="a",
            necessity="n",
            proportionality="p",
            collateral_intrusion="c",
            alternatives="a",
            prefix="NR",
        )
        with pytest.raises(changes.Refused, match="your own"):
            non_ripa.decide_activity(
                s,
                person,
                activity,
                approved=True,
                reasons="Fine.",
                review_interval_days=14,
                version=1,
                today=activity.approved_on,
            )


def test_an_officer_cannot_decide(client, recorded, officer):
    client.sign_in(officer)
    assert _decide(client, recorded).status_code == 403


def test_a_stale_decision_is_refused(client, app, recorded, authoriser, sro):
    client.sign_in(authoriser)
    assert _decide(client, recorded, decision="refuse").status_code == 302
    client.sign_in(sro)
    response = _decide(client, recorded)
    assert response.status_code == 400
    assert "refused, so that cannot be done" in response.get_data(as_text=True)
    assert _activity(app, recorded).status == NonRipaStatus.REFUSED


def test_register_page_and_extracts(client, app, recorded, authoriser, inspector):
    client.sign_in(authoriser)
    _decide(client, recorded)
    client.sign_in(inspector)
    page = client.get("/oversight/non-ripa/")
    assert page.h1.get_text() == "Non-RIPA register"
    row = page.find("a", string="NR/2026/0001").find_parent("tr").get_text(" ", strip=True)
    assert "Approved" in row and "Olive Officer" in row
    assert not page.select("main form[method=post]")

    response = client.get_response("/oversight/non-ripa/extract.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1
    assert rows[0]["Reference"] == "NR/2026/0001"
    assert rows[0]["Necessity (Article 8(2))"] == ASSESSMENT["necessity"]
    assert rows[0]["Decided by, name and grade"] == "Arthur Authoriser, Head of Service"

    response = client.get_response("/oversight/non-ripa/extract.xlsx?year=2026")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook["Non-RIPA register"]
    assert sheet["A2"].value == "NR/2026/0001"
    with app.app_context():
        taken = (
            db.session()
            .scalars(select(AuditEvent.action).where(AuditEvent.action.like("non_ripa.extract_%")))
            .all()
        )
    assert taken == ["non_ripa.extract_csv", "non_ripa.extract_xlsx"]


def test_inspector_cannot_decide_or_close(client, recorded, inspector):
    client.sign_in(inspector)
    page = client.get(f"/oversight/non-ripa/{recorded}")
    assert not page.select("main form[method=post]")
    assert _decide(client, recorded).status_code == 403
    response = client.post(
        f"/oversight/non-ripa/{recorded}/close", {"close-reason": "x", "close-handling": "y"}
    )
    assert response.status_code == 403


def test_missing_activity_is_404(client, sro):
    client.sign_in(sro)
    assert client.get_response("/oversight/non-ripa/999").status_code == 404


def test_references_are_their_own_sequence(app, officer, create_user):
    with app.app_context():
        s = db.session()
        person = s.get(User, officer.id)
        references = []
        for n in range(2):
            triage = plans.start_triage(s, person, f"HR {n}")
            plans.save_triage_answers(s, person, triage, HR_CHECK)
            plans.complete_triage(s, person, triage, app.extensions["ripa_guard.offences"])
            activity = non_ripa.record_activity(
                s,
                person,
                triage,
                title=f"HR {n}",
                purpose="p",
                subjects="s",
                activity="a",
                necessity="n",
                proportionality="p",
                collateral_intrusion="c",
                alternatives="a",
                prefix="NR",
            )
            references.append(activity.reference)
        assert references == ["NR/2026/0001", "NR/2026/0002"]
        assert s.get(Triage, triage.id).application is None
