"""`POST /api/v1/captures`: a tool (the browser extension) records what the officer captured
during a viewing they logged, with the officer's own token.

- multipart/form-data: `viewing`, `file`, `sha256` (the hash the tool computed; the server
  recomputes it), `address`, `captured_at` (ISO 8601 with its offset), optional `type`
  (screenshot for image/png and image/jpeg). The file is kept in the server's store.
- application/json, for a capture kept elsewhere: {"viewing", "sha256", "type", "kept_at",
  "address", "captured_at"}.

201 with {"capture": {...}} and Location; the same hash for the same viewing again is 200 with
the capture already recorded. A viewing the officer did not log is the same 404 as one that does
not exist. 400 {"error", "fields"}; 401 without a working token; 413 when the file is too large.
Token only, never the sign-in cookie: exempt from CSRF, like viewing/api.py. Every answer is JSON.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request, url_for

from ripa_guard import csrf
from ripa_guard.core import changes, clock, db
from ripa_guard.core.fields import whole_number
from ripa_guard.core.request_size import LARGE_BODIES
from ripa_guard.viewing import captures
from ripa_guard.viewing.api import _json_body, _token_user, _unauthorised, error
from ripa_guard.viewing.capture_models import Capture
from ripa_guard.viewing.models import Channel

bp = Blueprint("capture_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

#: The service's field names as the API names them.
_API_NAMES = {"kind": "type"}


@bp.record_once
def _take_large_files(state) -> None:
    most = int(state.app.config.get("CAPTURE_MAX_MB") or 20) * 1024 * 1024
    LARGE_BODIES["capture_api.record_capture"] = most + captures.FORM_ROOM


def moment(value) -> datetime | None:
    """An ISO 8601 date and time with its offset; None for anything else."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _answer(capture: Capture, created: bool):
    page = url_for("captures.show", capture_id=capture.id, _external=True)
    review_on = capture.current_review_on
    response = jsonify(
        {
            "capture": {
                "id": capture.id,
                "sha256": capture.sha256,
                "page": page,
                "review_on": review_on.isoformat() if review_on else None,
                "destroy_by": capture.current_destroy_by.isoformat(),
            }
        }
    )
    response.status_code = 201 if created else 200
    response.headers["Location"] = page
    return response


def _problem(bad: changes.InputProblem):
    fields = getattr(bad, "fields", None) or {bad.field: str(bad)}
    fields = {_API_NAMES.get(k, k): v for k, v in fields.items()}
    if "viewing" in fields:
        return error(404, str(bad), fields={"viewing": fields["viewing"]})
    return error(400, "Some of what was sent is missing or wrong", fields=fields)


@bp.route("/captures", methods=["POST"])
def record_capture():
    """Record a capture made during one of the token's officer's viewings."""
    found = _token_user()
    if found is None:
        return _unauthorised()
    officer, _token = found
    s = db.session()
    settings = captures.Settings.from_app()
    is_json = request.mimetype == "application/json"
    if is_json:
        body = _json_body()
        if not isinstance(body, dict):
            return error(400, "Send a JSON object, or the file as multipart/form-data")
    elif request.mimetype == "multipart/form-data":
        body = request.form
    else:
        return error(
            400, "Send the file as multipart/form-data, or a capture kept elsewhere as JSON"
        )
    viewing_id = whole_number(body.get("viewing"))
    if viewing_id is None:
        return error(
            400,
            "Some of what was sent is missing or wrong",
            fields={"viewing": captures.NOT_YOUR_VIEWING},
        )
    given = captures.CaptureGiven(
        sha256=_text(body.get("sha256")),
        kind=_text(body.get("type")),
        address=_text(body.get("address")),
        captured_at=moment(body.get("captured_at")),
        kept_at=_text(body.get("kept_at")),
    )
    try:
        viewing = captures.viewing_logged_by(s, officer, viewing_id)
        if is_json:
            capture, created = captures.record_capture(
                s, officer, viewing, _kind_or_other(given), clock.now(), settings, Channel.API
            )
        else:
            file = request.files.get("file")
            if file is None:
                return error(
                    400,
                    "Some of what was sent is missing or wrong",
                    fields={"file": "Send the capture's file as 'file'"},
                )
            if not given.kind:
                given = _with_kind(given, captures.kind_for_media_type(file.mimetype))
            given = _with_media_type(given, file.mimetype)
            capture, created = captures.receive_capture(
                s, officer, viewing, given, file.stream, clock.now(), settings, Channel.API
            )
    except changes.InputProblem as bad:
        return _problem(bad)
    except changes.Refused as refused:
        return error(403, str(refused))
    return _answer(capture, created)


def _with_kind(given: captures.CaptureGiven, kind: str) -> captures.CaptureGiven:
    return captures.CaptureGiven(**{**given.__dict__, "kind": kind})


def _with_media_type(given: captures.CaptureGiven, media_type: str) -> captures.CaptureGiven:
    return captures.CaptureGiven(**{**given.__dict__, "media_type": media_type or ""})


def _kind_or_other(given: captures.CaptureGiven) -> captures.CaptureGiven:
    return given if given.kind else _with_kind(given, "other")
