"""Working days in England and Wales (law.working_days): weekends and bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from ripa_guard.law.court import is_business_day
from ripa_guard.law.working_days import bank_holidays, why_not_working, working_day_before


def test_bank_holidays_of_england_and_wales_2026():
    assert bank_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    }


def test_weekend_christmas_moves_both_holidays_to_the_next_weekdays():
    # 2022: Christmas on Sunday -> Monday 26 and Tuesday 27 December.
    assert {date(2022, 12, 26), date(2022, 12, 27)} <= bank_holidays(2022)
    # 2021: Christmas on Saturday -> Monday 27 and Tuesday 28 December.
    assert {date(2021, 12, 27), date(2021, 12, 28)} <= bank_holidays(2021)


def test_one_off_bank_holidays_replace_the_usual_day():
    assert date(2020, 5, 8) in bank_holidays(2020) and date(2020, 5, 4) not in bank_holidays(2020)
    assert date(2022, 6, 2) in bank_holidays(2022) and date(2022, 5, 30) not in bank_holidays(2022)
    assert not is_business_day(date(2023, 5, 8))


def test_bank_holidays_are_known_for_years_to_come():
    # Easter 2031 is 13 April: Good Friday 11 April, Easter Monday 14 April.
    assert {date(2031, 4, 11), date(2031, 4, 14)} <= bank_holidays(2031)


@pytest.mark.parametrize(
    "day, why",
    [
        (date(2026, 4, 4), "a Saturday"),
        (date(2026, 4, 6), "a bank holiday: Easter Monday"),
        (date(2026, 4, 7), None),
    ],
)
def test_why_a_day_is_not_a_working_day(day, why):
    assert why_not_working(day) == why


def test_the_working_day_before_skips_the_easter_weekend():
    # Tuesday 7 April 2026: Easter Monday, Sunday, Saturday and Good Friday come before it.
    assert working_day_before(date(2026, 4, 7)) == date(2026, 4, 2)


def test_a_councils_own_holiday_is_not_a_working_day():
    assert why_not_working(date(2026, 4, 7), [date(2026, 4, 7)]) == (
        "a day the council has set as a holiday"
    )
    assert working_day_before(date(2026, 4, 8), [date(2026, 4, 7)]) == date(2026, 4, 2)
