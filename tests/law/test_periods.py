"""How long an authorisation lasts, its renewals, reviews and record retention (RIPA s.43).

Expected dates below were worked out by hand from the calendar, not from the code under test.
"""

from __future__ import annotations

import ast
import calendar
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ripa_guard.law import periods
from ripa_guard.law.periods import (
    authorisation_expiry,
    can_be_renewed,
    court_approval_within_policy,
    covered_by,
    days_until,
    describe_last_day,
    end_is_uncertain,
    has_effect_on,
    long_date,
    next_review_due,
    renewal_period,
    renewal_takes_effect,
    retention_until,
    review_due_dates,
    short_date,
    uncovered_days,
)

dates_2000_to_2100 = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def three_months_on_by_hand(d: date) -> date:
    """The same day three calendar months on, or that month's last day: no relativedelta."""
    month_index = d.month - 1 + 3
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# --- DOMAIN.md §4 examples -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("takes_effect", "last_day"),
    [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 3, 15), date(2026, 6, 14)),
        # The JP approves on 3 April (the authorising officer signed on 1 April).
        (date(2026, 4, 3), date(2026, 7, 2)),
        (date(2026, 1, 31), date(2026, 4, 29)),
    ],
)
def test_domain_examples_end_on_the_documented_last_day(takes_effect, last_day):
    assert authorisation_expiry(takes_effect) == last_day


def test_the_period_runs_from_jp_approval_not_from_signature():
    signed, approved = date(2026, 4, 1), date(2026, 4, 3)
    assert authorisation_expiry(approved) == date(2026, 7, 2)
    assert authorisation_expiry(signed) != authorisation_expiry(approved)


def test_31_january_ends_on_the_earlier_of_the_two_possible_days():
    # 31 April does not exist: the period could end on 29 or 30 April; we take 29 April.
    assert authorisation_expiry(date(2026, 1, 31)) == date(2026, 4, 29)
    assert end_is_uncertain(date(2026, 1, 31))


# --- Every month end, in a leap year and a common year --------------------------------------

MONTH_ENDS_2024_LEAP = [
    (date(2024, 1, 31), date(2024, 4, 29), True),  # no 31 April
    (date(2024, 2, 29), date(2024, 5, 28), False),
    (date(2024, 3, 31), date(2024, 6, 29), True),  # no 31 June
    (date(2024, 4, 30), date(2024, 7, 29), False),
    (date(2024, 5, 31), date(2024, 8, 30), False),
    (date(2024, 6, 30), date(2024, 9, 29), False),
    (date(2024, 7, 31), date(2024, 10, 30), False),
    (date(2024, 8, 31), date(2024, 11, 29), True),  # no 31 November
    (date(2024, 9, 30), date(2024, 12, 29), False),
    (date(2024, 10, 31), date(2025, 1, 30), False),
    (date(2024, 11, 30), date(2025, 2, 27), True),  # no 30 February 2025
    (date(2024, 12, 31), date(2025, 3, 30), False),
]

MONTH_ENDS_2023_COMMON = [
    (date(2023, 1, 31), date(2023, 4, 29), True),
    (date(2023, 2, 28), date(2023, 5, 27), False),
    (date(2023, 3, 31), date(2023, 6, 29), True),
    (date(2023, 4, 30), date(2023, 7, 29), False),
    (date(2023, 5, 31), date(2023, 8, 30), False),
    (date(2023, 6, 30), date(2023, 9, 29), False),
    (date(2023, 7, 31), date(2023, 10, 30), False),
    (date(2023, 8, 31), date(2023, 11, 29), True),
    (date(2023, 9, 30), date(2023, 12, 29), False),
    (date(2023, 10, 31), date(2024, 1, 30), False),
    (date(2023, 11, 30), date(2024, 2, 28), True),  # no 30 February 2024 (leap year)
    (date(2023, 12, 31), date(2024, 3, 30), False),
]


