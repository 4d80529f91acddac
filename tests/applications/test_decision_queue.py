"""The authorising officers' queue (/decisions): the longest waiting first, bounded."""

from __future__ import annotations

from datetime import date

from ripa_guard.applications import lists
from tests.dashboard.test_due import authorisation


def test_queue_shows_the_longest_waiting_and_how_many_wait_in_all(
    app, client, officer, authoriser, monkeypatch
):
    submitted = [
        authorisation(app, officer, until="submitted", approved_on=day)[1]
        for day in (date(2026, 3, 9), date(2026, 1, 5), date(2026, 2, 2))
    ]
    monkeypatch.setattr(lists, "QUEUE_LIMIT", 2)

    page = client.sign_in(authoriser).get("/authorisations/decisions")

    rows = page.find("h2", string="Applications").find_next("table").select("tbody tr")
    assert [r.find("td").get_text(strip=True) for r in rows] == [submitted[1], submitted[2]]
    assert "The 2 waiting longest of 3." in page.get_text(" ", strip=True)


def test_queue_reads_the_same_number_of_rows_however_long_it_is(
    app, officer, authoriser, count_queries
):
    from ripa_guard.core import db

    def queries() -> int:
        with app.app_context(), count_queries() as counted:
            lists.waiting_for_decision(db.session())
        return counted.count

    authorisation(app, officer, until="submitted")
    few = queries()
    for _ in range(3):
        authorisation(app, officer, until="submitted")

    assert queries() == few
