"""Each person sees their own notifications in the app, with the unread count in the navigation."""

from __future__ import annotations

from ripa_guard.accounts.models import Role
from ripa_guard.core import db
from ripa_guard.notifications import outbox
from tests import records


def nav_text(page) -> str:
    return page.find("a", href="/notifications/").get_text(strip=True)


def test_a_person_sees_their_notifications_with_the_unread_count(client, app, officer, authoriser):
    application_id = records.submitted(app, officer, title="Fake perfume")

    client.sign_in(authoriser)
    page = client.get_page("notifications.index")

    assert nav_text(page) == "Notifications (1 unread)"
    link = page.find("a", href=f"/applications/{application_id}")
    assert "is waiting for an authorising officer's decision" in link.get_text()
    assert "Fake perfume" in page.get_text()
    assert page.find(string="Unread") is not None


def test_marking_all_read_clears_the_count(client, app, officer, authoriser):
    records.submitted(app, officer)
    client.sign_in(authoriser)

    response = client.post("/notifications/", data={})
    page = client.get_page("notifications.index")

    assert response.status_code == 302
    assert nav_text(page) == "Notifications"
    assert page.find(string="Unread") is None
    assert "Your notifications are marked as read" in page.get_text()


def test_nobody_sees_or_marks_anyone_elses_notifications(
    client, app, officer, authoriser, create_user
):
    other = create_user(Role.AUTHORISING_OFFICER)
    records.submitted(app, officer)

    client.sign_in(other)
    client.post("/notifications/", data={})
    client.sign_in(authoriser)
    page = client.get_page("notifications.index")

    assert nav_text(page) == "Notifications (1 unread)"
    client.sign_in(officer)
    assert "You have no notifications" in client.get_page("notifications.index").get_text()


def test_the_sro_is_told_when_every_email_went(client, app, sro):
    mine = client.sign_in(sro).get_page("notifications.index")
    page = client.get(mine.find("a", string="e-mails that could not be sent")["href"])

    assert "Every e-mail has been sent or is still being tried." in page.get_text()


def test_a_look_held_link_is_kept_as_given(app, coordinator, client):
    with app.app_context():
        outbox.notify_look_held(
            db.session(), investigation_reference="HS/2026/0099", title="", link="/viewings/"
        )
        db.session().commit()

    page = client.sign_in(coordinator).get_page("notifications.index")

    assert page.find("a", href="/viewings/") is not None