@pytest.mark.parametrize(
    ("takes_effect", "last_day", "uncertain"),
    MONTH_ENDS_2024_LEAP + MONTH_ENDS_2023_COMMON,
    ids=lambda v: v.isoformat() if isinstance(v, date) else str(v),
)
def test_month_end_takes_effect_gives_hand_computed_last_day(takes_effect, last_day, uncertain):
    assert authorisation_expiry(takes_effect) == last_day
    assert end_is_uncertain(takes_effect) is uncertain


def test_the_month_end_tables_cover_every_month_of_both_years():
    for table in (MONTH_ENDS_2024_LEAP, MONTH_ENDS_2023_COMMON):
        assert [row[0].month for row in table] == list(range(1, 13))
        for takes_effect, _, _ in table:
            assert (takes_effect + timedelta(days=1)).day == 1


# --- Leap years and year ends ----------------------------------------------------------------


def test_29_february_takes_effect_ends_28_may():
    assert authorisation_expiry(date(2024, 2, 29)) == date(2024, 5, 28)
    assert not end_is_uncertain(date(2024, 2, 29))


def test_30_november_before_a_leap_february_ends_28_february():
    # 30 February 2028 does not exist: clamped to 29 February, minus one day.
    assert authorisation_expiry(date(2027, 11, 30)) == date(2028, 2, 28)
    assert end_is_uncertain(date(2027, 11, 30))


def test_29_november_is_uncertain_only_when_the_next_february_has_28_days():
    assert authorisation_expiry(date(2027, 11, 29)) == date(2028, 2, 28)
    assert not end_is_uncertain(date(2027, 11, 29))  # 29 February 2028 exists
    assert authorisation_expiry(date(2025, 11, 29)) == date(2026, 2, 27)
    assert end_is_uncertain(date(2025, 11, 29))  # no 29 February 2026
    # 2023 is a common year, but the February that matters is 2024's.
    assert not end_is_uncertain(date(2023, 11, 29))


def test_1_december_ends_on_the_last_day_of_february():
    assert authorisation_expiry(date(2027, 12, 1)) == date(2028, 2, 29)
    assert authorisation_expiry(date(2025, 12, 1)) == date(2026, 2, 28)
    assert not end_is_uncertain(date(2025, 12, 1))


def test_31_december_ends_30_march_of_the_next_year():
    assert authorisation_expiry(date(2025, 12, 31)) == date(2026, 3, 30)
    assert authorisation_expiry(date(2099, 12, 31)) == date(2100, 3, 30)
    assert not end_is_uncertain(date(2025, 12, 31))


def test_first_of_the_month_ends_on_the_last_day_of_the_third_month():
    assert authorisation_expiry(date(2026, 3, 1)) == date(2026, 5, 31)
    assert authorisation_expiry(date(2026, 5, 1)) == date(2026, 7, 31)
    assert authorisation_expiry(date(2026, 11, 1)) == date(2027, 1, 31)


@pytest.mark.parametrize(
    "takes_effect",
    [date(2026, 1, 30), date(2026, 2, 28), date(2026, 4, 30), date(2026, 6, 15), date(2026, 1, 1)],
)
def test_days_that_exist_three_months_on_are_certain(takes_effect):
    assert not end_is_uncertain(takes_effect)


# --- Renewals ----------------------------------------------------------------------------------


def test_domain_example_renewal_begins_with_the_old_last_day():
    # DOMAIN.md §4: last day 14 June 2025 -> renewal runs 14 June to 13 September 2025.
    assert renewal_period(date(2025, 6, 14)) == (date(2025, 6, 14), date(2025, 9, 13))


def test_renewal_approved_by_the_jp_before_the_last_day_still_begins_on_the_last_day():
    # s.43(9)(b): the later of the old last day and the approval day.
    assert renewal_takes_effect(date(2025, 6, 14), approved_on=date(2025, 6, 2)) == date(
        2025, 6, 14
    )
    assert renewal_period(date(2025, 6, 14), date(2025, 6, 14)) == (
        date(2025, 6, 14),
        date(2025, 9, 13),
    )


