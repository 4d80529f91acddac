"""The captured material register's retention: a capture's review (kept until a new date, or
to be destroyed), its destruction (the file deleted from the server's store, the row kept), and
the check of every file the server keeps against its hash. Each change is one function with its
audit event (Code of Practice 2018 ch. 9; DPA 2018 s.39)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, Refused, commit
from ripa_guard.core.fields import clean_text
from ripa_guard.law import material
from ripa_guard.viewing import capture_store
from ripa_guard.viewing.capture_models import Capture, CaptureDestruction, CaptureReview
from ripa_guard.viewing.capture_register import kept_on_server
from ripa_guard.viewing.captures import DELETED_FROM_STORE, Settings, may_see, still_needed


def _require_may_act(actor: User, capture: Capture) -> None:
    if not may_see(actor, capture):
        raise Refused(
            "Only the officers on its investigation, the SRO and the RIPA coordinator can do this."
        )
    if capture.destruction is not None:
        raise Refused("This capture has been destroyed: nothing more can be recorded for it.")


def review_capture(
    session: Session,
    actor: User,
    capture: Capture,
    result: str,
    reason: str,
    keep_until: date | None,
    today: date,
    settings: Settings,
) -> CaptureReview:
    """Record a review of whether the capture is still needed: kept, with the reason, until a
    new date, or to be destroyed (Code of Practice 2018 ch. 9; DPA 2018 s.39(2))."""
    _require_may_act(actor, capture)
    try:
        chosen = material.Result(result)
    except ValueError:
        raise InputProblem("result", "Select whether it is kept or destroyed") from None
    reason = clean_text(reason or "").strip()
    if not reason:
        raise InputProblem("reason", "Say why it is still needed, or why it is not")
    if chosen is material.Result.KEEP:
        problem = material.keep_problem(today, keep_until, settings.keep_months)
        if problem:
            raise InputProblem("keep_until", problem)
    dates = material.dates_after_review(chosen, today, keep_until, settings.review_months)
    review = CaptureReview(
        capture_id=capture.id,
        reviewed_by_id=actor.id,
        result=chosen,
        reason=reason,
        review_on=dates.review_on,
        destroy_by=dates.destroy_by,
    )
    session.add(review)
    session.flush()
    audit.record(
        session,
        actor,
        f"capture.reviewed_{chosen.value}",
        "capture",
        capture.id,
        review=review.id,
        review_on=dates.review_on,
        destroy_by=dates.destroy_by,
    )
    commit(session)
    session.expire(capture, ["reviews"])
    return review


def destroy_capture(
    session: Session, actor: User, capture: Capture, method: str, settings: Settings
) -> CaptureDestruction:
    """Record the capture's destruction, who, when and how, and delete its file from the
    server's store (unless another capture still kept has the same file). The capture's row,
    with its hash, stays (Code of Practice 2018 ch. 9)."""
    _require_may_act(actor, capture)
    method = clean_text(method or "").strip()
    if capture.on_server:
        method = f"{DELETED_FROM_STORE}. {method}".strip(". ") if method else DELETED_FROM_STORE
    elif not method:
        raise InputProblem("method", "Say how it was destroyed, and where it was kept")
    if len(method) > 2000:
        raise InputProblem("method", "How it was destroyed must be 2,000 characters or fewer")
    destruction = CaptureDestruction(capture_id=capture.id, destroyed_by_id=actor.id, method=method)
    session.add(destruction)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Refused("This capture has already been destroyed.") from None
    audit.record(
        session,
        actor,
        "capture.destroyed",
        "capture",
        capture.id,
        sha256=capture.sha256,
        method=method,
    )
    commit(session)
    if capture.on_server and not still_needed(session, capture.sha256):
        capture_store.remove(settings.store, capture.sha256)
    session.expire(capture, ["destruction"])
    return destruction


def file_of(capture: Capture, settings: Settings) -> Path | None:
    """The capture's file in the server's store, while it is kept there."""
    if not capture.on_server or capture.destruction is not None:
        return None
    path = capture_store.path_of(settings.store, capture.sha256)
    return path if path.is_file() else None


def verify_store(session: Session, settings: Settings) -> tuple[int, list[tuple[int, str]]]:
    """Recompute the hash of every file the server keeps: (how many captures were checked,
    [(capture id, "missing" or "changed")]). The check is audited, with what it found."""
    kept = kept_on_server(session)
    found = capture_store.problems(settings.store, kept)
    audit.record(
        session,
        None,
        "captures.verified",
        "capture",
        None,
        checked=len(kept),
        problems={str(i): p for i, p in found},
    )
    commit(session)
    return len(kept), found
