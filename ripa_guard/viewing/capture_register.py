"""Reading the captured material register: a viewing's captures, the register with its filters,
what is due for review or destruction, and what the server keeps (for verify-captures).

A capture's dates are its newest review's, or its own when it has had none: worked out in the
query, so the register filters on them without reading every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    bindparam,
    case,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from ripa_guard.accounts.models import User
from ripa_guard.core.clock import LONDON
from ripa_guard.law import material
from ripa_guard.viewing.capture_models import (
    Capture,
    CaptureDestruction,
    CaptureKind,
    CaptureReview,
)
from ripa_guard.viewing.investigations import oversees
from ripa_guard.viewing.models import Investigation, InvestigationOfficer

#: The register's filters, by the word in its address.
FILTERS = {
    "review_due": "Review due",
    "destruction_due": "Destruction due",
    "destroyed": "Destroyed",
}


@cache
def _with_dates():
    """(query of captures, review_on, destroy_by, destroyed) with each capture's current dates.
    Built once: statements are immutable, and each caller adds to its own copy."""
    latest = (
        select(CaptureReview.capture_id, func.max(CaptureReview.id).label("review_id"))
        .group_by(CaptureReview.capture_id)
        .subquery()
    )
    review = aliased(CaptureReview)
    review_on = case((review.id.is_(None), Capture.review_on), else_=review.review_on)
    destroy_by = func.coalesce(review.destroy_by, Capture.destroy_by)
    destroyed = exists().where(CaptureDestruction.capture_id == Capture.id)
    query = (
        select(Capture)
        .outerjoin(latest, latest.c.capture_id == Capture.id)
        .outerjoin(review, review.id == latest.c.review_id)
    )
    return query, review_on, destroy_by, destroyed


def _visible_to(query, user: User):
    if oversees(user):
        return query
    return query.where(
        Capture.investigation_id.in_(
            select(InvestigationOfficer.investigation_id).where(
                InvestigationOfficer.user_id == user.id, InvestigationOfficer.removed_at.is_(None)
            )
        )
    )


def _standing(query, review_on, destroy_by, destroyed, wanted: str, today: date):
    if wanted == "destroyed":
        return query.where(destroyed)
    if wanted == "destruction_due":
        return query.where(~destroyed, destroy_by <= today)
    if wanted == "review_due":
        return query.where(~destroyed, destroy_by > today, review_on <= today)
    return query


def register(
    session: Session,
    user: User,
    today: date,
    wanted: str = "",
    investigation_id: int | None = None,
    limit: int = 500,
) -> list[Capture]:
    """The captures `user` may see, newest first, filtered by where they stand and by
    investigation."""
    query, review_on, destroy_by, destroyed = _with_dates()
    query = _visible_to(query, user)
    query = _standing(query, review_on, destroy_by, destroyed, wanted, today)
    if investigation_id is not None:
        query = query.where(Capture.investigation_id == investigation_id)
    return list(session.scalars(query.order_by(Capture.id.desc()).limit(limit)))


def of_viewing(session: Session, viewing_id: int) -> list[Capture]:
    return list(
        session.scalars(
            select(Capture).where(Capture.viewing_id == viewing_id).order_by(Capture.id)
        )
    )


@dataclass(frozen=True)
class DueCapture:
    """A line of what is due: what the SRO needs to find the capture, and its current dates."""

    id: int
    kind: CaptureKind
    #: The investigation's case reference.
    reference: str
    #: The newest review's dates, or the capture's own when it has had none.
    review_on: date | None
    destroy_by: date


@dataclass(frozen=True)
class Due:
    """Captures whose review or destruction is due: for the SRO's dashboard and reminders."""

    reviews: list[DueCapture]
    destructions: list[DueCapture]

    @property
    def count(self) -> int:
        return len(self.reviews) + len(self.destructions)


