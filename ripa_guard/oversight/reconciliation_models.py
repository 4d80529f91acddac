"""What a reconciliation of a proxy log found: the run, and the looks the viewing log lacks.

Both are written once, when the run ends, and never changed; the proposed errors they lead to
are RelevantError rows, keyed by `UnloggedVisit.proposal_key`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ripa_guard.accounts.models import User
from ripa_guard.core.columns import UtcDateTime, utcnow
from ripa_guard.core.db import Base


class ReconciliationRun(Base):
    """One proxy log checked against the viewing log: who ran it, the file, and the counts."""

    __tablename__ = "reconciliation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    #: The SRO who uploaded it; None when it was run from the command line.
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The file's name as given, and the SHA-256 of its bytes.
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    #: "squid" or "csv".
    file_format: Mapped[str] = mapped_column(String(20))
    #: How log users were matched to accounts (RECONCILE_USER_MATCH), and whether a users
    #: file was given.
    user_match: Mapped[str] = mapped_column(String(40))
    users_file: Mapped[str] = mapped_column(String(255), default="")
    #: The minutes either side within which a viewing matches a visit.
    match_minutes: Mapped[int] = mapped_column(Integer)
    #: The span of time the log covers.
    first_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Lines of the file, and those that could not be read.
    lines: Mapped[int] = mapped_column(Integer, default=0)
    malformed: Mapped[int] = mapped_column(Integer, default=0)
    #: Requests read, and what they were.
    requests: Mapped[int] = mapped_column(Integer, default=0)
    host_only: Mapped[int] = mapped_column(Integer, default=0)
    host_only_platforms: Mapped[int] = mapped_column(Integer, default=0)
    other_sites: Mapped[int] = mapped_column(Integer, default=0)
    platform_pages: Mapped[int] = mapped_column(Integer, default=0)
    not_pages: Mapped[int] = mapped_column(Integer, default=0)
    #: Requests of profiles by log users matched to no account.
    unknown_user_requests: Mapped[int] = mapped_column(Integer, default=0)
    #: Visits to profiles by officers (bursts folded), those a viewing matched, and the rest.
    visits: Mapped[int] = mapped_column(Integer, default=0)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    unlogged: Mapped[int] = mapped_column(Integer, default=0)
    #: [[line number, why, the line's start], ...]: the first malformed lines.
    malformed_examples: Mapped[list] = mapped_column(JSON, default=list)
    #: [[log user, requests], ...]: users matched to no account.
    unknown_users: Mapped[list] = mapped_column(JSON, default=list)

    run_by: Mapped[User | None] = relationship(lazy="joined")


class UnloggedVisit(Base):
    """A look at a profile the proxy log shows and the viewing log does not."""

    __tablename__ = "unlogged_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("reconciliation_runs.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Name and service as they were, for the record.
    officer_name: Mapped[str] = mapped_column(String(200))
    officer_service: Mapped[str] = mapped_column(String(200), default="")
    log_user: Mapped[str] = mapped_column(String(200))
    #: profile_identity text: "facebook:bargainbags"; and its platform.
    identity: Mapped[str] = mapped_column(String(400))
    platform: Mapped[str] = mapped_column(String(200))
    #: The first page of the visit, as logged.
    address: Mapped[str] = mapped_column(Text)
    #: The log's line of the first request.
    line: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The day in England and Wales.
    visited_on: Mapped[date] = mapped_column(Date)
    requests: Mapped[int] = mapped_column(Integer)
    #: A look at it the gate stopped (blocked or refused) near that time.
    stopped_attempt_id: Mapped[int | None] = mapped_column(ForeignKey("viewing_attempts.id"))
    #: The proposed error it belongs to: one per officer, profile and day.
    proposal_key: Mapped[str] = mapped_column(String(200), index=True)
