"""The non-RIPA register: research outside RIPA that still interferes with privacy.

A council can use RIPA only to prevent or detect crime (RIPA s.28(3)(b); Order art. 7A), so an
employment or other non-criminal investigation is outside it, and no crime threshold applies.
Its interference with privacy still has to be necessary and proportionate (ECHR Article 8(2),
Human Rights Act 1998 s.6): the council's non-RIPA procedure records the officer's assessment, a
senior officer's approval, reviews and closure, and keeps the register IPCO asks to see
(DOMAIN.md §5 "Outside RIPA", §8). One function per transition, as in lifecycle.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import Outcome, Triage
from ripa_guard.applications.urn import allocate_urn
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused, check_version, commit
from ripa_guard.core.clock import local_date
from ripa_guard.core.columns import utcnow
from ripa_guard.law import oversight_rules
from ripa_guard.oversight.models import (
    NonRipaActivity,
    NonRipaAssessment,
    NonRipaClosure,
    NonRipaDecision,
    NonRipaReview,
    NonRipaStatus,
)

#: Who approves, reviews and closes: a senior officer, never the officer who asked.
SENIOR = (Role.AUTHORISING_OFFICER, Role.SRO)


def _require_senior(actor: User, activity: NonRipaActivity) -> None:
    if not actor.has_role(*SENIOR):
        raise Refused("Only an authorising officer or the senior responsible officer can do this.")
    if actor.id == activity.officer_id:
        raise Refused("You cannot approve or review your own activity. Ask another senior officer.")


def _require_status(activity: NonRipaActivity, *allowed: NonRipaStatus) -> None:
    if activity.status not in allowed:
        raise Refused(f"This activity is {activity.status.title.lower()}, so that cannot be done.")


def record_activity(
    session: Session,
    officer: User,
    triage: Triage,
    *,
    title: str,
    purpose: str,
    subjects: str,
    activity: str,
    necessity: str,
    proportionality: str,
    collateral_intrusion: str,
    alternatives: str,
    prefix: str,
    now: datetime | None = None,
) -> NonRipaActivity:
    """Enter research that triage found outside RIPA in the register, with the officer's
    privacy assessment; it waits for a senior officer's approval before it starts."""
    if triage.officer_id != officer.id:
        raise Refused("Only the officer who planned this research can record it.")
    if triage.outcome != Outcome.OUTSIDE_RIPA:
        raise Refused("Only research that triage found to be outside RIPA goes in this register.")
    existing = session.scalar(select(NonRipaActivity).where(NonRipaActivity.triage_id == triage.id))
    if existing is not None:
        raise Refused(f"This research is already in the non-RIPA register as {existing.reference}.")
    now = now or utcnow()
    record = NonRipaActivity(
        reference=allocate_urn(session, prefix, now.year),
        triage_id=triage.id,
        officer_id=officer.id,
        title=title,
        purpose=purpose,
        subjects=subjects,
        activity=activity,
        created_at=now,
    )
    session.add(record)
    session.flush()
    session.add(
        NonRipaAssessment(
            activity_id=record.id,
            written_by_id=officer.id,
            written_at=now,
            necessity=necessity,
            proportionality=proportionality,
            collateral_intrusion=collateral_intrusion,
            alternatives=alternatives,
        )
    )
    session.flush()
    audit.record(
        session,
        officer,
        "non_ripa.recorded",
        "non_ripa",
        record.id,
        reference=record.reference,
        triage_id=triage.id,
    )
    commit(session)
    session.expire(record, ["assessments"])
    return record


def decide_activity(
    session: Session,
    actor: User,
    activity: NonRipaActivity,
    *,
    approved: bool,
    reasons: str,
    review_interval_days: int | None,
    version: int | None,
    today: date,
) -> NonRipaDecision:
    """A senior officer approves or refuses; an approval sets how often it is reviewed."""
    _require_senior(actor, activity)
    _require_status(activity, NonRipaStatus.AWAITING_APPROVAL)
    check_version(activity, version)
    if approved:
        from ripa_guard.accounts.training import require_current_training

        require_current_training(session, actor, today)
        if not review_interval_days or review_interval_days < 1:
            raise Refused("Set how often the activity is to be reviewed.")
    decision = NonRipaDecision(
        activity_id=activity.id,
        decided_by_id=actor.id,
        decided_by_name=actor.name,
        decided_by_grade=actor.grade,
        approved=approved,
        reasons=reasons,
        review_interval_days=review_interval_days if approved else None,
    )
    session.add(decision)
    activity.status = NonRipaStatus.APPROVED if approved else NonRipaStatus.REFUSED
    if approved:
        activity.approved_on = today
        activity.review_interval_days = review_interval_days
    session.flush()
    audit.record(
        session,
        actor,
        "non_ripa.approved" if approved else "non_ripa.refused",
        "non_ripa",
        activity.id,
        reference=activity.reference,
        decision_id=decision.id,
    )
    commit(session)
    session.expire(activity, ["decisions"])
    return decision


def next_review(activity: NonRipaActivity) -> date | None:
    if activity.status != NonRipaStatus.APPROVED:
        return None
    return oversight_rules.review_due(
        activity.approved_on,
        [r.reviewed_on for r in activity.reviews],
        activity.review_interval_days,
    )


