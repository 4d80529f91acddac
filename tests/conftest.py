"""Fixtures: a real database (SQLite file, or PostgreSQL from RIPA_GUARD_TEST_DATABASE_URL),
migrated once per run and emptied after every test, and a test client that signs in as anyone.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import MetaData, delete, event, insert, text
from werkzeug import security as werkzeug_security

from ripa_guard import create_app
from ripa_guard.accounts import auth as accounts_auth
from ripa_guard.accounts import sign_in as accounts_sign_in
from ripa_guard.accounts import training
from ripa_guard.accounts.models import Role
from ripa_guard.accounts.users import create_user as _create_user
from ripa_guard.applications.models import REGISTER_YEARS, RegisterSize, RegisterYear
from ripa_guard.core import db
from ripa_guard.core.db import Base
from ripa_guard.core.migrate import upgrade
from ripa_guard.core.models import AuditHead

from .helpers import PageClient

#: Fixture modules, loaded as plugins so that tests name their fixtures and import nothing.
pytest_plugins = ["tests.viewing_setup", "tests.mail_setup"]

PASSWORD = "correct horse battery staple"
#: Seals second-step secrets in the tests (a Fernet key: 32 bytes, URL-safe base64).
TOTP_KEY = "dGVzdCBvbmx5OiBzZWFscyBzZWNvbmQtc3RlcCBrZXk="
#: When the people the fixtures make were trained: current until 2028.
TRAINED_ON = date(2025, 1, 6)

# The browser tests need Chromium and take a minute or two: `make test-browser` runs them, as
# does naming tests/browser on the command line; a plain `pytest` leaves them out.
collect_ignore = [] if os.environ.get("RIPA_GUARD_BROWSER_TESTS") == "1" else ["browser"]


@pytest.fixture(scope="session", autouse=True)
def _scrypt_once_per_password():
    """scrypt is slow on purpose (tens of milliseconds a hash), and the suite makes about a
    thousand accounts with the same password: hash each password once per run, and remember
    each check's answer. The hashes are still real scrypt (test_auth proves it), and a wrong
    password is still refused, but the suite runs in a fraction of the time."""
    hashes: dict[tuple, str] = {}
    checks: dict[tuple[str, str], bool] = {}

    def generate(password: str, *args, **kwargs) -> str:
        key = (password, args, tuple(sorted(kwargs.items())))
        if key not in hashes:
            hashes[key] = werkzeug_security.generate_password_hash(password, *args, **kwargs)
        return hashes[key]

    def check(pwhash: str, password: str) -> bool:
        if (pwhash, password) not in checks:
            checks[(pwhash, password)] = werkzeug_security.check_password_hash(pwhash, password)
        return checks[(pwhash, password)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts_auth, "generate_password_hash", generate)
        patch.setattr(accounts_sign_in, "check_password_hash", check)
        yield


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counted: ...` then `counted.count`: the SQL statements run,
    so a page whose cost grows with the register fails a test (after indico's fixture)."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        engine = app.extensions["ripa_guard.engine"]
        counted = QueryCount()

        def after(_conn, _cursor, statement, *_args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "PRAGMA")):
                counted.statements.append(statement)

        event.listen(engine, "after_cursor_execute", after)
        try:
            yield counted
        finally:
            event.remove(engine, "after_cursor_execute", after)

    return counting


class QueryCount:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database emptied of anything a previous run left, then migrated to the newest schema."""
    url = os.environ.get("RIPA_GUARD_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    engine = db.make_engine(url)
    leftovers = MetaData()
    leftovers.reflect(engine)
    leftovers.drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    upgrade(database_url)
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test only",
            "AUDIT_KEY": "test audit key",
            "TOTP_KEY": TOTP_KEY,
            # Tests that need it turn it on (tests/accounts/test_second_step.py).
            "REQUIRE_TOTP_FOR_DECIDERS": False,
            "AUDIT_HEAD_FILE": str(instance / "audit-head.log"),
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "COUNCIL_NAME": "Borsetshire District Council",
            "INSTANCE_PATH_FOR_TESTS": str(instance),
        }
    )
    yield application
    db_engine = application.extensions["ripa_guard.engine"]
    db_engine.dispose()


@pytest.fixture(autouse=True)
def _empty_database(request):
    """Every test starts with empty tables and a fresh audit chain, whatever ran before."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    engine = application.extensions["ripa_guard.engine"]
    tables = [t for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(delete(table))
        conn.execute(insert(AuditHead).values(id=1, seq=0, last_hash="0" * 64))
        conn.execute(insert(RegisterSize).values(id=1, entries=0))
        conn.execute(
            insert(RegisterYear),
            [{"year": y, "entries": 0, "submitted_later": 0} for y in REGISTER_YEARS],
        )
    # The chain's head kept outside the database starts again with it.
    Path(application.config["AUDIT_HEAD_FILE"]).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _fresh_sign_in_limits(request):
    """Sign-in throttling counts per app: every test starts with nothing counted."""
    yield
    if "app" in request.fixturenames:
        request.getfixturevalue("app").extensions["ripa_guard.limiter"].reset()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


_emails = count(1)


@pytest.fixture
def create_user(app):
    """create_user(Role.OFFICER, ...) -> a signed-up user whose password is PASSWORD.

    Everyone comes trained on TRAINED_ON: authorising officers and SROs so that they may
    approve, officers so that they may log viewings; `trained_on=None` makes one with no
    training record, or give another date.
    """

    def make(
        *roles: Role,
        name: str | None = None,
        must_change_password: bool = False,
        trained_on: date | None = TRAINED_ON,
        **kwargs,
    ):
        with app.app_context():
            n = next(_emails)
            user, _ = _create_user(
                db.session(),
                None,
                kwargs.pop("email", f"person{n}@borsetshire.example.gov.uk"),
                name or f"Test Person {n}",
                kwargs.pop("grade", "Senior Officer"),
                kwargs.pop("service", "Trading Standards"),
                list(roles) or [Role.OFFICER],
                kwargs.pop("can_authorise_confidential", False),
                password=PASSWORD,
            )
            user.must_change_password = must_change_password
            db.session().commit()
            if trained_on is not None and (user.can_decide or user.has_role(Role.OFFICER)):
                training.record_training(
                    db.session(),
                    None,
                    user,
                    trained_on=trained_on,
                    course="RIPA for authorising officers"
                    if user.can_decide
                    else "Online research and RIPA for investigators",
                    provider="",
                    notes="",
                    today=trained_on,
                )
            return user

    return make


@pytest.fixture
def client(app) -> PageClient:
    return PageClient(app)


@pytest.fixture
def officer(create_user):
    return create_user(Role.OFFICER, name="Olive Officer")


@pytest.fixture
def other_officer(create_user):
    return create_user(Role.OFFICER, name="Oscar Other")


@pytest.fixture
def sro(create_user):
    return create_user(Role.SRO, name="Sam Senior", grade="Director of Law and Governance")


@pytest.fixture
def coordinator(create_user):
    return create_user(Role.COORDINATOR, name="Cora Coordinator")


@pytest.fixture
def authoriser(create_user):
    return create_user(Role.AUTHORISING_OFFICER, name="Arthur Authoriser", grade="Head of Service")


@pytest.fixture
def inspector(create_user):
    return create_user(Role.INSPECTOR, name="Ivy Inspector")


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
