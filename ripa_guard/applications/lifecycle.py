"""The life of a request and an application: one function per transition.

Each function checks who is asking, what state the record is in and its version, then writes
the change and its audit event in one transaction (STYLE.md, "State changes").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Cancellation,
    CourtHearing,
    CourtOutcome,
    Decision,
    Renewal,
    RenewalStatus,
    Review,
    ReviewOutcome,
)
from ripa_guard.applications.rules import require_owner, show_added
from ripa_guard.core import audit, clock
from ripa_guard.core.changes import Refused, check_version, commit
from ripa_guard.core.columns import utcnow
from ripa_guard.law import periods


def _require_decider(actor: User, application: Application) -> None:
    """Only an authorising officer or the SRO decides, and never on their own application."""
    if not actor.can_decide:
        raise Refused("Only an authorising officer or the senior responsible officer can do this.")
    if actor.id == application.officer_id:
        raise Refused("You cannot decide on your own application. Ask another authorising officer.")


def _require_confidential_authority(actor: User, application: Application) -> None:
    """Code of Practice 2018, Annex A: where confidential or privileged information is likely,
    a council authorisation needs the head of paid service, or whoever acts for them."""
    if application.confidential_likely and not actor.can_authorise_confidential:
        raise Refused(
            "Confidential or legally privileged information is likely, so only the head of paid "
            "service, or whoever acts for them in their absence, can approve this (Covert "
            "Surveillance Code of Practice 2018, Annex A)."
        )


def _require_current_training(session: Session, actor: User, today: date) -> None:
    """An authorising officer whose training is out of date cannot approve (training.py)."""
    from ripa_guard.accounts.training import (
        require_current_training,  # training raises this module's Refused
    )

    require_current_training(session, actor, today)


def _require_status(application: Application, *allowed: ApplicationStatus) -> None:
    if application.status not in allowed:
        raise Refused(
            f"This application is {application.status.title.lower()}, so that cannot be done now."
        )


def _record_decision(
    session: Session,
    actor: User,
    application: Application,
    renewal: Renewal | None,
    decision: Decision,
    now: datetime,
    what_authorised: str,
    reasons: str,
    review_interval_days: int | None,
    directly_involved: bool,
    directly_involved_reason: str,
) -> AuthorisingDecision:
    """The decision as the central record keeps it: the decider's name and grade at the time."""
    record = AuthorisingDecision(
        application_id=application.id,
        renewal_id=renewal.id if renewal else None,
        decided_by_id=actor.id,
        decided_by_name=actor.name,
        decided_by_grade=actor.grade,
        decision=decision,
        decided_at=now,
        what_authorised=what_authorised,
        reasons=reasons,
        review_interval_days=review_interval_days if decision == Decision.APPROVED else None,
        directly_involved=directly_involved,
        directly_involved_reason=directly_involved_reason,
    )
    session.add(record)
    show_added(session, application, "decisions")
    return record


def decide_application(
    session: Session,
    actor: User,
    application: Application,
    decision: Decision,
    what_authorised: str,
    reasons: str,
    review_interval_days: int | None,
    directly_involved: bool,
    directly_involved_reason: str,
    version: int | None,
    now: datetime | None = None,
) -> AuthorisingDecision:
    """Approve, refuse or return a submitted application (RIPA s.28). An approval waits for a
    JP: it has no effect until one approves it (s.32A(2))."""
    _require_decider(actor, application)
    _require_status(application, ApplicationStatus.SUBMITTED)
    check_version(application, version)
    now = now or utcnow()
    if decision == Decision.APPROVED:
        _require_confidential_authority(actor, application)
        _require_current_training(session, actor, clock.local_date(now))
        if not review_interval_days or review_interval_days < 1:
            raise Refused("Set how often the authorisation is to be reviewed.")
    record = _record_decision(
        session,
        actor,
        application,
        None,
        decision,
        now,
        what_authorised,
        reasons,
        review_interval_days,
        directly_involved,
        directly_involved_reason,
    )
    application.status = {
        Decision.APPROVED: ApplicationStatus.AWAITING_COURT,
        Decision.REFUSED: ApplicationStatus.REFUSED,
        Decision.RETURNED: ApplicationStatus.RETURNED,
    }[decision]
    if decision == Decision.APPROVED:
        application.authorised_by_id = actor.id
        application.directly_involved = directly_involved
        application.review_interval_days = review_interval_days
    application.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        f"application.{decision.value}",
        "application",
        application.id,
        urn=application.urn,
        decision_id=record.id,
        directly_involved=directly_involved,
    )
    commit(session)
    return record


