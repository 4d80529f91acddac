"""Sessions that end on the server: the account's session generation (issue 17).

The session is a signed cookie, which cannot be taken back. The number it was signed in with can
be outdated: the user loader (auth.py) refuses a session whose number is no longer the account's.
"""

from __future__ import annotations

from flask import session
from sqlalchemy import update
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User

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
