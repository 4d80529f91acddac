"""Triage plans: an officer describes the research they plan, and triage says what it is."""

from __future__ import annotations

from datetime import date

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import (
    Outcome,
    Triage,
)
from ripa_guard.applications.offences import Offence
from ripa_guard.applications.rules import require_owner
from ripa_guard.applications.urn import allocate_not_made_reference
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused, check_version, commit
from ripa_guard.core.clock import local_date
from ripa_guard.core.columns import utcnow
from ripa_guard.council import policy
from ripa_guard.law import triage


def start_triage(session: Session, officer: User, title: str, case_reference: str = "") -> Triage:
    if not officer.has_role(Role.OFFICER):
        raise Refused("Only investigating officers can plan online research.")
    record = Triage(
        officer_id=officer.id,
        title=title,
        case_reference=(case_reference or "").strip()[:100],
        answers={},
    )
    session.add(record)
    session.flush()
    # The audit trail is never edited, so it holds ids, not the details a record's
    # destruction must remove (titles and subjects' names).
    audit.record(session, officer, "triage.started", "triage", record.id)
    commit(session)
    return record


def save_triage_answers(
    session: Session, officer: User, record: Triage, answers: dict, version: int | None = None
) -> None:
    require_owner(officer, record.officer_id)
    if record.is_complete:
        raise Refused(
            "This research plan has an outcome already. Start a new one to change the answers."
        )
    if record.held_at is not None:
        raise Refused(
            "This research plan is with the RIPA coordinator, who is adding your offence to the "
            "register. Its answers cannot change now."
        )
    check_version(record, version)
    record.answers = {**record.answers, **answers}
    commit(session)


def complete_triage(
    session: Session,
    officer: User,
    record: Triage,
    register: dict[str, Offence],
    today: date | None = None,
) -> Triage:
    """Give the outcome (triage.decide) and freeze the answers; every outcome is recorded. A plan
    that would be directed surveillance for an offence not in the register is held for the RIPA
    coordinator instead (offence_holds), and the threshold is checked once they have resolved it.
    A plan that cannot be authorised gets its own reference on the central record, with the
    council's URN prefix (allocate_not_made_reference)."""
    require_owner(officer, record.officer_id)
    if record.is_complete or record.held_at is not None:
        return record
    if triage.needs_coordinator(record.answers):
        record.held_at = utcnow()
        audit.record(session, officer, "triage.held", "triage", record.id)
        commit(session)
        return record
    return finish_triage(session, officer, record, register, today=today)


def finish_triage(
    session: Session,
    actor: User,
    record: Triage,
    register: dict[str, Offence],
    extra: list[triage.Reason] | None = None,
    today: date | None = None,
) -> Triage:
    """The outcome, with the threshold checked against the offences named (as on `today`)."""
    codes = [c for c in (record.answers.get("offence"), record.answers.get("other_offence")) if c]
    named = [register[c] for c in codes if c in register]
    result = triage.decide(record.answers, named, today or local_date(utcnow()))
    record.outcome = Outcome(result.outcome.value)
    reasons = [*result.reasons, *(extra or [])]
    record.reasons = [{"text": r.text, "citation": r.citation} for r in reasons]
    record.offence_codes = [o.code for o in named]
    if result.threshold is not None:
        record.threshold_met = result.threshold.met
        record.threshold_reason = result.threshold.reason
    record.completed_at = utcnow()
    if record.outcome == Outcome.CANNOT_BE_AUTHORISED:
        year = local_date(record.completed_at).year
        record.reference = allocate_not_made_reference(session, _urn_prefix(), year)
    audit.record(
        session,
        actor,
        f"triage.{record.outcome.value}",
        "triage",
        record.id,
        outcome=record.outcome.value,
        offences=record.offence_codes,
        threshold_met=record.threshold_met,
        reference=record.reference,
    )
    if record.outcome == Outcome.OUTSIDE_RIPA:
        policy.record_refusal_by_policy(session, actor, record.id)
    commit(session)
    return record


def _urn_prefix() -> str:
    # The council's prefix for references (RIPA_GUARD_URN_PREFIX); "RIPA" outside the app.
    return current_app.config["URN_PREFIX"] if has_app_context() else "RIPA"
