"""A small JSON API for tools: "may I view this address now, for this investigation?"

A browser extension or a case management system asks before it opens a page, with the officer's
own token (`Authorization: Bearer ...`, made on the officer's "Tokens for tools" page).
`POST /viewings` logs the viewing, exactly as the web form does: allowed (201), or blocked,
refused or held for the RIPA coordinator (403, and the attempt or held look is recorded).
The investigation is one of the officer's own open investigations, by id (`GET /investigations`);
any other id, whoever's it is, gets the same 404 as one that does not exist. `POST /checks` takes the same body and
gives the same answer, writing nothing (200 when allowed, 403 when not), so a tool can stop a page
before it loads; it never stands for logging. A tool that only looks at the status code therefore
opens nothing it was not allowed to.

`GET /platforms` lists the listed platforms and their hosts (law/profile_identity.py), from which
the browser extension (extension/) builds the rules that send each of their pages to it first.
`POST /addresses` says whether an address names a profile at all: a platform's home page, sign-in
or search does not, and the extension lets it open unlogged.

The API is authenticated by the token alone, never by the sign-in cookie: that is why it may be
exempt from CSRF protection. Every answer, errors included, is JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, current_app, g, jsonify, request, url_for

from ripa_guard import csrf
from ripa_guard.accounts.models import User
from ripa_guard.core import changes, clock, db
from ripa_guard.core.fields import clean_text, whole_number
from ripa_guard.core.idempotency import idempotent
from ripa_guard.law import profile_identity
from ripa_guard.viewing import investigations as investigation_records
from ripa_guard.viewing import log as viewing_log
from ripa_guard.viewing import research_profiles as profile_register
from ripa_guard.viewing import tokens as api_tokens
from ripa_guard.viewing.models import ApiToken, Channel, ResearchProfile

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

_TEXT_FIELDS = {
    "url": ("Enter the web address of the profile or page", 2000),
    "subject": ("Enter who the profile belongs to", 200),
    "purpose": ("Say why you are viewing it", 2000),
}
EXAMPLE = {
    "url": "https://www.facebook.com/bargainbags.example",
    "investigation": 12,
    "subject": "Bargain Bags (trading name)",
    "purpose": "Check for new listings",
    "research_profile": 1,
    "captured": False,
}


def error(status: int, message: str, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ripa_guard"'
    return response


def _token_user():
    """(officer, token) for the request's bearer token, or None; looked up once a request."""
    if "api_token_user" not in g:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        found = None
        if scheme.lower() == "bearer" and raw.strip():
            found = api_tokens.user_for_token(db.session(), raw.strip())
        g.api_token_user = found
    return g.api_token_user


def _token_user_id() -> int | None:
    found = _token_user()
    return found[0].id if found else None


def _unauthorised():
    return error(
        401,
        "Send a token that works: 'Authorization: Bearer <token>'. Make one on your viewing "
        "log's 'Tokens for tools' page; a revoked token, or one whose owner can no longer log "
        "viewings, does not work.",
    )


def _json_body():
    """The request's JSON, or None when it is not JSON: malformed, not UTF-8, or nested too
    deep for the parser (a RecursionError, which Flask's own get_json lets through as a 500)."""
    try:
        return json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return None


def _parse(body: dict, usable: list) -> tuple[viewing_log.ViewingRequest | None, dict]:
    """The request, or the problems with it by field, in the API's own field names."""
    problems = {}
    values = {}
    for name, (message, limit) in _TEXT_FIELDS.items():
        value = body.get(name)
        if isinstance(value, str):
            value = clean_text(value)  # as the web forms do: no control characters kept
        if value is None or (isinstance(value, str) and not value.strip()):
            problems[name] = message
        elif not isinstance(value, str):
            problems[name] = f"'{name}' must be text"
        elif len(value) > limit:
            problems[name] = f"'{name}' must be {limit:,} characters or fewer"
        else:
            values[name] = value.strip()
    captured = body.get("captured")
    if not isinstance(captured, bool):
        problems["captured"] = "Say whether anything will be captured: true or false"
    location = body.get("capture_location") or ""
    if isinstance(location, str):
        location = clean_text(location)
    if not isinstance(location, str) or len(location) > 500:
        problems["capture_location"] = "'capture_location' must be text of 500 characters or fewer"
    investigation_id = whole_number(body.get("investigation"))
    if investigation_id is None:
        problems["investigation"] = (
            "Give the id of one of your open investigations: GET " + url_for("api.investigations")
        )
    profile_id = _research_profile_id(body.get("research_profile"), usable)
    if profile_id is False:
        problems["research_profile"] = (
            "Give the id or the name of one of your research profiles: GET "
            + url_for("api.research_profiles")
        )
    if problems:
        return None, problems
    return (
        viewing_log.ViewingRequest(
            url=values["url"],
            investigation_id=investigation_id,
            subject=values["subject"],
            purpose=values["purpose"],
            research_profile_id=profile_id,
            captured=captured,
            capture_location=location.strip(),
        ),
        {},
    )


