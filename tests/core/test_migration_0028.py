"""Migration 0028 fills SQLite's trigram indexes from the entries already on the register, so the
search box finds them as it did before (on PostgreSQL it changes nothing)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from ripa_guard import tables as _tables  # noqa: F401  (registers the models)
from ripa_guard.core import db
from ripa_guard.core.migrate import upgrade
from ripa_guard.register.central_record import Filters, found
from tests.core.test_migration_0017 import insert
from tests.databases import at_revision, old_entries, own_database


@pytest.fixture
def url(tmp_path):
    """Its own database (tests.databases.own_database)."""
    with own_database(tmp_path, "0028") as own:
        yield own


def test_entries_made_before_the_migration_are_found_by_the_search_box(url):
    with at_revision(url, "0027") as (c, tables):
        entry, draft = old_entries(
            c,
            tables,
            [
                {"urn": "RIPA/2025/0042", "investigation_title": "Unlicensed street trading"},
                {"investigation_title": "Street trading draft"},
            ],
        )
        insert(c, tables, "subjects", application_id=entry, name="Bargain Bags Ltd")
        insert(c, tables, "subjects", application_id=draft, name="Bargain Draft")
    upgrade(url)
    engine = db.make_engine(url)
    with Session(engine) as session:

        def search(text: str) -> list[int] | None:
            return found(session, Filters(search=text, today=date(2026, 4, 1))).ids

        assert search("BARGAIN BAGS") == [entry]
        assert search("street trading") == [entry]
        assert search("2025/004") == [entry]
    engine.dispose()
