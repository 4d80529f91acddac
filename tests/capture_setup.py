"""Fixtures and steps for the captured material register's tests.

Test modules import the fixtures they use by name.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ripa_guard.accounts.models import User
from ripa_guard.core import db
from ripa_guard.viewing import tokens
from ripa_guard.viewing.capture_models import Capture

from .viewing_setup import PROFILE_URL, SUBJECT, case_for

API = "/api/v1/captures"
#: A tiny PNG, invented for the tests: the first bytes of one and a marker.
PNG = b"\x89PNG\r\n\x1a\n" + b"screenshot of Bargain Bags, invented for the tests"
PNG_SHA256 = hashlib.sha256(PNG).hexdigest()


@pytest.fixture
def capture_store(app, tmp_path):
    """The server's store of captures for one test, in its own folder."""
    before = app.config.get("CAPTURE_STORE")
    app.config["CAPTURE_STORE"] = str(tmp_path / "captures")
    yield tmp_path / "captures"
    app.config["CAPTURE_STORE"] = before


def make_token(app, user, name="Browser extension") -> str:
    with app.app_context():
        s = db.session()
        _token, raw = tokens.issue_token(s, s.get(User, user.id), name)
        return raw


def log_viewing(client, token, url=PROFILE_URL, subject=SUBJECT) -> int:
    """A viewing logged through the API by the token's officer; its id."""
    with client.app.app_context():
        found = tokens.user_for_token(db.session(), token)
    body = {
        "url": url,
        "investigation": case_for(client.app, found[0]),
        "subject": subject,
        "purpose": "Check for new listings",
        "captured": True,
        "capture_location": "This service",
    }
    response = client.client.post(
        "/api/v1/viewings", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["viewing"]["id"]


def send_file(client, token, viewing, data=PNG, sha256=None, **overrides):
    """POST /api/v1/captures with a file, as the browser extension does."""
    form = {
        "viewing": str(viewing),
        "sha256": hashlib.sha256(data).hexdigest() if sha256 is None else sha256,
        "address": PROFILE_URL,
        "captured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        **overrides,
    }
    form["file"] = (io.BytesIO(data), "capture.png", "image/png")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.client.post(API, data=form, headers=headers, content_type="multipart/form-data")


def send_kept_elsewhere(client, token, viewing, **overrides):
    body = {
        "viewing": viewing,
        "sha256": "ab" * 32,
        "type": "pdf",
        "kept_at": "Case file TS/2026/0412 on the shared drive",
        "address": PROFILE_URL,
        "captured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        **overrides,
    }
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.client.post(API, json=body, headers=headers)


def all_captures(app) -> list[Capture]:
    with app.app_context():
        return list(db.session().scalars(select(Capture).order_by(Capture.id)))
