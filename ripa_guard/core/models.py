"""The audit trail's tables: append-only, hash-chained."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ripa_guard.core.columns import UtcDateTime, utcnow
from ripa_guard.core.db import Base

if TYPE_CHECKING:  # the mapper finds User by name; core imports nothing above it
    from ripa_guard.accounts.models import User


class AuditEvent(Base):
    """One append-only, hash-chained entry of the audit trail; never updated or deleted."""

    __tablename__ = "audit_events"
    #: A record's history is read by what it happened to, in chain order.
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: commit order, which ids need not follow.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Who did it; None for the system (command line, start-up).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: What happened, e.g. "application.submitted".
    action: Mapped[str] = mapped_column(String(80), index=True)
    #: What it happened to: ("application", 12).
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    #: The facts of the event, e.g. the URN or the decision.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped[User | None] = relationship(lazy="joined")


class AuditHead(Base):
    """The newest link of the audit chain. Appending locks this one row, so concurrent writers
    take turns and the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class ReadEvent(Base):
    """One consultation of a record: who opened it, when, in which capacity and from where
    (Data Protection Act 2018 s.62(1)(c) and (2)). Written once, never changed; its `mac`
    shows a row changed behind the application's back (core/read_log.py)."""

    __tablename__ = "read_log"
    #: The SRO's page filters by person, newest first.
    __table_args__ = (Index("ix_read_log_actor", "actor_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Who read it.
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: What was read, e.g. "application", "court_papers", "extract_csv".
    what: Mapped[str] = mapped_column(String(40))
    #: Which record (an application's id); None for an extract.
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: More about what was read, e.g. an extract's period.
    detail: Mapped[str] = mapped_column(String(200), default="")
    #: The roles the person held when they read it: the capacity that justified it (s.62(2)(a)).
    capacity: Mapped[str] = mapped_column(String(200))
    #: The client address it was read from.
    source: Mapped[str] = mapped_column(String(64))
    #: HMAC-SHA256 of the row under AUDIT_KEY, which is never in the database.
    mac: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User] = relationship(lazy="joined")
