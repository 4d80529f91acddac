"""Applications part-way through their life, made through the test client, so that a browser
journey can start where another person's ends. The real clock is used throughout: the server
thread shares it, so time-machine cannot move it for one side only."""

from __future__ import annotations

from datetime import datetime

from ripa_guard.core import clock
from tests.journeys import (
    MONITOR_SELLER,
    answer_triage,
    complete_application,
    decide,
    record_court,
    start_application,
    submit,
)


def submitted_application(client, app, officer, title: str) -> int:
    client.sign_in(officer)
    application_id = start_application(client, answer_triage(client, MONITOR_SELLER, title=title))
    complete_application(client, app, application_id, {"investigation_title": title})
    assert submit(client, app, application_id).status_code == 302
    return application_id


def approved_application(client, app, people, title: str) -> int:
    """Approved by the authorising officer, awaiting the magistrate."""
    application_id = submitted_application(client, app, people["officer"], title)
    client.sign_in(people["authoriser"])
    assert decide(client, app, application_id).status_code == 302
    return application_id


def active_authorisation(client, app, people, title: str) -> int:
    """Approved by the magistrate today: in effect for three months."""
    application_id = approved_application(client, app, people, title)
    client.sign_in(people["coordinator"])
    response = record_court(client, app, application_id, clock.today(), time=now_hhmm())
    assert response.status_code == 302, response.get_data(as_text=True)
    return application_id


def now_hhmm() -> str:
    """The time now, as it is typed: a magistrate cannot have decided in the future."""
    return datetime.now(clock.LONDON).strftime("%H:%M")
