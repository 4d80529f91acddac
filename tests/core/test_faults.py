"""Faults: the server killed in the middle of a change, and a backup taken while the app writes.

Both run on a SQLite file of their own, whatever database the rest of the suite uses: the kill
needs a server in another process, and the backup command is SQLite's (PostgreSQL has pg_dump).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ripa_guard import create_app
from ripa_guard.accounts import training
from ripa_guard.accounts import users as accounts
from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import lifecycle, plans
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Triage,
)
from ripa_guard.core import audit, db
from ripa_guard.core.models import AuditEvent
from tests import records
from tests.conftest import TOTP_KEY
from tests.journeys import STATEMENTS

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kettle marmalade lighthouse"


def _settings(tmp_path: Path) -> dict:
    """Keys for tests, and the audit chain's head in this test's own folder."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test only",
        "AUDIT_KEY": "test audit key",
        "TOTP_KEY": TOTP_KEY,
        "AUDIT_HEAD_FILE": str(tmp_path / "audit-head.log"),
    }


def _service(tmp_path: Path, name: str = "service.sqlite3"):
    """An app on a SQLite file of its own, with an officer, an authoriser and a coordinator."""
    url = f"sqlite:///{tmp_path / name}"
    app = create_app({**_settings(tmp_path), "DATABASE_URL": url, "AUTO_MIGRATE": True})
    people = {}
    with app.app_context():
        s = db.session()
        for key, role in [
            ("officer", Role.OFFICER),
            ("authoriser", Role.AUTHORISING_OFFICER),
            ("coordinator", Role.COORDINATOR),
        ]:
            user, _ = accounts.create_user(
                s,
                None,
                f"{key}@borsetshire.example.gov.uk",
                key.title(),
                "Grade",
                "Service",
                [role],
                password=PASSWORD,
            )
            user.must_change_password = False
            s.commit()
            if user.can_decide:
                training.record_training(
                    s,
                    None,
                    user,
                    trained_on=date(2025, 1, 6),
                    course="RIPA for authorising officers",
                    provider="",
                    notes="",
                    today=date(2025, 1, 6),
                )
            people[key] = user
    return app, url, people


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, and the CSRF token and version from each form."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> int:
        page = self.get(path)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        version = re.search(r'name="version" (?:type="hidden" )?value="(\d+)"', page)
        body = {"csrf_token": token, **data}
        if version:
            body["version"] = version.group(1)
        encoded = urllib.parse.urlencode(body, doseq=True).encode()
        with self.opener.open(self.base + path, data=encoded, timeout=20) as response:
            return response.status


def test_a_server_killed_in_the_middle_of_a_decision_leaves_nothing_half_written(tmp_path):
    app, url, people = _service(tmp_path)
    application_id = records.submitted(app, people["officer"])
    with app.app_context():
        s = db.session()
        events_before = audit.verify(s).events
        version_before = s.get(Application, application_id).version
    app.extensions["ripa_guard.engine"].dispose()

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "serve_and_die.py"),
            url,
            str(port),
            "authorising_decisions",
            str(tmp_path / "audit-head.log"),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "serving", server.stderr.read()
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.post("/sign-in", {"email": people["authoriser"].email, "password": PASSWORD})
        assert "Sign out" in browser.get("/dashboard")  # signed in
        with pytest.raises((urllib.error.URLError, ConnectionError, http.client.HTTPException)):
            browser.post(
                f"/authorisations/{application_id}/decide",
                {
                    "decision": "approved",
                    "what_authorised": "The seller's page, twice a week.",
                    "reasons": "Necessary and proportionate.",
                    "review_interval_days": "28",
                    "directly_involved": "no",
                    "offences_genuine": "yes",
                    **STATEMENTS.as_dict(),
                },
            )
        assert server.wait(timeout=20) == 137, "the server did not die where it was told to"
    finally:
        if server.poll() is None:
            server.kill()
        server.stdout.close()
        server.stderr.close()

    after = create_app({**_settings(tmp_path), "DATABASE_URL": url, "AUTO_MIGRATE": False})
    with after.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        assert application.status == ApplicationStatus.SUBMITTED
        assert application.version == version_before
        assert s.scalar(select(func.count()).select_from(AuthorisingDecision)) == 0
        report = audit.verify(s)
        # Only the sign-in was committed; nothing of the decision.
        assert report.intact and report.events == events_before + 1
        assert not s.scalar(select(func.count()).where(AuditEvent.action == "application.approved"))
        # And the service carries on: the same decision now goes through whole.
        lifecycle.decide_application(
            s,
            s.get(User, people["authoriser"].id),
            application,
            decision=lifecycle.Decision.APPROVED,
            what_authorised="The page.",
            reasons="Reasons.",
            review_interval_days=28,
            directly_involved=False,
            directly_involved_reason="",
            version=application.version,
            statements=STATEMENTS,
            offences_genuine=True,
        )
        assert audit.verify(s).intact
    after.extensions["ripa_guard.engine"].dispose()


