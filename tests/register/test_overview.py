"""The inspector's home page: the register's counts, the year's figures and what is overdue."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from tests import records


def _at(day: str):
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC), tick=False)


def test_an_inspectors_home_is_the_register_at_a_glance(client, inspector):
    response = client.sign_in(inspector).get_response("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/overview")
    page = client.get("/register/overview")
    assert page.find(id="nothing-overdue")


def test_overview_counts_each_status_and_lists_reviews_overdue(
    client, app, officer, authoriser, coordinator, inspector
):
    in_force = records.active(app, officer, authoriser, coordinator)
    records.submitted(app, officer)
    with _at("2026-04-10"):
        page = client.sign_in(inspector).get("/register/overview")

    counts = {
        row.find("dt").get_text(strip=True): row.find("dd")
        for row in page.find(id="status-counts").select(".govuk-summary-list__row")
    }
    assert counts["In force"].get_text(strip=True) == "1"
    assert counts["In force"].find("a")["href"] == "/register/?status=in_force"
    assert counts["Cancelled"].get_text(strip=True) == "0"
    overdue = page.find(id="reviews-overdue")
    assert overdue.get_text(strip=True) == "1 review overdue"
    row = overdue.find_next("table").select_one("tbody tr")
    assert row.find("a")["href"] == f"/register/{in_force}"
    assert "Thursday 2 April 2026" in row.get_text()
    figures = page.find(id="year-figures").get_text(" ", strip=True)
    assert "Directed surveillance authorisations granted (approved by a magistrate) 1" in figures
    assert not page.find(id="lapsed")


def test_overview_shows_lapsed_authorisations_with_a_link_to_them_all(
    client, app, officer, authoriser, coordinator, inspector
):
    records.active(app, officer, authoriser, coordinator)
    with _at("2026-06-10"):
        page = client.sign_in(inspector).get("/register/overview")
    lapsed = page.find(id="lapsed")
    assert lapsed.get_text(strip=True) == "1 authorisation lapsed without being cancelled"
    assert lapsed.find("a")["href"] == "/register/?status=lapsed"


def test_overview_reads_the_same_number_of_rows_however_big_the_register(
    app, officer, authoriser, coordinator, count_queries
):
    from ripa_guard.core import db
    from ripa_guard.register.overview import overview

    def queries() -> int:
        with app.app_context(), count_queries() as counted:
            overview(db.session(), datetime(2026, 4, 10).date())
        return counted.count

    records.active(app, officer, authoriser, coordinator)
    few = queries()
    for _ in range(3):
        records.active(app, officer, authoriser, coordinator)
    assert queries() == few
