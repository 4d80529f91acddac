"""An application's history says who did what: the coordinator recorded the court's decision."""

from __future__ import annotations

from tests import records


def test_the_coordinator_recorded_the_magistrates_approval_rather_than_approved_it(
    client, app, officer, authoriser, coordinator
):
    application_id = records.active(app, officer, authoriser, coordinator)
    page = client.sign_in(coordinator).get(f"/applications/{application_id}")
    history = page.find("h2", string="History").find_next("ul").get_text(" ", strip=True)
    assert "Cora Coordinator recorded the magistrate's approval" in history
    assert "approved by Cora Coordinator" not in history
    assert "Arthur Authoriser approved" in history
