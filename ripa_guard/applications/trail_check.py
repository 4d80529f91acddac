"""Does each application's current state match what its audit trail says happened to it?

The audit chain proves its own events were not rewritten; this proves the records they describe
were not changed without one (issue 17: an UPDATE of applications.status or of a decision behind
the app's back). Checked: each application's status against its last status-changing event,
and each authorising decision's outcome, decider and application against the event that made it.
Not checked here: the words of an application, its subjects, reviews, renewals' status, court
hearings' details, cancellations, viewings and the non-RIPA register.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.applications.models import Application, ApplicationStatus, AuthorisingDecision
from ripa_guard.core.models import AuditEvent

#: The status each event leaves an application in (drafting.py, lifecycle.py).
STATUS_AFTER = {
    "application.started": ApplicationStatus.DRAFT,
    "application.submitted": ApplicationStatus.SUBMITTED,
    "application.resubmitted": ApplicationStatus.SUBMITTED,
    "application.approved": ApplicationStatus.AWAITING_COURT,
    "application.refused": ApplicationStatus.REFUSED,
    "application.returned": ApplicationStatus.RETURNED,
    "application.withdrawn": ApplicationStatus.WITHDRAWN,
    "application.cancelled": ApplicationStatus.CANCELLED,
    "court.approved": ApplicationStatus.ACTIVE,
    "court.refused": ApplicationStatus.COURT_REFUSED,
    "court.quashed": ApplicationStatus.QUASHED,
}
#: An entry imported from the council's earlier record: its event names the status it came in
#: with (register/importing.py), which may be any decided one.
IMPORTED = "application.imported"
#: Events that record an authorising decision; the action ends in the decision.
DECISION_EVENTS = {
    "application.approved",
    "application.refused",
    "application.returned",
    "renewal.approved",
    "renewal.refused",
}


def _status_named(value) -> ApplicationStatus | None:
    try:
        return ApplicationStatus(value)
    except ValueError:
        return None


def disagreements(session: Session) -> list[str]:
    """Each record whose state differs from the one its audit events describe, in words."""
    status: dict[int, str] = {}
    decisions: dict[int, tuple[int, str, int | None]] = {}
    events = session.execute(
        select(AuditEvent.object_id, AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail)
        .where(
            AuditEvent.object_type == "application",
            AuditEvent.action.in_(set(STATUS_AFTER) | DECISION_EVENTS | {IMPORTED}),
        )
        .order_by(AuditEvent.seq)
    )
    for application_id, action, actor_id, detail in events:
        if action in STATUS_AFTER:
            status[application_id] = STATUS_AFTER[action]
        elif action == IMPORTED and isinstance(detail, dict):
            status[application_id] = _status_named(detail.get("status"))
        if action in DECISION_EVENTS and isinstance(detail, dict) and "decision_id" in detail:
            decided = action.rpartition(".")[2]
            decisions[detail["decision_id"]] = (application_id, decided, actor_id)

    found = []
    rows = session.execute(select(Application.id, Application.urn, Application.status))
    for application_id, urn, current in rows:
        name = urn or f"application {application_id}"
        expected = status.get(application_id)
        if expected is None:
            found.append(f"{name} has no audit event that made it")
        elif current != expected:
            found.append(
                f"{name} is {current.value} but its audit trail leaves it {expected.value}"
            )
    rows = session.execute(
        select(
            AuthorisingDecision.id,
            AuthorisingDecision.application_id,
            AuthorisingDecision.decision,
            AuthorisingDecision.decided_by_id,
        )
    )
    for decision_id, application_id, decision, decided_by in rows:
        expected = decisions.get(decision_id)
        if expected is None:
            found.append(f"decision {decision_id} has no audit event that made it")
        elif expected != (application_id, decision.value, decided_by):
            found.append(
                f"decision {decision_id} is {decision.value} by user {decided_by} on "
                f"application {application_id}, but its audit event says {expected[1]} by user "
                f"{expected[2]} on application {expected[0]}"
            )
    return found
