"""The captured material register's changes: a capture recorded (its file received, or kept
elsewhere), its retention reviewed, its destruction. One function per change, each with its
audit event; the dates are law/material.py's.

Who may see a capture is who may see its investigation: the officers on it, the SRO and the
RIPA coordinator (viewing/investigations.py). Anyone else is answered as for a capture that
does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, commit
from ripa_guard.core.clock import local_date
from ripa_guard.core.fields import clean_text
from ripa_guard.law import material
from ripa_guard.viewing import capture_store
from ripa_guard.viewing.capture_models import (
    Capture,
    CaptureDestruction,
    CaptureKind,
)
from ripa_guard.viewing.investigations import oversees
from ripa_guard.viewing.models import Channel, Viewing

#: One answer for a viewing that does not exist and one the officer did not log.
NOT_YOUR_VIEWING = "Give the id of a viewing you logged"
#: How a file in the server's store is destroyed.
DELETED_FROM_STORE = "Deleted from the server's store"
#: Room for a form's other fields beside the capture's file (core/request_size.py).
FORM_ROOM = 64 * 1024
#: A tool's clock may run a little ahead of the server's.
_CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Settings:
    store: Path
    review_months: int
    keep_months: int
    most_bytes: int

    @classmethod
    def from_app(cls, app=None) -> Settings:
        app = app or current_app
        c = app.config
        return cls(
            store=Path(c.get("CAPTURE_STORE") or Path(app.instance_path) / "captures"),
            review_months=int(c.get("CAPTURE_REVIEW_MONTHS") or material.REVIEW_MONTHS),
            keep_months=int(c.get("CAPTURE_KEEP_MONTHS") or material.KEEP_MONTHS),
            most_bytes=int(c.get("CAPTURE_MAX_MB") or 20) * 1024 * 1024,
        )


@dataclass(frozen=True)
class CaptureGiven:
    """What the officer (or their tool) says of a capture."""

    sha256: str
    kind: str
    address: str
    captured_at: datetime | None
    #: Where it is kept, for a capture not sent to the server.
    kept_at: str = ""
    media_type: str = ""


# Who may see what -----------------------------------------------------------------------------


def may_see(user: User, capture: Capture) -> bool:
    """The officers on its investigation, the SRO and the RIPA coordinator."""
    return oversees(user) or capture.investigation.has_officer(user)


def capture_for(session: Session, user: User, capture_id: int) -> Capture | None:
    """The capture, when `user` may see it; otherwise None, as for one that does not exist."""
    found = session.get(Capture, capture_id)
    return found if found is not None and may_see(user, found) else None


def viewing_logged_by(session: Session, officer: User, viewing_id) -> Viewing:
    """A viewing the officer logged, or NOT_YOUR_VIEWING whoever's it is."""
    found = session.get(Viewing, viewing_id) if isinstance(viewing_id, int) else None
    if found is None or found.officer_id != officer.id:
        raise InputProblem("viewing", NOT_YOUR_VIEWING)
    return found


def kind_for_media_type(media_type: str) -> str:
    """The capture's type from a file's media type: image/png and image/jpeg are screenshots."""
    media_type = (media_type or "").split(";")[0].strip().lower()
    if media_type in ("image/png", "image/jpeg"):
        return CaptureKind.SCREENSHOT.value
    if media_type == "application/pdf":
        return CaptureKind.PDF.value
    if media_type.startswith("video/"):
        return CaptureKind.VIDEO.value
    if media_type in ("text/html", "application/xhtml+xml", "multipart/related"):
        return CaptureKind.HTML.value
    return CaptureKind.OTHER.value


# Recording a capture ------------------------------------------------------------------------


def _checked(given: CaptureGiven, now: datetime, on_server: bool) -> dict:
    problems: dict[str, str] = {}
    sha256 = (given.sha256 or "").strip().lower()
    if not capture_store.is_sha256(sha256):
        problems["sha256"] = "Enter the SHA-256 of the file: 64 characters, 0 to 9 and a to f"
    try:
        kind = CaptureKind(given.kind)
    except ValueError:
        kind = None
        problems["kind"] = "Select the type: screenshot, PDF, video, HTML page or other"
    address = clean_text(given.address or "").strip()
    if not address:
        problems["address"] = "Enter the address of the page captured"
    elif len(address) > 2000 or not address.lower().startswith(("http://", "https://")):
        problems["address"] = "Enter the page's address, starting https:// or http://"
    captured_at = given.captured_at
    if captured_at is None or captured_at.tzinfo is None:
        problems["captured_at"] = "Enter when it was captured, with its offset from UTC"
    elif captured_at > now + _CLOCK_SKEW:
        problems["captured_at"] = "When it was captured must not be in the future"
    kept_at = clean_text(given.kept_at or "").strip()
    if not on_server and not kept_at:
        problems["kept_at"] = "Say where the capture is kept"
    elif len(kept_at) > 500:
        problems["kept_at"] = "Where it is kept must be 500 characters or fewer"
    if problems:
        field, message = next(iter(problems.items()))
        raise CaptureProblems(field, message, problems)
    return {
        "sha256": sha256,
        "kind": kind,
        "address": address,
        "captured_at": captured_at,
        "kept_at": kept_at,
    }