def due(session: Session, today: date, limit: int = 100) -> Due:
    """Every capture not destroyed whose destroy-by date or review date has come, the first
    `limit` of each, soonest first.

    Both lists are read in one query, as lines with their dates worked out in it: two queries of
    Capture objects, each loading its reviews to find those dates, cost four round trips on the
    SRO's home page (issue 19).
    """
    found = {"review": [], "destruction": []}
    for row in session.execute(_due_statement(), {"today": today, "limit": limit}):
        found[row.due_for].append(
            DueCapture(row.id, row.kind, row.reference, row.review_on, row.destroy_by)
        )
    return Due(
        reviews=sorted(found["review"], key=lambda c: (c.review_on, c.id)),
        destructions=sorted(found["destruction"], key=lambda c: (c.destroy_by, c.id)),
    )


@cache
def _due_statement():
    """Reviews due and destructions due, each cut to the limit, as one UNION ALL of lines
    marked `due_for`. Built once, as building it cost more than running it (issue 19)."""
    query, review_on, destroy_by, destroyed = _with_dates()
    # The reference asked of each capture found, not joined: SQLite, joining, read every
    # investigation to look for its captures (14 ms at 100,000 investigations, none captured).
    reference = select(Investigation.reference).where(Investigation.id == Capture.investigation_id)
    query = query.with_only_columns(
        Capture.id,
        Capture.kind,
        reference.scalar_subquery().label("reference"),
        review_on.label("review_on"),
        destroy_by.label("destroy_by"),
    )
    today, limit = bindparam("today", type_=Date), bindparam("limit", type_=Integer)

    def part(due_for: str, wanted: str, soonest) -> Select:
        lines = _standing(query, review_on, destroy_by, destroyed, wanted, today)
        lines = lines.add_columns(literal(due_for, String).label("due_for"))
        # SQLite takes no LIMIT in a part of a UNION, but does in a subquery.
        return select(lines.order_by(soonest, Capture.id).limit(limit).subquery())

    return union_all(
        part("review", "review_due", review_on),
        part("destruction", "destruction_due", destroy_by),
    )


def standing_of(capture: Capture, today: date) -> material.Standing:
    return material.standing(
        capture.current_review_on,
        capture.current_destroy_by,
        capture.destruction is not None,
        today,
    )


def kept_on_server(session: Session) -> list[tuple[int, str]]:
    """(id, hash) of every capture whose file the server keeps (not destroyed), by id."""
    destroyed = exists().where(CaptureDestruction.capture_id == Capture.id)
    return [
        (row.id, row.sha256)
        for row in session.execute(
            select(Capture.id, Capture.sha256)
            .where(Capture.on_server.is_(True), ~destroyed)
            .order_by(Capture.id)
        )
    ]


def all_captures(session: Session) -> list[Capture]:
    """Every capture, oldest first: for the extract."""
    return list(session.scalars(select(Capture).order_by(Capture.id)))


@dataclass(frozen=True)
class YearFigures:
    """The captured material register for the members' report: a year's captures and
    destructions, and what is due now."""

    recorded: int
    destroyed: int
    reviews_due: int
    destructions_due: int


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def year_figures(session: Session, year: int, today: date) -> YearFigures:
    start = datetime(year, 1, 1, tzinfo=LONDON)
    end = datetime(year + 1, 1, 1, tzinfo=LONDON)
    query, review_on, destroy_by, destroyed = _with_dates()
    return YearFigures(
        recorded=_count(
            session,
            select(Capture.id).where(Capture.recorded_at >= start, Capture.recorded_at < end),
        ),
        destroyed=_count(
            session,
            select(CaptureDestruction.id).where(
                CaptureDestruction.destroyed_at >= start, CaptureDestruction.destroyed_at < end
            ),
        ),
        reviews_due=_count(
            session, _standing(query, review_on, destroy_by, destroyed, "review_due", today)
        ),
        destructions_due=_count(
            session, _standing(query, review_on, destroy_by, destroyed, "destruction_due", today)
        ),
    )