def _research_profile_id(value, usable: list) -> int | None | bool:
    """The id of the research profile named (by id or by name); None when none was named (one
    usable profile is then used); False when the name fits none of the officer's."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return False
    wanted = whole_number(value)
    if wanted is not None:
        return wanted if any(p.id == wanted for p in usable) else False
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return False  # a number out of range, or digits that are not 0 to 9
    if isinstance(value, str):
        value = clean_text(value)
        named = [p for p in usable if p.handle.casefold() == value.casefold()]
        return named[0].id if len(named) == 1 else False
    return False


@dataclass(frozen=True)
class _Asked:
    """A request the API can put to the gate: whose, when, and the research profiles the
    officer may use that day (read once, for parsing the body and for the gate)."""

    officer: User
    token: ApiToken
    request: viewing_log.ViewingRequest
    now: datetime
    usable: list[ResearchProfile]


def _officer_and_request():
    """What was asked (_Asked) from the token and the JSON body, or the error response."""
    found = _token_user()
    if found is None:
        return _unauthorised()
    officer, token = found
    body = _json_body()
    if not isinstance(body, dict):
        return error(400, "Send a JSON object, like the example", example=EXAMPLE)
    now = clock.now()
    usable = profile_register.usable_research_profiles(db.session(), officer, clock.local_date(now))
    viewing_request, problems = _parse(body, usable)
    if problems:
        return error(400, "Some of what was sent is missing or wrong", fields=problems)
    return _Asked(officer, token, viewing_request, now, usable)


def _gate(ask):
    """Run `ask()` (a check or a log), turning its refusals into JSON answers."""
    try:
        return ask()
    except changes.InputProblem as bad:
        if bad.field == "investigation":
            # Another service's, someone else's or no such investigation: one answer (issue 15).
            return error(404, str(bad), fields={"investigation": str(bad)})
        return error(400, str(bad), fields={bad.field: str(bad)})
    except changes.Refused as refused:
        return error(403, str(refused))


@bp.route("/viewings", methods=["POST"])
@idempotent(_token_user_id)
def request_viewing():
    """Decide whether the token's officer may view the address now, and log it."""
    asked = _officer_and_request()
    if not isinstance(asked, _Asked):
        return asked
    outcome = _gate(
        lambda: viewing_log.request_viewing(
            db.session(),
            asked.officer,
            asked.request,
            asked.now,
            current_app.config.get("REPEAT_VIEWING_WINDOW_DAYS"),
            channel=Channel.API,
            token=asked.token,
            usable=asked.usable,
        )
    )
    if not isinstance(outcome, viewing_log.ViewingOutcome):
        return outcome
    return _answer(outcome)


@bp.route("/checks", methods=["POST"])
def check_viewing():
    """Whether the token's officer may view the address now: the answer logging would give,
    with nothing logged. 200 when allowed, 403 when not; the viewing must still be logged."""
    asked = _officer_and_request()
    if not isinstance(asked, _Asked):
        return asked
    checked = _gate(
        lambda: viewing_log.check_viewing(
            db.session(),
            asked.officer,
            asked.request,
            asked.now,
            current_app.config.get("REPEAT_VIEWING_WINDOW_DAYS"),
            usable=asked.usable,
        )
    )
    if not isinstance(checked, viewing_log.ViewingCheck):
        return checked
    answer = _decision(checked.decision, checked.identity)
    answer["logged"] = False
    answer["log_with"] = url_for("api.request_viewing", _external=True)
    if checked.decision.verdict.value == "blocked":
        answer["start_triage"] = url_for("requests.new", _external=True)
    if checked.waiting is not None:
        answer["held_look"] = _held(checked.waiting)
    response = jsonify(answer)
    response.status_code = 200 if checked.allowed else 403
    return response


