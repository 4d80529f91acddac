"""The papers for the magistrates' court: the filled-in judicial application/order form and the
application as approved, as a printable page and as a PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import court_papers, definitions, lifecycle
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    CourtOutcome,
    Decision,
    Renewal,
    RenewalStatus,
    Subject,
)
from ripa_guard.core import db
from ripa_guard.council import details
from ripa_guard.council.details import Details
from tests.helpers import PageClient
from tests.journeys import (
    APPLICATION,
    MONITOR_SELLER,
    STATEMENTS,
    answer_triage,
    complete_application,
    start_application,
    submit,
)

ROOT = Path(__file__).resolve().parents[2]
WHAT = "Viewing the Facebook and Instagram pages of Bargain Bags twice a week, capturing listings."
WHY = "Necessary: the seller trades only online. Proportionate: business pages only, set times."
DECIDED = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday
PROFILES = (
    "https://www.facebook.com/bargainbags.example",
    "https://instagram.com/bargainbags.example",
)


# Set-up -------------------------------------------------------------------------------------


@pytest.fixture
def submitted(client, app, officer) -> int:
    """An application submitted by Olive Officer, not yet decided; returns its id."""
    client.sign_in(officer)
    application_id = start_application(client, answer_triage(client, MONITOR_SELLER))
    complete_application(client, app, application_id)
    assert submit(client, app, application_id).status_code == 302
    return application_id


def _decide(app, user_id: int, application_id: int, decision: Decision) -> None:
    with app.app_context():
        session = db.session()
        actor = session.get(User, user_id)
        application = session.get(Application, application_id)
        lifecycle.decide_application(
            session,
            actor,
            application,
            decision=decision,
            what_authorised=WHAT,
            reasons=WHY,
            review_interval_days=28,
            directly_involved=False,
            directly_involved_reason="",
            version=application.version,
            now=DECIDED,
            statements=STATEMENTS,
            offences_genuine=True,
        )


@pytest.fixture
def approved(app, submitted, authoriser) -> int:
    """The same application, approved by Arthur Authoriser and awaiting the magistrate."""
    _decide(app, authoriser.id, submitted, Decision.APPROVED)
    return submitted


@pytest.fixture
def renewal_awaiting_court(app, approved, officer, authoriser) -> int:
    """A JP approved the grant (recorded by the authoriser); the officer asked for renewal 1 and
    the authoriser approved it."""
    with app.app_context():
        session = db.session()
        application = session.get(Application, approved)
        lifecycle.record_court_decision(
            session,
            session.get(User, authoriser.id),
            application,
            court="Borchester Magistrates' Court",
            hearing_date=date(2026, 11, 26),
            magistrate="A. Justice JP",
            outcome=CourtOutcome.APPROVED,
            decided_at=datetime(2026, 11, 26, 14, 0, tzinfo=UTC),
            notes="",
            version=application.version,
            now=datetime(2026, 11, 26, 15, 0, tzinfo=UTC),
        )
        renewal = lifecycle.request_renewal(
            session,
            session.get(User, officer.id),
            application,
            reasons="The seller has moved to a new page.",
            obtained_so_far="Listings of 40 bags.",
            version=application.version,
            today=date(2027, 2, 10),
        )
        lifecycle.decide_renewal(
            session,
            session.get(User, authoriser.id),
            application,
            renewal=renewal,
            decision=Decision.APPROVED,
            what_authorised="Renewed: the new page of Bargain Bags as well.",
            reasons="Still necessary: sales go on at scale.",
            review_interval_days=14,
            directly_involved=False,
            directly_involved_reason="",
            version=renewal.version,
            now=datetime(2027, 2, 11, 10, 0, tzinfo=UTC),
            statements=STATEMENTS,
        )
        return renewal.id


def _urn(app, application_id: int) -> str:
    with app.app_context():
        return db.session().get(Application, application_id).urn


def _snapshot(app, application_id: int) -> dict:
    with app.app_context():
        return dict(db.session().get(Application, application_id).offence_snapshot)


def _text(page) -> str:
    return " ".join(page.get_text(" ").split())


# The printable page ------------------------------------------------------------------------


def test_papers_show_the_form_filled_in_with_what_ripa_guard_knows(client, app, approved):
    page = client.get(f"/applications/{approved}/court-papers")
    text = _text(page)
    urn = _urn(app, approved)
    snapshot = _snapshot(app, approved)
    assert urn in page.h1.get_text()
    assert "Application for judicial approval for authorisation to obtain or disclose" in text
    assert "Court register code" not in text  # none unless the council sets one
    assert "Borsetshire District Council" in text
    assert f"{snapshot['title']} ({snapshot['citation']})" in text
    assert "Directed surveillance (RIPA s.28)" in text
    assert "Olive Officer, Senior Officer" in text
    assert "Arthur Authoriser, Head of Service" in text
    for url in PROFILES:
        assert url in text


def test_papers_leave_the_order_blank_for_the_magistrate(client, approved):
    page = client.get(f"/applications/{approved}/court-papers")
    order = page.find(id="papers-order").find_parent("section")
    text = _text(order)
    assert "refuse to approve the grant or renewal and quash the authorisation" in text
    assert "Address of magistrates' court" in text
    assert len(order.select(".app-papers__box")) == 3
    assert not order.find("input")


def test_papers_give_the_authorising_officers_own_words_and_say_what_each_date_is(client, approved):
    page = client.get(f"/applications/{approved}/court-papers")
    text = _text(page.find(id="papers-authorisation").find_parent("section"))
    assert WHAT in text
    assert WHY in text
    assert "Date of the authorising officer's decision Wednesday 25 November 2026" in text
    assert "Every 28 days" in text
    assert "directly involved in the investigation? No" in text


def test_papers_carry_every_answer_of_the_application_as_approved(client, app, approved):
    page = client.get(f"/applications/{approved}/court-papers")
    section = page.find(id="papers-application").find_parent("section")
    text = _text(section)
    definition = app.extensions["ripa_guard.forms"]["application"]
    for question in definition.questions:
        if question.kind in ("text", "textarea") and APPLICATION.get(question.name):
            assert " ".join(APPLICATION[question.name].split()) in text, question.name
    assert "Bargain Bags (trading name)" in text
    for url in PROFILES:
        assert url in text
    assert "Trade Marks Act 1994" in text
    for page_def in definition.pages:
        assert page_def.title in text


def test_answers_are_printed_as_typed_never_as_markup(client, app, officer, authoriser):
    client.sign_in(officer)
    application_id = start_application(client, answer_triage(client, MONITOR_SELLER))
    typed = "Seller's page says <script>alert('x')</script> & <b>bold</b>"
    complete_application(client, app, application_id, {"summary": typed})
    submit(client, app, application_id)
    _decide(app, authoriser.id, application_id, Decision.APPROVED)
    page = client.get(f"/applications/{application_id}/court-papers")
    assert typed in _text(page)
    assert not page.select("main script, main b")
    response = client.get_response(f"/applications/{application_id}/court-papers.pdf")
    assert response.status_code == 200


def test_papers_page_prints_without_inline_styles(client, approved):
    page = client.get(f"/applications/{approved}/court-papers")
    links = page.select('link[rel="stylesheet"][media="print"]')
    assert [link["href"] for link in links] == ["/static/css/print.css"]
    assert not page.find("style")
    assert not page.find(style=True)
    assert page.select_one("a[href$='court-papers.pdf']")


def test_council_address_comes_from_the_settings(client, app, approved, monkeypatch):
    monkeypatch.setitem(app.config, "COUNCIL_ADDRESS", "Council Offices, Borchester BC1 1AA")
    page = client.get(f"/applications/{approved}/court-papers")
    assert "Council Offices, Borchester BC1 1AA" in _text(page)


def test_papers_carry_the_council_details_the_sro_set_instead_of_blanks(
    client, app, approved, create_user
):
    with app.app_context():
        sro = db.session().get(User, create_user(Role.SRO).id)
        details.save(
            db.session(),
            sro,
            None,
            name="Borsetshire District Council",
            address="Council Offices\nBorchester BC1 1AA",
            telephone="01632 960123",
        )
    page = client.get(f"/applications/{approved}/court-papers")
    text = _text(page)
    assert "Council Offices" in text and "Borchester BC1 1AA" in text
    assert "01632 960123" in text
    rows = page.find(id="papers-form").find_next("table").select("tr")
    telephone = next(r for r in rows if "Contact telephone number" in r.find("th").get_text())
    assert telephone.find("td").get_text(strip=True) == "01632 960123"


# The PDF ------------------------------------------------------------------------------------


def test_pdf_is_an_attachment_named_after_the_urn(client, app, approved):
    response = client.get_response(f"/applications/{approved}/court-papers.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    name = _urn(app, approved).replace("/", "-") + "-court-papers.pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF")
    assert len(response.data) > 10_000


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_pdf_marks_every_page_with_the_urn_and_counts_its_pages(client, app, approved, tmp_path):
    pdf = tmp_path / "papers.pdf"
    pdf.write_bytes(client.get_response(f"/applications/{approved}/court-papers.pdf").data)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    urn = _urn(app, approved)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"URN {urn}" in text, f"page {number} has no URN"
        assert f"Page {number} of {len(pages)}" in text
    everything = " ".join(" ".join(pages).split())
    assert "SW99010" not in everything
    layout = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(rf"Number of pages\s+{len(pages)}\n", layout)
    assert WHAT.split(",")[0] in everything


#: Fewer non-blank lines than this, the page's own furniture (marking, URN, council, page
#: number) included, and a page holds little more than a stray row.
NEAR_EMPTY = 15


def _lines_per_page(pdf) -> list[int]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    return [sum(1 for line in page.splitlines() if line.strip()) for page in pages]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
@pytest.mark.parametrize("renewal", [False, True])
def test_no_page_of_the_pdf_is_near_empty_but_the_last(
    client, app, approved, renewal_awaiting_court, tmp_path, renewal
):
    query = f"?renewal={renewal_awaiting_court}" if renewal else ""
    pdf = tmp_path / "papers.pdf"
    pdf.write_bytes(client.get_response(f"/applications/{approved}/court-papers.pdf{query}").data)
    lines = _lines_per_page(pdf)
    assert len(lines) > 2
    assert min(lines[:-1]) >= NEAR_EMPTY, lines


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) not installed")
def test_the_pdf_is_tagged_for_screen_readers(client, app, approved, tmp_path):
    pdf = tmp_path / "papers.pdf"
    pdf.write_bytes(client.get_response(f"/applications/{approved}/court-papers.pdf").data)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    structure = subprocess.run(
        ["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True
    ).stdout
    assert "H2" in structure and "Table" in structure


# Renewals -----------------------------------------------------------------------------------


def test_renewal_papers_give_the_renewal_and_the_decision_on_it(
    client, app, approved, renewal_awaiting_court
):
    url = f"/applications/{approved}/court-papers"
    grant = client.get(url)
    assert grant.select_one(f"a[href='{url}?renewal={renewal_awaiting_court}']")
    page = client.get(f"{url}?renewal={renewal_awaiting_court}")
    text = _text(page)
    assert "renewal 1 of the authorisation (RIPA s.32B)" in text
    assert "Renewed: the new page of Bargain Bags as well." in text
    assert "Date of the authorising officer's decision Thursday 11 February 2027" in text
    # RIPA s.43(9)(b): the renewal takes effect on the last day it renews, Thursday 25 February.
    assert "First day of the renewal, if approved by then Thursday 25 February 2027" in text
    assert "Last day of the renewal, if approved by then Monday 24 May 2027" in text
    assert WHAT not in text
    response = client.get_response(f"{url}.pdf?renewal={renewal_awaiting_court}")
    assert response.status_code == 200
    assert "-renewal-1-court-papers.pdf" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("renewal", ["999999", "abc", ""])
def test_unknown_renewal_gives_not_found(client, approved, renewal):
    url = f"/applications/{approved}/court-papers?renewal={renewal}"
    assert client.get_response(url).status_code == 404


# Who may have them, and when ----------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_papers_need_sign_in(app, approved, suffix):
    anonymous = PageClient(app)
    response = anonymous.get_response(f"/applications/{approved}/court-papers{suffix}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SRO, Role.AUTHORISING_OFFICER])
def test_those_who_prepare_or_present_the_papers_can_print_them(
    client, create_user, approved, role
):
    client.sign_in(create_user(role))
    client.get(f"/applications/{approved}/court-papers")


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_inspector_cannot_print_the_papers(client, inspector, approved, suffix):
    client.sign_in(inspector)
    assert client.get_response(f"/applications/{approved}/court-papers{suffix}").status_code == 403


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_another_officer_cannot_print_the_papers(client, other_officer, approved, suffix):
    client.sign_in(other_officer)
    assert client.get_response(f"/applications/{approved}/court-papers{suffix}").status_code == 403


def test_an_officer_who_is_also_an_inspector_cannot_print_someone_elses_papers(
    client, create_user, approved
):
    client.sign_in(create_user(Role.OFFICER, Role.INSPECTOR))
    assert client.get_response(f"/applications/{approved}/court-papers").status_code == 403


def test_draft_has_no_papers(client, officer):
    client.sign_in(officer)
    application_id = start_application(client, answer_triage(client, MONITOR_SELLER))
    assert client.get_response(f"/applications/{application_id}/court-papers").status_code == 404


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_application_not_yet_approved_has_no_papers(client, coordinator, submitted, suffix):
    assert client.get_response(f"/applications/{submitted}/court-papers{suffix}").status_code == 404
    client.sign_in(coordinator)
    assert client.get_response(f"/applications/{submitted}/court-papers{suffix}").status_code == 404


def test_refused_application_has_no_papers(client, app, authoriser, submitted):
    _decide(app, authoriser.id, submitted, Decision.REFUSED)
    assert client.get_response(f"/applications/{submitted}/court-papers").status_code == 404


def test_missing_application_gives_not_found(client, coordinator):
    client.sign_in(coordinator)
    assert client.get_response("/applications/999999/court-papers").status_code == 404


# The form and what fills it -----------------------------------------------------------------


def test_court_order_form_is_a_valid_definition():
    form = definitions.load(ROOT / "forms" / "court_order.toml")
    assert [p.slug for p in form.pages] == ["application", "order"]
    decision = form.question("decision")
    assert [c.value for c in decision.choices] == ["approved", "refused", "quashed"]
    assert [c.value for c in decision.choices] == [o.value for o in CourtOutcome]


def _application(**overrides) -> Application:
    officer = User(name="Olive Officer", grade="Senior Officer", service="Trading Standards")
    fields = {
        "id": 7,
        "urn": "RIPA/2026/0007",
        "status": ApplicationStatus.AWAITING_COURT,
        "answers": dict(APPLICATION),
        "offence_snapshot": {
            "title": "Unauthorised use of a trade mark (counterfeit goods)",
            "citation": "Trade Marks Act 1994, s.92",
            "threshold_reason": "Punishable by up to 10 years in prison.",
            "threshold_citation": "SI 2010/521, article 7A(3)(a)",
        },
    }
    application = Application(**{**fields, **overrides})
    application.officer = officer
    application.subjects = [
        Subject(
            name="Bargain Bags",
            description="Seller at Market Street",
            profiles=[{"platform": "Facebook", "url": PROFILES[0]}],
        )
    ]
    return application


def _decision(renewal_id=None, name="Arthur Authoriser", decision=Decision.APPROVED):
    return AuthorisingDecision(
        renewal_id=renewal_id,
        decided_by_name=name,
        decided_by_grade="Head of Service",
        decision=decision,
        decided_at=DECIDED,
        what_authorised=WHAT,
        reasons=WHY,
        review_interval_days=28,
        directly_involved=False,
    )


def test_values_fill_the_applicants_part_of_the_form_and_leave_the_rest_blank():
    application = _application()
    application.decisions = [
        _decision(name="Refusing Officer", decision=Decision.RETURNED),
        _decision(),
    ]
    council = Details(name="Borsetshire District Council", address="Borchester BC1")
    values = court_papers.values(application, council)
    form = definitions.load(ROOT / "forms" / "court_order.toml")
    assert set(values) == {q.name for q in form.page("application").questions}
    assert values["local_authority"] == "Borsetshire District Council"
    assert values["department"] == "Trading Standards"
    assert values["offence"].startswith(
        "Unauthorised use of a trade mark (counterfeit goods) (Trade Marks Act 1994, s.92)"
    )
    assert values["offence"].endswith("\nCrime threshold: Punishable by up to 10 years in prison.")
    assert values["subject"] == f"Bargain Bags\nSeller at Market Street\nFacebook: {PROFILES[0]}"
    assert values["technique"] == "Directed surveillance (RIPA s.28)"
    assert APPLICATION["summary"] in values["summary"]
    assert f"What will be done: {APPLICATION['activity']}" in values["summary"]
    assert values["investigating_officer"] == "Olive Officer, Senior Officer"
    assert values["authorising_officer"] == "Arthur Authoriser, Head of Service"
    assert values["address"] == "Borchester BC1"
    assert values["reference"] == "RIPA/2026/0007"
    assert values["court_register_code"] == ""  # none unless the council sets one
    set_by_council = court_papers.values(
        application, Details(name="C", telephone="01632 960001"), court_register_code="AB123"
    )
    assert set_by_council["court_register_code"] == "AB123"
    assert set_by_council["telephone"] == "01632 960001"
    assert values["officers_appearing"] == values["telephone"] == values["number_of_pages"] == ""
    assert court_papers.filename(application) == "RIPA-2026-0007-court-papers.pdf"


def test_values_for_a_renewal_name_the_officer_who_approved_the_renewal():
    application = _application(status=ApplicationStatus.ACTIVE, last_day=date(2027, 2, 25))
    renewal = Renewal(
        id=3,
        application_id=7,
        number=1,
        reasons="Still selling.",
        obtained_so_far="",
        status=RenewalStatus.AWAITING_COURT,
        starts_on=date(2027, 2, 26),
        ends_on=date(2027, 5, 25),
        requested_at=datetime(2027, 2, 10, 9, 0, tzinfo=UTC),
    )
    application.decisions = [_decision(), _decision(renewal_id=3, name="Rita Renewer")]
    application.renewals = [renewal]
    values = court_papers.values(application, Details(name="Council"), renewal, number_of_pages=9)
    assert values["authorising_officer"] == "Rita Renewer, Head of Service"
    assert "renewal 1" in values["technique"]
    assert "Friday 26 February 2027" in values["summary"]
    assert values["number_of_pages"] == "9"
    assert court_papers.has_papers(application, renewal)
    assert (
        court_papers.filename(application, renewal) == "RIPA-2026-0007-renewal-1-court-papers.pdf"
    )
    rows = dict(court_papers.authorisation(application, renewal))
    assert rows["Authorising officer"] == "Rita Renewer, Head of Service"
    assert rows["Date of the authorising officer's decision"] == "Wednesday 25 November 2026"


def test_only_an_approval_waiting_for_or_given_by_a_magistrate_has_papers():
    application = _application(status=ApplicationStatus.SUBMITTED)
    assert not court_papers.has_papers(application)
    application.status = ApplicationStatus.AWAITING_COURT
    assert not court_papers.has_papers(application)  # no approval recorded
    application.decisions = [_decision()]
    assert court_papers.has_papers(application)
    for status in (ApplicationStatus.QUASHED, ApplicationStatus.CANCELLED):
        application.status = status
        assert not court_papers.has_papers(application)
