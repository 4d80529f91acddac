"""Hostile and random input on the forms and JSON endpoints test_bad_input.py does not reach:
decisions, the court, reviews, renewals, cancellation, accounts, the register's filters, the
viewing log and its API, and the second step of signing in. Never a 500, never HTML that runs,
and the form comes back with its message and what was typed.

Each form is sent any subset of its fields (missing ones), a field given several times
(repeated ones), fields it does not have, and for dates, parts out of any range.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from ripa_guard.accounts.models import SignInFailure, User
from ripa_guard.applications.models import Application
from ripa_guard.core import db
from ripa_guard.viewing import log as viewing_log
from ripa_guard.viewing import tokens
from tests import records
from tests.helpers import check_page, error_messages
from tests.viewing_setup import case_for, register_profile

SCRIPT = "<script>alert(1)</script>"
HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            SCRIPT,
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE applications; --",
            "1 OR 1=1",
            "\x00\x01\x1b[31m\u202e",
            "Ünïcödé – العربية – 中文 – ѕсrірt – 🙂",
            "a" * 20_000,
            "javascript:alert(1)",
            "{{ config }}{% raw %}",
            "%s%n%x",
            "   ",
            "-1",
            "99999999999999999999",
            "0",
            "1e309",
            "NaN",
        ]
    ),
)
DATE_PART = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["0", "31", "32", "13", "29", "9999", "10000", "1752", "0001", ""]),
)
#: A value as a form sends it: once, several times (a repeated field), or a date's three parts.
FORM_VALUE = st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, min_size=2, max_size=3))
DATE_VALUE = st.lists(DATE_PART, min_size=0, max_size=4)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: The moment the records below are in the states these forms need.
MOMENT = datetime(2026, 4, 1, 11, 0, tzinfo=UTC)

FIGURES = {"inputs": 0}


def form_data(fields: list[str], dates: tuple[str, ...] = ()):
    """Any subset of the fields, with hostile values, plus a field the form does not have."""
    values = {name: DATE_VALUE if name in dates else FORM_VALUE for name in fields}
    values["unexpected_field"] = FORM_VALUE
    return st.fixed_dictionaries({}, optional=values)


def handled(response, allowed=(200, 302, 400)) -> None:
    FIGURES["inputs"] += 1
    assert response.status_code in allowed, response.status_code
    if not (response.mimetype.startswith("text/") or response.is_json):
        return  # a spreadsheet or a PDF: nothing a browser runs
    body = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        assert SCRIPT not in body and "<img src=x onerror" not in body
    if response.status_code == 200 and response.mimetype == "text/html":
        check_page(body)


@pytest.fixture
def submitted_id(app, officer):
    with time_machine.travel(MOMENT, tick=False):
        return records.submitted(app, officer)


@pytest.fixture
def awaiting_court_id(app, submitted_id, authoriser):
    with time_machine.travel(MOMENT, tick=False):
        records.approve(app, submitted_id, authoriser)
    return submitted_id


@pytest.fixture
def active_id(app, officer, authoriser, coordinator):
    with time_machine.travel(MOMENT, tick=False):
        return records.active(app, officer, authoriser, coordinator)


def _post(client, url, data):
    with time_machine.travel(MOMENT, tick=False):
        return client.post(url, data)


def _version(app, application_id):
    with app.app_context():
        return db.session().get(Application, application_id).version


# Decisions and the court -----------------------------------------------------------------------

DECISION_FIELDS = [
    "decision",
    "what_authorised",
    "reasons",
    "review_interval_days",
    "directly_involved",
    "directly_involved_reason",
    "version",
]


@FUZZ
@given(data=form_data(DECISION_FIELDS))
def test_decision_form_survives_anything(client, app, authoriser, submitted_id, data):
    client.sign_in(authoriser)
    handled(_post(client, f"/authorisations/{submitted_id}/decide", data))


COURT_FIELDS = [
    "court",
    "hearing_date",
    "magistrate",
    "outcome",
    "decision_date",
    "decision_time",
    "notes",
    "version",
]


@FUZZ
@given(data=form_data(COURT_FIELDS, dates=("hearing_date", "decision_date")))
def test_court_form_survives_anything(client, app, coordinator, awaiting_court_id, data):
    client.sign_in(coordinator)
    handled(_post(client, f"/authorisations/{awaiting_court_id}/court", data))


@pytest.mark.parametrize(
    "day, month, year",
    [
        ("32", "1", "2026"),
        ("29", "2", "2026"),
        ("1", "13", "2026"),
        ("1", "1", "99999"),
        ("1", "1", "0"),
        ("-1", "1", "2026"),
        ("", "", ""),
        ("1", "1", "1e3"),
    ],
)
def test_court_dates_out_of_range_are_refused_with_what_was_typed(
    client, app, coordinator, awaiting_court_id, day, month, year
):
    submitted_id = awaiting_court_id
    client.sign_in(coordinator)
    response = _post(
        client,
        f"/authorisations/{submitted_id}/court",
        {
            "court": "Borchester Magistrates' Court",
            "hearing_date": [day, month, year],
            "magistrate": "A. N. Justice JP",
            "outcome": "approved",
            "decision_date": ["5", "3", "2026"],
            "decision_time": "14:30",
            "version": _version(app, submitted_id),
        },
    )
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert error_messages(page), "no message for the date"
    assert page.select_one("input[name=court]")["value"] == "Borchester Magistrates' Court"
    if year:
        assert year in [i.get("value") for i in page.select("input[name=hearing_date]")]


# Reviews, renewals, cancellation ---------------------------------------------------------------


@FUZZ
@given(data=form_data(["outcome", "reasons", "next_interval_days", "version"]))
def test_review_form_survives_anything(client, app, authoriser, active_id, data):
    client.sign_in(authoriser)
    handled(_post(client, f"/authorisations/{active_id}/review", data))


@FUZZ
@given(data=form_data(["reasons", "obtained_so_far", "version"]))
def test_renewal_request_survives_anything(client, app, officer, active_id, data):
    client.sign_in(officer)
    handled(_post(client, f"/authorisations/{active_id}/renewal", data))


@FUZZ
@given(data=form_data(DECISION_FIELDS))
def test_renewal_decision_survives_anything(client, app, officer, authoriser, active_id, data):
    from ripa_guard.applications import lifecycle
    from ripa_guard.applications.models import Renewal

    with app.app_context():
        s = db.session()
        application = s.get(Application, active_id)
        renewal = application.pending_renewal or lifecycle.request_renewal(
            s,
            s.get(User, officer.id),
            application,
            reasons="Still trading.",
            obtained_so_far="Screens.",
            version=None,
            today=MOMENT.date(),
            now=MOMENT,
        )
        renewal_id = renewal.id
        assert s.get(Renewal, renewal_id)
    client.sign_in(authoriser)
    handled(_post(client, f"/authorisations/{active_id}/renewals/{renewal_id}/decide", data))


@FUZZ
@given(
    data=form_data(
        ["reason", "obtained", "handling", "stop_date", "stop_time", "version"],
        dates=("stop_date",),
    )
)
def test_cancellation_survives_anything(client, app, authoriser, active_id, data):
    client.sign_in(authoriser)
    handled(_post(client, f"/authorisations/{active_id}/cancel", data))


# The council's details ---------------------------------------------------------------------------


@FUZZ
@given(
    data=form_data(
        [
            "name",
            "address",
            "telephone",
            "policy_url",
            "coordinator_name",
            "coordinator_email",
            "coordinator_telephone",
            "version",
        ]
    )
)
def test_council_details_form_survives_anything(client, sro, data):
    client.sign_in(sro)
    handled(client.post("/council/details", data))
    client.get("/help")  # whatever was saved shows without a 500 on every page's footer


# Accounts and signing in -----------------------------------------------------------------------


@FUZZ
@given(data=form_data(["email", "name", "grade", "service", "roles", "can_authorise_confidential"]))
def test_admin_user_form_survives_anything(client, sro, data):
    client.sign_in(sro)
    handled(client.post("/admin/users/new", data))
    handled(client.post(f"/admin/users/{sro.id}", data))


def test_admin_user_form_keeps_what_was_typed(client, sro):
    client.sign_in(sro)
    page = client.post_page(
        "/admin/users/new",
        {"email": "not an email <b>", "name": SCRIPT, "grade": "G" * 201, "roles": "emperor"},
    )
    errors = error_messages(page)
    assert {"email", "grade", "roles"} <= set(errors)
    assert page.select_one("input[name=name]")["value"] == SCRIPT
    assert page.select_one("input[name=email]")["value"] == "not an email <b>"


@FUZZ
@given(data=form_data(["current_password", "new_password", "confirm_password"]))
def test_change_password_survives_anything(client, app, officer, data):
    # Wrong current passwords are throttled and lock the account (test_sign_in_security): here,
    # every example reaches the form itself.
    app.extensions["ripa_guard.limiter"].reset()
    with app.app_context():
        db.session().execute(delete(SignInFailure))
        db.session().commit()
    client.sign_in(officer)
    handled(client.post("/account/password", data))


@FUZZ
@given(data=form_data(["code", "password"]))
def test_second_step_forms_survive_anything(client, authoriser, data):
    client.sign_in(authoriser)
    handled(client.post("/account/two-step", data))
    handled(client.post("/account/two-step/remove", data))
    client.sign_out()
    handled(client.post("/sign-in/code", data))


# The central record's filters ------------------------------------------------------------------


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["from", "to", "year", "status", "officer", "page", "q", "sort", "x"]),
        FORM_VALUE,
        max_size=6,
    ),
    path=st.sampled_from(
        [
            "/register/",
            "/register/extract",
            "/register/extract.csv",
            "/register/extract.xlsx",
            "/register/extract/print",
            "/register/annual-return",
            "/research/oversight",
            "/viewings/oversight",
            "/viewings/oversight/profile",
            "/viewings/oversight/subject",
        ]
    ),
)
def test_register_filters_survive_anything(client, coordinator, query, path):
    client.sign_in(coordinator)
    response = client.client.get(path, query_string=query)
    response.get_data()
    handled(response, allowed=(200, 302, 400, 404))


# The viewing log -------------------------------------------------------------------------------


@pytest.fixture
def profile_id(app, sro, officer):
    return register_profile(app, sro, "web", "TS research laptop 3", officer)


@FUZZ
@given(
    data=form_data(
        [
            "url",
            "investigation",
            "subject",
            "research_profile",
            "purpose",
            "captured",
            "capture_location",
        ]
    )
)
def test_viewing_form_survives_anything(client, officer, profile_id, data):
    client.sign_in(officer)
    handled(client.post("/viewings/new", data))


def test_viewing_form_keeps_what_was_typed(client, app, officer, profile_id):
    case_for(app, officer)
    client.sign_in(officer)
    page = client.post_page(
        "/viewings/new",
        {"url": SCRIPT, "investigation": "R" * 101, "subject": "Ünïcödé 中文", "purpose": ""},
    )
    assert {"purpose"} <= set(error_messages(page))
    assert page.select_one("input[name=subject]")["value"] == "Ünïcödé 中文"


@FUZZ
@given(note=form_data(["text"]), token=form_data(["name"]))
def test_note_and_token_forms_survive_anything(client, app, officer, profile_id, note, token):
    case = case_for(app, officer, "TS/1")
    with app.app_context():
        s = db.session()
        ask = viewing_log.ViewingRequest(
            url="https://www.instagram.com/someone.example",
            investigation_id=case,
            subject="S",
            purpose="P",
            research_profile_id=profile_id,
            captured=False,
        )
        outcome = viewing_log.request_viewing(s, s.get(User, officer.id), ask, MOMENT)
        viewing_id = (outcome.viewing or outcome.attempt).id
    client.sign_in(officer)
    if outcome.viewing is not None:
        handled(client.post(f"/viewings/{viewing_id}/notes", note))
    handled(client.post("/viewings/tokens", token))


@FUZZ
@given(
    new=form_data(
        ["platform", "handle", "covert", "created_on", "users", "notes"], dates=("created_on",)
    ),
    retire=form_data(["retired_on", "reason"], dates=("retired_on",)),
)
def test_research_profile_forms_survive_anything(client, sro, profile_id, new, retire):
    client.sign_in(sro)
    handled(client.post("/viewings/research-profiles/new", new))
    handled(client.post(f"/viewings/research-profiles/{profile_id}", new))
    handled(client.post(f"/viewings/research-profiles/{profile_id}/retire", retire))


# The JSON API ----------------------------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), HOSTILE_TEXT
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
API_FIELDS = [
    "url",
    "investigation",
    "subject",
    "purpose",
    "research_profile",
    "captured",
    "capture_location",
]


@pytest.fixture
def token(app, officer, profile_id):
    with app.app_context():
        s = db.session()
        return tokens.issue_token(s, s.get(User, officer.id), "Fuzz")[1]


def _api_handled(response) -> None:
    FIGURES["inputs"] += 1
    assert response.status_code in (200, 201, 400, 401, 403, 413, 415), response.status_code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body, dict)


@FUZZ
@given(
    body=st.one_of(
        st.fixed_dictionaries({}, optional={f: JSON_VALUES for f in API_FIELDS}),
        JSON_VALUES,
    ),
    path=st.sampled_from(["/api/v1/viewings", "/api/v1/checks"]),
)
def test_api_survives_any_json(client, token, body, path):
    response = client.client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    _api_handled(response)


@FUZZ
@given(
    raw=st.one_of(st.binary(max_size=500), HOSTILE_TEXT.map(str.encode)),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]
    ),
    authorization=st.one_of(st.just("TOKEN"), HOSTILE_TEXT),
)
def test_api_survives_any_bytes_and_any_token(client, token, raw, content_type, authorization):
    header = f"Bearer {token}" if authorization == "TOKEN" else authorization
    try:
        headers = {"Authorization": header, "Content-Type": content_type}
        response = client.client.post("/api/v1/viewings", data=raw, headers=headers)
    except ValueError:
        return  # a header no HTTP client can send (a newline in it): never reaches the app
    _api_handled(response)


def test_api_problems_are_reported_by_field(client, token):
    body = {"url": SCRIPT, "investigation": "five", "captured": "yes", "research_profile": []}
    response = client.client.post(
        "/api/v1/viewings", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    text = json.dumps(response.get_json())
    assert "investigation" in text and "captured" in text and "subject" in text


@pytest.mark.parametrize("profile", ["²", "٣", "-1", str(2**63), 2**63, 1.5, "9" * 40])
def test_api_names_a_research_profile_no_number_can_reach_with_a_clear_400(client, token, profile):
    body = {
        "url": "https://www.facebook.com/bargainbags.example",
        "investigation": "TS/2026/0412",
        "subject": "Bargain Bags",
        "purpose": "Check for new listings",
        "captured": False,
        "research_profile": profile,
    }
    response = client.client.post(
        "/api/v1/viewings", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert "research_profile" in response.get_json()["fields"]


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_api_answers_deeply_nested_json_with_a_clear_400(client, token, depth):
    raw = "[" * depth + "]" * depth
    response = client.client.post(
        "/api/v1/viewings",
        data=raw,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "Send a JSON object, like the example"


# Investigations --------------------------------------------------------------------------------


@FUZZ
@given(data=form_data(["reference", "title", "offences", "subjects", "officers"]))
def test_opening_an_investigation_survives_anything(client, officer, data):
    client.sign_in(officer)
    handled(client.post("/investigations/new", data))


@FUZZ
@given(
    close=form_data(["reason"]),
    add=form_data(["officer"]),
    decision=form_data(["ruling", "reason"]),
    fmt=form_data(["service", "template"]),
)
def test_investigation_forms_survive_anything(
    client, app, officer, coordinator, close, add, decision, fmt
):
    case = case_for(app, officer, "TS/FUZZ/1")
    client.sign_in(officer)
    handled(client.post(f"/investigations/{case}/officers", add))
    handled(client.post(f"/investigations/{case}/close", close))
    client.sign_in(coordinator)
    handled(client.post("/investigations/formats", fmt))
    handled(client.post("/investigations/held-looks/1/decision", decision), allowed=(200, 302, 404))
