"""The captured material register: each capture made during a viewing, its reviews of retention
and its destruction.

A capture is written once. Its dates change only by a new review, and its destruction is a new
row: the capture's row, with its SHA-256, stays for ever (DESIGN.md, nothing edited in place).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ripa_guard.accounts.models import User
from ripa_guard.core.columns import UtcDateTime, utcnow
from ripa_guard.core.columns import stored_enum as _enum
from ripa_guard.core.db import Base
from ripa_guard.law.material import Result
from ripa_guard.viewing.models import Channel, Investigation, Viewing


class CaptureKind(enum.StrEnum):
    SCREENSHOT = "screenshot"
    PDF = "pdf"
    VIDEO = "video"
    HTML = "html"
    OTHER = "other"

    @property
    def title(self) -> str:
        return {"pdf": "PDF", "html": "HTML page"}.get(self.value, self.value.capitalize())


class Capture(Base):
    """Something captured during a viewing: a screenshot, a PDF, a video or a saved page."""

    __tablename__ = "captures"
    __table_args__ = (UniqueConstraint("viewing_id", "sha256", name="uq_captures_viewing_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The viewing it was made during, and so its investigation (kept here for the register).
    viewing_id: Mapped[int] = mapped_column(ForeignKey("viewings.id"), index=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"), index=True)
    #: SHA-256 of the file, as 64 lower-case hex digits.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[CaptureKind] = mapped_column(_enum(CaptureKind, "capture_kind"))
    #: The address of the page captured, and when it was captured (as the officer's tool said).
    address: Mapped[str] = mapped_column(Text)
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Who recorded it, when, and how (the web form or the API).
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "viewing_channel"))
    #: True when the file is in the server's store (CAPTURE_STORE), named by its hash.
    on_server: Mapped[bool] = mapped_column(Boolean)
    #: Where it is kept when it is not on the server, in the officer's words.
    kept_at: Mapped[str] = mapped_column(Text, default="")
    #: The file's size and media type, for a file the server received.
    size: Mapped[int | None] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(200), default="")
    #: The dates set when it was recorded (law/material.py first_dates); reviews set later ones.
    review_on: Mapped[date] = mapped_column(Date)
    destroy_by: Mapped[date] = mapped_column(Date)

    viewing: Mapped[Viewing] = relationship(lazy="joined")
    investigation: Mapped[Investigation] = relationship(lazy="joined")
    recorded_by: Mapped[User] = relationship(lazy="joined")
    reviews: Mapped[list[CaptureReview]] = relationship(
        order_by="CaptureReview.id", lazy="selectin", viewonly=True
    )
    destruction: Mapped[CaptureDestruction | None] = relationship(lazy="selectin", viewonly=True)

    @property
    def current_review_on(self) -> date | None:
        return self.reviews[-1].review_on if self.reviews else self.review_on

    @property
    def current_destroy_by(self) -> date:
        return self.reviews[-1].destroy_by if self.reviews else self.destroy_by


class CaptureReview(Base):
    """A review of whether a capture is still needed: kept until a new date, or to be
    destroyed. Written once; the newest review's dates are the capture's."""

    __tablename__ = "capture_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    result: Mapped[Result] = mapped_column(_enum(Result, "capture_review_result"))
    #: Why it is still needed (or why not).
    reason: Mapped[str] = mapped_column(Text)
    #: The capture's dates from this review on: no further review once it is to be destroyed.
    review_on: Mapped[date | None] = mapped_column(Date)
    destroy_by: Mapped[date] = mapped_column(Date)

    reviewed_by: Mapped[User] = relationship(lazy="joined")


class CaptureDestruction(Base):
    """A capture's destruction: who, when and how. The file is deleted from the server's store;
    this row and the capture's (with its hash) stay."""

    __tablename__ = "capture_destructions"

    id: Mapped[int] = mapped_column(primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), unique=True)
    destroyed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    destroyed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: How: "Deleted from the server's store", or the officer's words for a copy kept elsewhere.
    method: Mapped[str] = mapped_column(Text)

    destroyed_by: Mapped[User] = relationship(lazy="joined")
