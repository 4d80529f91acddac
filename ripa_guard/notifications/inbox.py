"""Each person's notifications in the app: read them, count the unread, mark them read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

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
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
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
