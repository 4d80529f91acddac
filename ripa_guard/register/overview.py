"""The register at a glance, for the inspector's home page: how many entries in each status,
the year's figures (the annual return), and what is overdue, each with a link to the entries.

Lapsed: past the last day and not cancelled (RIPA s.43(3)(c); letting an authorisation lapse is
a failure under the council's policy). A review is overdue when the date the authorising officer
set for it has passed (reviews are as often as the authorising officer sets: DOMAIN.md §4), the
stored Application.next_review_on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ripa_guard.applications.models import Application, ApplicationStatus
from ripa_guard.law.status import Shown
from ripa_guard.register import annual_return
from ripa_guard.register.central_record import Filters, applications_query

#: The statuses counted, in the order a case goes through them.
COUNTED = (
    Shown.AWAITING_DECISION,
    Shown.AWAITING_COURT,
    Shown.IN_FORCE,
    Shown.RENEWAL_PENDING,
    Shown.LAPSED,
    Shown.CANCELLED,
    Shown.REFUSED,
    Shown.COURT_REFUSED,
    Shown.QUASHED,
    Shown.WITHDRAWN,
    Shown.DESTROYED,
)
#: Overdue entries listed by name; the rest are counted.
LISTED = 20


@dataclass(frozen=True)
class Overview:
    today: date
    counts: list[tuple[Shown, int]]
    figures: annual_return.AnnualReturn
    lapsed: list[Application]
    lapsed_total: int
    reviews_overdue: list[Application]
    reviews_overdue_total: int


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def overview(session: Session, today: date) -> Overview:
    """One query a status, one for the figures each, two a list: none grows with the register."""
    counts = [
        (shown, _count(session, applications_query(Filters(status=shown.value, today=today))))
        for shown in COUNTED
    ]
    lapsed = applications_query(Filters(status=Shown.LAPSED.value, today=today))
    overdue = select(Application).where(
        Application.status == ApplicationStatus.ACTIVE,
        Application.last_day >= today,
        Application.next_review_on < today,
    )
    return Overview(
        today=today,
        counts=counts,
        figures=annual_return.taken(session, today.year, today),
        lapsed=session.scalars(lapsed.order_by(Application.last_day).limit(LISTED)).all(),
        lapsed_total=dict(counts)[Shown.LAPSED],
        reviews_overdue=session.scalars(
            overdue.order_by(Application.next_review_on).limit(LISTED)
        ).all(),
        reviews_overdue_total=_count(session, overdue),
    )
