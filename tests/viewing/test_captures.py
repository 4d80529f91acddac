"""The captured material register: dates from the settings, reviews and destruction as new
rows, the file served only to who may see the investigation, and verify-captures."""

# Fixtures are imported from the setup modules, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from ripa_guard.viewing import capture_store as store
from ripa_guard.viewing.capture_models import Capture, CaptureDestruction, CaptureReview
from tests.capture_setup import (
    PNG,
    PNG_SHA256,
    all_captures,
    capture_store,  # noqa: F401
    log_viewing,
    make_token,
    send_file,
    send_kept_elsewhere,
)
from tests.viewing_setup import PROFILE_URL, facebook_profile  # noqa: F401

CAPTURED_AT = "2026-11-25T10:00:00+00:00"


@pytest.fixture
def token(app, officer, facebook_profile):
    return make_token(app, officer)


@pytest.fixture
def kept(client, app, token, capture_store) -> int:
    """A screenshot kept on the server, captured on 25 November 2026; its id."""
    viewing = log_viewing(client, token)
    response = send_file(client, token, viewing, captured_at=CAPTURED_AT)
    assert response.status_code == 201
    return response.get_json()["capture"]["id"]


def _events(app, action) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session().scalars(select(AuditEvent).where(AuditEvent.action == action)))


# Dates ------------------------------------------------------------------------------------------


def test_a_capture_is_reviewed_and_destroyed_by_the_dates_the_settings_give(client, app, kept):
    [capture] = all_captures(app)
    assert (capture.review_on, capture.destroy_by) == (date(2027, 5, 25), date(2027, 11, 25))
    [event] = _events(app, "capture.recorded")
    assert event.object_id == kept and event.detail["sha256"] == PNG_SHA256


def test_a_shorter_review_setting_gives_an_earlier_review(client, app, token, capture_store):
    app.config["CAPTURE_REVIEW_MONTHS"] = 1
    try:
        viewing = log_viewing(client, token)
        answer = send_file(client, token, viewing, captured_at=CAPTURED_AT).get_json()
    finally:
        app.config["CAPTURE_REVIEW_MONTHS"] = 6
    assert answer["capture"]["review_on"] == "2026-12-25"
    assert answer["capture"]["destroy_by"] == "2027-11-25"


