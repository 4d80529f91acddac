"""The annual return: every figure as of the day it is taken, or 31 December once the year is over."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import time_machine

from ripa_guard.core import db
from ripa_guard.register import annual_return
from tests import records


def _granted(app, officer, authoriser, coordinator, court_on: datetime, title: str) -> int:
    """An authorisation a magistrate approved on `court_on`; it lasts three months from then."""
    application_id = records.submitted(app, officer, title=title, when=court_on - timedelta(days=2))
    records.approve(app, application_id, authoriser, when=court_on - timedelta(days=1))
    records.court(app, application_id, coordinator, when=court_on)
    return application_id


def _lapsed_in_august_and_running_in_december(app, officer, authoriser, coordinator):
    # Last day 2026-08-31, never cancelled: a lapse that has happened by 27 November.
    _granted(app, officer, authoriser, coordinator, datetime(2026, 6, 1, 10, tzinfo=UTC), "Old")
    # Last day 2026-12-02: still in force on 27 November, a lapse only if nobody cancels it.
    _granted(app, officer, authoriser, coordinator, datetime(2026, 9, 3, 10, tzinfo=UTC), "New")


def _figure(page, key: str) -> str:
    return page.select_one(f"#figure-{key}").get_text(strip=True)


def test_annual_return_taken_mid_year_counts_only_lapses_that_have_happened(
    app, client, officer, authoriser, coordinator, sro
):
    _lapsed_in_august_and_running_in_december(app, officer, authoriser, coordinator)
    client.sign_in(sro)
    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=UTC), tick=False):
        page = client.get("/register/annual-return?year=2026")
    assert _figure(page, "ds_lapsed") == "1"
    assert _figure(page, "ds_in_force") == "1"
    text = " ".join(page.get_text(" ").split())
    assert "in force at Friday 27 November 2026" in text
    assert "in force at 31 December" not in text
    assert "The year 2026 has not ended" in page.select_one("#as-of").get_text()


def test_annual_return_taken_after_the_year_counts_to_31_december(
    app, client, officer, authoriser, coordinator, sro
):
    _lapsed_in_august_and_running_in_december(app, officer, authoriser, coordinator)
    client.sign_in(sro)
    with time_machine.travel(datetime(2027, 1, 5, 12, tzinfo=UTC), tick=False):
        page = client.get("/register/annual-return?year=2026")
    assert _figure(page, "ds_lapsed") == "2"
    assert _figure(page, "ds_in_force") == "0"
    assert "in force at Thursday 31 December 2026" in " ".join(page.get_text(" ").split())
    assert "has not ended" not in page.get_text()


def test_a_last_day_that_is_today_is_not_yet_a_lapse(app, officer, authoriser, coordinator):
    _granted(app, officer, authoriser, coordinator, datetime(2026, 8, 27, 10, tzinfo=UTC), "Now")
    with app.app_context():
        s = db.session()
        on_the_day = annual_return.taken(s, 2026, date(2026, 11, 26))
        day_after = annual_return.taken(s, 2026, date(2026, 11, 27))
    by_key = lambda found: {f.key: f.value for f in found.figures}  # noqa: E731
    assert by_key(on_the_day)["ds_lapsed"] == 0 and by_key(on_the_day)["ds_in_force"] == 1
    assert by_key(day_after)["ds_lapsed"] == 1 and by_key(day_after)["ds_in_force"] == 0


def test_xlsx_annual_return_sheet_says_the_year_has_not_ended(
    app, client, officer, authoriser, coordinator, inspector
):
    _lapsed_in_august_and_running_in_december(app, officer, authoriser, coordinator)
    client.sign_in(inspector)
    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=UTC), tick=False):
        response = client.get_response("/register/extract.xlsx?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["Annual return 2026"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert rows[0][:2] == ["Figures as of", "2026-11-27"]
    assert "The year 2026 has not ended" in rows[0][2]
    figures = {r[0]: r[1] for r in rows[1:]}
    assert figures["Lapsed before they were cancelled"] == 1
    assert figures["Directed surveillance authorisations in force at Friday 27 November 2026"] == 1


def test_a_cancelled_authorisation_is_not_in_force_on_the_day_of_its_cancellation(
    app, officer, authoriser, coordinator
):
    application_id = records.active(app, officer, authoriser, coordinator)  # from 5 March 2026
    records.cancel(app, application_id, authoriser, today=date(2026, 4, 10))
    with app.app_context():
        s = db.session()
        assert annual_return.in_force_on(s, date(2026, 4, 9)) == 1
        assert annual_return.in_force_on(s, date(2026, 4, 10)) == 0
        assert annual_return.in_force_on(s, date(2026, 3, 4)) == 0


def test_members_report_taken_mid_year_says_the_year_has_not_ended(
    app, client, officer, authoriser, coordinator, sro
):
    _lapsed_in_august_and_running_in_december(app, officer, authoriser, coordinator)
    client.sign_in(sro)
    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=UTC), tick=False):
        page = client.get("/oversight/members-report?year=2026")
    assert _figure(page, "ds_lapsed") == "1"
    assert "The year 2026 has not ended" in page.select_one("#figures-as-of").get_text()
    assert "in force at Friday 27 November 2026" in " ".join(page.get_text(" ").split())
