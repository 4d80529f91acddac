"""The outbox of e-mails to send, and each person's notifications in the app."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ripa_guard.core.columns import UtcDateTime, stored_enum, utcnow
from ripa_guard.core.db import Base


class MessageStatus(enum.StrEnum):
    """Where an e-mail is on its way out (sending.py)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    #: Refused by the server or provider, or still failing after the last attempt.
    FAILED = "failed"
    #: A sender stopped between handing it over and recording it: it may or may not have gone,
    #: and SMTP cannot tell, so it is not sent again (at most once). The SRO sees it.
    UNCONFIRMED = "unconfirmed"

    @property
    def title(self) -> str:
        return self.value.capitalize()


class OutboxMessage(Base):
    """One e-mail to one person, written in the transaction of the change that causes it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What caused it (messages.EVENTS), e.g. "application_submitted".
    event: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: The address as it was when the message was queued.
    email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    #: The plain text, for SMTP; Notify builds its own from the template and `personalisation`.
    body: Mapped[str] = mapped_column(Text)
    #: The fields a Notify template may use (README, "E-mail").
    personalisation: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Stops a job run twice (a cron retried) from queueing the same e-mail twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[MessageStatus] = mapped_column(
        stored_enum(MessageStatus, "message_status"), default=MessageStatus.PENDING
    )
    #: Attempts made so far; each one counts when it is claimed, before anything is sent.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Not tried again before this moment (back-off after a failure).
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: The sender holding it while it is "sending", and since when.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: "smtp" or "notify": how it was sent.
    backend: Mapped[str | None] = mapped_column(String(20))
    #: Notify's notification id, when Notify took it.
    provider_id: Mapped[str | None] = mapped_column(String(100))
    #: The last failure, in words, for the SRO.
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def reference(self) -> str:
        """Derived from the id, so a second delivery of one message can be recognised: the
        Message-ID of the e-mail, and the reference Notify keeps."""
        return f"ripa-guard-outbox-{self.id}"


class Notification(Base):
    """Something waiting for one person, shown under "Your notifications"."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(String(60))
    #: The one line that says what happened, with the URN or reference.
    headline: Mapped[str] = mapped_column(String(300))
    #: The investigation's title, never a subject's name.
    title: Mapped[str] = mapped_column(String(200), default="")
    #: A path in this app.
    link: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
