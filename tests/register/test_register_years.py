"""Each year's register counted by the database (migration 0032).

The register filtered by a year lists every entry submitted in it or having effect at any time
during it, and says how many there are without counting them: the kept figure must follow every
change of an entry's URN or dates (a submission, a decision, the magistrate, a change made in
the database, a deletion), and the page must still find an entry whose dates run backwards.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ripa_guard import tables as _tables  # noqa: F401  (registers the models)
from ripa_guard.applications.models import Application, RegisterYear
from ripa_guard.core import db
from ripa_guard.core.migrate import upgrade
from ripa_guard.register.central_record import Filters, applications_query
from tests import records
from tests.databases import at_revision, old_entries, own_database
from tests.register.test_register_size import triggers_on_applications
from tests.register.test_search_box import _draft

TRIGGERS = ["register_years_delete", "register_years_insert", "register_years_update"]
YEARS = range(2024, 2029)


def _said(client, year: int) -> tuple[int, list[str]]:
    """The number of entries the year's register page says it holds, and the URNs it lists."""
    main = client.get(f"/register/?year={year}").select_one("main")
    said = re.search(r"(No|[\d,]+) entr", main.text)[1]
    urns = [cell.text.strip() for cell in main.select("tbody tr th, tbody tr td:first-child a")]
    return (0 if said == "No" else int(said.replace(",", ""))), urns


def _kept_and_counted(app) -> dict[int, tuple[int, int]]:
    """For each year of YEARS: the count the triggers kept, and the entries counted."""
    with app.app_context():
        s = db.session()
        kept = dict(s.execute(select(RegisterYear.year, RegisterYear.entries)).all())
        return {
            year: (
                kept[year],
                s.scalar(
                    applications_query(Filters(year=year))
                    .with_only_columns(func.count())
                    .select_from(Application)
                ),
            )
            for year in YEARS
        }


def _set(app, application_id: int, **dates) -> None:
    """Dates changed in the database itself, as an administrator or an import might."""
    with app.app_context():
        s = db.session()
        s.execute(sa.update(Application).where(Application.id == application_id).values(**dates))
        s.commit()


def _same(app) -> dict[int, int]:
    found = _kept_and_counted(app)
    assert all(kept == counted for kept, counted in found.values()), found
    return {year: kept for year, (kept, _) in found.items()}


def test_a_years_count_follows_an_authorisation_across_the_year_end(
    app, client, sro, officer, authoriser, coordinator
):
    client.sign_in(sro)
    grant = records.submitted(app, officer, when=datetime(2025, 12, 18, 10, tzinfo=UTC))
    _draft(app, officer, "Fly-tipping at the quarry, not yet submitted")
    assert _same(app) == {2024: 0, 2025: 1, 2026: 0, 2027: 0, 2028: 0}
    records.approve(app, grant, authoriser, when=datetime(2025, 12, 19, 10, tzinfo=UTC))
    records.court(app, grant, coordinator, when=datetime(2026, 1, 6, 10, tzinfo=UTC))
    # Submitted in 2025 and in force from January 2026: on both years' registers.
    assert _same(app) == {2024: 0, 2025: 1, 2026: 1, 2027: 0, 2028: 0}
    assert _said(client, 2026)[0] == 1
    _set(app, grant, last_day=date(2027, 2, 1))
    assert _same(app)[2027] == 1
    _set(app, grant, cancelled_on=date(2026, 9, 30))
    assert _same(app) == {2024: 0, 2025: 1, 2026: 1, 2027: 0, 2028: 0}
    assert [_said(client, year)[0] for year in YEARS] == [0, 1, 1, 0, 0]


def test_a_years_count_follows_bulk_inserts_deletions_and_a_urn_taken_away(app, officer):
    records.bulk(app, officer, 12)  # submitted on 2 March 2026
    first = records.submitted(app, officer, when=datetime(2024, 6, 1, 10, tzinfo=UTC))
    assert _same(app) == {2024: 1, 2025: 0, 2026: 12, 2027: 0, 2028: 0}
    with app.app_context():
        s = db.session()
        s.execute(sa.delete(Application).where(Application.urn.like("BULK/%")))
        s.execute(sa.update(Application).where(Application.id == first).values(urn=None))
        s.commit()
    assert _same(app) == dict.fromkeys(YEARS, 0)