#: Who may record a magistrate's decision: never the applicant (separation of duties).
COURT_RECORDERS = (Role.COORDINATOR, Role.AUTHORISING_OFFICER, Role.SRO)


def _require_court_recorder(actor: User, application: Application) -> None:
    """The court's decision is recorded by the coordinator or an authorising officer, and never
    by the applicant: whoever asked for the authorisation does not also record that a
    magistrate approved it (issue 17; ASVS 5.0 V2.3.5, separation of duties)."""
    if actor.id == application.officer_id:
        raise Refused(
            "You cannot record the court's decision on your own application. Ask the RIPA "
            "coordinator or an authorising officer to record it."
        )
    if not actor.has_role(*COURT_RECORDERS):
        raise Refused(
            "Only the RIPA coordinator or an authorising officer can record the court's decision."
        )


def _check_hearing(
    hearing_date: date, decided_at: datetime, since: datetime, now: datetime
) -> None:
    if decided_at > now:
        raise Refused("The date and time of the magistrate's decision cannot be in the future.")
    if clock.local_date(decided_at) < clock.local_date(since):
        raise Refused("The magistrate cannot have decided before the authorising officer did.")
    if hearing_date > clock.local_date(decided_at):
        raise Refused("The hearing date cannot be after the date of the magistrate's decision.")


def record_court_decision(
    session: Session,
    actor: User,
    application: Application,
    court: str,
    hearing_date: date,
    magistrate: str,
    outcome: CourtOutcome,
    decided_at: datetime,
    notes: str,
    version: int | None,
    now: datetime | None = None,
) -> CourtHearing:
    """The JP's decision on the grant (RIPA s.32A). Only an approval makes it active, from the
    day of approval, until the last day of three months (s.43(3)(c), periods.py)."""
    _require_court_recorder(actor, application)
    _require_status(application, ApplicationStatus.AWAITING_COURT)
    check_version(application, version)
    now = now or utcnow()
    _check_hearing(hearing_date, decided_at, application.latest_approval.decided_at, now)
    hearing = CourtHearing(
        application_id=application.id,
        court=court,
        hearing_date=hearing_date,
        magistrate=magistrate,
        outcome=outcome,
        decided_at=decided_at,
        notes=notes,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    session.add(hearing)
    show_added(session, application, "hearings")
    if outcome == CourtOutcome.APPROVED:
        application.takes_effect = clock.local_date(decided_at)
        application.last_day = periods.authorisation_expiry(application.takes_effect)
        application.status = ApplicationStatus.ACTIVE
    else:
        application.status = {
            CourtOutcome.REFUSED: ApplicationStatus.COURT_REFUSED,
            CourtOutcome.QUASHED: ApplicationStatus.QUASHED,
        }[outcome]
    application.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        f"court.{outcome.value}",
        "application",
        application.id,
        urn=application.urn,
        hearing_id=hearing.id,
        takes_effect=application.takes_effect,
        last_day=application.last_day,
    )
    commit(session)
    return hearing


