"""Creating and changing accounts: by the SRO in the app, or `ripa-guard create-user`."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ripa_guard.accounts.auth import hash_password, one_time_password
from ripa_guard.accounts.models import Role, User, UserRole
from ripa_guard.accounts.sessions import end_sessions, keep_this_session
from ripa_guard.core import audit, clock


class AccountError(ValueError):
    pass


def _email_taken(session: Session, email: str, except_id: int | None = None) -> bool:
    other = session.scalar(select(User).where(User.email == email))
    return other is not None and other.id != except_id


def create_user(
    session: Session,
    actor: User | None,
    email: str,
    name: str,
    grade: str,
    service: str,
    roles: list[Role],
    can_authorise_confidential: bool = False,
    password: str | None = None,
) -> tuple[User, str]:
    """A new account with a one-time password, which must be changed at first sign-in."""
    email = email.strip().lower()
    if _email_taken(session, email):
        raise AccountError("An account with this email address already exists")
    if not roles:
        raise AccountError("Select at least one role")
    password = password or one_time_password()
    user = User(
        email=email,
        name=name,
        grade=grade,
        service=service,
        password_hash=hash_password(password),
        must_change_password=True,
        one_time_password_until=_one_time_password_end(),
        can_authorise_confidential=can_authorise_confidential,
        roles=[UserRole(role=r) for r in dict.fromkeys(roles)],
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.created",
        "user",
        user.id,
        email=email,
        roles=sorted(r.value for r in roles),
        can_authorise_confidential=can_authorise_confidential,
    )
    session.commit()
    return user, password


def update_user(
    session: Session,
    actor: User,
    user: User,
    email: str,
    name: str,
    grade: str,
    service: str,
    roles: list[Role],
    can_authorise_confidential: bool,
) -> None:
    email = email.strip().lower()
    if _email_taken(session, email, except_id=user.id):
        raise AccountError("An account with this email address already exists")
    if actor.id == user.id and Role.SRO not in roles:
        raise AccountError("You cannot remove your own SRO role: ask another SRO")
    user.email, user.name, user.grade, user.service = email, name, grade, service
    user.can_authorise_confidential = can_authorise_confidential
    wanted = set(roles)
    user.roles = [r for r in user.roles if r.role in wanted] + [
        UserRole(role=r) for r in roles if r not in user.role_set
    ]
    audit.record(
        session,
        actor,
        "user.changed",
        "user",
        user.id,
        email=email,
        roles=sorted(r.value for r in wanted),
        can_authorise_confidential=can_authorise_confidential,
    )
    session.commit()


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    if actor.id == user.id and not active:
        raise AccountError("You cannot disable your own account")
    user.active = active
    audit.record(session, actor, "user.enabled" if active else "user.disabled", "user", user.id)
    if not active:
        end_sessions(session, user)
    session.commit()


def reset_password(session: Session, actor: User | None, user: User, **detail) -> str:
    """A new one-time password, by the SRO or (no actor) by IT's `ripa-guard reset-password`."""
    password = one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.one_time_password_until = _one_time_password_end()
    audit.record(session, actor, "user.password_reset", "user", user.id, **detail)
    end_sessions(session, user)
    session.commit()
    return password


def _one_time_password_end():
    """When a one-time password issued now stops working (issue 17; ASVS 5.0 V6.4.1: initial
    passwords "expire after a short period of time or after they are initially used")."""
    return clock.now() + timedelta(days=current_app.config["ONE_TIME_PASSWORD_DAYS"])


def people(session: Session, active_only: bool = False) -> list[User]:
    """Everyone with an account, by name; only those still active when `active_only`."""
    query = select(User).order_by(User.name).options(selectinload(User.roles))
    if active_only:
        query = query.where(User.active.is_(True))
    return session.scalars(query).all()


def sign_out_everywhere(session: Session, user: User, event: str = "user.signed_out") -> None:
    """End every copy of this person's session, not only the one in this browser (ASVS 5.0
    V7.4.1), with its audit event."""
    end_sessions(session, user)
    audit.record(session, user, event, "user", user.id)
    session.commit()


def change_own_password(session: Session, user: User, new_password: str) -> None:
    """A person's new password: every other session of theirs ends, this one goes on."""
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.one_time_password_until = None
    audit.record(session, user, "user.password_changed", "user", user.id)
    end_sessions(session, user)
    session.commit()
    keep_this_session(user)