class CaptureProblems(InputProblem):
    """Several fields wrong at once: `fields` has each one's message."""

    def __init__(self, field: str, message: str, fields: dict[str, str]):
        super().__init__(field, message)
        self.fields = fields


def _existing(session: Session, viewing: Viewing, sha256: str) -> Capture | None:
    return session.scalar(
        select(Capture).where(Capture.viewing_id == viewing.id, Capture.sha256 == sha256)
    )


def record_capture(
    session: Session,
    officer: User,
    viewing: Viewing,
    given: CaptureGiven,
    now: datetime,
    settings: Settings,
    channel: Channel = Channel.WEB,
) -> tuple[Capture, bool]:
    """Record a capture kept elsewhere (the place the officer names); (capture, True), or the
    capture already recorded with this hash for this viewing and False."""
    return _record(session, officer, viewing, _checked(given, now, False), now, settings, channel)


def receive_capture(
    session: Session,
    officer: User,
    viewing: Viewing,
    given: CaptureGiven,
    stream: BinaryIO,
    now: datetime,
    settings: Settings,
    channel: Channel = Channel.WEB,
) -> tuple[Capture, bool]:
    """Keep a file in the server's store and record it. The hash the officer's tool computed
    must be the file's (`sha256`, when given); the file is stored once whatever its name."""
    if viewing.officer_id != officer.id:
        raise InputProblem("viewing", NOT_YOUR_VIEWING)
    claimed = (given.sha256 or "").strip().lower()
    checked = _checked(
        CaptureGiven(
            sha256=claimed or "0" * 64,
            kind=given.kind,
            address=given.address,
            captured_at=given.captured_at,
        ),
        now,
        True,
    )
    try:
        sha256, size = capture_store.keep(settings.store, stream, settings.most_bytes)
    except capture_store.TooLarge as too_large:
        raise InputProblem(
            "file", f"The file must be smaller than {settings.most_bytes // (1024 * 1024)} MB"
        ) from too_large
    if size == 0:
        _forget_unless_kept(session, settings, sha256)
        raise InputProblem("file", "The file is empty: choose the capture's file")
    if claimed and claimed != sha256:
        _forget_unless_kept(session, settings, sha256)
        raise CaptureProblems(
            "sha256",
            f"The SHA-256 given is not the file's: the server computed {sha256}",
            {"sha256": f"The SHA-256 given is not the file's: the server computed {sha256}"},
        )
    checked.update(sha256=sha256, size=size, media_type=(given.media_type or "")[:200])
    return _record(session, officer, viewing, checked, now, settings, channel, on_server=True)


def _record(session, officer, viewing, checked, now, settings, channel, on_server=False):
    if viewing.officer_id != officer.id:
        raise InputProblem("viewing", NOT_YOUR_VIEWING)
    found = _existing(session, viewing, checked["sha256"])
    if found is not None:
        if on_server:
            _forget_unless_kept(session, settings, found.sha256)
        return found, False
    dates = material.first_dates(
        local_date(checked["captured_at"]), settings.review_months, settings.keep_months
    )
    capture = Capture(
        viewing_id=viewing.id,
        investigation_id=viewing.investigation_id,
        sha256=checked["sha256"],
        kind=checked["kind"],
        address=checked["address"],
        captured_at=checked["captured_at"],
        recorded_at=now,
        recorded_by_id=officer.id,
        channel=channel,
        on_server=on_server,
        kept_at="" if on_server else checked["kept_at"],
        size=checked.get("size"),
        media_type=checked.get("media_type", ""),
        review_on=dates.review_on,
        destroy_by=dates.destroy_by,
    )
    session.add(capture)
    try:
        session.flush()
    except IntegrityError:
        # The same capture sent twice at once: the other request recorded it.
        session.rollback()
        found = _existing(session, viewing, checked["sha256"])
        if found is None:
            raise
        return found, False
    audit.record(
        session,
        officer,
        "capture.recorded",
        "capture",
        capture.id,
        viewing=viewing.id,
        investigation=viewing.investigation_id,
        sha256=capture.sha256,
        kind=capture.kind.value,
        on_server=on_server,
        kept_at=capture.kept_at,
    )
    commit(session)
    return capture, True


def _forget_unless_kept(session: Session, settings: Settings, sha256: str) -> None:
    """Take a file just stored back out, unless a capture still on the server has it."""
    if not still_needed(session, sha256):
        capture_store.remove(settings.store, sha256)


def still_needed(session: Session, sha256: str) -> bool:
    """Whether a capture not destroyed has this file in the server's store."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    Capture.sha256 == sha256,
                    Capture.on_server.is_(True),
                    ~exists().where(CaptureDestruction.capture_id == Capture.id),
                )
            )
        )
    )