def test_backup_while_the_app_writes_restores_every_record_and_an_intact_chain(tmp_path):
    app, url, people = _service(tmp_path)
    made = [records.submitted(app, people["officer"], title=f"Case {n}") for n in range(5)]
    records.approve(app, made[0], people["authoriser"])
    records.court(app, made[0], people["coordinator"])

    stop, written, errors = threading.Event(), [], []

    def writer() -> None:
        with app.app_context():
            s = db.session()
            officer = s.get(User, people["officer"].id)
            while not stop.is_set():
                try:
                    written.append(plans.start_triage(s, officer, f"Busy {len(written)}").id)
                except Exception as error:  # reported below: the writer must never fail
                    errors.append(error)
                    return

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        copy = tmp_path / "backup.sqlite3"
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(copy)])
        assert result.exit_code == 0, result.output
        assert "Backup written to" in result.output
        at_backup = len(written)
        while len(written) < at_backup + 10:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert len(written) >= at_backup + 10  # the writer carried on after the copy

    restored = create_app(
        {**_settings(tmp_path), "DATABASE_URL": f"sqlite:///{copy}", "AUTO_MIGRATE": False}
    )
    with restored.app_context():
        # Against the head the live service kept writing, the copy is older, and says so: a
        # restore is a deliberate act, after which the head file starts again.
        report = audit.verify(db.session())
        assert not report.intact and "restored from an older copy" in report.problem
        result = restored.test_cli_runner().invoke(args=["restart-audit-head"])
        assert result.exit_code == 0 and "The old head file is kept as" in result.output
        s = db.session()
        for application_id in made:
            application = s.get(Application, application_id)
            assert application is not None and application.urn
        assert s.get(Application, made[0]).status == ApplicationStatus.ACTIVE
        assert s.scalar(select(func.count()).select_from(User)) == 3
        busy = s.scalar(select(func.count()).where(Triage.title.like("Busy %")))
        assert 20 <= busy <= len(written)
        report = audit.verify(s)
        assert report.intact, report.problem
        assert s.scalar(select(func.count()).where(AuditEvent.action == "database.backup")) == 1
    restored.extensions["ripa_guard.engine"].dispose()
    app.extensions["ripa_guard.engine"].dispose()


def test_backup_never_overwrites_a_file_and_records_no_backup(tmp_path):
    app, _url, _people = _service(tmp_path)
    target = tmp_path / "exists.sqlite3"
    target.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(target)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert target.read_text() == "keep me"
    with app.app_context():
        # No copy was taken, so the audit trail does not say one was.
        backups = select(func.count()).where(AuditEvent.action == "database.backup")
        assert db.session().scalar(backups) == 0
    app.extensions["ripa_guard.engine"].dispose()


def test_a_backup_that_fails_part_way_is_recorded_as_failed(tmp_path):
    app, _url, _people = _service(tmp_path)
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where a folder should be")
    result = app.test_cli_runner().invoke(
        args=["backup", "--output", str(not_a_folder / "copy.sqlite3")]
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    with app.app_context():
        actions = db.session().scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("database.%"))
            .order_by(AuditEvent.id)
        )
        assert list(actions) == ["database.backup", "database.backup_failed"]
    app.extensions["ripa_guard.engine"].dispose()


def test_backup_on_postgresql_says_how_to_use_pg_dump(monkeypatch):
    from ripa_guard.core.backup import pg_dump_advice

    advice = pg_dump_advice("postgresql+psycopg://ripa:s3cret@db.example/ripa_guard")
    assert "pg_dump --format=custom" in advice and "pg_restore" in advice
    assert "s3cret" not in advice