def test_renewal_approved_by_the_jp_after_the_last_day_begins_on_the_approval_day():
    # s.43(9)(c): approved on 20 June -> runs 20 June to 19 September 2025.
    assert renewal_period(date(2025, 6, 14), date(2025, 6, 20)) == (
        date(2025, 6, 20),
        date(2025, 9, 19),
    )


def test_days_between_the_old_last_day_and_a_late_approval_are_uncovered():
    assert uncovered_days(date(2025, 6, 14), date(2025, 6, 20)) == (
        date(2025, 6, 15),
        date(2025, 6, 19),
    )
    # Approved the day after: that day is the renewal's first; nothing falls between.
    assert uncovered_days(date(2025, 6, 14), date(2025, 6, 15)) is None
    assert uncovered_days(date(2025, 6, 14), date(2025, 6, 14)) is None
    covered = (
        (date(2025, 3, 15), date(2025, 6, 14)),
        renewal_period(date(2025, 6, 14), date(2025, 6, 20)),
    )
    assert covered_by(date(2025, 6, 14), covered)
    assert not covered_by(date(2025, 6, 15), covered)
    assert not covered_by(date(2025, 6, 19), covered)
    assert covered_by(date(2025, 6, 20), covered)
    assert covered_by(date(2025, 9, 19), covered)
    assert not covered_by(date(2025, 9, 20), covered)


def test_court_approval_after_the_last_day_is_refused_as_policy_not_as_s43_4():
    assert court_approval_within_policy(date(2025, 6, 14), date(2025, 6, 14))
    assert not court_approval_within_policy(date(2025, 6, 14), date(2025, 6, 15))
    assert "Local policy" in periods.RENEWAL_COURT_POLICY
    assert "s.43(4) requires only" in periods.RENEWAL_COURT_POLICY


def test_three_renewals_chained_from_1_january_2026():
    original_last = authorisation_expiry(date(2026, 1, 1))
    assert original_last == date(2026, 3, 31)
    first = renewal_period(original_last)
    # 31 March: there is no 31 June, so the earlier end (29 June) is taken, as for a grant.
    assert first == (date(2026, 3, 31), date(2026, 6, 29))
    assert end_is_uncertain(first[0])
    second = renewal_period(first[1])
    assert second == (date(2026, 6, 29), date(2026, 9, 28))
    third = renewal_period(second[1])
    assert third == (date(2026, 9, 28), date(2026, 12, 27))


def test_renewals_chained_from_31_january_keep_the_clamped_day():
    original_last = authorisation_expiry(date(2026, 1, 31))
    assert original_last == date(2026, 4, 29)
    first = renewal_period(original_last)
    assert first == (date(2026, 4, 29), date(2026, 7, 28))
    second = renewal_period(first[1])
    assert second == (date(2026, 7, 28), date(2026, 10, 27))
    third = renewal_period(second[1])
    assert third == (date(2026, 10, 27), date(2027, 1, 26))


def test_renewal_across_a_leap_day():
    # Last day 29 February 2028 -> renewal from 29 February 2028 -> ends 28 May 2028.
    assert renewal_period(date(2028, 2, 29)) == (date(2028, 2, 29), date(2028, 5, 28))
    # Last day 30 November 2027: there is no 30 February, so the earlier end, 28 February 2028.
    assert renewal_period(date(2027, 11, 30)) == (date(2027, 11, 30), date(2028, 2, 28))


def test_can_be_renewed_on_its_last_day_but_not_the_day_after():
    last_day = date(2026, 3, 31)
    assert can_be_renewed(last_day, today=date(2026, 3, 31))
    assert can_be_renewed(last_day, today=date(2026, 1, 1))
    assert not can_be_renewed(last_day, today=date(2026, 4, 1))
    assert not can_be_renewed(last_day, today=date(2027, 1, 1))


# --- Whether it has effect on a day ------------------------------------------------------------


