"""POST /api/v1/captures: the contract the browser extension depends on."""

# Fixtures are imported from the setup modules, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import os
import stat

import pytest

from ripa_guard.viewing import capture_store as store
from tests.capture_setup import (
    API,
    PNG,
    PNG_SHA256,
    all_captures,
    capture_store,  # noqa: F401
    log_viewing,
    make_token,
    send_file,
    send_kept_elsewhere,
)
from tests.viewing_setup import facebook_profile  # noqa: F401


@pytest.fixture
def token(app, officer, facebook_profile):
    return make_token(app, officer)


def test_a_screenshot_with_its_hash_is_kept_and_recorded(client, app, token, capture_store):
    viewing = log_viewing(client, token)
    response = send_file(client, token, viewing)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()["capture"]
    assert set(answer) == {"id", "sha256", "page", "review_on", "destroy_by"}
    assert answer["sha256"] == PNG_SHA256
    assert response.headers["Location"] == answer["page"]
    assert answer["page"].endswith(f"/captures/{answer['id']}")
    [capture] = all_captures(app)
    assert capture.kind.value == "screenshot" and capture.on_server and capture.size == len(PNG)
    assert capture.viewing_id == viewing and capture.review_on.isoformat() == answer["review_on"]
    kept = store.path_of(capture_store, PNG_SHA256)
    assert kept.read_bytes() == PNG
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600


def test_a_hash_that_is_not_the_files_is_400_and_nothing_is_kept(client, app, token, capture_store):
    viewing = log_viewing(client, token)
    response = send_file(client, token, viewing, sha256="0" * 64)
    assert response.status_code == 400
    assert PNG_SHA256 in response.get_json()["fields"]["sha256"]
    assert all_captures(app) == []
    assert not store.path_of(capture_store, PNG_SHA256).exists()


def test_the_same_capture_sent_again_is_200_with_the_same_capture(
    client, app, token, capture_store
):
    viewing = log_viewing(client, token)
    first = send_file(client, token, viewing)
    again = send_file(client, token, viewing)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert len(all_captures(app)) == 1


def test_a_capture_kept_elsewhere_is_recorded_from_json(client, app, token, capture_store):
    viewing = log_viewing(client, token)
    response = send_kept_elsewhere(client, token, viewing)
    assert response.status_code == 201, response.get_json()
    [capture] = all_captures(app)
    assert not capture.on_server and capture.kind.value == "pdf"
    assert capture.kept_at == "Case file TS/2026/0412 on the shared drive"
    assert response.get_json()["capture"]["sha256"] == "ab" * 32


def test_json_without_where_it_is_kept_or_a_good_hash_is_400_by_field(
    client, app, token, capture_store
):
    viewing = log_viewing(client, token)
    response = send_kept_elsewhere(
        client, token, viewing, kept_at="", sha256="xyz", captured_at="2026-11-25T10:00:00"
    )
    assert response.status_code == 400
    fields = response.get_json()["fields"]
    assert set(fields) == {"kept_at", "sha256", "captured_at"}
    assert all_captures(app) == []


def test_another_officers_viewing_is_the_same_404_as_none(
    client, app, token, other_officer, capture_store
):
    theirs = log_viewing(client, make_token(app, other_officer))
    other = send_file(client, token, theirs)
    missing = send_file(client, token, 999999)
    assert other.status_code == missing.status_code == 404
    assert other.get_json() == missing.get_json()
    assert all_captures(app) == []


def test_no_token_is_401_and_every_answer_is_json(client, app, token, capture_store):
    viewing = log_viewing(client, token)
    response = send_file(client, None, viewing)
    assert response.status_code == 401 and response.mimetype == "application/json"
    bad = client.client.post(
        API,
        data="not json",
        content_type="text/plain",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert bad.status_code == 400 and bad.mimetype == "application/json"


def test_a_file_larger_than_the_setting_is_413(client, app, token, capture_store):
    viewing = log_viewing(client, token)
    big = b"\0" * (app.config["CAPTURE_MAX_MB"] * 1024 * 1024 + 200 * 1024)
    response = send_file(client, token, viewing, data=big)
    assert response.status_code == 413 and response.mimetype == "application/json"
    assert all_captures(app) == []
