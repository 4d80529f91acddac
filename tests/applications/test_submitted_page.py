"""The page the officer sees on submitting: the reference number, shown, not its markup."""

from __future__ import annotations

from tests.journeys import application, submitted_application


def test_submitted_page_shows_the_urn_in_bold_not_as_markup(client, app, officer):
    application_id = submitted_application(client, app, officer)
    page = client.get(f"/applications/{application_id}/submitted")
    body = page.select_one(".govuk-panel__body")
    assert body.strong.get_text() == application(app, application_id).urn
    assert "<" not in body.get_text()