def test_has_effect_from_the_first_day_to_the_end_of_the_last_day():
    takes_effect, last_day = date(2026, 1, 1), date(2026, 3, 31)
    assert not has_effect_on(date(2025, 12, 31), takes_effect, last_day)
    assert has_effect_on(date(2026, 1, 1), takes_effect, last_day)
    assert has_effect_on(date(2026, 2, 14), takes_effect, last_day)
    assert has_effect_on(date(2026, 3, 31), takes_effect, last_day)
    assert not has_effect_on(date(2026, 4, 1), takes_effect, last_day)


def test_cancellation_ends_effect_from_the_day_of_cancellation():
    takes_effect, last_day = date(2026, 1, 1), date(2026, 3, 31)
    cancelled = date(2026, 2, 15)
    assert has_effect_on(date(2026, 2, 14), takes_effect, last_day, cancelled_on=cancelled)
    assert not has_effect_on(date(2026, 2, 15), takes_effect, last_day, cancelled_on=cancelled)
    assert not has_effect_on(date(2026, 3, 1), takes_effect, last_day, cancelled_on=cancelled)


def test_cancellation_after_the_last_day_changes_nothing_within_the_period():
    takes_effect, last_day = date(2026, 1, 1), date(2026, 3, 31)
    late = date(2026, 4, 10)
    assert has_effect_on(date(2026, 3, 31), takes_effect, last_day, cancelled_on=late)
    assert not has_effect_on(date(2026, 4, 5), takes_effect, last_day, cancelled_on=late)


def test_has_effect_on_refuses_a_last_day_before_it_takes_effect():
    with pytest.raises(ValueError):
        has_effect_on(date(2026, 1, 1), date(2026, 3, 1), date(2026, 2, 1))


# --- Reviews -----------------------------------------------------------------------------------


def test_four_weekly_reviews_within_the_period():
    assert review_due_dates(date(2026, 1, 1), date(2026, 3, 31), 28) == [
        date(2026, 1, 29),
        date(2026, 2, 26),
        date(2026, 3, 26),
    ]


def test_thirty_day_reviews_step_over_february():
    assert review_due_dates(date(2026, 1, 1), date(2026, 3, 31), 30) == [
        date(2026, 1, 31),
        date(2026, 3, 2),
    ]


def test_a_review_falling_on_the_last_day_is_included_and_one_after_is_not():
    # 1 January to 31 March 2026 is 89 days apart.
    assert review_due_dates(date(2026, 1, 1), date(2026, 3, 31), 89) == [date(2026, 3, 31)]
    assert review_due_dates(date(2026, 1, 1), date(2026, 3, 31), 90) == []


def test_no_review_is_due_on_the_day_it_takes_effect():
    assert date(2026, 1, 1) not in review_due_dates(date(2026, 1, 1), date(2026, 3, 31), 1)
    assert len(review_due_dates(date(2026, 1, 1), date(2026, 3, 31), 1)) == 89


@pytest.mark.parametrize("interval", [0, -1, -28])
def test_review_interval_below_one_day_is_refused(interval):
    with pytest.raises(ValueError):
        review_due_dates(date(2026, 1, 1), date(2026, 3, 31), interval)
    with pytest.raises(ValueError):
        next_review_due(date(2026, 1, 1), date(2026, 3, 31), interval, date(2026, 1, 2))


def test_next_review_due_is_the_first_on_or_after_today():
    start, last = date(2026, 1, 1), date(2026, 3, 31)
    assert next_review_due(start, last, 28, today=date(2025, 12, 20)) == date(2026, 1, 29)
    assert next_review_due(start, last, 28, today=date(2026, 1, 29)) == date(2026, 1, 29)
    assert next_review_due(start, last, 28, today=date(2026, 1, 30)) == date(2026, 2, 26)
    assert next_review_due(start, last, 28, today=date(2026, 3, 26)) == date(2026, 3, 26)


def test_next_review_due_is_none_after_the_last_review():
    start, last = date(2026, 1, 1), date(2026, 3, 31)
    assert next_review_due(start, last, 28, today=date(2026, 3, 27)) is None
    assert next_review_due(start, last, 28, today=date(2026, 6, 1)) is None


