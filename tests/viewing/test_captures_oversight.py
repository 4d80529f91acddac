"""Captured material past its review or destroy-by date shows where the SRO looks: the
dashboard, the daily reminder, the members' report and the extract's "Captured material" sheet."""

# Fixtures are imported from the setup modules, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from ripa_guard.core import db
from ripa_guard.notifications.messages import REMINDER
from ripa_guard.notifications.models import OutboxMessage
from tests.capture_setup import (
    PNG_SHA256,
    capture_store,  # noqa: F401
    log_viewing,
    make_token,
    send_file,
)
from tests.viewing_setup import at, facebook_profile  # noqa: F401


@pytest.fixture
def kept(client, app, officer, facebook_profile, capture_store) -> int:
    """A screenshot captured on 25 November 2026: review by 25 May 2027, destroy by 25
    November 2027."""
    token = make_token(app, officer)
    viewing = log_viewing(client, token)
    response = send_file(client, token, viewing, captured_at="2026-11-25T10:00:00+00:00")
    return response.get_json()["capture"]["id"]


def test_the_sros_dashboard_shows_a_review_due_then_a_destruction_due(client, sro, kept):
    client.sign_in(sro)
    page = client.get("/dashboard")
    assert page.select_one("#captured-material") is None
    with at(2027, 5, 26):
        section = client.get("/dashboard").select_one("#captured-material").find_next("table")
        assert f"/captures/{kept}" in str(section) and "Review by 25 May 2027" in section.get_text()
    with at(2027, 11, 26):
        section = client.get("/dashboard").select_one("#captured-material").find_next("table")
        assert "Destroy by 25 Nov 2027" in section.get_text()


def test_an_officers_dashboard_does_not_list_the_councils_captures(client, officer, kept):
    client.sign_in(officer)
    with at(2027, 11, 26):
        assert client.get("/dashboard").select_one("#captured-material") is None


def test_the_sros_reminder_names_the_capture_due_with_its_link_and_no_address(
    app, sro, officer, kept
):
    result = app.test_cli_runner().invoke(args=["remind", "--today", "2027-11-26"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        [message] = db.session().scalars(
            select(OutboxMessage).where(
                OutboxMessage.event == REMINDER, OutboxMessage.user_id == sro.id
            )
        )
        assert "1 capture to review or destroy" in message.subject
        assert "CAPTURED MATERIAL TO REVIEW OR DESTROY (1)" in message.body
        assert f"/captures/{kept}" in message.body
        assert "Destroy by Thursday 25 November 2027" in message.body
        assert "facebook.com" not in message.body and PNG_SHA256 not in message.body


def test_the_members_report_counts_captures_and_what_is_due(client, sro, kept):
    client.sign_in(sro)
    with at(2027, 6, 1):
        page = client.get("/oversight/members-report?year=2026")
        assert page.select_one("#captures-recorded").get_text() == "1"
        assert page.select_one("#captures-reviews-due").get_text() == "1"
        assert page.select_one("#captures-destructions-due").get_text() == "0"


def test_the_xlsx_extract_has_a_captured_material_sheet(client, inspector, kept):
    client.sign_in(inspector)
    response = client.get_response("/register/extract.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook["Captured material"]
    headers = [c.value for c in sheet[1]]
    row = dict(zip(headers, [c.value for c in sheet[2]], strict=True))
    assert row["SHA-256"] == PNG_SHA256
    assert row["Review by"] == "2027-05-25" and row["Destroy by"] == "2027-11-25"
    assert row["Kept"] == "On the server"


def test_the_register_and_the_dashboard_cost_the_same_queries_however_many_captures(
    client, app, sro, officer, facebook_profile, capture_store, count_queries
):
    from tests.capture_setup import send_kept_elsewhere

    token = make_token(app, officer)
    viewing = log_viewing(client, token)

    def add(n, start):
        for i in range(start, start + n):
            response = send_kept_elsewhere(
                client, token, viewing, sha256=f"{i:064x}", captured_at="2026-11-25T10:00:00Z"
            )
            assert response.status_code == 201

    def cost() -> tuple[int, int]:
        client.sign_in(sro)
        with at(2027, 11, 26):
            client.get("/captures/")
            with count_queries() as register:
                client.get("/captures/")
            with count_queries() as dashboard:
                client.get("/dashboard")
        return register.count, dashboard.count

    add(2, 1)
    few = cost()
    add(10, 100)
    assert cost() == few
