"""Hostile and random input on every form: never a 500, never HTML that runs, typing kept."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ripa_guard.core import db
from tests.helpers import error_messages
from tests.journeys import MONITOR_SELLER, answer_triage, start_application, version

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE applications; --",
            "\x00\x01\x1b[31m",
            "Ünïcödé – العربية – 中文 – 🙂",
            "a" * 20_000,
            "javascript:alert(1)",
            "https://www.facebook.com/" + "x" * 3000,
            "   ",
        ]
    ),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _assert_handled(response, allowed=(200, 302, 400)):
    assert response.status_code in allowed, response.status_code
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body


@pytest.fixture
def application_id(client, app, officer):
    client.sign_in(officer)
    return start_application(client, answer_triage(client, MONITOR_SELLER))


@FUZZ
@given(email=HOSTILE, password=HOSTILE)
def test_sign_in_survives_anything(client, email, password):
    # 429: sign-in is throttled per email address, and hypothesis repeats itself.
    response = client.post("/sign-in", {"email": email, "password": password})
    _assert_handled(response, allowed=(200, 302, 400, 429))


@FUZZ
@given(title=HOSTILE)
def test_new_research_survives_anything(client, officer, title):
    client.sign_in(officer)
    _assert_handled(client.post("/research/new", {"title": title}))


@FUZZ
@given(values=st.dictionaries(st.sampled_from(sorted(MONITOR_SELLER)), HOSTILE, max_size=8))
def test_triage_pages_survive_anything(client, app, officer, values):
    client.sign_in(officer)
    response = client.post("/research/new", {"title": "Fuzz"})
    url = response.headers["Location"]
    for slug in [p.slug for p in app.extensions["ripa_guard.forms"]["triage"].pages]:
        _assert_handled(client.post(url.rsplit("/", 1)[0] + "/" + slug, values))


@FUZZ
@given(
    page=st.sampled_from(
        [
            "investigation",
            "activity",
            "necessity",
            "proportionality",
            "collateral-intrusion",
            "confidential-information",
        ]
    ),
    text=HOSTILE,
    draft=st.booleans(),
)
def test_application_pages_survive_anything(client, app, application_id, page, text, draft):
    definition = app.extensions["ripa_guard.forms"]["application"]
    data = {q.name: text for q in definition.page(page).questions}
    data["version"] = version(app, application_id)
    if draft:
        data["save_draft"] = "1"
    _assert_handled(client.post(f"/applications/{application_id}/{page}", data))


@FUZZ
@given(name=HOSTILE, profiles=HOSTILE)
def test_subjects_survive_anything(client, app, application_id, name, profiles):
    response = client.post(
        f"/applications/{application_id}/subjects",
        {"name": name, "profiles": profiles, "version": version(app, application_id)},
    )
    _assert_handled(response)


@FUZZ
@given(offence=st.one_of(HOSTILE, st.sampled_from(["TMA94-92", "PSHFA-1-1"])), facts=HOSTILE)
def test_offences_survive_anything(client, app, application_id, offence, facts):
    response = client.post(
        f"/applications/{application_id}/offences",
        {"offence": offence, "facts": facts, "version": version(app, application_id)},
    )
    _assert_handled(response)


def test_script_in_an_answer_is_shown_as_text_not_run(client, app, application_id):
    client.post(
        f"/applications/{application_id}/investigation",
        {
            "investigation_title": "<script>alert(1)</script>",
            "case_reference": "R",
            "summary": "S",
            "version": version(app, application_id),
        },
    )
    page = client.get_response(f"/applications/{application_id}/check")
    body = page.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body


def test_over_long_answer_is_refused_by_the_field_with_the_text_kept(client, app, application_id):
    from tests.helpers import check_page, error_messages

    response = client.post(
        f"/applications/{application_id}/investigation",
        {
            "investigation_title": "T" * 201,
            "case_reference": "R",
            "summary": "S",
            "version": version(app, application_id),
        },
    )
    page = check_page(response.get_data(as_text=True))
    assert (
        error_messages(page)["investigation_title"]
        == "Title of the investigation must be 200 characters or fewer"
    )
    assert page.select_one("input[name=investigation_title]")["value"] == "T" * 201


def test_unknown_radio_answer_is_refused(client, officer):
    from tests.helpers import check_page, error_messages

    client.sign_in(officer)
    url = client.post("/research/new", {"title": "Radio"}).headers["Location"]
    response = client.post(url, {"criminal_investigation": "maybe", "offence": "FRAUD-1"})
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert error_messages(page)["criminal_investigation"].startswith("Select what the research")


def test_a_draft_never_keeps_a_choice_that_was_not_offered(client, app, application_id):
    from tests.journeys import application

    client.post(
        f"/applications/{application_id}/confidential-information",
        {
            "confidential_likely": "\x00maybe",
            "confidential_details": "",
            "save_draft": "1",
            "version": version(app, application_id),
        },
    )
    assert application(app, application_id).answers.get("confidential_likely", "") == ""


@pytest.mark.parametrize("title", ["Case\nBcc: x@evil.example", "Case\r\nX", "Case\u2028X"])
def test_a_single_line_field_refuses_line_breaks(client, app, officer, sro, title):
    """A title with a line break forged lines (a header) in the reminder e-mails it went into."""
    from ripa_guard.applications.models import Triage

    client.sign_in(officer)
    page = client.post_page("/research/new", {"title": title})
    assert error_messages(page) == {"title": "Enter the short name on one line"}
    with app.app_context():
        assert db.session().query(Triage).count() == 0
    client.sign_in(sro)
    page = client.post_page(
        f"/admin/users/{officer.id}",
        {
            "email": officer.email,
            "name": "Olive\nOfficer",
            "grade": "Officer",
            "roles": ["officer"],
        },
    )
    assert error_messages(page)["name"] == "Enter this on one line, without line breaks"
