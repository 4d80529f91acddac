"""An authorising officer finds what waits for them under Notifications, and marks it read."""

from __future__ import annotations

from .cases import submitted_application


def test_authorising_officer_reads_their_notifications(visit, people, client, app):
    submitted_application(client, app, people["officer"], "Puppy farm adverts")
    v = visit("notifications")

    v.sign_in(people["authoriser"])
    v.click_link("Notifications (1 unread)")
    v.step("your notifications")
    assert "Puppy farm adverts" in v.page.locator("main").inner_text()
    v.click("Mark all as read")
    v.step("marked as read")
    assert v.page.get_by_role("link", name="Notifications", exact=True).is_visible()

    v.sign_in(people["sro"])
    v.goto("/notifications/outbox", step="e-mails not sent")