def _held(held) -> dict:
    return {
        "id": held.id,
        "recorded_at": held.held_at.isoformat(),
        "page": url_for("investigations.held_look", held_id=held.id, _external=True),
    }


def _decision(decision, identity) -> dict:
    return {
        "allowed": decision.allowed,
        "decision": decision.verdict.value,
        "reason": decision.reason,
        "citation": decision.citation,
        "urn": decision.urn,
        "refusal": decision.refusal.value if decision.refusal else None,
        "profile": {
            "platform": identity.platform_name,
            "identity": identity.text,
            "label": identity.label,
        },
    }


def _answer(outcome: viewing_log.ViewingOutcome):
    decision = outcome.decision
    answer = _decision(decision, outcome.identity)
    if outcome.viewing is not None:
        answer["viewing"] = {
            "id": outcome.viewing.id,
            "logged_at": outcome.viewing.viewed_at.isoformat(),
            "page": url_for("viewings.show", viewing_id=outcome.viewing.id, _external=True),
        }
        response = jsonify(answer)
        response.status_code = 201
        response.headers["Location"] = answer["viewing"]["page"]
        return response
    if outcome.held is not None:
        answer["held_look"] = _held(outcome.held)
        response = jsonify(answer)
        response.status_code = 403
        return response
    answer["attempt"] = {
        "id": outcome.attempt.id,
        "recorded_at": outcome.attempt.attempted_at.isoformat(),
        "page": url_for("viewings.stopped", attempt_id=outcome.attempt.id, _external=True),
    }
    if decision.verdict.value == "blocked":
        answer["start_triage"] = url_for("requests.new", _external=True)
    response = jsonify(answer)
    response.status_code = 403
    return response


@bp.route("/research-profiles")
def research_profiles():
    """The research profiles the token's officer may view from today."""
    found = _token_user()
    if found is None:
        return _unauthorised()
    officer, _token = found
    usable = profile_register.usable_research_profiles(db.session(), officer, clock.today())
    return jsonify(
        {
            "research_profiles": [
                {"id": p.id, "name": p.handle, "platform": p.platform, "covert": p.covert}
                for p in usable
            ]
        }
    )


@bp.route("/investigations")
def investigations():
    """The open investigations the token's officer works on: what a viewing may be made under."""
    found = _token_user()
    if found is None:
        return _unauthorised()
    officer, _token = found
    mine = investigation_records.open_investigations_of(db.session(), officer, with_subjects=True)
    return jsonify(
        {
            "investigations": [
                {
                    "id": i.id,
                    "case_reference": i.reference,
                    "title": i.title,
                    "service": i.service,
                    "page": url_for("investigations.show", investigation_id=i.id, _external=True),
                    # The officer's own investigation: its subjects, for a tool to offer.
                    "subjects": [
                        {"name": s.name, "addresses": list(s.addresses or [])} for s in i.subjects
                    ],
                }
                for i in mine
            ]
        }
    )


@bp.route("/platforms")
def platforms():
    """The listed platforms and their hosts (law/profile_identity.py): the one list the browser
    extension stands in front of. A host covers its subdomains (www., m., uk. ...)."""
    if _token_user() is None:
        return _unauthorised()
    hosts = profile_identity.platform_hosts()
    return jsonify(
        {
            "platforms": [
                {"id": slug, "name": name, "hosts": hosts[slug]}
                for slug, name in profile_identity.PLATFORM_NAMES.items()
            ]
        }
    )


@bp.route("/addresses", methods=["POST"])
def address():
    """Whether an address names a profile the gate must ask about (law/profile_identity.py
    names_a_profile): a listed platform's home page, sign-in or search opens unlogged. Body
    {"url": "..."}; writes nothing."""
    if _token_user() is None:
        return _unauthorised()
    body = request.get_json(silent=True)
    url = body.get("url") if isinstance(body, dict) else None
    if not isinstance(url, str) or not url.strip() or len(url) > 2000:
        return error(400, "Enter the web address", fields={"url": "Enter the web address"})
    identity = profile_identity.identify_or_none(url)
    return jsonify(
        {
            "profile": identity is not None and identity.names_a_profile,
            "platform": identity.platform_name if identity and identity.known_platform else None,
            "identity": identity.text if identity is not None else None,
        }
    )
