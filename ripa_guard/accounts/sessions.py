"""Sessions that end on the server: the account's session generation (issue 17).

The session is a signed cookie, which cannot be taken back. The number it was signed in with can
be outdated: the user loader (auth.py) refuses a session whose number is no longer the account's.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import session
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import SignedInSession, User
from ripa_guard.core import audit

#: The session key that holds the account's session generation it was signed in with.
GENERATION = "_generation"


def end_sessions(s: Session, user: User) -> None:
    """Every session of `user` ends on its next request (ASVS 5.0 V7.4.1, V7.4.2).

    One UPDATE that adds one, so that two at once both count, and the account's version (which
    the SRO's edit form checks) is left alone.
    """
    s.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session="fetch")
    )


def keep_this_session(user: User) -> None:
    """After end_sessions for a change the person made themselves: this session goes on."""
    session[GENERATION] = user.session_generation


# The person's list of their sessions (issue 18, item 4) -----------------------------------------

#: The session key that holds the id of this sign-in's row in signed_in_sessions.
SESSION_ID = "_sid"
#: When this session last wrote its "last seen" time, as a Unix time.
SEEN_WRITTEN = "_sid_seen"
#: A page writes "last seen" at most this often, so most pages cost no write.
SEEN_EVERY_SECONDS = 60


def start(s: Session, user: User, now: datetime, address: str, user_agent: str) -> None:
    """A row for this sign-in, in the caller's transaction; the account's ended ones go."""
    s.execute(
        delete(SignedInSession).where(
            SignedInSession.user_id == user.id,
            (SignedInSession.generation != user.session_generation)
            | (SignedInSession.signed_in_at < now - timedelta(days=1)),
        )
    )
    row_id = secrets.token_urlsafe(32)
    s.add(
        SignedInSession(
            id=row_id,
            user_id=user.id,
            generation=user.session_generation,
            signed_in_at=now,
            last_seen_at=now,
            address=address[:64],
            user_agent=user_agent[:300],
        )
    )
    session[SESSION_ID], session[SEEN_WRITTEN] = row_id, now.timestamp()


def seen(s: Session, now: datetime) -> bool:
    """Note that this session was used now, if it was last noted a minute or more ago: one
    UPDATE by primary key, at most once a minute. Whether there is anything to commit."""
    row_id, written = session.get(SESSION_ID), session.get(SEEN_WRITTEN, 0)
    if row_id is None or now.timestamp() - written < SEEN_EVERY_SECONDS:
        return False
    s.execute(
        update(SignedInSession)
        .where(SignedInSession.id == row_id)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    session[SEEN_WRITTEN] = now.timestamp()
    return True


def active(s: Session, user: User, idle_since: datetime, started_since: datetime):
    """The account's sessions still going: of its current generation, used since `idle_since`
    and begun since `started_since` (the idle and absolute time-outs), newest first."""
    return s.scalars(
        select(SignedInSession)
        .where(
            SignedInSession.user_id == user.id,
            SignedInSession.generation == user.session_generation,
            SignedInSession.last_seen_at >= idle_since,
            SignedInSession.signed_in_at >= started_since,
        )
        .order_by(SignedInSession.last_seen_at.desc())
    ).all()


def this_session_id() -> str | None:
    return session.get(SESSION_ID)


def sign_out_everywhere_else(s: Session, user: User) -> None:
    """Every other session of the account ends on its next request; this one goes on."""
    end_sessions(s, user)
    s.flush()
    s.refresh(user, ["session_generation"])
    row_id = session.get(SESSION_ID)
    if row_id is not None:
        s.execute(
            update(SignedInSession)
            .where(SignedInSession.id == row_id)
            .values(generation=user.session_generation)
            .execution_options(synchronize_session=False)
        )
    audit.record(s, user, "user.signed_out_elsewhere", "user", user.id)
    s.commit()
    keep_this_session(user)
