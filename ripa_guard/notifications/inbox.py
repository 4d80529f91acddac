"""Each person's notifications in the app: read them, count the unread, mark them read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, literal, select, true, update
from sqlalchemy.orm import Session

from ripa_guard.council.models import CouncilDetails
from ripa_guard.notifications.models import Notification

#: Notifications shown on the page, newest first; older ones are counted.
SHOWN = 100


def for_user(session: Session, user_id: int, limit: int = SHOWN) -> list[Notification]:
    """A person's notifications, the newest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(_unread(user_id))


def _unread(user_id):
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def unread_count_and_council(session: Session, user_id: int) -> tuple[int, CouncilDetails | None]:
    """The unread count and the council's stored details (None if the SRO has set none), in
    one query: every signed-in page shows both (issue 19: one round trip, not two)."""
    row = session.execute(_UNREAD_AND_COUNCIL, {"user_id": user_id}).one()
    return row[0], row[1]


# Built once: the statement is the same on every page, only the person changes.
_UNREAD_AND_COUNCIL = (
    select(_unread(bindparam("user_id")).scalar_subquery(), CouncilDetails)
    .select_from(select(literal(1).label("one")).subquery())
    .outerjoin(CouncilDetails, true())
    .order_by(CouncilDetails.id)
    .limit(1)
)


def mark_all_read(session: Session, user_id: int, now: datetime) -> int:
    """Mark a person's own notifications read; nobody else's can be touched from here."""
    marked = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return marked