# --- Retention of the central record ----------------------------------------------------------


def test_records_are_kept_three_years_from_the_end_by_default():
    assert retention_until(date(2026, 3, 31)) == date(2029, 3, 31)


def test_a_council_may_keep_records_longer():
    assert retention_until(date(2026, 3, 31), years=5) == date(2031, 3, 31)


def test_retention_from_29_february_ends_on_28_february():
    assert retention_until(date(2024, 2, 29)) == date(2027, 2, 28)
    assert retention_until(date(2024, 2, 29), years=4) == date(2028, 2, 29)


@pytest.mark.parametrize("years", [2, 1, 0, -3])
def test_retention_below_the_codes_three_years_is_refused(years):
    with pytest.raises(ValueError):
        retention_until(date(2026, 3, 31), years=years)


# --- Words on the page -------------------------------------------------------------------------


def test_describe_last_day_exact_text():
    assert describe_last_day(date(2026, 4, 29)) == (
        "has effect until 23:59 on Wednesday 29 April 2026"
    )


def test_short_date_reads_as_a_gov_uk_date_with_the_month_shortened():
    assert short_date(date(2026, 4, 29)) == "29 Apr 2026"
    assert short_date(date(2026, 9, 1)) == "1 Sep 2026"


def test_long_date_has_no_leading_zero():
    assert long_date(date(2026, 3, 1)) == "Sunday 1 March 2026"
    assert long_date(date(2024, 2, 29)) == "Thursday 29 February 2024"
    assert long_date(date(2026, 12, 31)) == "Thursday 31 December 2026"


def test_days_until():
    today = date(2026, 3, 29)
    assert days_until(date(2026, 3, 31), today) == 2
    assert days_until(today, today) == 0
    assert days_until(date(2026, 3, 1), today) == -28
    assert days_until(date(2027, 3, 29), today) == 365


# --- Purity ------------------------------------------------------------------------------------


def test_periods_module_is_pure_and_never_reads_the_clock():
    source = Path(periods.__file__).read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "datetime", "dateutil"}
    assert "today()" not in source
    assert ".now(" not in source


# --- Properties --------------------------------------------------------------------------------


def test_the_shortest_period_is_89_days_and_the_longest_92():
    """Checked over every day 2000-2100: last day minus first day is 88 to 91, both reached."""
    day, end = date(2000, 1, 1), date(2100, 12, 31)
    spans = set()
    while day <= end:
        spans.add((authorisation_expiry(day) - day).days)
        day += timedelta(days=1)
    assert min(spans) == 88  # e.g. 1 February 2023 -> 30 April 2023
    assert max(spans) == 91  # e.g. 1 May 2026 -> 31 July 2026
    assert (authorisation_expiry(date(2023, 2, 1)) - date(2023, 2, 1)).days == 88
    assert (authorisation_expiry(date(2026, 5, 1)) - date(2026, 5, 1)).days == 91


@given(dates_2000_to_2100)
def test_last_day_is_88_to_91_days_after_it_takes_effect(takes_effect):
    assert 88 <= (authorisation_expiry(takes_effect) - takes_effect).days <= 91


@given(dates_2000_to_2100)
def test_the_day_after_the_last_day_is_exactly_three_months_on(takes_effect):
    three_months_on = three_months_on_by_hand(takes_effect)
    assert authorisation_expiry(takes_effect) + timedelta(days=1) == three_months_on
    assert authorisation_expiry(takes_effect) < three_months_on


@given(dates_2000_to_2100)
def test_end_is_uncertain_exactly_when_the_day_is_missing_three_months_on(takes_effect):
    month_index = takes_effect.month - 1 + 3
    year, month = takes_effect.year + month_index // 12, month_index % 12 + 1
    missing = takes_effect.day > calendar.monthrange(year, month)[1]
    assert end_is_uncertain(takes_effect) is missing


