"""The register's search box: a URN, an investigation's title or a subject's name containing the
text typed, whatever its case, on SQLite from its trigram indexes (migration 0028)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ripa_guard.applications import drafting, plans
from ripa_guard.applications.models import Application, Subject
from ripa_guard.core import db
from ripa_guard.core.migrate import upgrade
from ripa_guard.register.central_record import Filters, found
from tests import records
from tests.databases import at_revision, old_entries, own_database
from tests.journeys import MONITOR_SELLER


def _titles(client, text: str) -> list[str]:
    page = client.get("/register/", query_string={"q": text})
    return sorted(row.select("td")[1].contents[0].strip() for row in page.select("tbody tr"))


def _draft(app, officer, title: str) -> int:
    with app.app_context():
        s = db.session()
        person = s.get(type(officer), officer.id)
        triage = plans.start_triage(s, person, title)
        plans.save_triage_answers(s, person, triage, MONITOR_SELLER)
        plans.complete_triage(s, person, triage, app.extensions["ripa_guard.offences"])
        application = drafting.start_application(s, person, triage)
        drafting.add_subject(
            s,
            person,
            application,
            name="Quarry Drafts Ltd",
            description="",
            profiles=[{"platform": "Facebook", "url": "https://www.facebook.com/qd.example"}],
            version=application.version,
        )
        return application.id


@pytest.fixture
def register(app, officer):
    records.submitted(app, officer, title="Counterfeit handbags", subject="Bargain Bags Ltd")
    records.submitted(app, officer, title="Fly-tipping at the quarry", subject="Élodie Marchand")
    records.submitted(app, officer, title="100% cotton fakes", subject="Shop_One")
    records.submitted(app, officer, title="Car boot sales", subject='The "Real" Deal')
    records.submitted(app, officer, title="Shop X One", subject="ShopXOne")


def test_a_subject_is_found_by_part_of_their_name_in_any_case(client, sro, register):
    client.sign_in(sro)
    assert _titles(client, "argain bag") == ["Counterfeit handbags"]
    assert _titles(client, "BARGAIN") == ["Counterfeit handbags"]
    assert _titles(client, "bags ltd") == ["Counterfeit handbags"]


def test_letters_beyond_ascii_are_found_in_any_case(client, sro, register):
    client.sign_in(sro)
    assert _titles(client, "ÉLODIE") == ["Fly-tipping at the quarry"]


def test_a_phrase_with_spaces_is_found_only_as_typed(client, sro, register):
    client.sign_in(sro)
    assert _titles(client, "at the quarry") == ["Fly-tipping at the quarry"]
    assert _titles(client, "the quarry at") == []
    assert _titles(client, "handbags counterfeit") == []
    # Each word is in the title, but not side by side: PostgreSQL asks its index for each word
    # and must still hold the rows it finds to the whole text.
    assert _titles(client, "fly-tipping quarry") == []
    assert _titles(client, "100% cotton") == ["100% cotton fakes"]
    assert _titles(client, "cotton 100%") == []


def test_percent_underscore_and_quotes_typed_match_only_themselves(client, sro, register):
    client.sign_in(sro)
    assert _titles(client, "100%") == ["100% cotton fakes"]
    assert _titles(client, "0% c") == ["100% cotton fakes"]
    assert _titles(client, "shop_one") == ["100% cotton fakes"]
    assert _titles(client, "%") == ["100% cotton fakes"]
    assert _titles(client, "_") == ["100% cotton fakes"]
    assert _titles(client, '"real"') == ["Car boot sales"]
    assert _titles(client, 'the "real" deal') == ["Car boot sales"]
    assert _titles(client, '"') == ["Car boot sales"]
    assert _titles(client, "\\") == []


def test_a_search_of_one_or_two_letters_still_finds_entries(client, sro, register):
    client.sign_in(sro)
    assert _titles(client, "ÉL") == ["Fly-tipping at the quarry"]
    assert _titles(client, "y-") == ["Fly-tipping at the quarry"]
    assert _titles(client, "%") == ["100% cotton fakes"]


def test_the_search_follows_a_renamed_or_removed_subject_and_a_changed_title(app, officer):
    first = records.submitted(app, officer, title="Counterfeit handbags", subject="Bargain Bags")
    second = records.submitted(app, officer, title="Fly-tipping", subject="Waste Man")
    with app.app_context():
        s = db.session()
        s.scalars(select(Subject).where(Subject.application_id == first)).one().name = "Cheap Co"
        s.delete(s.scalars(select(Subject).where(Subject.application_id == second)).one())
        s.get(Application, second).investigation_title = "Fly-posting"
        s.commit()

        def search(text):
            return found(s, Filters(search=text, today=date(2026, 4, 1))).ids

        assert search("bargain") == []
        assert search("cheap co") == [first]
        assert search("waste man") == []
        assert search("fly-tipping") == []
        assert search("fly-posting") == [second]


def test_a_draft_is_never_listed_whatever_is_searched(app, client, officer, sro, register):
    _draft(app, officer, "Unsubmitted quarry plan")
    client.sign_in(sro)
    assert _titles(client, "unsubmitted") == []
    assert _titles(client, "quarry drafts") == []
    assert _titles(client, "quarry") == ["Fly-tipping at the quarry"]


def test_sqlites_search_indexes_stay_whole_through_every_migration_and_change(app, officer):
    """A migration that rebuilds applications or subjects in batch mode drops their triggers
    (migration 0028's docstring): the indexes would then miss every later change unnoticed."""
    with app.app_context():
        s = db.session()
        if s.get_bind().dialect.name != "sqlite":
            pytest.skip("the trigram indexes are SQLite's (PostgreSQL has pg_trgm's, 0009)")
    first = records.submitted(app, officer, title="Counterfeit handbags", subject="Bargain Bags")
    records.submitted(app, officer, title="Fly-tipping", subject="Waste Man")
    with app.app_context():
        s = db.session()
        s.get(Application, first).investigation_title = "Counterfeit purses"
        s.commit()
        triggers = s.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_search_%'")
        ).all()
        assert sorted(triggers) == sorted(
            f"{table}_search_{event}"
            for table in ("applications", "subjects")
            for event in ("insert", "delete", "update")
        )
        for index in ("applications_search", "subjects_search"):
            # FTS5 raises if the index differs from the rows it is kept from (rank 1: compare
            # with the content table too).
            s.execute(text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"))
        s.rollback()


def test_a_search_never_runs_from_the_urn_into_the_title(app, client, sro, officer):
    """PostgreSQL reads an entry's URN and title as one folded text (Application.searched),
    with a newline between them: text running from one into the other is not in either."""
    first = records.submitted(app, officer, title="Counterfeit handbags", subject="Bargain Bags")
    with app.app_context():
        s = db.session()
        application = s.get(Application, first)
        urn_end = application.urn[-4:]
        # An old register's import may hold a title of more than one line.
        application.investigation_title = "Counterfeit\nhandbags"
        s.commit()
    client.sign_in(sro)
    assert _titles(client, f"{urn_end} counterfeit") == []
    assert _titles(client, f"{urn_end}\ncounterfeit") == []
    assert _titles(client, f"{urn_end}counterfeit") == []
    assert _titles(client, "counterfeit\nhandbags") == ["Counterfeit\nhandbags"]
    assert _titles(client, urn_end) == ["Counterfeit\nhandbags"]


def test_entries_already_there_are_found_after_the_migration_that_folds_them(tmp_path):
    """Migration 0033 adds the folded text (Application.searched) to the rows already there."""
    with own_database(tmp_path, "0033") as url:
        with at_revision(url, "0032") as (c, tables):
            old_entries(
                c,
                tables,
                [
                    {"urn": "RIPA/2025/0041", "investigation_title": "Fly-tipping at the QUARRY"},
                    {"urn": None, "investigation_title": "A quarry draft"},
                ],
            )
        upgrade(url)
        engine = db.make_engine(url)
        with Session(engine) as session:
            ids = found(session, Filters(search="quarry", today=date(2026, 4, 1))).ids
            titles = session.scalars(
                select(Application.investigation_title).where(Application.id.in_(ids))
            ).all()
            by_urn = found(session, Filters(search="ripa/2025/004", today=date(2026, 4, 1))).ids
        engine.dispose()
    assert titles == ["Fly-tipping at the QUARRY"]
    assert by_urn == ids


def test_an_apostrophe_or_quoted_sql_typed_is_matched_as_text(app, client, sro, officer):
    """PostgreSQL's search writes the text typed into its statement (text_search.any_contains):
    a quote typed must be matched as itself, never end the statement's string."""
    records.submitted(app, officer, title="O'Brien's fake perfume", subject="Perfume Stall")
    records.submitted(app, officer, title="Counterfeit handbags", subject="Bargain Bags")
    client.sign_in(sro)
    assert _titles(client, "o'brien's") == ["O'Brien's fake perfume"]
    assert _titles(client, "'s fake") == ["O'Brien's fake perfume"]
    assert _titles(client, "'") == ["O'Brien's fake perfume"]
    assert _titles(client, "x' OR '1'='1") == []
    assert _titles(client, "'; DROP TABLE applications; --") == []
    assert _titles(client, "o\\'brien") == []
    assert _titles(client, "handbags") == ["Counterfeit handbags"]