def record_review(
    session: Session,
    actor: User,
    application: Application,
    outcome: ReviewOutcome,
    reasons: str,
    next_interval_days: int | None,
    version: int | None,
    today: date,
) -> Review:
    """A review by an authorising officer: continue (with the next interval) or cancel."""
    _require_decider(actor, application)
    _require_status(application, ApplicationStatus.ACTIVE)
    check_version(application, version)
    if application.is_lapsed(today):
        raise Refused(
            "This authorisation has passed its last day. It cannot be reviewed: cancel it now."
        )
    if outcome == ReviewOutcome.CONTINUE and (not next_interval_days or next_interval_days < 1):
        raise Refused("Set when the next review is due.")
    review = Review(
        application_id=application.id,
        reviewed_by_id=actor.id,
        reviewed_by_name=actor.name,
        reviewed_on=today,
        due_on=next_review(application),
        outcome=outcome,
        reasons=reasons,
        next_interval_days=next_interval_days if outcome == ReviewOutcome.CONTINUE else None,
    )
    session.add(review)
    show_added(session, application, "reviews")
    if review.next_interval_days:
        application.review_interval_days = review.next_interval_days
    application.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        f"review.{outcome.value}",
        "application",
        application.id,
        urn=application.urn,
        review_id=review.id,
    )
    commit(session)
    return review


def next_review(application: Application) -> date | None:
    """When the next review of an active authorisation falls due (periods.next_review)."""
    if application.takes_effect is None or not application.review_interval_days:
        return None
    return periods.next_review(
        application.takes_effect,
        [r.reviewed_on for r in application.reviews],
        application.review_interval_days,
        application.last_day,
    )


