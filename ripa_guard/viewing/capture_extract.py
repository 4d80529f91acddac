"""The captured material register as a sheet of the extract ("Captured material"): one row per
capture, with its hash, where it is kept, its dates, its reviews and its destruction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.core.clock import LONDON
from ripa_guard.viewing.capture_models import Capture
from ripa_guard.viewing.capture_register import standing_of

SHEET = "Captured material"
HEADERS = (
    "Capture",
    "Investigation",
    "Viewing",
    "Type",
    "SHA-256",
    "Page captured",
    "Captured at",
    "Recorded by",
    "Recorded at",
    "Kept",
    "Review by",
    "Destroy by",
    "Status",
    "Reviews",
    "Destroyed (who, when, how)",
)


def _moment(value: datetime | None) -> str:
    return value.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def rows(session: Session, period: tuple[date, date] | None, today: date) -> Iterator[list[str]]:
    """Every capture recorded in `period` (London days, both included; None: every one)."""
    query = select(Capture).order_by(Capture.id)
    if period is not None:
        first, last = period
        query = query.where(
            Capture.recorded_at >= datetime.combine(first, time.min, tzinfo=LONDON),
            Capture.recorded_at <= datetime.combine(last, time.max, tzinfo=LONDON),
        )
    for c in session.scalars(query):
        gone = c.destruction
        yield [
            str(c.id),
            c.investigation.reference,
            str(c.viewing_id),
            c.kind.title,
            c.sha256,
            c.address,
            _moment(c.captured_at),
            c.recorded_by.name,
            _moment(c.recorded_at),
            "On the server" if c.on_server else c.kept_at,
            _day(c.current_review_on),
            _day(c.current_destroy_by),
            standing_of(c, today).title,
            "; ".join(
                f"{_day(r.reviewed_at.astimezone(LONDON).date())} {r.reviewed_by.name}: "
                f"{r.result.value} ({r.reason})"
                for r in c.reviews
            ),
            f"{gone.destroyed_by.name}, {_moment(gone.destroyed_at)}: {gone.method}"
            if gone
            else "",
        ]
