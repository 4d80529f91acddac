"""Queue notifications in the transaction of the change that causes them.

Nothing here commits: the caller's commit writes the change, its audit event, the e-mails and
the in-app notifications together, or none of them. `ripa-guard send` delivers the e-mails.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ripa_guard.accounts.models import Role, User, UserRole
from ripa_guard.core.columns import utcnow
from ripa_guard.notifications import messages
from ripa_guard.notifications.models import Notification, OutboxMessage


def people_with_role(session: Session, *roles: Role) -> list[User]:
    """The active people holding any of `roles`."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.active, User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles)))
            )
            .order_by(User.id)
            .options(selectinload(User.roles))
        )
    )


def path_for(endpoint: str, **values) -> str:
    """A path in this app, with or without a request (a command has none)."""
    return current_app.url_map.bind("").build(endpoint, values)


def queue(
    session: Session,
    event: str,
    recipients: Iterable[User],
    *,
    ref: str,
    title: str,
    link: str,
    now: datetime | None = None,
) -> int:
    """Tell each of `recipients` (once each, active ones only) about one record: in the app, and
    by e-mail. `link` is a path in this app. Returns how many people were told."""
    config = current_app.config
    absolute = config["SERVICE_URL"].rstrip("/") + link
    message = messages.compose(
        event,
        ref=ref,
        title=title,
        link=absolute,
        service_name=config["SERVICE_NAME"],
        council=config["COUNCIL_NAME"],
    )
    line = messages.headline(event, ref)
    told = {}
    for user in recipients:
        if user.active:
            told.setdefault(user.id, user)
    for user in told.values():
        add(session, event, user, message, headline=line, title=title, link=link, now=now)
    return len(told)


def add(
    session: Session,
    event: str,
    user: User,
    message: messages.Message,
    *,
    headline: str,
    title: str,
    link: str,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> None:
    """One e-mail and one in-app notification for one person."""
    now = now or utcnow()
    session.add(
        Notification(
            user_id=user.id,
            event=event,
            headline=headline[:300],
            title=title[:200],
            link=link,
            created_at=now,
        )
    )
    session.add(
        OutboxMessage(
            event=event,
            user_id=user.id,
            email=user.email,
            subject=message.subject[:300],
            body=message.body,
            personalisation=message.personalisation,
            dedupe_key=dedupe_key,
            next_attempt_at=now,
            created_at=now,
        )
    )


def already_queued(session: Session, dedupe_key: str) -> bool:
    """Whether a job run before (a cron retried) already queued this e-mail."""
    return (
        session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        is not None
    )


def notify_look_held(
    session: Session, *, investigation_reference: str, title: str, link: str, now=None
) -> int:
    """A look held until the RIPA coordinator says whether a profile seen under another
    investigation is the same matter (DESIGN.md, "The gate", 5): tell the coordinators. Give
    the investigation's reference, its title and the path of the held look; never the profile
    or the subject. Does not commit: call it inside the transaction that holds the look."""
    return queue(
        session,
        messages.LOOK_HELD,
        people_with_role(session, Role.COORDINATOR),
        ref=investigation_reference,
        title=title,
        link=link,
        now=now,
    )