def review_activity(
    session: Session,
    actor: User,
    activity: NonRipaActivity,
    *,
    continues: bool,
    notes: str,
    version: int | None,
    today: date,
) -> NonRipaReview:
    _require_senior(actor, activity)
    _require_status(activity, NonRipaStatus.APPROVED)
    check_version(activity, version)
    review = NonRipaReview(
        activity_id=activity.id,
        reviewed_by_id=actor.id,
        reviewed_by_name=actor.name,
        reviewed_on=today,
        continues=continues,
        notes=notes,
    )
    session.add(review)
    session.flush()
    audit.record(
        session,
        actor,
        "non_ripa.reviewed",
        "non_ripa",
        activity.id,
        reference=activity.reference,
        review_id=review.id,
        continues=continues,
    )
    commit(session)
    session.expire(activity, ["reviews"])
    return review


def close_activity(
    session: Session,
    actor: User,
    activity: NonRipaActivity,
    *,
    reason: str,
    handling: str,
    version: int | None,
    today: date,
) -> NonRipaClosure:
    """The activity has stopped: the officer who asked, or a senior officer, closes it."""
    if actor.id != activity.officer_id and not actor.has_role(*SENIOR):
        raise Refused("Only the officer who asked or a senior officer can close this activity.")
    _require_status(activity, NonRipaStatus.APPROVED)
    check_version(activity, version)
    closure = NonRipaClosure(
        activity_id=activity.id,
        closed_by_id=actor.id,
        closed_by_name=actor.name,
        closed_on=today,
        reason=reason,
        handling=handling,
    )
    session.add(closure)
    activity.status = NonRipaStatus.CLOSED
    activity.closed_on = today
    session.flush()
    audit.record(
        session,
        actor,
        "non_ripa.closed",
        "non_ripa",
        activity.id,
        reference=activity.reference,
        closure_id=closure.id,
    )
    commit(session)
    session.expire(activity, ["closure"])
    return closure


# The register and its extract -----------------------------------------------------------------


def register_query(year: int | None = None, status: str = ""):
    query = select(NonRipaActivity).order_by(NonRipaActivity.created_at.desc())
    if status in {s.value for s in NonRipaStatus}:
        query = query.where(NonRipaActivity.status == NonRipaStatus(status))
    if year:
        query = query.where(NonRipaActivity.reference.like(f"%/{year}/%"))
    return query


def for_triage(session: Session, triage_id: int) -> NonRipaActivity | None:
    return session.scalar(select(NonRipaActivity).where(NonRipaActivity.triage_id == triage_id))


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


COLUMNS = (
    "Reference",
    "Status",
    "Title",
    "Officer",
    "Service",
    "Recorded",
    "Purpose (why, outside RIPA)",
    "Whose privacy (subjects and profiles)",
    "What will be done, how often, how long",
    "Necessity (Article 8(2))",
    "Proportionality",
    "Collateral intrusion",
    "Alternatives considered",
    "Decision",
    "Decided by, name and grade",
    "Decided on",
    "Reasons",
    "Review every (days)",
    "Reviews: date, result, by whom",
    "Closed on",
    "Reason for closing",
    "What was obtained and how it is handled",
)


def row(a: NonRipaActivity) -> list[str]:
    assessment, decision, closure = a.assessment, a.decision, a.closure
    return [
        a.reference,
        a.status.title,
        a.title,
        f"{a.officer.name}, {a.officer.grade}",
        a.officer.service,
        _d(local_date(a.created_at)),
        a.purpose,
        a.subjects,
        a.activity,
        assessment.necessity if assessment else "",
        assessment.proportionality if assessment else "",
        assessment.collateral_intrusion if assessment else "",
        assessment.alternatives if assessment else "",
        ("Approved" if decision.approved else "Refused") if decision else "",
        f"{decision.decided_by_name}, {decision.decided_by_grade}" if decision else "",
        _d(local_date(decision.decided_at)) if decision else "",
        decision.reasons if decision else "",
        str(a.review_interval_days or ""),
        "; ".join(
            f"{_d(r.reviewed_on)}: {'continue' if r.continues else 'stop'} ({r.reviewed_by_name})"
            for r in a.reviews
        ),
        _d(closure.closed_on) if closure else "",
        closure.reason if closure else "",
        closure.handling if closure else "",
    ]


def iter_register(session: Session, year: int | None = None) -> Iterator[NonRipaActivity]:
    """Every entry, a batch at a time, so the extract's memory stays flat as the register grows."""
    yield from session.scalars(register_query(year).execution_options(yield_per=200))


def _safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value and value[0] in "=+-@\t\r" else value


def csv_text(session: Session, year: int | None = None) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for activity in iter_register(session, year):
        writer.writerow([_safe(v) for v in row(activity)])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(target, session: Session, year: int | None = None) -> None:
    from openpyxl import Workbook

    from ripa_guard.register.extracts import _header

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Non-RIPA register")
    _header(sheet, list(COLUMNS), [max(14, min(40, len(c) + 2)) for c in COLUMNS])
    for activity in iter_register(session, year):
        sheet.append([_safe(v) for v in row(activity)])
    workbook.save(target)


def record_extract_taken(session: Session, actor: User, kind: str, year: int | None) -> None:
    """Who took the non-RIPA register, and for which year: an audit event."""
    audit.record(session, actor, f"non_ripa.extract_{kind}", "non_ripa", None, year=year)
    commit(session)


def register_page(
    session: Session, *, status: str = "", officer: User | None = None, limit: int = 500
) -> list[NonRipaActivity]:
    """The non-RIPA register as a page shows it: one officer's own when `officer` is given."""
    query = register_query(status=status)
    if officer is not None:
        query = query.where(NonRipaActivity.officer_id == officer.id)
    return session.scalars(query.limit(limit)).all()
