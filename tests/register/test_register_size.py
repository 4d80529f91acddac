"""The register's size, kept by the database (migration 0030).

The register page says how many entries the central record holds without counting them, so
the figure must follow every way an entry comes or goes: a submission, an import of an old
register, inserts in bulk, a deletion; drafts (no URN yet) are never counted.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from ripa_guard import tables as _tables  # noqa: F401  (registers the models)
from ripa_guard.applications.models import Application, RegisterSize
from ripa_guard.core import db
from ripa_guard.core.migrate import upgrade
from ripa_guard.register import importing
from tests import records
from tests.databases import at_revision, old_entries, own_database
from tests.register.test_import import GOOD, _csv, _row
from tests.register.test_search_box import _draft

TRIGGERS = ["register_size_delete", "register_size_insert", "register_size_update"]


def _said(client) -> int:
    """The number of entries the register page says it holds."""
    page = client.get("/register/")
    return int(re.search(r"([\d,]+) entr", page.select_one("main").text)[1].replace(",", ""))


def _entries(app) -> tuple[int, int]:
    """The size kept, and the entries counted."""
    with app.app_context():
        s = db.session()
        kept = s.scalar(select(RegisterSize.entries))
        counted = s.scalar(select(func.count()).where(Application.urn.is_not(None)))
        return kept, counted


def test_the_register_page_says_its_size_through_submissions_imports_and_drafts(
    app, client, sro, officer, coordinator
):
    client.sign_in(sro)
    assert _said(client) == 0
    records.submitted(app, officer, title="Counterfeit handbags")
    _draft(app, officer, "Fly-tipping at the quarry, not yet submitted")
    assert _said(client) == 1
    records.bulk(app, officer, 30)
    assert _said(client) == 31
    with app.app_context():
        s = db.session()
        importing.import_register(
            s,
            s.merge(coordinator),
            importing.upload("old.csv", _csv(GOOD, _row(urn="TS/2025/003"))),
            None,
            today=date(2026, 11, 27),
            prefix="RIPA",
        )
    assert _said(client) == 33
    # Page 2 of the register says the same.
    assert "33 entries" in client.get("/register/?page=2").select_one("main").text
    assert _entries(app) == (33, 33)


def test_the_size_follows_a_deletion_and_a_urn_taken_away(app, officer):
    """Nothing in ripa_guard deletes an entry or takes its URN away, but a council's database
    administrator might: the count must follow them too."""
    first = records.submitted(app, officer, title="Counterfeit handbags")
    records.submitted(app, officer, title="Fake perfume")
    records.bulk(app, officer, 5)
    with app.app_context():
        s = db.session()
        s.execute(delete(Application).where(Application.urn.like("BULK/%")))
        s.commit()
    assert _entries(app) == (2, 2)
    with app.app_context():
        s = db.session()
        s.execute(sa.update(Application).where(Application.id == first).values(urn=None))
        s.commit()
    assert _entries(app) == (1, 1)


def test_the_size_moves_with_the_transaction_and_back_when_it_is_rolled_back(app, officer):
    records.bulk(app, officer, 3)
    with app.app_context():
        s = db.session()
        s.execute(delete(Application))
        inside = s.scalar(select(RegisterSize.entries))
        s.rollback()
    assert inside == 0
    assert _entries(app) == (3, 3)


def triggers_on_applications(app, prefix: str) -> list[str]:
    """The names of the triggers on applications that begin with `prefix`, sorted."""
    with app.app_context():
        s = db.session()
        if s.get_bind().dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"
        else:
            query = (
                "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass)"
                " AND NOT tgisinternal"
            )
        names = s.scalars(text(query), {"t": "applications"}).all()
    return sorted(n for n in names if n.startswith(prefix))


def test_the_triggers_that_keep_the_size_are_there_at_the_newest_migration(app):
    """A migration that rebuilds applications in batch mode on SQLite drops their triggers
    (migration 0030's docstring): the size would then stop following the register unnoticed."""
    assert triggers_on_applications(app, "register_size") == TRIGGERS


def test_the_migration_counts_the_entries_already_there_and_not_the_drafts(tmp_path):
    with own_database(tmp_path, "0030") as url:
        with at_revision(url, "0029") as (c, tables):
            urns = ["RIPA/2025/0041", "RIPA/2025/0042", None]
            old_entries(c, tables, [{"urn": urn} for urn in urns])
        upgrade(url)
        engine = db.make_engine(url)
        with Session(engine) as session:
            assert session.scalar(select(RegisterSize.entries)) == 2
        engine.dispose()
