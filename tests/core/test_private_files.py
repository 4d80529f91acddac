"""Secrets and records are readable by the service's own account only (issue 17): the instance
folder 0700, and the config with its keys, the SQLite database, the audit head and backups 0600,
whatever the umask would have made them."""

from __future__ import annotations

import os
import stat

import pytest
from flask import Flask

from ripa_guard import create_app
from ripa_guard.core import audit, db
from ripa_guard.core.backup import backup_sqlite


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def everyone_may_read():
    """The usual umask, under which new files come out 0644."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_first_run_makes_the_keys_and_the_database_private(
    tmp_path, monkeypatch, everyone_may_read
):
    instance = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    app = create_app()
    with app.app_context():
        audit.record(db.session(), None, "test.event", "thing", 1)
        db.session().commit()
    assert _mode(instance) == 0o700
    assert _mode(instance / "config.py") == 0o600
    assert "SECRET_KEY" in (instance / "config.py").read_text()
    for name in ("ripa_guard.sqlite3", "ripa_guard.sqlite3-wal", "audit-head.log"):
        assert _mode(instance / name) == 0o600, name
    app.extensions["ripa_guard.engine"].dispose()


def test_a_backup_is_private(tmp_path, everyone_may_read):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    engine.dispose()
    assert _mode(tmp_path / "db.sqlite3") == 0o600
    copy = backup_sqlite(url, tmp_path / "copy.sqlite3")
    assert _mode(copy) == 0o600
