"""Captured material's review and destroy-by dates (Code of Practice 2018 ch. 9; DPA 2018 s.39).

Expected dates were worked out by hand from the calendar, not from the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ripa_guard.law import material
from ripa_guard.law.material import Dates, Result, Standing


def test_a_new_capture_is_reviewed_after_six_months_and_destroyed_after_twelve():
    assert material.first_dates(date(2026, 11, 25), 6, 12) == Dates(
        review_on=date(2027, 5, 25), destroy_by=date(2027, 11, 25)
    )


def test_a_capture_on_the_31st_is_reviewed_on_the_last_day_of_a_shorter_month():
    assert material.first_dates(date(2026, 8, 31), 6, 12).review_on == date(2027, 2, 28)


def test_the_review_never_falls_after_the_destroy_by_date():
    assert material.first_dates(date(2026, 1, 10), 12, 3) == Dates(
        review_on=date(2026, 4, 10), destroy_by=date(2026, 4, 10)
    )


def test_a_review_that_keeps_it_sets_the_new_date_and_the_next_review():
    assert material.dates_after_review(
        Result.KEEP, date(2027, 5, 25), date(2028, 1, 31), 6
    ) == Dates(review_on=date(2027, 11, 25), destroy_by=date(2028, 1, 31))
    assert material.dates_after_review(
        Result.KEEP, date(2027, 5, 25), date(2027, 7, 1), 6
    ) == Dates(review_on=date(2027, 7, 1), destroy_by=date(2027, 7, 1))


def test_a_review_that_decides_to_destroy_makes_destruction_due_that_day():
    assert material.dates_after_review(Result.DESTROY, date(2027, 5, 25), None, 6) == Dates(
        review_on=None, destroy_by=date(2027, 5, 25)
    )


def test_a_review_keeps_it_only_into_the_future_and_no_longer_than_the_keep_period():
    today = date(2027, 5, 25)
    assert material.keep_problem(today, None, 12) == "Enter the date it is to be kept until"
    assert "future" in material.keep_problem(today, today, 12)
    assert "12 months" in material.keep_problem(today, date(2028, 5, 26), 12)
    assert material.keep_problem(today, date(2028, 5, 25), 12) is None


def test_where_a_capture_stands_on_a_day():
    review_on, destroy_by = date(2027, 5, 25), date(2027, 11, 25)
    assert material.standing(review_on, destroy_by, False, date(2027, 5, 24)) is Standing.KEPT
    assert material.standing(review_on, destroy_by, False, review_on) is Standing.REVIEW_DUE
    assert material.standing(review_on, destroy_by, False, destroy_by) is Standing.DESTRUCTION_DUE
    assert material.standing(review_on, destroy_by, True, destroy_by) is Standing.DESTROYED
    assert material.standing(None, destroy_by, False, date(2027, 6, 1)) is Standing.KEPT


def test_the_rule_cites_the_code_and_the_data_protection_act():
    assert "Code of Practice (2018), ch. 9" in material.CITATION
    assert "Data Protection Act 2018 s.39" in material.CITATION


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(1, 60),
    st.integers(1, 120),
)
def test_dates_are_after_the_capture_and_in_order(captured_on, review_months, keep_months):
    dates = material.first_dates(captured_on, review_months, keep_months)
    assert captured_on < dates.review_on <= dates.destroy_by
    assert dates.destroy_by - captured_on <= timedelta(days=31 * keep_months + 1)
