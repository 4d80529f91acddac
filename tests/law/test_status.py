"""The one rule for the status a person sees (law.status), with its day boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from ripa_guard.applications.models import ApplicationStatus
from ripa_guard.law.status import Shown, included_in, shown_status, stored_states

LAST_DAY = date(2026, 6, 4)


def test_in_force_to_the_end_of_its_last_day_and_lapsed_the_day_after():
    assert shown_status("active", date(2026, 3, 5), LAST_DAY) == Shown.IN_FORCE
    assert shown_status("active", LAST_DAY, LAST_DAY) == Shown.IN_FORCE
    assert shown_status("active", date(2026, 6, 5), LAST_DAY) == Shown.LAPSED
    assert Shown.LAPSED.title == "Lapsed (not cancelled)"


def test_a_pending_renewal_shows_while_in_force_but_not_once_lapsed():
    assert shown_status("active", LAST_DAY, LAST_DAY, renewal_pending=True) == Shown.RENEWAL_PENDING
    assert shown_status("active", date(2026, 6, 5), LAST_DAY, renewal_pending=True) == Shown.LAPSED


def test_a_cancelled_authorisation_past_its_last_day_is_cancelled_not_lapsed():
    assert shown_status("cancelled", date(2026, 9, 1), LAST_DAY) == Shown.CANCELLED


def test_destroyed_details_show_whatever_the_entry_was():
    assert shown_status("cancelled", date(2031, 1, 1), LAST_DAY, destroyed=True) == Shown.DESTROYED
    assert shown_status("active", date(2031, 1, 1), LAST_DAY, destroyed=True) == Shown.DESTROYED


@pytest.mark.parametrize(
    "stored, title",
    [
        ("draft", "Draft"),
        ("submitted", "Awaiting decision"),
        ("returned", "Returned for more information"),
        ("refused", "Refused by authorising officer"),
        ("awaiting_court", "Awaiting magistrate"),
        ("court_refused", "Refused by magistrate"),
        ("quashed", "Quashed by magistrate"),
        ("cancelled", "Cancelled"),
        ("withdrawn", "Withdrawn"),
    ],
)
def test_states_that_do_not_depend_on_the_day(stored, title):
    for today in (date(2020, 1, 1), date(2030, 1, 1)):
        assert shown_status(stored, today, LAST_DAY).title == title


def test_every_stored_state_has_a_shown_status_and_back():
    for stored in ApplicationStatus:
        shown = shown_status(stored.value, LAST_DAY, LAST_DAY)
        assert stored.value in stored_states(shown)
    for shown in Shown:
        assert shown.title and stored_states(shown)


def test_a_filter_for_in_force_includes_renewal_pending():
    assert included_in(Shown.IN_FORCE) == {Shown.IN_FORCE, Shown.RENEWAL_PENDING}
    assert included_in(Shown.LAPSED) == {Shown.LAPSED}
