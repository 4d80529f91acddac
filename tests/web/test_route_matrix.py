"""Every route, as every role and as a stranger, against one declared table of who may do what.

The table below is the access policy of the whole service. The test walks `app.url_map`: a route
that is not in the table fails, and so does a table entry whose route has gone. Each route is
called with GET and, where its rule allows POST, with a POST carrying a valid CSRF token and no
other data, as each person below; the answer must be what the table says, and never a 500.

- allowed: anything but 401, 403 or a redirect to the sign-in page (and never a 500, nor a 404:
  the records are real, so a 404 would mean the table, or the fixture, is wrong);
- refused: 403 for a signed-in person; a redirect to the sign-in page for a stranger; 401 from
  the JSON API, which takes a token and never the sign-in cookie.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from ripa_guard.accounts import single_sign_on
from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import lifecycle, plans
from ripa_guard.applications.models import Application
from ripa_guard.core import db
from ripa_guard.oversight import non_ripa, reconciliation, relevant_errors
from ripa_guard.oversight import reports as oversight
from ripa_guard.oversight.models import ErrorKind
from ripa_guard.viewing import captures, investigations
from ripa_guard.viewing import log as viewing_log
from ripa_guard.viewing import tokens as api_tokens
from ripa_guard.viewing.models import ApiToken, Viewing, ViewingAttempt
from tests import records
from tests.helpers import PageClient
from tests.journeys import HR_CHECK, MONITOR_SUBLETTING, UNLISTED_OFFENCE
from tests.viewing_setup import register_profile

#: Who calls each route. "owner" is the investigating officer whose records the URL names;
#: "officer" is another investigating officer, who tries the same URLs by changing nothing but
#: who they are (the ids are someone else's).
WHO = ("stranger", "owner", "officer", "authoriser", "sro", "coordinator", "inspector")

EVERYONE = frozenset(WHO)
SIGNED_IN = EVERYONE - {"stranger"}
OFFICERS = frozenset({"owner", "officer"})
OWNER = frozenset({"owner"})
SRO = frozenset({"sro"})
DECIDERS = frozenset({"authoriser", "sro"})
SRO_AND_COORDINATOR = frozenset({"sro", "coordinator"})
#: Everyone but the inspector and other officers sees a submitted application.
APPLICATION_READERS = frozenset({"owner", "authoriser", "sro", "coordinator"})
REGISTER_READERS = frozenset({"authoriser", "sro", "coordinator", "inspector"})
OVERSIGHT_READERS = frozenset({"sro", "coordinator", "inspector"})


@dataclass(frozen=True)
class Access:
    """Who may GET a route, and who may POST to it (the same people unless said)."""

    get: frozenset[str]
    post: frozenset[str] | None = None
    #: A query string the route needs to show anything (e.g. a filter).
    query: str = ""
    #: Why the policy is what it is, where that is not obvious.
    note: str = ""
    #: The route's own work is to send people to the sign-in page (signing out, the front
    #: door), so a redirect there is not a refusal.
    leads_to_sign_in: bool = False
    #: An officer refused gets 404, word for word the answer for a record that does not exist,
    #: so trying ids tells them nothing (issue 15, services apart).
    hidden: bool = False

    def allowed(self, method: str) -> frozenset[str]:
        return self.post if method == "POST" and self.post is not None else self.get


#: Routes served to anyone, or not by the app's views: left out on purpose.
NOT_CHECKED = {
    "static": "files of the GOV.UK Frontend build, public",
    "govuk_assets": "fonts and images of the GOV.UK Frontend build, public",
}

# fmt: off
ROUTES: dict[str, Access] = {
    # Signing in
    "auth.sign_in": Access(EVERYONE, note="a signed-in person is sent to their dashboard"),
    "auth.sign_out": Access(EVERYONE, leads_to_sign_in=True),
    "auth.second_step": Access(SIGNED_IN, note="a stranger must give a password first"),
    "auth.change_password": Access(SIGNED_IN),
    "auth.two_step": Access(SIGNED_IN),
    "auth.remove_two_step": Access(SIGNED_IN, note="one's own, with the password again"),
    "sso.start": Access(EVERYONE, leads_to_sign_in=True, note="tests/sso with a provider"),
    "sso.callback": Access(EVERYONE, leads_to_sign_in=True, note="tests/sso with a provider"),
    # Your account: each person's own, nobody else's
    "account.index": Access(SIGNED_IN),
    "account.recovery": Access(SIGNED_IN),
    "account.active_sessions": Access(SIGNED_IN),
    # Public pages and the dashboard
    "main.index": Access(EVERYONE, leads_to_sign_in=True),
    "main.about": Access(EVERYONE),
    "main.accessibility": Access(EVERYONE),
    "main.dashboard": Access(SIGNED_IN),
    "council.help_page": Access(SIGNED_IN, note="the glossary and who to ask"),
    "council.council_details": Access(SRO),
    "council.policy_settings": Access(SRO_AND_COORDINATOR),
    "notifications.index": Access(SIGNED_IN, note="each person sees and marks only their own"),
    "notifications.outbox": Access(SRO),
    "offences.index": Access(
        OFFICERS | frozenset({"authoriser", "sro", "coordinator"}),
        note="officers read the register, so they need not pick a wrong offence",
    ),
    "offences.held": Access(frozenset({"coordinator"})),
    # Accounts: the SRO alone
    "admin.users": Access(SRO),
    "admin.new_user": Access(SRO),
    "admin.reads": Access(SRO),
    "admin.edit_user": Access(SRO),
    "admin.account_action": Access(SRO),
    "sso.roles": Access(SRO),
    "sso.remove_role": Access(SRO),
    # Research plans (triage): the officer's own; the SRO and coordinator read outcomes
    "requests.index": Access(OFFICERS, note="each officer sees only their own list"),
    "requests.new": Access(OFFICERS),
    "requests.page": Access(OWNER),
    "requests.check": Access(OWNER),
    "requests.start_application": Access(OWNER),
    "requests.outcome": Access(frozenset({"owner", "sro", "coordinator"})),
    "requests.oversight": Access(SRO_AND_COORDINATOR),
    # Applications: the applicant changes; deciders and the coordinator read once submitted
    "applications.page": Access(OWNER),
    "applications.check": Access(OWNER),
    "applications.submitted": Access(OWNER),
    "applications.withdraw": Access(OWNER),
    "applications.remove_subject": Access(OWNER),
    "applications.change_subject": Access(OWNER),
    "applications.remove_offence": Access(OWNER),
    "applications.show": Access(APPLICATION_READERS, note="the inspector reads the register"),
    # Court papers: the applicant and those who prepare or present them
    "papers.court_papers": Access(APPLICATION_READERS),
    "papers.court_papers_pdf": Access(APPLICATION_READERS),
    # Decisions, the magistrate, reviews, renewals, cancellation
    "authorisations.queue": Access(DECIDERS),
    "authorisations.decide": Access(DECIDERS),
    "authorisations.review": Access(DECIDERS),
    "authorisations.cancel": Access(DECIDERS),
    "authorisations.decide_renewal": Access(DECIDERS),
    "authorisations.request_renewal": Access(OWNER),
    "authorisations.court": Access(
        frozenset({"coordinator", "authoriser", "sro"}),
        note="never the applicant: separation of duties (issue 17)",
    ),
    "authorisations.renewal_court": Access(
        frozenset({"coordinator", "authoriser", "sro"}),
        note="never the applicant: separation of duties (issue 17)",
    ),
    "authorisations.quash": Access(
        frozenset({"coordinator", "authoriser", "sro"}),
        note="never the applicant: separation of duties (issue 17)",
    ),
    "authorisations.renewal_quash": Access(
        frozenset({"coordinator", "authoriser", "sro"}),
        note="never the applicant: separation of duties (issue 17)",
    ),
    # The central record
    "register.overview": Access(REGISTER_READERS, note="the inspector's home page"),
    "register.index": Access(REGISTER_READERS),
    "register.record": Access(REGISTER_READERS),
    "register.not_made": Access(REGISTER_READERS),
    "register.extract": Access(REGISTER_READERS),
    "register.extract_csv": Access(REGISTER_READERS, query="from=2026-01-01&to=2026-12-31"),
    "register.extract_xlsx": Access(REGISTER_READERS, query="from=2026-01-01&to=2026-12-31"),
    "register.extract_print": Access(REGISTER_READERS, query="from=2026-01-01&to=2026-12-31"),
    "register.annual": Access(REGISTER_READERS),
    "register.destroy": Access(SRO),
    "register_import.upload": Access(SRO_AND_COORDINATOR),
    "register_import.template": Access(SRO_AND_COORDINATOR),
    "register_import.columns": Access(
        SRO_AND_COORDINATOR, note="a file no longer kept sends them back to upload it"
    ),
    # The viewing log
    "viewings.index": Access(OFFICERS, note="each officer sees only their own log"),
    "viewings.new": Access(OFFICERS),
    "viewings.show": Access(frozenset({"owner", "sro", "coordinator"})),
    "viewings.add_note": Access(OWNER),
    "viewings.stopped": Access(frozenset({"owner", "sro", "coordinator"})),
    "viewings.oversight": Access(SRO_AND_COORDINATOR),
    "viewings.profile_history": Access(SRO_AND_COORDINATOR, query="identity={identity}"),
    "viewings.subject_history": Access(SRO_AND_COORDINATOR, query="key={subject_key}"),
    "viewings.research_profiles": Access(SRO_AND_COORDINATOR),
    "viewings.research_profile": Access(SRO_AND_COORDINATOR, post=SRO),
    "viewings.new_research_profile": Access(SRO),
    "viewings.retire_research_profile": Access(SRO),
    "viewings.remove_research_profile_user": Access(SRO),
    "viewings.tokens": Access(OFFICERS, note="each officer sees only their own tokens"),
    "viewings.revoke_token": Access(frozenset({"owner", "sro"})),
    "viewings.rotate_token": Access(OWNER, note="a new token is shown only to its owner"),
    # Oversight: the SRO runs it with the coordinator; the inspector reads
    "oversight.index": Access(OVERSIGHT_READERS),
    "oversight.training_index": Access(OVERSIGHT_READERS),
    "oversight.new_training": Access(SRO_AND_COORDINATOR),
    "oversight.members_report": Access(SRO_AND_COORDINATOR),
    "oversight.inspection": Access(OVERSIGHT_READERS),
    "oversight.new_recommendation": Access(SRO),
    "oversight.recommendation": Access(OVERSIGHT_READERS, post=SRO),
    "oversight.policy": Access(OVERSIGHT_READERS, post=SRO),
    "oversight.errors": Access(OVERSIGHT_READERS),
    "oversight.new_error": Access(SRO),
    "oversight.error": Access(OVERSIGHT_READERS),
    "oversight.confirm_error": Access(SRO),
    "oversight.dismiss_error": Access(SRO),
    "reconcile.upload": Access(SRO, note="the proxy log shows all that officers browsed"),
    "reconcile.show": Access(SRO),
    # The non-RIPA register: the officer's own; senior officers decide; readers read
    "oversight.non_ripa_register": Access(
        OFFICERS | REGISTER_READERS, note="an officer sees only their own entries"
    ),
    "oversight.new_non_ripa": Access(OWNER),
    "oversight.non_ripa_show": Access(OWNER | REGISTER_READERS),
    "oversight.non_ripa_decide": Access(DECIDERS),
    "oversight.non_ripa_review": Access(DECIDERS),
    "oversight.non_ripa_close": Access(OWNER | DECIDERS),
    "oversight.non_ripa_csv": Access(REGISTER_READERS),
    "oversight.non_ripa_xlsx": Access(REGISTER_READERS),
    # The JSON API: a token only, which only officers can have
    "api.request_viewing": Access(OFFICERS, note="by token; the sign-in cookie opens nothing"),
    "api.check_viewing": Access(OFFICERS, note="by token; the sign-in cookie opens nothing"),
    "api.research_profiles": Access(OFFICERS, note="by token; the sign-in cookie opens nothing"),
    "api.investigations": Access(OFFICERS, note="by token; each officer's own investigations"),
    "api.platforms": Access(OFFICERS, note="by token; the listed platforms, for the extension"),
    "api.address": Access(OFFICERS, note="by token; whether an address names a profile"),
    "capture_api.record_capture": Access(OFFICERS, note="by token; a viewing the officer logged"),
    # The captured material register: who may see the investigation (issue 16, item 2)
    "captures.index": Access(OFFICERS | SRO_AND_COORDINATOR, note="an officer's investigations"),
    "captures.new": Access(OWNER, note="the officer who logged the viewing"),
    "captures.show": Access(frozenset({"owner", "sro", "coordinator"}), hidden=True),
    "captures.review": Access(frozenset({"owner", "sro", "coordinator"}), hidden=True),
    "captures.destroy": Access(frozenset({"owner", "sro", "coordinator"}), hidden=True),
    "captures.file": Access(frozenset({"owner", "sro", "coordinator"}), hidden=True),
    # Investigations: those who work on one; the SRO and coordinator read every one
    "investigations.index": Access(OFFICERS | SRO_AND_COORDINATOR, note="an officer's own"),
    "investigations.new": Access(OFFICERS),
    "investigations.show": Access(frozenset({"owner", "sro", "coordinator"}), hidden=True),
    "investigations.add_officer": Access(OWNER, hidden=True),
    "investigations.remove_officer": Access(OWNER, hidden=True),
    "investigations.close": Access(OWNER, hidden=True),
    "investigations.held_look": Access(frozenset({"owner", "sro", "coordinator"}), hidden=True),
    "investigations.held_queue": Access(SRO_AND_COORDINATOR),
    "investigations.decide_held_look": Access(frozenset({"coordinator"})),
    "investigations.formats": Access(SRO_AND_COORDINATOR, post=frozenset({"coordinator"})),
    "investigations.migration_report": Access(SRO_AND_COORDINATOR),
}
# fmt: on

#: Values for URL parts that are not ids of records made below.
FIXED_VALUES = {
    ("oversight.new_non_ripa", "triage_id"): "{outside_triage_id}",
    ("register.not_made", "triage_id"): "{stopped_triage_id}",
    ("offences.held", "triage_id"): "{held_triage_id}",
    ("requests.page", "slug"): "purpose",
    ("applications.page", "slug"): "investigation",
    ("admin.account_action", "action"): "enable",
    ("register_import.columns", "key"): "0" * 64,
}

MOMENT = datetime(2026, 4, 1, 11, 0, tzinfo=UTC)

#: The figures for the README's "What we tested", filled in as the test runs.
FIGURES = {"checks": 0}


def _entry_for(endpoint: str) -> str:
    module = endpoint.split(".")[0]
    return (
        f"Add {endpoint!r} to ROUTES in tests/web/test_route_matrix.py, with the people who may "
        f"use it, for example:\n"
        f'    "{endpoint}": Access(frozenset({{"sro"}})),\n'
        f"(choose from {', '.join(WHO)}; ROUTES groups {module} routes together)."
    )


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - set(NOT_CHECKED)
    missing = sorted(endpoints - set(ROUTES))
    assert not missing, "Routes nobody has said who may use:\n" + "\n".join(
        _entry_for(e) for e in missing
    )
    gone = sorted(set(ROUTES) - endpoints)
    assert not gone, f"Remove these from ROUTES in tests/web/test_route_matrix.py: {gone}"


@pytest.fixture
def world(app, officer, other_officer, authoriser, sro, coordinator, inspector, create_user):
    """Real records, all the owner's: an active authorisation with a renewal asked for, a
    triage, a viewing, a stopped attempt, a research profile and an API token each."""
    people = {
        "owner": officer,
        "officer": other_officer,
        "authoriser": authoriser,
        "sro": sro,
        "coordinator": coordinator,
        "inspector": inspector,
    }
    spare = create_user(Role.OFFICER, name="Spare Account")
    with time_machine.travel(MOMENT, tick=False):
        application_id = records.active(app, officer, authoriser, coordinator)
        profile_id = register_profile(app, sro, "web", "TS research laptop 3", officer)
        with app.app_context():
            s = db.session()
            owner = s.get(User, officer.id)
            application = s.get(Application, application_id)
            renewal = lifecycle.request_renewal(
                s,
                owner,
                application,
                reasons="Still trading.",
                obtained_so_far="Screenshots.",
                version=None,
                today=MOMENT.date(),
                now=MOMENT,
            )
            case = investigations.open_investigation(
                s,
                owner,
                reference="TS/2099/0001",
                title="Someone Else's shop",
                offences="Fraud Act 2006 s.1",
                subjects=[],
                officer_ids=[],
                today=MOMENT.date(),
            )
            second = investigations.open_investigation(
                s,
                owner,
                reference="TS/2099/0002",
                title="Another shop",
                offences="Fraud Act 2006 s.1",
                subjects=[],
                officer_ids=[],
                today=MOMENT.date(),
            )
            ask = viewing_log.ViewingRequest(
                url="https://www.instagram.com/someone.example",
                investigation_id=case.id,
                subject="Someone Else",
                purpose="To see if they still trade",
                research_profile_id=profile_id,
                captured=False,
            )
            viewing = viewing_log.request_viewing(s, owner, ask, MOMENT).viewing
            attempt = viewing_log.request_viewing(s, owner, ask, MOMENT).attempt
            held_look = viewing_log.request_viewing(
                s, owner, replace(ask, investigation_id=second.id), MOMENT
            ).held
            capture, _ = captures.receive_capture(
                s,
                owner,
                viewing,
                captures.CaptureGiven(
                    sha256="",
                    kind="screenshot",
                    address="https://www.instagram.com/someone.example",
                    captured_at=MOMENT,
                    media_type="image/png",
                ),
                io.BytesIO(b"an invented screenshot for the route matrix"),
                MOMENT,
                captures.Settings.from_app(),
            )
            tokens = {}
            for who in OFFICERS:
                token, raw = api_tokens.issue_token(s, s.get(User, people[who].id), "Tool")
                tokens[who] = raw
            outside = plans.start_triage(s, owner, "Staff member's conduct")
            plans.save_triage_answers(s, owner, outside, HR_CHECK)
            plans.complete_triage(s, owner, outside, app.extensions["ripa_guard.offences"])
            stopped = plans.start_triage(s, owner, "Flat 4 sub-letting")
            plans.save_triage_answers(s, owner, stopped, MONITOR_SUBLETTING)
            plans.complete_triage(s, owner, stopped, app.extensions["ripa_guard.offences"])
            held = plans.start_triage(s, owner, "Unlisted offence")
            plans.save_triage_answers(s, owner, held, UNLISTED_OFFENCE)
            plans.complete_triage(s, owner, held, app.extensions["ripa_guard.offences"])
            assert held.is_held
            activity = non_ripa.record_activity(
                s,
                owner,
                outside,
                title="Conduct check",
                purpose="Grievance",
                subjects="A member of staff",
                activity="Look at their public posts",
                necessity="Needed",
                proportionality="Limited",
                collateral_intrusion="None",
                alternatives="None",
                prefix=app.config["NON_RIPA_PREFIX"],
                now=MOMENT,
            )
            chief = s.get(User, sro.id)
            mapping = single_sign_on.add_mapping(s, chief, "RIPA.Officer", Role.OFFICER)
            error = relevant_errors.record_error(
                s,
                chief,
                kind=ErrorKind.OUTSIDE_TERMS,
                reference="",
                what_happened="Viewed a page not covered.",
                occurred_on=date(2026, 3, 20),
                found_on=date(2026, 3, 21),
                cause="Misread the authorisation.",
                action_taken="Officer retrained.",
                reported_to_ipco_on=None,
                today=MOMENT.date(),
            )
            recommendation = oversight.record_recommendation(
                s,
                chief,
                date(2026, 2, 1),
                "An Inspector",
                "1",
                "Keep better records.",
                MOMENT.date(),
            )
            proxy_log = io.BytesIO(
                b"1774947600.000 0 10.1.2.3 TCP_MISS/200 1 GET https://x.example/ - - -\n"
            )
            run = reconciliation.reconcile_log(
                s,
                chief,
                proxy_log,
                file_name="access.log",
                file_format="squid",
                options=reconciliation.Options(),
                today=MOMENT.date(),
            )
            values = {
                "run_id": run.id,
                "outside_triage_id": outside.id,
                "stopped_triage_id": stopped.id,
                "held_triage_id": held.id,
                "activity_id": activity.id,
                "error_id": error.id,
                "recommendation_id": recommendation.id,
                "application_id": application_id,
                "triage_id": application.triage_id,
                "subject_id": application.subjects[0].id,
                "code": application.offence_codes[0],
                "renewal_id": renewal.id,
                "viewing_id": viewing.id,
                "capture_id": capture.id,
                "investigation_id": case.id,
                "held_id": held_look.id,
                "attempt_id": attempt.id,
                "profile_id": profile_id,
                "token_id": s.scalar(select(ApiToken.id).where(ApiToken.user_id == officer.id)),
                "user_id": spare.id,
                "mapping_id": mapping.id,
                "identity": viewing.identity,
                "subject_key": viewing.subject_key,
            }
            assert s.get(Viewing, viewing.id) and s.get(ViewingAttempt, attempt.id)
    return people, values, tokens


def _url(rule, values: dict, access: Access) -> str:
    parts = {
        name: str(FIXED_VALUES.get((rule.endpoint, name), values.get(name))).format(**values)
        for name in rule.arguments
    }
    parts = {name: None if value == "None" else value for name, value in parts.items()}
    unknown = [name for name, value in parts.items() if value is None]
    assert not unknown, f"{rule.endpoint}: no record for {unknown}; add one to the world fixture"
    path = rule.build(parts, append_unknown=False)[1]
    query = access.query.format(**values) if access.query else ""
    return f"{path}?{query}" if query else path


def _call(app, people, tokens, who, method, url, api):
    client = PageClient(app)
    if api:
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who in tokens else {}
        if who in people:
            client.sign_in(people[who])  # the cookie must not count
            client._keep_signed_in()
        if method == "POST":
            return client.client.post(url, json={}, headers=headers)
        return client.client.get(url, headers=headers)
    if who in people:
        client.sign_in(people[who])
    if method == "POST":
        return client.post(url, {})
    return client.get_response(url)


def _verdict(response, access: Access) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    location = response.headers.get("Location", "")
    to_sign_in = status in (301, 302, 303) and location.startswith("/sign-in")
    if status in (401, 403) or (to_sign_in and not access.leads_to_sign_in):
        return "refused"
    if status == 404:
        return "not found"
    return "allowed"


def test_every_route_as_every_role_matches_the_table(app, world):
    people, values, tokens = world
    wrong = []
    checks = 0
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint in ROUTES),
        # Each method as everyone, GETs before POSTs, so a POST's effect cannot hide a GET's.
        key=lambda r: r.endpoint,
    )
    for method in ("GET", "POST"):
        for rule in rules:
            if method not in rule.methods:
                continue
            access = ROUTES[rule.endpoint]
            url = _url(rule, values, access)
            api = rule.endpoint.startswith(("api.", "capture_api."))
            for who in WHO:
                checks += 1
                try:
                    with time_machine.travel(MOMENT, tick=False):
                        response = _call(app, people, tokens, who, method, url, api)
                except Exception as error:  # a 500 in production: report it with the rest
                    wrong.append(f"{method} {url} as {who}: {type(error).__name__}: {error}")
                    continue
                got = _verdict(response, access)
                expected = "allowed" if who in access.allowed(method) else "refused"
                if expected == "refused" and access.hidden and who in OFFICERS:
                    expected = "not found"
                if got != expected:
                    wrong.append(
                        f"{method} {url} as {who}: {got} ({response.status_code} "
                        f"{response.headers.get('Location', '')}), expected {expected}"
                    )
                elif expected == "refused" and who != "stranger" and not api:
                    if response.status_code != 403:
                        wrong.append(f"{method} {url} as {who}: {response.status_code}, not 403")
                elif expected == "refused" and api and response.status_code != 401:
                    wrong.append(f"{method} {url} as {who}: {response.status_code}, not 401")
    FIGURES["checks"] = checks
    print(f"\nroute x role checks: {checks} ({len(rules)} rules, {len(WHO)} callers)")
    assert not wrong, f"{len(wrong)} of {checks} checks differ from ROUTES:\n" + "\n".join(wrong)
    assert checks >= len(ROUTES) * len(WHO)


def test_another_officers_records_are_not_reached_by_changing_the_id(app, world):
    """Another officer who puts the owner's ids in the URLs gets 403, never the record."""
    people, values, _ = world
    client = PageClient(app).sign_in(people["officer"])
    owned = [
        f"/applications/{values['application_id']}",
        f"/applications/{values['application_id']}/investigation",
        f"/applications/{values['application_id']}/court-papers",
        f"/research/{values['triage_id']}/outcome",
        f"/viewings/{values['viewing_id']}",
        f"/viewings/stopped/{values['attempt_id']}",
        f"/authorisations/{values['application_id']}/renewal",
    ]
    with time_machine.travel(MOMENT, tick=False):
        for url in owned:
            response = client.get_response(url)
            assert response.status_code == 403, url
            assert "Counterfeit handbags" not in response.get_data(as_text=True)
