"""The error summary's links take focus to the answer that needs correcting."""

from __future__ import annotations

from datetime import date

from tests.helpers import check_page
from tests.journeys import decide, record_court, submitted_application


def test_a_date_error_links_to_the_day_box_not_the_dates_wrapper(client, app, officer, authoriser):
    application_id = submitted_application(client, app, officer)
    client.sign_in(authoriser)
    assert decide(client, app, application_id).status_code == 302
    response = record_court(
        client, app, application_id, date(2026, 3, 5), hearing_date=["31", "2", "2026"]
    )
    page = check_page(response.get_data(as_text=True))
    links = {a.get_text(strip=True): a["href"] for a in page.select(".govuk-error-summary__list a")}
    assert links == {"The date of the hearing must be a real date": "#hearing_date-day"}
    assert page.find(id="hearing_date-day").name == "input"
    assert page.title.string.startswith("Error: ")
