"""The current date and time as the law counts them: in England and Wales.

Rules never call these: they take "today" or "now" as a parameter. Views and commands call
them once per request and pass the value on; tests move the clock with time-machine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().astimezone(LONDON).date()


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()


def local_time_of_day(moment: datetime) -> str:
    """The time of day in England and Wales, on the 24-hour clock the forms take: "14:30"."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(LONDON):%H:%M}"


def utc_text(moment: datetime) -> str:
    """A moment in UTC as text, the same whether the database gave it back naive or aware."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
