"""API tokens: a tool signs in with one to ask before each look and log it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import audit, clock
from ripa_guard.core.changes import InputProblem, Refused, commit
from ripa_guard.core.columns import utcnow
from ripa_guard.viewing.models import (
    ApiToken,
)

#: Application states whose authorisation bears on a viewing: approved by an authorising officer.


TOKEN_PREFIX = "rgv_"  # noqa: S105 (marks our tokens; not a secret)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`'s tools; the token is returned once and only its hash is kept."""
    if not (user.active and user.has_role(Role.OFFICER)):
        raise Refused("Only investigating officers can have a token for the viewing log.")
    name = (name or "").strip()
    if not name:
        raise InputProblem("name", "Enter a name for the token")
    token, raw = _new_token(session, user, name)
    audit.record(session, user, "api_token.issued", "api_token", token.id, name=token.name)
    commit(session)
    return token, raw


def _new_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    days = current_app.config["API_TOKEN_DAYS"]
    token = ApiToken(
        user_id=user.id,
        name=name[:100],
        token_hash=token_hash(raw),
        prefix=raw[:10],
        usable_until=clock.now() + timedelta(days=days) if days else None,
    )
    session.add(token)
    session.flush()
    return token, raw


def rotate_token(session: Session, user: User, token: ApiToken) -> tuple[ApiToken, str]:
    """A new token in place of `token`, which is revoked in the same transaction: the tool
    is given the new one, and the old stops working at once (issue 17)."""
    if token.user_id != user.id:
        raise Refused("Only the token's owner can rotate it.")
    if token.revoked_at is not None:
        raise Refused("This token has been revoked: make a new one.")
    new, raw = _new_token(session, user, token.name)
    token.revoked_at, token.revoked_by_id = utcnow(), user.id
    audit.record(session, user, "api_token.rotated", "api_token", token.id, replaced_by=new.id)
    audit.record(session, user, "api_token.issued", "api_token", new.id, name=new.name)
    commit(session)
    return new, raw


def revoke_token(session: Session, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.id and not actor.has_role(Role.SRO):
        raise Refused("Only the token's owner or the senior responsible officer can revoke it.")
    if token.revoked_at is not None:
        return
    token.revoked_at, token.revoked_by_id = utcnow(), actor.id
    audit.record(session, actor, "api_token.revoked", "api_token", token.id)
    commit(session)


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def user_for_token(session: Session, raw: str) -> tuple[User, ApiToken] | None:
    """The active officer a token belongs to, or None for any token that does not work."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    # Every API request asks this: the token, its user and their roles in one query.
    token = (
        session.scalars(
            select(ApiToken)
            .where(ApiToken.token_hash == token_hash(raw))
            .options(joinedload(ApiToken.user).joinedload(User.roles))
        )
        .unique()
        .one_or_none()
    )
    if token is None or not token.usable_at(clock.now()):
        return None
    user = token.user
    if not (user.active and user.has_role(Role.OFFICER)):
        return None
    return user, token