def test_a_review_that_keeps_it_is_a_new_row_and_the_capture_is_unchanged(
    client, app, officer, kept
):
    client.sign_in(officer)
    response = client.post(
        f"/captures/{kept}/review",
        {
            "result": "keep",
            "reason": "Evidence for the prosecution file",
            "keep_until": ["1", "3", "2027"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        capture = db.session().get(Capture, kept)
        assert (capture.review_on, capture.destroy_by) == (date(2027, 5, 25), date(2027, 11, 25))
        [review] = db.session().scalars(select(CaptureReview)).all()
        assert review.destroy_by == date(2027, 3, 1) and review.review_on == date(2027, 3, 1)
        assert capture.current_destroy_by == date(2027, 3, 1)
    assert len(_events(app, "capture.reviewed_keep")) == 1


def test_a_review_that_keeps_it_without_a_date_says_so_by_the_field(client, app, officer, kept):
    client.sign_in(officer)
    page = client.post_page(
        f"/captures/{kept}/review", {"result": "keep", "reason": "Still needed for the case"}
    )
    assert page.title.get_text().startswith("Error: ")
    assert (
        "Enter the date it is to be kept until"
        in page.select_one(".govuk-error-summary").get_text()
    )
    assert page.select_one("#reason").get_text() == "Still needed for the case"
    with app.app_context():
        assert db.session().scalars(select(CaptureReview)).all() == []


# Destruction ------------------------------------------------------------------------------------


def test_destruction_deletes_the_file_and_keeps_the_row_with_its_hash(
    client, app, sro, kept, capture_store
):
    client.sign_in(sro)
    assert client.post(f"/captures/{kept}/destroy", {"method": ""}).status_code == 302
    assert not store.path_of(capture_store, PNG_SHA256).exists()
    with app.app_context():
        capture = db.session().get(Capture, kept)
        assert capture.sha256 == PNG_SHA256
        destruction = db.session().scalars(select(CaptureDestruction)).one()
        assert destruction.destroyed_by_id == sro.id
        assert destruction.method == "Deleted from the server's store"
    assert client.get_response(f"/captures/{kept}/file").status_code == 404
    page = client.get(f"/captures/{kept}")
    assert "Destroyed" in page.get_text() and PNG_SHA256 in page.get_text()
    assert client.post(f"/captures/{kept}/destroy", {"method": ""}).status_code == 200
    assert len(_events(app, "capture.destroyed")) == 1


def test_a_file_two_viewings_captured_stays_until_both_are_destroyed(
    client, app, sro, token, kept, capture_store
):
    second_viewing = log_viewing(
        client,
        token,
        url="https://www.facebook.com/otherseller.example",
        subject="Other Seller Ltd",
    )
    second = send_file(client, token, second_viewing).get_json()["capture"]["id"]
    assert second != kept
    client.sign_in(sro)
    client.post(f"/captures/{kept}/destroy", {"method": ""})
    assert store.path_of(capture_store, PNG_SHA256).read_bytes() == PNG
    client.post(f"/captures/{second}/destroy", {"method": ""})
    assert not store.path_of(capture_store, PNG_SHA256).exists()


def test_destroying_a_copy_kept_elsewhere_needs_how(client, app, officer, token, capture_store):
    viewing = log_viewing(client, token)
    capture = send_kept_elsewhere(client, token, viewing).get_json()["capture"]["id"]
    client.sign_in(officer)
    page = client.post_page(f"/captures/{capture}/destroy", {"method": ""})
    assert "Say how it was destroyed" in page.get_text()
    response = client.post(
        f"/captures/{capture}/destroy", {"method": "Shredded the printout; deleted the PDF"}
    )
    assert response.status_code == 302


# Who may see it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["authoriser", "inspector"])
def test_a_role_that_may_not_see_the_investigation_gets_403(client, request, kept, who):
    client.sign_in(request.getfixturevalue(who))
    for url in (f"/captures/{kept}", f"/captures/{kept}/file", "/captures/"):
        assert client.get_response(url).status_code == 403, url


def test_an_officer_not_on_the_investigation_gets_the_same_404_as_none(client, other_officer, kept):
    client.sign_in(other_officer)
    for url in (f"/captures/{kept}", f"/captures/{kept}/file"):
        response = client.get_response(url)
        assert response.status_code == 404, url
        assert PNG_SHA256 not in response.get_data(as_text=True)
    assert client.get_response("/captures/999999").status_code == 404
    assert PNG_SHA256 not in client.get("/captures/").get_text()


@pytest.mark.parametrize("who", ["officer", "sro", "coordinator"])
def test_the_officer_on_it_and_the_overseers_get_the_file(client, request, kept, who):
    client.sign_in(request.getfixturevalue(who))
    response = client.get_response(f"/captures/{kept}/file")
    assert response.status_code == 200 and response.get_data() == PNG
    assert "attachment" in response.headers["Content-Disposition"]


# verify-captures ---------------------------------------------------------------------------------


def test_verify_captures_passes_when_every_file_matches(app, kept):
    result = app.test_cli_runner().invoke(args=["verify-captures"])
    assert result.exit_code == 0, result.output
    assert "1 files match" in result.output
    assert len(_events(app, "captures.verified")) == 1


def test_verify_captures_names_a_changed_file_and_a_missing_one(
    client, app, token, kept, capture_store
):
    viewing = log_viewing(
        client,
        token,
        url="https://www.facebook.com/otherseller.example",
        subject="Other Seller Ltd",
    )
    other = send_file(client, token, viewing, data=b"another invented page").get_json()
    path = store.path_of(capture_store, PNG_SHA256)
    path.write_bytes(PNG + b" changed")
    store.path_of(capture_store, other["capture"]["sha256"]).unlink()
    result = app.test_cli_runner().invoke(args=["verify-captures"])
    assert result.exit_code != 0
    assert f"Capture {kept}: file changed" in result.output
    assert f"Capture {other['capture']['id']}: file missing" in result.output
    [event] = _events(app, "captures.verified")
    assert event.detail["problems"] == {
        str(kept): "changed",
        str(other["capture"]["id"]): "missing",
    }


# The web form ------------------------------------------------------------------------------------


def test_recording_a_capture_kept_elsewhere_from_the_viewing_page(
    client, app, officer, token, capture_store
):
    viewing = log_viewing(client, token)
    client.sign_in(officer)
    page = client.get(f"/viewings/{viewing}")
    assert page.select_one(f"a[href='/captures/for-viewing/{viewing}']")
    response = client.post(
        f"/captures/for-viewing/{viewing}",
        {
            "sha256": "CD" * 32,
            "kept_at": "Evidence store, locker 4",
            "kind": "video",
            "address": PROFILE_URL,
            "captured_on": ["25", "11", "2026"],
            "captured_time": "10:15",
        },
    )
    assert response.status_code == 302
    [capture] = all_captures(app)
    assert capture.sha256 == "cd" * 32 and capture.kind.value == "video" and not capture.on_server
    assert "Video" in client.get(f"/viewings/{viewing}").get_text()


def test_bad_input_is_shown_by_each_field_with_what_was_typed(
    client, app, officer, token, capture_store
):
    viewing = log_viewing(client, token)
    client.sign_in(officer)
    page = client.post_page(
        f"/captures/for-viewing/{viewing}",
        {
            "sha256": "not a hash",
            "kept_at": "",
            "kind": "screenshot",
            "address": "bargainbags",
            "captured_on": ["25", "11", "2026"],
            "captured_time": "10:15",
        },
    )
    text = page.get_text()
    assert "Enter the SHA-256 of the file" in page.select_one("#sha256").parent.get_text()
    assert "Say where the capture is kept" in page.select_one("#kept_at").parent.get_text()
    assert "starting https://" in page.select_one("#address").parent.get_text()
    assert page.select_one("#sha256")["value"] == "not a hash"
    assert page.select_one("#address")["value"] == "bargainbags"
    assert "There is a problem" in text
    assert all_captures(app) == []


def test_another_officer_cannot_record_a_capture_for_a_viewing_not_theirs(
    client, other_officer, token, capture_store
):
    viewing = log_viewing(client, token)
    client.sign_in(other_officer)
    assert client.get_response(f"/captures/for-viewing/{viewing}").status_code == 403


# The register -----------------------------------------------------------------------------------


def test_the_register_filters_by_review_due_and_destruction_due(client, app, sro, kept):
    from tests.viewing_setup import at

    client.sign_in(sro)
    assert f"/captures/{kept}" in str(client.get("/captures/"))
    assert f"/captures/{kept}" not in str(client.get("/captures/?standing=review_due"))
    with at(2027, 6, 1):
        assert f"/captures/{kept}" in str(client.get("/captures/?standing=review_due"))
        assert f"/captures/{kept}" not in str(client.get("/captures/?standing=destruction_due"))
    with at(2027, 11, 25):
        assert f"/captures/{kept}" in str(client.get("/captures/?standing=destruction_due"))
        assert f"/captures/{kept}" not in str(client.get("/captures/?standing=review_due"))
