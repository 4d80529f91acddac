"""Recovery codes: ten one-use codes that stand in for the authenticator app's code when the
phone is lost (issue 18, item 4; OWASP ASVS 5.0 V6.4.4 on recovery with the same strength as the
factor it replaces, V6.5.1 on codes usable once).

Each code is 80 random bits, shown once and kept as its SHA-256: with that many bits a fast hash
cannot be searched, and a code is found by one indexed look-up.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import RecoveryCode, User
from ripa_guard.core import audit

HOW_MANY = 10
_SHAPE = re.compile(r"^[A-Z2-7]{16}$")


def _new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _digest(code: str) -> str | None:
    """The stored form of a code as typed (any case, with or without dashes and spaces)."""
    cleaned = re.sub(r"[\s-]", "", code).upper()
    if not _SHAPE.match(cleaned):
        return None
    return hashlib.sha256(cleaned.encode("ascii")).hexdigest()


def looks_like_one(code: str) -> bool:
    return _digest(code) is not None


def replace_codes(s: Session, user: User, now: datetime) -> list[str]:
    """Ten new codes; the old ones stop working. The codes are returned to be shown once."""
    s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_code() for _ in range(HOW_MANY)]
    s.add_all(
        RecoveryCode(user_id=user.id, code_hash=_digest(code), created_at=now) for code in codes
    )
    audit.record(s, user, "user.recovery_codes_made", "user", user.id, count=HOW_MANY)
    s.commit()
    return codes


def use_code(s: Session, user: User, code: str, now: datetime) -> bool:
    """Whether this is one of the person's unused codes; it is used up at once (one UPDATE, so
    two requests at once cannot both use it). The caller commits with the sign-in."""
    digest = _digest(code)
    if digest is None:
        return False
    used = s.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.code_hash == digest,
            RecoveryCode.user_id == user.id,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if used:
        audit.record(s, user, "user.recovery_code_used", "user", user.id)
    return bool(used)


def unused_count(s: Session, user: User) -> int:
    return s.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def remove_codes(s: Session, user: User) -> None:
    """With the second step they stand in for, in the caller's transaction."""
    s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