def test_an_entry_whose_dates_run_backwards_is_still_on_the_year_it_had_effect(
    app, client, sro, officer, authoriser, coordinator
):
    """An old register may record an entry as taking effect before it was applied for: the page,
    which reads a year from its end when it can, must still list it in the earlier year."""
    client.sign_in(sro)
    newest = records.active(app, officer, authoriser, coordinator, title="Fake perfume")
    backwards = records.submitted(app, officer, title="Counterfeit handbags")
    _set(
        app,
        backwards,
        submitted_at=datetime(2027, 3, 1, 10, tzinfo=UTC),
        takes_effect=date(2026, 5, 1),
        last_day=date(2026, 7, 31),
    )
    assert _same(app)[2026] == 2
    count, urns = _said(client, 2026)
    with app.app_context():
        urn_of = dict(db.session().execute(select(Application.id, Application.urn)).all())
    assert count == 2
    # Newest first, by submission: the entry submitted in 2027 comes before the one of 2026.
    assert urns == [urn_of[backwards], urn_of[newest]]
    _set(app, backwards, submitted_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    with app.app_context():
        kept = db.session().get(RegisterYear, 2026)
        assert (kept.entries, kept.submitted_later) == (2, 0)


def test_a_change_rolled_back_leaves_the_counts_as_they_were(app, officer):
    records.bulk(app, officer, 3)
    with app.app_context():
        s = db.session()
        s.execute(sa.update(Application).values(submitted_at=datetime(2025, 1, 1, tzinfo=UTC)))
        inside = s.scalar(select(RegisterYear.entries).where(RegisterYear.year == 2025))
        s.rollback()
    assert inside == 3
    assert _same(app)[2025] == 0


def test_the_triggers_that_keep_the_years_are_there_at_the_newest_migration(app):
    """A migration that rebuilds applications in batch mode on SQLite drops their triggers
    (migration 0032's docstring): the counts would then stop following the register."""
    assert triggers_on_applications(app, "register_years") == TRIGGERS


def test_the_migration_counts_each_years_entries_already_there(tmp_path):
    with own_database(tmp_path, "0032") as url:
        with at_revision(url, "0031") as (c, tables):
            submitted = (datetime(2024, 11, 2, tzinfo=UTC), datetime(2025, 2, 2, tzinfo=UTC))
            old_entries(
                c,
                tables,
                [
                    {
                        "urn": "RIPA/2024/0041",
                        "submitted_at": submitted[0],
                        "takes_effect": date(2025, 1, 3),
                        "last_day": date(2025, 4, 2),
                    },
                    {"urn": "RIPA/2025/0042", "submitted_at": submitted[1]},
                    # A draft: never counted.
                    {"urn": None, "submitted_at": datetime(2025, 3, 2, tzinfo=UTC)},
                ],
            )
        upgrade(url)
        engine = db.make_engine(url)
        with Session(engine) as session:
            kept = dict(session.execute(select(RegisterYear.year, RegisterYear.entries)).all())
        engine.dispose()
    assert (kept[2000], kept[2024], kept[2025], kept[2026], kept[2100]) == (0, 1, 2, 0, 0)


def test_the_year_turns_at_midnight_on_new_years_eve(app, client, sro, officer):
    """1 January begins at midnight GMT in London: an application submitted a moment before is on
    the old year's register, one submitted at midnight on the new year's."""
    client.sign_in(sro)
    records.submitted(app, officer, when=datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    records.submitted(app, officer, when=datetime(2026, 1, 1, 0, 0, tzinfo=UTC))
    assert _same(app)[2025] == 1
    assert _same(app)[2026] == 1
    assert (_said(client, 2025)[0], _said(client, 2026)[0]) == (1, 1)


def test_a_year_in_another_order_or_with_another_filter_lists_the_same_entries(
    app, client, sro, officer, authoriser, coordinator
):
    """The kept count serves a year alone, and the year's end bounds a page in order of
    submission: in any other order, or with another filter, the page is read as any period is."""
    client.sign_in(sro)
    for day in (3, 4, 5):
        records.submitted(app, officer, when=datetime(2026, 2, day, 10, tzinfo=UTC))
    records.active(app, officer, authoriser, coordinator, title="Fake perfume")
    newest_first = _said(client, 2026)[1]
    main = client.get("/register/?year=2026&sort=urn&order=ascending").select_one("main")
    by_urn = [cell.text.strip() for cell in main.select("tbody tr th, tbody tr td:first-child a")]
    assert len(newest_first) == 4
    assert by_urn == sorted(newest_first)
    main = client.get("/register/?year=2026&status=submitted&sort=urn").select_one("main")
    assert "3 entries" in main.text
