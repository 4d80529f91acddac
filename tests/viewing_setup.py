"""Fixtures and steps for the viewing log's HTTP and API tests.

Test modules import the fixtures they use by name.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from ripa_guard.accounts.models import User
from ripa_guard.core import db
from ripa_guard.law.viewing_rules import reference_key
from ripa_guard.viewing import investigations, research_profiles, tokens
from ripa_guard.viewing.models import (
    Investigation,
    InvestigationOfficer,
    Viewing,
    ViewingAttempt,
)

from .journeys import decide, record_court, submitted_application

LONDON = ZoneInfo("Europe/London")
PROFILE_URL = "https://www.facebook.com/bargainbags.example"
CASE = "TS/2026/0412"
SUBJECT = "Bargain Bags (trading name)"


def at(year, month, day, hour=10, minute=0, second=0):
    moment = datetime(year, month, day, hour, minute, second, tzinfo=LONDON)
    return time_machine.travel(moment, tick=False)


def register_profile(app, sro, platform, handle, *officers, created_on=date(2026, 1, 1)) -> int:
    with app.app_context():
        s = db.session()
        profile = research_profiles.register_research_profile(
            s,
            s.get(User, sro.id),
            platform=platform,
            handle=handle,
            covert=True,
            created_on=created_on,
            user_ids=[o.id for o in officers],
            notes="",
            today=date(2026, 12, 31),
        )
        return profile.id


@pytest.fixture
def research_browser(app, sro, officer, other_officer) -> int:
    """A council research browser both officers may view any site from."""
    return register_profile(app, sro, "web", "TS research laptop 3", officer, other_officer)


@pytest.fixture
def facebook_profile(app, sro, officer, other_officer) -> int:
    return register_profile(
        app, sro, "facebook", "borsetshire.ts.research3", officer, other_officer
    )


def open_case(app, officer, reference=CASE, title="Counterfeit handbags", *others) -> int:
    """Open an investigation through the service, as `officer`, with `others` on it; its id."""
    with app.app_context():
        s = db.session()
        opened = investigations.open_investigation(
            s,
            s.get(User, officer.id),
            reference=reference,
            title=title,
            offences="Trade Marks Act 1994 s.92",
            subjects=[],
            officer_ids=[o.id for o in others],
            today=date(2026, 1, 1),
        )
        return opened.id


def case_for(app, user, reference=CASE) -> int:
    """The id of the investigation of `user`'s service under `reference` (normalised), with
    `user` working on it: opened by them when their service has none. The tests written before
    investigations were records name a case by its reference; the form is sent its id."""
    with app.app_context():
        s = db.session()
        found = s.scalar(
            select(Investigation).where(
                Investigation.key == reference_key(reference),
                Investigation.service_key == investigations.service_key(user.service),
            )
        )
        if found is None:
            # Made directly, not through the service: an untrained officer's case exists too.
            found = Investigation(
                service=user.service or "",
                service_key=investigations.service_key(user.service),
                key=reference_key(reference),
                reference=reference,
                title="Counterfeit handbags",
                created_by_id=user.id,
                requests=0,
            )
            s.add(found)
            s.flush()
        if not found.has_officer(user):
            s.add(InvestigationOfficer(investigation_id=found.id, user_id=user.id))
            s.commit()
        return found.id


def is_case_reference(value) -> bool:
    """Whether a test named a case by its reference ("TS/2026/0412"), to be sent as its id."""
    return isinstance(value, str) and "/" in value and bool(reference_key(value))


def case_of_token(app, raw: str, reference=CASE) -> int:
    with app.app_context():
        found = tokens.user_for_token(db.session(), raw)
    return case_for(app, found[0], reference) if found else 1


def view(client, url=PROFILE_URL, reference=CASE, subject=SUBJECT, profile=None, **overrides):
    """Log a viewing through the web form; returns the response. The investigation is chosen
    (`investigation=` an id), or the one of the signed-in officer's service under `reference`."""
    if "investigation" not in overrides:
        overrides["investigation"] = str(case_for(client.app, client.user, reference))
    data = {
        "url": url,
        "subject": subject,
        "research_profile": str(profile),
        "purpose": "To see whether the seller is still trading",
        "captured": "no",
        "capture_location": "",
        **overrides,
    }
    return client.post("/viewings/new", data)


def viewings(app) -> list[Viewing]:
    with app.app_context():
        return list(db.session().scalars(select(Viewing).order_by(Viewing.id)))


def attempts(app) -> list[ViewingAttempt]:
    with app.app_context():
        return list(db.session().scalars(select(ViewingAttempt).order_by(ViewingAttempt.id)))


@pytest.fixture
def awaiting_court(client, app, officer, authoriser):
    """An application for TS/2026/0412 covering the Bargain Bags Facebook and Instagram pages,
    submitted on 2 March 2026 and approved by an authorising officer on 3 March."""
    with at(2026, 3, 2):
        application_id = submitted_application(client, app, officer)
    client.sign_in(authoriser)
    with at(2026, 3, 3):
        assert decide(client, app, application_id).status_code == 302
    return application_id


@pytest.fixture
def active(client, app, awaiting_court, coordinator):
    """Approved by the magistrate at 4pm on Thursday 5 March 2026: it has effect from that day
    until 23:59:59 on Thursday 4 June 2026."""
    client.sign_in(coordinator)
    with at(2026, 3, 5, 16):
        assert record_court(client, app, awaiting_court, date(2026, 3, 5)).status_code == 302
    return awaiting_court


def at_once(app, asks: list[tuple[int, object]]) -> tuple[list, list[str]]:
    """Each (officer id, ViewingRequest) logged in its own thread, connection and transaction,
    released together: (the verdicts, the errors)."""
    import threading

    from ripa_guard.core import clock
    from ripa_guard.viewing import log as viewing_log

    barrier = threading.Barrier(len(asks))
    verdicts, errors = [], []

    def look(user_id, request):
        try:
            with app.app_context():
                s = db.session()
                user = s.get(User, user_id)
                barrier.wait(timeout=30)
                outcome = viewing_log.request_viewing(s, user, request, clock.now())
                verdicts.append(outcome.decision.verdict)
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(repr(exc))

    threads = [threading.Thread(target=look, args=ask) for ask in asks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return verdicts, errors
