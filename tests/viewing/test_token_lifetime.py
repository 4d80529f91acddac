"""API tokens stop working after API_TOKEN_DAYS, show when, and can be rotated: a new token and
the old one revoked in one step (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from ripa_guard.viewing.models import ApiToken
from tests.helpers import check_page
from tests.viewing.test_viewing_api import make_token

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _works(client, raw) -> bool:
    response = client.client.get(
        "/api/v1/research-profiles", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code in (200, 401)
    return response.status_code == 200


def test_a_token_stops_working_after_its_days(client, app, officer, facebook_profile):
    with time_machine.travel(START, tick=False):
        raw = make_token(app, officer)
    with time_machine.travel(START + timedelta(days=89), tick=False):
        assert _works(client, raw)
    with time_machine.travel(START + timedelta(days=91), tick=False):
        assert not _works(client, raw)
        client.sign_in(officer)
        page = client.get("/viewings/tokens")
    assert "Stopped working" in page.get_text()


def test_the_tokens_page_shows_until_when_each_token_works(client, app, officer, facebook_profile):
    with time_machine.travel(START, tick=False):
        client.sign_in(officer)
        page = check_page(
            client.post("/viewings/tokens", {"name": "Case system"}).get_data(as_text=True)
        )
    assert "It works until" in page.get_text()
    assert "Works until" in page.select_one("table").get_text()
    assert "23 February 2027" in page.select_one("table tbody").get_text()


def test_rotating_gives_a_new_token_and_the_old_one_stops_at_once(
    client, app, officer, facebook_profile
):
    old = make_token(app, officer)
    with app.app_context():
        token_id = db.session().scalar(select(ApiToken.id))
    client.sign_in(officer)
    response = client.post(f"/viewings/tokens/{token_id}/rotate")
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    new = page.select_one(".govuk-panel code").get_text(strip=True)
    assert new.startswith("rgv_") and new != old
    assert not _works(client, old) and _works(client, new)
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action)).all()
        names = db.session().scalars(select(ApiToken.name)).all()
    assert "api_token.rotated" in actions and names == ["Browser extension"] * 2


def test_only_the_owner_rotates_a_token(client, app, officer, other_officer, sro, facebook_profile):
    raw = make_token(app, officer)
    with app.app_context():
        token_id = db.session().scalar(select(ApiToken.id))
    for person in (other_officer, sro):
        client.sign_in(person)
        assert client.post(f"/viewings/tokens/{token_id}/rotate").status_code == 403
    assert _works(client, raw)


def test_a_revoked_token_cannot_be_rotated(client, app, officer, facebook_profile):
    make_token(app, officer)
    with app.app_context():
        token_id = db.session().scalar(select(ApiToken.id))
    client.sign_in(officer)
    client.post(f"/viewings/tokens/{token_id}/revoke")
    response = client.post(f"/viewings/tokens/{token_id}/rotate")
    assert response.status_code == 302
    with app.app_context():
        assert db.session().scalar(select(ApiToken).where(ApiToken.revoked_at.is_(None))) is None
