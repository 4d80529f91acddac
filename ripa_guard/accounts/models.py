"""Who uses ripa_guard: accounts, their roles, sign-in security and training records."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ripa_guard.core.columns import UtcDateTime, stored_enum, utcnow
from ripa_guard.core.db import Base


class Role(enum.StrEnum):
    """The roles of DESIGN.md; a user may hold several."""

    OFFICER = "officer"
    AUTHORISING_OFFICER = "authorising_officer"
    SRO = "sro"
    COORDINATOR = "coordinator"
    INSPECTOR = "inspector"

    @property
    def title(self) -> str:
        return ROLE_TITLES[self]


ROLE_TITLES = {
    Role.OFFICER: "Investigating officer",
    Role.AUTHORISING_OFFICER: "Authorising officer",
    Role.SRO: "Senior responsible officer",
    Role.COORDINATOR: "RIPA coordinator",
    Role.INSPECTOR: "Inspector (read only)",
}


#: The roles that approve or refuse applications (User.can_decide).
DECIDING_ROLES = (Role.AUTHORISING_OFFICER, Role.SRO)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_sign_on", "sign_on_issuer", "sign_on_subject", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sign-in name, stored in lower case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Full name as it appears on the central record.
    name: Mapped[str] = mapped_column(String(200))
    #: Job title and grade, as the central record needs for authorising officers.
    grade: Mapped[str] = mapped_column(String(200), default="")
    #: The council service the user works in, e.g. Trading Standards.
    service: Mapped[str] = mapped_column(String(200), default="")
    #: scrypt hash (werkzeug.security).
    password_hash: Mapped[str] = mapped_column(String(255))
    #: A one-time password was issued: change it at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The one-time password stops working after this (ONE_TIME_PASSWORD_DAYS); None once the
    #: person has chosen their own.
    one_time_password_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: False once the SRO disables the account; it is never deleted (the record names it).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The head of paid service, or whoever acts for them: may authorise where confidential or
    #: privileged information is likely (Code of Practice 2018, Annex A).
    can_authorise_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Sessions signed in with another number are refused: moved on at sign-out, when the
    #: account is disabled, and when its password or second step changes (auth.end_sessions).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The council's OpenID provider this account signs in with (its issuer URL), and the
    #: provider's own unchanging id for the person (`sub`); None for a local account.
    sign_on_issuer: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sign_on_subject: Mapped[str | None] = mapped_column(String(255), nullable=True)

    #: Read when asked for (lazy="select"): pages name many people (officers, deciders,
    #: note writers) and need only the signed-in person's roles, which the user loader joins
    #: in. A list that shows or checks many people's roles asks for them with
    #: `selectinload(User.roles)` (issue 19: one query fewer for each kind of person a page
    #: names).
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select"
    )

    __mapper_args__ = {"version_id_col": version}

    # Flask-Login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.roles)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def can_decide(self) -> bool:
        return self.has_role(*DECIDING_ROLES)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(stored_enum(Role, "role"))
    user: Mapped[User] = relationship(back_populates="roles")


class UserSecurity(Base):
    __tablename__ = "user_security"

    #: The account this row belongs to; one row per account, made when first needed.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    #: The base32 secret of the account's TOTP second factor (RFC 6238), sealed under TOTP_KEY
    #: (accounts/sealing.py); None if not set up.
    totp_secret: Mapped[str | None] = mapped_column(String(255), nullable=True, default=None)
    #: A secret shown on the set-up page and not yet confirmed with a code from the app, sealed.
    totp_pending_secret: Mapped[str | None] = mapped_column(
        String(255), nullable=True, default=None
    )
    #: When the second factor was confirmed.
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: The last time step whose code was accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    @property
    def has_totp(self) -> bool:
        return self.totp_secret is not None


class SignInFailure(Base):
    """One failed sign-in, counted by every app server alike (issue 17, item 6): by the account
    it named and by the address it came from. Rows older than the window are pruned."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_account", "account_key", "failed_at"),
        Index("ix_sign_in_failures_source", "source", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: HMAC of the e-mail address typed, known or not: what was typed is never kept.
    account_key: Mapped[str] = mapped_column(String(64))
    #: The client address the attempt came from (behind a proxy, see ProxyFix in the README).
    source: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class SignOnRole(Base):
    """A value of the provider's roles (or groups) claim that gives a ripa_guard role, as the
    SRO set it (single_sign_on.py)."""

    __tablename__ = "sign_on_roles"
    __table_args__ = (UniqueConstraint("claim_value", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: An app role's value (Entra ID: e.g. "RIPA.SRO") or a group's id, exactly as in the token.
    claim_value: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(stored_enum(Role, "role"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RecoveryCode(Base):
    """A one-use code that stands in for the authenticator app's code (second_step.py)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: SHA-256 of the code: 80 random bits, so no slow hash is needed; the code is shown once.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: When it was used to sign in; a used code is never accepted again.
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SignedInSession(Base):
    """One sign-in, for the person's list of their active sessions (sessions.py). It is not
    what keeps a session going (the session generation does): it only shows it."""

    __tablename__ = "signed_in_sessions"
    __table_args__ = (Index("ix_signed_in_sessions_user", "user_id", "generation"),)

    #: A random id, also kept in the (signed) session cookie.
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The account's session generation when it signed in: an older one has ended.
    generation: Mapped[int] = mapped_column(Integer)
    signed_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Written at most once a minute, so a page costs no write.
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The client address and browser it signed in from.
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class TrainingRecord(Base):
    """Training in RIPA and the council's policy that one person received (DOMAIN.md §8)."""

    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The day the training took place: currency runs from it (oversight_rules).
    trained_on: Mapped[date] = mapped_column(Date)
    #: What it covered, e.g. "RIPA for authorising officers, including social media".
    course: Mapped[str] = mapped_column(String(200))
    #: Who gave it: a trainer, a firm, or "e-learning".
    provider: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


# The non-RIPA register -------------------------------------------------------------------------
