"""The court's timing rules (law.court): after the authorising officer, and quashing later."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ripa_guard.law.court import (
    court_before_authoriser,
    earliest_quash_day,
    may_quash_on,
)


@pytest.mark.parametrize(
    "refused_on, earliest",
    [
        # Monday -> Tuesday and Wednesday -> from Thursday.
        (date(2026, 3, 2), date(2026, 3, 5)),
        # Thursday -> Friday and Monday -> from Tuesday.
        (date(2026, 3, 5), date(2026, 3, 10)),
        # Friday -> Monday and Tuesday -> from Wednesday.
        (date(2026, 3, 6), date(2026, 3, 11)),
        # Wednesday -> Thursday and Friday -> from Saturday (the rule counts days, not sittings).
        (date(2026, 3, 4), date(2026, 3, 7)),
        # Saturday -> Monday and Tuesday -> from Wednesday.
        (date(2026, 3, 7), date(2026, 3, 11)),
        # Thursday 2 April 2026: Good Friday and Easter Monday -> Tuesday 7, Wednesday 8.
        (date(2026, 4, 2), date(2026, 4, 9)),
        # Wednesday 23 December 2026: Thursday 24, then Christmas (Friday 25) and Boxing Day
        # (moved to Monday 28) are skipped, so Tuesday 29 is the second: from Wednesday 30.
        (date(2026, 12, 23), date(2026, 12, 30)),
    ],
)
def test_quashing_waits_two_business_days_after_the_refusal(refused_on, earliest):
    assert earliest_quash_day(refused_on) == earliest
    assert may_quash_on(refused_on, earliest)
    assert not may_quash_on(refused_on, earliest - timedelta(days=1))


def test_a_council_may_add_a_bank_holiday_it_knows_of():
    assert earliest_quash_day(date(2026, 3, 2), extra_holidays={date(2026, 3, 3)}) == date(
        2026, 3, 6
    )


def test_court_decision_compared_with_the_authorisers_to_the_minute():
    authorised = datetime(2026, 3, 3, 10, 0, 45, tzinfo=UTC)
    assert court_before_authoriser(datetime(2026, 3, 3, 9, 59, tzinfo=UTC), authorised)
    assert not court_before_authoriser(datetime(2026, 3, 3, 10, 0, tzinfo=UTC), authorised)
    assert not court_before_authoriser(datetime(2026, 3, 3, 10, 1, tzinfo=UTC), authorised)
