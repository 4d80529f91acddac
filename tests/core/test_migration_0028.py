"""Migration 0028 fills SQLite's trigram indexes from the entries already on the register, so the
search box finds them as it did before (on PostgreSQL it changes nothing)."""

from __future__ import annotations

import os
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ripa_guard import tables as _tables  # noqa: F401  (registers the models)
from ripa_guard.core import db
from ripa_guard.core.migrate import upgrade
from ripa_guard.register.central_record import Filters, found
from tests.core.test_migration_0017 import insert


@pytest.fixture
def url(tmp_path):
    """Its own database: a SQLite file, or on the PostgreSQL server of
    RIPA_GUARD_TEST_DATABASE_URL a database of that name with "_0028" added."""
    given = os.environ.get("RIPA_GUARD_TEST_DATABASE_URL")
    if not given:
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    server = sa.make_url(given)
    name = f"{server.database}_0028"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_entries_made_before_the_migration_are_found_by_the_search_box(url):
    upgrade(url, "0027")
    engine = db.make_engine(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as c:
        olive = insert(c, tables, "users", email="o@x", name="Olive", service="Licensing")
        triage = insert(c, tables, "triages", officer_id=olive, title="Plan")
        entry = insert(
            c,
            tables,
            "applications",
            triage_id=triage,
            officer_id=olive,
            urn="RIPA/2025/0042",
            investigation_title="Unlicensed street trading",
        )
        insert(c, tables, "subjects", application_id=entry, name="Bargain Bags Ltd")
        draft_triage = insert(c, tables, "triages", officer_id=olive, title="Draft")
        draft = insert(
            c,
            tables,
            "applications",
            triage_id=draft_triage,
            officer_id=olive,
            investigation_title="Street trading draft",
        )
        insert(c, tables, "subjects", application_id=draft, name="Bargain Draft")
    engine.dispose()
    upgrade(url)
    engine = db.make_engine(url)
    with Session(engine) as session:

        def search(text: str) -> list[int] | None:
            return found(session, Filters(search=text, today=date(2026, 4, 1)))

        assert search("BARGAIN BAGS") == [entry]
        assert search("street trading") == [entry]
        assert search("2025/004") == [entry]
    engine.dispose()
