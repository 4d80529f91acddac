"""Failed sign-ins, counted in the database so that every app server sees the same count
(issue 17, item 6; OWASP ASVS 5.0 V6.3.1, "controls to prevent attacks such as credential
stuffing and password brute force"; NIST SP 800-63B s.5.2.2, rate limiting).

Each failure is one row, keyed three ways: by the account the e-mail address names and the step
that failed (the password, or the code of the second step), and by the client address. What was
typed is never kept, only its HMAC. Rows older than the window are pruned as new ones come.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import SignInFailure

PASSWORD = "password"  # noqa: S105 (the step that failed, not a password)
CODE = "code"


@dataclass(frozen=True)
class Failures:
    """Failures within the window: naming this account at this step, and from this address."""

    account: int
    source: int


def account_key(email: str, step: str) -> str:
    """The account and step a failure counts against, unreadable without the app's key."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    typed = f"{step}:{email.strip().lower()[:254]}".encode()
    return hmac.new(key, typed, hashlib.sha256).hexdigest()


def source() -> str:
    return (request.remote_addr or "unknown")[:64]


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=current_app.config["LOCKOUT_WINDOW_MINUTES"])


def counted(session: Session, email: str, step: str, now: datetime) -> Failures:
    """The failures that count now, in one query."""
    key, where_from = account_key(email, step), source()
    account, from_source = session.execute(
        select(
            func.count().filter(SignInFailure.account_key == key),
            func.count().filter(SignInFailure.source == where_from),
        ).where(
            SignInFailure.failed_at >= _window_start(now),
            or_(SignInFailure.account_key == key, SignInFailure.source == where_from),
        )
    ).one()
    return Failures(account=account, source=from_source)


def record(session: Session, email: str, step: str, now: datetime) -> None:
    """Count one failure, and forget those that no longer count; the caller commits."""
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at < _window_start(now)))
    session.execute(
        insert(SignInFailure).values(
            account_key=account_key(email, step), source=source(), failed_at=now
        )
    )


def clear(session: Session, email: str) -> None:
    """After a sign-in that succeeded: the account's failures no longer count."""
    keys = [account_key(email, PASSWORD), account_key(email, CODE)]
    session.execute(delete(SignInFailure).where(SignInFailure.account_key.in_(keys)))