@given(dates_2000_to_2100)
def test_uncertain_ends_are_never_later_than_the_last_day_of_the_month_before(takes_effect):
    # Where the day is missing, the other reading ends on the month's last day; ours is earlier.
    if end_is_uncertain(takes_effect):
        last_day = authorisation_expiry(takes_effect)
        month_end = calendar.monthrange(last_day.year, last_day.month)[1]
        assert last_day.day == month_end - 1


@given(dates_2000_to_2100)
def test_renewal_starts_on_the_last_day_it_renews(last_day):
    first_day, renewal_last = renewal_period(last_day)
    assert first_day == last_day
    assert renewal_last == authorisation_expiry(first_day)


@given(dates_2000_to_2100, st.integers(min_value=-60, max_value=60))
def test_renewal_takes_effect_on_the_later_of_last_day_and_approval(last_day, offset):
    approved_on = last_day + timedelta(days=offset)
    assert renewal_takes_effect(last_day, approved_on) == max(last_day, approved_on)
    gap = uncovered_days(last_day, approved_on)
    if offset <= 1:
        assert gap is None
    else:
        assert gap == (last_day + timedelta(days=1), approved_on - timedelta(days=1))


@given(dates_2000_to_2100, st.integers(min_value=1, max_value=8))
def test_a_chain_of_renewals_shares_each_last_day_and_leaves_no_gap(takes_effect, renewals):
    chain = [(takes_effect, authorisation_expiry(takes_effect))]
    for _ in range(renewals):
        chain.append(renewal_period(chain[-1][1]))
    for (_, previous_last), (first, last) in zip(chain, chain[1:], strict=False):
        assert first == previous_last
        assert first <= last
    # Every day from the first to the last is covered; only the shared last days twice.
    final_last = chain[-1][1]
    probe = takes_effect
    while probe <= final_last:
        covering = [p for p in chain if has_effect_on(probe, p[0], p[1])]
        assert 1 <= len(covering) <= 2
        probe += timedelta(days=7)
    assert covered_by(final_last, chain)
    assert not covered_by(final_last + timedelta(days=1), chain)


@given(dates_2000_to_2100, dates_2000_to_2100)
def test_can_be_renewed_until_and_including_the_last_day(last_day, today):
    assert can_be_renewed(last_day, today) is (today <= last_day)
    if can_be_renewed(last_day, today):
        assert days_until(last_day, today) >= 0


@given(dates_2000_to_2100, st.integers(min_value=1, max_value=120))
def test_reviews_are_evenly_spaced_within_the_period(takes_effect, interval):
    last_day = authorisation_expiry(takes_effect)
    due = review_due_dates(takes_effect, last_day, interval)
    assert all(takes_effect < d <= last_day for d in due)
    assert [(d - takes_effect).days for d in due] == [interval * n for n in range(1, len(due) + 1)]
    # The next one would fall after the last day.
    assert takes_effect + timedelta(days=interval * (len(due) + 1)) > last_day


@given(dates_2000_to_2100, st.integers(min_value=3, max_value=10))
def test_records_are_kept_at_least_the_set_number_of_years(ended_on, years):
    keep_until = retention_until(ended_on, years)
    assert keep_until.year == ended_on.year + years
    assert (keep_until - ended_on).days >= 365 * years


def test_next_review_counts_from_the_review_actually_held():
    from ripa_guard.law.periods import review_due_after

    assert review_due_after(date(2026, 1, 1), 28, date(2026, 3, 31)) == date(2026, 1, 29)
    assert review_due_after(date(2026, 2, 10), 28, date(2026, 3, 31)) == date(2026, 3, 10)


def test_no_review_falls_due_after_the_last_day():
    from ripa_guard.law.periods import review_due_after

    assert review_due_after(date(2026, 3, 10), 28, date(2026, 3, 31)) is None
    assert review_due_after(date(2026, 3, 3), 28, date(2026, 3, 31)) == date(2026, 3, 31)
    with pytest.raises(ValueError):
        review_due_after(date(2026, 3, 3), 0, date(2026, 3, 31))
