"""The append-only, hash-chained audit trail and its verifier.

Each event carries the hash of the one before it, so a row changed, removed or reordered
behind the application's back breaks the chain at that point (DESIGN.md: nothing in the central
record or the audit trail is edited in place).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ripa_guard.core.columns import utcnow

if TYPE_CHECKING:  # an actor is any account; core imports nothing above it
    from ripa_guard.accounts.models import User

from ripa_guard.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _timestamp(moment: datetime) -> str:
    # SQLite gives back naive datetimes: everything is stored in UTC, so read naive as UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's content and the hash before it."""
    content = json.dumps(
        [
            event.seq,
            _timestamp(event.occurred_at),
            event.actor_id,
            event.action,
            event.object_type,
            event.object_id,
            event.detail,
            event.prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def record(
    session: Session,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    **detail,
) -> AuditEvent:
    """Append one event in the caller's transaction; it commits or rolls back with the change."""
    head = session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.last_hash)
    ).one_or_none()
    if head is None:
        raise RuntimeError("the audit chain has no head row: run `ripa-guard upgrade`")
    seq, prev = head
    event = AuditEvent(
        seq=seq,
        occurred_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=json.loads(json.dumps(detail, default=str)),
        prev_hash=prev,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=event.hash))
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None  # seq of the first event whose link is broken
    problem: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> ChainReport:
    """Walk the chain in order and name the first broken link."""
    prev, expected_seq, count = GENESIS, 1, 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in rows.yield_per(1000):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(count, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != prev:
            return ChainReport(
                count, event.seq, f"event {event.seq} does not follow the one before"
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                count, event.seq, f"event {event.seq} was changed after it was written"
            )
        prev, expected_seq = event.hash, expected_seq + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.last_hash != prev):
        return ChainReport(count, count + 1, "events after the last one found are missing")
    return ChainReport(count, None, "intact")


def history(session: Session, object_type: str, object_id: int) -> list[AuditEvent]:
    return list(
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.seq)
        ).scalars()
    )
