"""What sign-in security keeps about an account: its second factor and its failed sign-ins.

A table of its own beside `users`, so that counting failures never changes the user's version
(a sign-in attempt must not make an SRO's edit of the account stale).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base
from .models import UtcDateTime


class UserSecurity(Base):
    __tablename__ = "user_security"

    #: The account this row belongs to; one row per account, made when first needed.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    #: The base32 secret of the account's TOTP second factor (RFC 6238); None if not set up.
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    #: A secret shown on the set-up page and not yet confirmed with a code from the app.
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)
    #: When the second factor was confirmed.
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: The last time step whose code was accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: Failed sign-ins since the first failure of the current window.
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    #: When the first failure of the current window happened.
    first_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: Sign-in is refused until then, after too many failures in the window.
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None
