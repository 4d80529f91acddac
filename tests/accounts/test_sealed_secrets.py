"""Second-step secrets are sealed at rest under a key kept outside the database (issue 17,
item 8): the database alone gives no codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from ripa_guard.accounts import totp
from ripa_guard.accounts.models import UserSecurity
from ripa_guard.core import db
from ripa_guard.core.migrate import upgrade
from tests.accounts.test_sign_in_security import _enrol, _sign_in
from tests.conftest import TOTP_KEY

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_the_database_does_not_hold_the_secret_and_the_code_still_signs_in(client, app, authoriser):
    secret = _enrol(client, app, authoriser)
    with app.app_context():
        stored = db.session().get(UserSecurity, authoriser.id).totp_secret
    assert secret not in stored and secret.lower() not in stored.lower()
    assert Fernet(TOTP_KEY).decrypt(stored.encode()).decode() == secret
    later = START + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert _sign_in(client, authoriser.email).headers["Location"] == "/sign-in/code"
        response = client.post("/sign-in/code", {"code": totp.code_at(secret, later.timestamp())})
    assert response.headers["Location"] == "/dashboard"


def test_a_secret_waiting_for_its_first_code_is_sealed_too(client, app, authoriser):
    client.sign_in(authoriser)
    page = client.get("/account/two-step")
    assert page.select_one(".app-qr-code svg path") is not None
    shown = page.select_one("#totp-secret").get_text()
    with app.app_context():
        stored = db.session().get(UserSecurity, authoriser.id).totp_pending_secret
    assert shown.replace(" ", "") not in stored


def test_the_upgrade_seals_secrets_kept_in_plain_text(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0016")
    plain = totp.new_secret()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, grade, service, password_hash, "
                "must_change_password, active, can_authorise_confidential, created_at, version, "
                "session_generation) VALUES (1, 'a@b.example', 'A', '', '', 'x', 0, 1, 0, "
                "'2026-01-01 00:00:00', 1, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO user_security (user_id, totp_secret, failed_sign_ins) "
                "VALUES (1, :secret, 0)"
            ),
            {"secret": plain},
        )
    upgrade(url, totp_key=TOTP_KEY)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT totp_secret FROM user_security")).scalar_one()
    engine.dispose()
    assert stored != plain
    assert Fernet(TOTP_KEY).decrypt(stored.encode()).decode() == plain