def request_renewal(
    session: Session,
    officer: User,
    application: Application,
    reasons: str,
    obtained_so_far: str,
    version: int | None,
    today: date,
    now: datetime | None = None,
) -> Renewal:
    """Ask for a renewal, which may be granted only before the authorisation ceases
    (RIPA s.43(4)); after its last day a fresh application is needed."""
    require_owner(officer, application.officer_id)
    _require_status(application, ApplicationStatus.ACTIVE)
    check_version(application, version)
    if not periods.can_be_renewed(application.last_day, today):
        raise Refused(
            "This authorisation has ceased to have effect, so it cannot be renewed "
            "(RIPA s.43(4)). Make a fresh application, and ask for this one to be cancelled."
        )
    if application.pending_renewal is not None:
        raise Refused("A renewal of this authorisation is already under way.")
    starts_on, ends_on = periods.renewal_period(application.last_day)
    renewal = Renewal(
        application_id=application.id,
        number=len(application.renewals) + 1,
        requested_by_id=officer.id,
        requested_at=now or utcnow(),
        reasons=reasons,
        obtained_so_far=obtained_so_far,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(renewal)
    show_added(session, application, "renewals")
    application.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        officer,
        "renewal.requested",
        "application",
        application.id,
        urn=application.urn,
        renewal_id=renewal.id,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    commit(session)
    return renewal


def decide_renewal(
    session: Session,
    actor: User,
    application: Application,
    renewal: Renewal,
    decision: Decision,
    what_authorised: str,
    reasons: str,
    review_interval_days: int | None,
    directly_involved: bool,
    directly_involved_reason: str,
    version: int | None,
    now: datetime | None = None,
) -> AuthorisingDecision:
    """An authorising officer's decision on a renewal, before the authorisation ceases
    (RIPA s.43(4)); an approved renewal still needs a JP (s.32B)."""
    _require_decider(actor, application)
    _require_status(application, ApplicationStatus.ACTIVE)
    check_version(renewal, version)
    if renewal.status != RenewalStatus.REQUESTED:
        raise Refused(
            f"This renewal is {renewal.status.title.lower()}, so it cannot be decided now."
        )
    now = now or utcnow()
    if decision == Decision.APPROVED:
        if not periods.can_be_renewed(application.last_day, clock.local_date(now)):
            raise Refused(
                "The authorisation has already ceased to have effect, so it can no longer be "
                "renewed (RIPA s.43(4)). A fresh application is needed."
            )
        _require_confidential_authority(actor, application)
        _require_current_training(session, actor, clock.local_date(now))
        if not review_interval_days or review_interval_days < 1:
            raise Refused("Set how often the renewed authorisation is to be reviewed.")
    elif decision == Decision.RETURNED:
        raise Refused("A renewal is approved or refused.")
    record = _record_decision(
        session,
        actor,
        application,
        renewal,
        decision,
        now,
        what_authorised,
        reasons,
        review_interval_days,
        directly_involved,
        directly_involved_reason,
    )
    renewal.status = (
        RenewalStatus.AWAITING_COURT if decision == Decision.APPROVED else RenewalStatus.REFUSED
    )
    session.flush()
    audit.record(
        session,
        actor,
        f"renewal.{decision.value}",
        "application",
        application.id,
        urn=application.urn,
        renewal_id=renewal.id,
        decision_id=record.id,
    )
    commit(session)
    return record


def record_renewal_court_decision(
    session: Session,
    actor: User,
    application: Application,
    renewal: Renewal,
    court: str,
    hearing_date: date,
    magistrate: str,
    outcome: CourtOutcome,
    decided_at: datetime,
    notes: str,
    version: int | None,
    now: datetime | None = None,
) -> CourtHearing:
    """The JP's decision on a renewal (RIPA s.32B). An approval must come before the
    authorisation ceases; the renewal then runs from the day after its last day."""
    _require_court_recorder(actor, application)
    check_version(renewal, version)
    if renewal.status != RenewalStatus.AWAITING_COURT:
        raise Refused(f"This renewal is {renewal.status.title.lower()}, not awaiting the court.")
    now = now or utcnow()
    approval = next(d for d in reversed(application.decisions) if d.renewal_id == renewal.id)
    _check_hearing(hearing_date, decided_at, approval.decided_at, now)
    if outcome == CourtOutcome.APPROVED and clock.local_date(decided_at) > application.last_day:
        raise Refused(
            "A magistrate's approval after the last day cannot renew the authorisation: it had "
            "already ceased (RIPA s.43(4)). A fresh application is needed."
        )
    hearing = CourtHearing(
        application_id=application.id,
        renewal_id=renewal.id,
        court=court,
        hearing_date=hearing_date,
        magistrate=magistrate,
        outcome=outcome,
        decided_at=decided_at,
        notes=notes,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    session.add(hearing)
    show_added(session, application, "hearings")
    renewal.status = {
        CourtOutcome.APPROVED: RenewalStatus.APPROVED,
        CourtOutcome.REFUSED: RenewalStatus.COURT_REFUSED,
        CourtOutcome.QUASHED: RenewalStatus.QUASHED,
    }[outcome]
    if outcome == CourtOutcome.APPROVED:
        application.last_day = renewal.ends_on
        application.review_interval_days = approval.review_interval_days
        application.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        f"renewal.court_{outcome.value}",
        "application",
        application.id,
        urn=application.urn,
        renewal_id=renewal.id,
        hearing_id=hearing.id,
        last_day=application.last_day,
    )
    commit(session)
    return hearing


def cancel_authorisation(
    session: Session,
    actor: User,
    application: Application,
    reason: str,
    obtained: str,
    handling: str,
    stop_instructed_at: datetime,
    version: int | None,
    today: date,
) -> Cancellation:
    """Cancel an authorisation no longer necessary or proportionate (RIPA s.45(1)); a lapsed one
    still needs cancelling, and the record says it lapsed first."""
    _require_decider(actor, application)
    _require_status(application, ApplicationStatus.ACTIVE, ApplicationStatus.AWAITING_COURT)
    check_version(application, version)
    if clock.local_date(stop_instructed_at) > today:
        raise Refused("The time surveillance was told to stop cannot be in the future.")
    cancellation = Cancellation(
        application_id=application.id,
        cancelled_by_id=actor.id,
        cancelled_by_name=actor.name,
        cancelled_by_grade=actor.grade,
        cancelled_on=today,
        stop_instructed_at=stop_instructed_at,
        reason=reason,
        obtained=obtained,
        handling=handling,
        after_lapse=application.is_lapsed(today),
    )
    session.add(cancellation)
    show_added(session, application, "cancellation")
    if application.pending_renewal is not None:
        application.pending_renewal.status = RenewalStatus.WITHDRAWN
    application.status = ApplicationStatus.CANCELLED
    application.cancelled_on = today
    application.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "application.cancelled",
        "application",
        application.id,
        urn=application.urn,
        cancellation_id=cancellation.id,
        after_lapse=cancellation.after_lapse,
    )
    commit(session)
    return cancellation
