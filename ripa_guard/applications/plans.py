"""Triage plans: an officer describes the research they plan, and triage says what it is."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import (
    Outcome,
    Triage,
)
from ripa_guard.applications.offences import Offence
from ripa_guard.applications.rules import require_owner
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused, check_version, commit
from ripa_guard.core.columns import utcnow
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
    check_version(record, version)
    record.answers = {**record.answers, **answers}
    commit(session)


def complete_triage(
    session: Session, officer: User, record: Triage, register: dict[str, Offence]
) -> Triage:
    """Give the outcome (triage.decide) and freeze the answers; every outcome is recorded."""
    require_owner(officer, record.officer_id)
    if record.is_complete:
        return record
    codes = [c for c in (record.answers.get("offence"), record.answers.get("other_offence")) if c]
    named = [register[c] for c in codes if c in register]
    result = triage.decide(record.answers, named)
    record.outcome = Outcome(result.outcome.value)
    record.reasons = [{"text": r.text, "citation": r.citation} for r in result.reasons]
    record.offence_codes = [o.code for o in named]
    if result.threshold is not None:
        record.threshold_met = result.threshold.met
        record.threshold_reason = result.threshold.reason
    record.completed_at = utcnow()
    audit.record(
        session,
        officer,
        f"triage.{record.outcome.value}",
        "triage",
        record.id,
        outcome=record.outcome.value,
        offences=record.offence_codes,
        threshold_met=record.threshold_met,
    )
    commit(session)
    return record
