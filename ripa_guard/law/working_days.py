"""Working days in England and Wales: weekends and bank holidays. Pure.

Bank holidays are those of England and Wales under the Banking and Financial Dealings Act 1971
Sch. 1 and the royal proclamations each year (substitute days when one falls at a weekend, and
one-off days such as 19 September 2022 and 8 May 2023), as the `holidays` package publishes
them (country "GB", subdivision "ENG"), so no list is kept by hand here. A council may add days
of its own (`extra_holidays`), for example a local closure of the magistrates' court.

Used for the court's two business days before quashing (law.court) and to flag a review or a
last day that falls on a day the council's officers and the court are not at work, with the
working day before suggested: an authorisation still ends at the end of its last day
(RIPA s.43(3); law.periods), so what needs doing must be done on the working day before.

Imports neither Flask nor SQLAlchemy, and never reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@lru_cache(maxsize=64)
def _year(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday(day: date) -> str | None:
    """The bank holiday `day` is in England and Wales, by name, or None."""
    return _year(day.year).get(day)


def bank_holidays(year: int) -> frozenset[date]:
    """Every bank holiday of England and Wales in `year` on a weekday (weekend days that the
    package also names, such as Christmas Day on a Saturday, are not working days anyway)."""
    return frozenset(d for d in _year(year) if d.weekday() < 5)


def is_working_day(day: date, extra_holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales nor one of the council's."""
    return day.weekday() < 5 and bank_holiday(day) is None and day not in set(extra_holidays)


def working_day_before(day: date, extra_holidays: Iterable[date] = ()) -> date:
    """The last working day before `day`."""
    extra = frozenset(extra_holidays)
    day -= timedelta(days=1)
    while not is_working_day(day, extra):
        day -= timedelta(days=1)
    return day


def why_not_working(day: date, extra_holidays: Iterable[date] = ()) -> str | None:
    """Why `day` is not a working day ("a Saturday", "a bank holiday: Easter Monday"), or None
    when it is one."""
    if day.weekday() >= 5:
        return f"a {WEEKDAYS[day.weekday()]}"
    if name := bank_holiday(day):
        return f"a bank holiday: {name}"
    if day in set(extra_holidays):
        return "a day the council has set as a holiday"
    return None


def working_day_note(day: date, extra_holidays: Iterable[date] = ()) -> str | None:
    """What a page says beside a review date or a last day that is not a working day, with the
    working day before suggested; None for a working day."""
    from ripa_guard.law.periods import long_date

    why = why_not_working(day, extra_holidays)
    if why is None:
        return None
    before = working_day_before(day, extra_holidays)
    return f"That is {why}. Plan for {long_date(before)}, the working day before."
