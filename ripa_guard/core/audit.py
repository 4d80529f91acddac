"""The append-only, hash-chained audit trail and its verifier.

Each event carries the hash of the one before it, so a row changed, removed or reordered
behind the application's back breaks the chain at that point (DESIGN.md: nothing in the central
record or the audit trail is edited in place).

Against someone who can write to the database itself (issue 17; OWASP ASVS 5.0 V16.4.2, "logs
are protected from unauthorized modification"), two things are kept outside it:
- the key: each hash is an HMAC-SHA256 under AUDIT_KEY, which lives in instance/config.py (or
  the environment), so whoever rewrites an event cannot make a hash that verifies;
- the head: after each commit, the newest event's number and hash are appended to
  AUDIT_HEAD_FILE, so a chain cut short or restored from an older copy no longer reaches it.
Events written before the install had a key (seq < AUDIT_KEYED_FROM) carry plain SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import Session

from ripa_guard.core.columns import utcnow

if TYPE_CHECKING:  # an actor is any account; core imports nothing above it
    from ripa_guard.accounts.models import User

from ripa_guard.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64
#: Where a session keeps the events it appended until they commit: (event, seq, hash, file).
_APPENDED = "ripa_guard.audit_appended"
log = logging.getLogger(__name__)


def _key_for(seq: int) -> bytes | None:
    """The HMAC key for event `seq`; None for an event written before the install had one."""
    config = current_app.config
    if seq < (config.get("AUDIT_KEYED_FROM") or 1):
        return None
    key = config.get("AUDIT_KEY")
    if not key:
        raise RuntimeError("AUDIT_KEY is not set: the audit trail cannot be written or checked")
    return key.encode() if isinstance(key, str) else bytes(key)


def _timestamp(moment: datetime) -> str:
    # SQLite gives back naive datetimes: everything is stored in UTC, so read naive as UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def event_hash(event: AuditEvent) -> str:
    """The HMAC-SHA256, under the app's audit key, of an event's content and the hash before it
    (plain SHA-256 for an event older than the key)."""
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
    ).encode()
    key = _key_for(event.seq)
    if key is None:
        return hashlib.sha256(content).hexdigest()
    return hmac.new(key, content, hashlib.sha256).hexdigest()


def head_file() -> Path:
    return Path(current_app.config["AUDIT_HEAD_FILE"])


def write_head(path: Path, lines: list[tuple[int, str]]) -> None:
    """Append "seq hash" lines to the head file: one write, which O_APPEND keeps whole even
    with several workers writing at once; readable by the service's own account only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, "".join(f"{seq} {digest}\n" for seq, digest in lines).encode())
    finally:
        os.close(fd)


def _after_commit(session: Session) -> None:
    appended = session.info.pop(_APPENDED, None)
    if not appended:
        return
    by_file: dict[Path, list[tuple[int, str]]] = {}
    for event, seq, digest, path in appended:
        # An event added in a savepoint that was rolled back was never committed.
        if inspect(event).persistent:
            by_file.setdefault(path, []).append((seq, digest))
    for path, lines in by_file.items():
        try:
            write_head(path, lines)
        except OSError:
            # The change is committed and cannot be undone here; verify-audit will show the gap.
            log.exception("could not write the audit chain's head to %s", path)


def _after_rollback(session: Session) -> None:
    session.info.pop(_APPENDED, None)


sqlalchemy_event.listen(Session, "after_commit", _after_commit)
sqlalchemy_event.listen(Session, "after_rollback", _after_rollback)


# Every change of state runs these: built once, on the table (verify reads the head afresh).
_head = AuditHead.__table__
#: Take the head row (locking it: events are numbered one at a time) and the next number.
_NEXT_SEQ = (
    update(_head)
    .where(_head.c.id == 1)
    .values(seq=_head.c.seq + 1)
    .returning(_head.c.seq, _head.c.last_hash)
)
_NEW_HEAD = update(_head).where(_head.c.id == 1).values(last_hash=bindparam("new_hash"))


def record(
    session: Session,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    **detail,
) -> AuditEvent:
    """Append one event in the caller's transaction; it commits or rolls back with the change."""
    # The change's own rows are written first, so the head (every change's lock) is held for
    # as short a time as may be; the event's row is written before the head moves on to it.
    session.flush()
    head = session.execute(_NEXT_SEQ).one_or_none()
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
    session.flush()
    session.execute(_NEW_HEAD, {"new_hash": event.hash})
    session.info.setdefault(_APPENDED, []).append((event, seq, event.hash, head_file()))
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None  # seq of the first event whose link is broken
    problem: str
    #: Events written before the install had a key, checked by plain SHA-256 only.
    unkeyed: int = 0

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def newest_written(path: Path) -> tuple[int, str] | None:
    """The highest-numbered event the head file says was committed, with its hash."""
    newest = None
    with path.open(encoding="ascii", errors="replace") as lines:
        for line in lines:
            seq, _, digest = line.strip().partition(" ")
            # A line cut short by a crash mid-write is skipped, not trusted.
            if seq.isascii() and seq.isdigit() and len(digest) == 64:
                if newest is None or int(seq) >= newest[0]:
                    newest = (int(seq), digest)
    return newest


def verify(session: Session) -> ChainReport:
    """Walk the chain in order and name the first broken link; then check that it reaches the
    newest event the head file outside the database recorded."""
    path = head_file()
    newest = newest_written(path) if path.exists() else None
    keyed_from = current_app.config.get("AUDIT_KEYED_FROM") or 1
    prev, expected_seq, count, at_newest = GENESIS, 1, 0, None
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
        if newest is not None and event.seq == newest[0]:
            at_newest = event.hash
        prev, expected_seq = event.hash, expected_seq + 1
    unkeyed = min(count, keyed_from - 1)
    head = session.get(AuditHead, 1, populate_existing=True)
    if head is not None and (head.seq != count or head.last_hash != prev):
        return ChainReport(count, count + 1, "events after the last one found are missing")
    if newest is None:
        if count > unkeyed:
            return ChainReport(
                count,
                count,
                f"the record of the chain's head kept outside the database "
                f"({path}) is missing or empty",
            )
    elif newest[0] > count:
        return ChainReport(
            count,
            count + 1,
            f"events {count + 1} to {newest[0]} are missing: the head file ({path}) records "
            f"event {newest[0]}, so the chain was cut short or restored from an older copy",
        )
    elif at_newest != newest[1]:
        return ChainReport(
            count,
            newest[0],
            f"event {newest[0]} is not the one the head file ({path}) recorded when it was written",
        )
    return ChainReport(count, None, "intact", unkeyed)


def restart_head(session: Session) -> Path | None:
    """After the database is restored from a copy: set the old head file aside (returned), and
    start a new one with an event saying so. The old file stays as evidence of what was lost."""
    path = head_file()
    aside = None
    newest = newest_written(path) if path.exists() else None
    if path.exists():
        aside = path.with_name(f"{path.name}.{utcnow().strftime('%Y%m%dT%H%M%S%f')}")
        path.rename(aside)
    record(
        session,
        None,
        "audit.head_restarted",
        "audit",
        None,
        set_aside=str(aside) if aside else None,
        newest_set_aside=newest[0] if newest else None,
    )
    session.commit()
    return aside


def history(session: Session, object_type: str, object_id: int) -> list[AuditEvent]:
    return list(
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.seq)
        ).scalars()
    )
