"""Deliver the outbox: claim, send, record; back off after a failure; never send one twice.

The order of steps is what keeps a message from going twice:

1. Claim a batch in its own transaction: pending and due -> sending, with this run's token and
   one more attempt counted. On PostgreSQL the rows are chosen FOR UPDATE SKIP LOCKED, so
   several senders share the work; on SQLite the UPDATE ... WHERE status = 'pending' is atomic.
2. Send each one, outside any transaction.
3. Record what happened, only if the claim is still this run's.

A sender that stops between 2 and 3 leaves a message "sending". After SEND_CLAIM_TIMEOUT_SECONDS
it is looked at again: GOV.UK Notify is asked for the message's reference (derived from its id)
and it is sent only if Notify has none, so with Notify each message goes once. SMTP cannot be
asked, so such a message is marked unconfirmed and never resent: at most once, and the SRO sees
it. A broken connection in the middle of sending by SMTP is treated the same way.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ripa_guard.notifications.backends import PermanentFailure, TemporaryFailure, Uncertain
from ripa_guard.notifications.messages import retry_delay
from ripa_guard.notifications.models import MessageStatus, OutboxMessage

STOPPED_MID_WAY = (
    "A sender stopped after handing this e-mail over and before recording it: it may have been "
    "delivered. The mail server cannot be asked, so it is not sent again."
)


@dataclass
class Run:
    """What one pass over the outbox did, for the command's output."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unconfirmed: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    max_attempts: int
    base_seconds: int
    cap_seconds: int
    claim_timeout_seconds: int
    batch: int

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(
            max_attempts=int(config["SEND_MAX_ATTEMPTS"]),
            base_seconds=int(config["SEND_RETRY_BASE_SECONDS"]),
            cap_seconds=int(config["SEND_RETRY_CAP_SECONDS"]),
            claim_timeout_seconds=int(config["SEND_CLAIM_TIMEOUT_SECONDS"]),
            batch=int(config["SEND_BATCH"]),
        )


def claim(session: Session, now: datetime, batch: int) -> tuple[str, list[OutboxMessage]]:
    """Take up to `batch` due messages for this sender, committed before anything is sent."""
    token = secrets.token_hex(16)
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due), OutboxMessage.status == MessageStatus.PENDING)
        .values(
            status=MessageStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    claimed = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.claim_token == token)
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).all()
    return token, list(claimed)


def _record(session: Session, message: OutboxMessage, token: str, **values) -> None:
    """Write the outcome, unless the claim was taken back meanwhile (the run was too slow)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def deliver(
    session: Session, backend, message: OutboxMessage, token: str, now: datetime, s: Settings
) -> tuple[str, str]:
    """Send one claimed message and record the outcome: the status it ends in, and why."""
    try:
        provider_id = backend.send(message)
    except TemporaryFailure as error:
        if message.attempts >= s.max_attempts:
            status, extra = MessageStatus.FAILED, {}
        else:
            delay = retry_delay(message.attempts, s.base_seconds, s.cap_seconds)
            status, extra = (
                MessageStatus.PENDING,
                {"next_attempt_at": now + timedelta(seconds=delay)},
            )
        _record(session, message, token, status=status, last_error=str(error), **extra)
        return status, str(error)
    except PermanentFailure as error:
        _record(session, message, token, status=MessageStatus.FAILED, last_error=str(error))
        return MessageStatus.FAILED, str(error)
    except Uncertain as error:
        _record(session, message, token, status=MessageStatus.UNCONFIRMED, last_error=str(error))
        return MessageStatus.UNCONFIRMED, str(error)
    _record(
        session,
        message,
        token,
        status=MessageStatus.SENT,
        sent_at=now,
        backend=backend.name,
        provider_id=provider_id,
    )
    return MessageStatus.SENT, ""


def recover(session: Session, backend, now: datetime, timeout_seconds: int) -> int:
    """Messages left "sending" by a sender that stopped: back to pending where the provider can
    be asked whether it has them (Notify), unconfirmed where it cannot (SMTP)."""
    stale = (
        update(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.claimed_at < now - timedelta(seconds=timeout_seconds),
        )
        .execution_options(synchronize_session=False)
    )
    if backend.can_check_delivery:
        stale = stale.values(status=MessageStatus.PENDING, claim_token=None, next_attempt_at=now)
    else:
        stale = stale.values(
            status=MessageStatus.UNCONFIRMED, claim_token=None, last_error=STOPPED_MID_WAY
        )
    count = session.execute(stale).rowcount
    session.commit()
    return count


def run(session: Session, backend, clock: Callable[[], datetime], settings: Settings) -> Run:
    """One pass: recover what a stopped sender left, then send everything due, batch by batch.
    `clock` is asked at each step, so a long pass does not stamp late claims with its start."""
    result = Run()
    recovered = recover(session, backend, clock(), settings.claim_timeout_seconds)
    if not backend.can_check_delivery:
        result.unconfirmed += recovered
    try:
        while True:
            token, batch = claim(session, clock(), settings.batch)
            if not batch:
                return result
            for message in batch:
                if not _still_claimed(session, message, token):
                    continue  # this pass was too slow and another sender took it back
                outcome, problem = deliver(session, backend, message, token, clock(), settings)
                _count(result, outcome, message, problem)
    finally:
        backend.close()


def _still_claimed(session: Session, message: OutboxMessage, token: str) -> bool:
    held = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.id == message.id, OutboxMessage.claim_token == token
        )
    )
    session.commit()  # end the read, so that no transaction stays open while sending
    return held is not None


def _count(result: Run, outcome: str, message: OutboxMessage, problem: str) -> None:
    if outcome == MessageStatus.SENT:
        result.sent += 1
        return
    if outcome == MessageStatus.PENDING:
        result.retrying += 1
    elif outcome == MessageStatus.FAILED:
        result.failed += 1
    else:
        result.unconfirmed += 1
    result.problems.append(f"{message.email} ({message.event}): {problem}")


def needing_attention(session: Session, limit: int = 100) -> list[OutboxMessage]:
    """E-mails that failed or may not have gone, newest first, for the SRO."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status.in_([MessageStatus.FAILED, MessageStatus.UNCONFIRMED]))
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )
