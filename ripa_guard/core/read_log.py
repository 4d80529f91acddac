"""The log of reads: who opened which record or extract, and when (Data Protection Act 2018
s.62: "A controller ... must keep logs for at least the following processing operations in
automated processing systems— ... (c) consultation; (d) disclosure"; "The logs of consultation
must make it possible to establish— (a) the justification for, and date and time of, the
consultation, and (b) so far as possible, the identity of the person who consulted the data").

A view calls `note(...)` while it builds the page; once the page is built with a status
below 400, one INSERT writes what was noted. When the request's own session has nothing of
its own to commit (a page that only read), the INSERT goes on its connection and commits
there: no second connection from the pool, and on PostgreSQL no second ping and BEGIN (issue
19). Otherwise it goes on a connection of its own, so the request's transaction is left
alone. Each row carries an HMAC under AUDIT_KEY (kept outside the
database), which `ripa-guard verify-audit` checks; the rows are not chained, so that a read
costs one insert and no lock on the audit chain's head. A deleted row shows only as a gap in
the ids, which verify reports.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import Flask, current_app, g, request
from flask_login import current_user
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ripa_guard.core import clock, db
from ripa_guard.core.models import ReadEvent

_NOTED = "ripa_guard_reads"
#: Rows on one page of the SRO's log.
PAGE_SIZE = 50


def init_app(app: Flask) -> None:
    app.after_request(_write_noted)


def note(what: str, record_id: int | None = None, detail: str = "") -> None:
    """The signed-in person is reading this: logged once the page is sent."""
    if not current_user.is_authenticated:
        return
    noted = g.setdefault(_NOTED, [])
    noted.append((what, record_id, detail[:200]))


def _write_noted(response):
    noted = g.pop(_NOTED, None)
    if not noted or response.status_code >= 400:
        return response
    now = clock.now().replace(microsecond=0)
    capacity = ", ".join(sorted(role.value for role in current_user.role_set))[:200]
    source = (request.remote_addr or "unknown")[:64]
    rows = []
    for what, record_id, detail in noted:
        row = {
            "occurred_at": now,
            "actor_id": current_user.id,
            "what": what,
            "record_id": record_id,
            "detail": detail,
            "capacity": capacity,
            "source": source,
        }
        rows.append({**row, "mac": _mac(row)})
    s = g.get("db_session")
    if s is not None and db.only_read(s):
        s.execute(insert(ReadEvent), rows)
        s.commit()
        return response
    with db.engine().begin() as connection:
        connection.execute(insert(ReadEvent), rows)
    return response


def _mac(row: dict) -> str:
    key = current_app.config.get("AUDIT_KEY")
    if not key:
        raise RuntimeError("AUDIT_KEY is not set: the log of reads cannot be written or checked")
    moment = row["occurred_at"]
    content = json.dumps(
        [
            clock.utc_text(moment),
            row["actor_id"],
            row["what"],
            row["record_id"],
            row["detail"],
            row["capacity"],
            row["source"],
        ],
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode()
    key = key.encode() if isinstance(key, str) else bytes(key)
    return hmac.new(key, content, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ReadLogReport:
    rows: int
    #: Ids of rows changed after they were written (their HMAC no longer matches).
    changed: list[int]
    #: Ids missing between the first and the last: deleted, or an insert that failed.
    gaps: int

    @property
    def intact(self) -> bool:
        return not self.changed


def verify(session: Session) -> ReadLogReport:
    count, changed, gaps, last = 0, [], 0, None
    rows = session.execute(select(ReadEvent).order_by(ReadEvent.id)).scalars()
    for row in rows.yield_per(1000):
        count += 1
        fields = {
            name: getattr(row, name)
            for name in ("occurred_at", "actor_id", "what", "record_id", "detail")
        }
        fields.update(capacity=row.capacity, source=row.source)
        if not hmac.compare_digest(_mac(fields), row.mac):
            changed.append(row.id)
        if last is not None:
            gaps += row.id - last - 1
        last = row.id
    return ReadLogReport(count, changed, gaps)


def page(session: Session, actor_id: int | None, before: int | None) -> list[ReadEvent]:
    """Newest first, PAGE_SIZE + 1 rows (the extra one says there is an older page), read by
    id so that the page costs the same however long the log is."""
    query = select(ReadEvent).order_by(ReadEvent.id.desc()).limit(PAGE_SIZE + 1)
    if actor_id is not None:
        query = query.where(ReadEvent.actor_id == actor_id)
    if before is not None:
        query = query.where(ReadEvent.id < before)
    return list(session.scalars(query))
