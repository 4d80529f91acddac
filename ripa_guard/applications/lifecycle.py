"""The life of a request and an application: one function per transition.

Each function checks who is asking, what state the record is in and its version, then writes
the change and its audit event in one transaction (STYLE.md, "State changes").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import notices
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
from ripa_guard.core.changes import InputProblem, Refused, check_version, commit
from ripa_guard.core.columns import utcnow
from ripa_guard.law import authorising, decision_rules, periods
from ripa_guard.law import cancellation as cancellation_rules
from ripa_guard.law import court as court_rules
from ripa_guard.law.decision_rules import Statements

#: What a refusal or a return gives: an approval without statements is refused.
NO_STATEMENTS = Statements()


def _require_decider(actor: User, application: Application) -> None:
    """Only an authorising officer or the SRO decides, and never on their own application."""
    if not actor.can_decide:
        raise Refused("Only an authorising officer or the senior responsible officer can do this.")
    if actor.id == application.officer_id:
        raise Refused("You cannot decide on your own application. Ask another authorising officer.")


def _require_confidential_authority(actor: User, application: Application) -> None:
    problem = authorising.confidential_authority_problem(
        application.confidential_likely, actor.can_authorise_confidential
    )
    if problem:
        raise Refused(problem)


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


def _require_own_words(
    application: Application,
    decision: Decision,
    what_authorised: str,
    reasons: str,
    statements: Statements,
    directly_involved: bool,
    directly_involved_reason: str,
) -> None:
    """An approval carries the authorising officer's own statements (RIPA s.28(2); Code 2018,
    proportionality and collateral intrusion); any other decision says why; a directly involved
    officer says why it cannot be avoided. The rules are in law/decision_rules.py."""
    problem = decision_rules.directly_involved_problem(directly_involved, directly_involved_reason)
    if problem:
        raise InputProblem("directly_involved_reason", problem)
    if decision != Decision.APPROVED:
        if not reasons.strip():
            raise InputProblem("reasons", "Enter your reasons")
        return
    if not what_authorised.strip():
        raise InputProblem("what_authorised", "Say what you authorise")
    answers = application.answers or {}
    for name, message in decision_rules.statement_problems(statements, answers).items():
        raise InputProblem(name, message)


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
    statements: Statements,
) -> AuthorisingDecision:
    """The decision as the central record keeps it: the decider's name and grade at the time,
    and on an approval the authorising officer's own statements."""
    given = statements.as_dict() if decision == Decision.APPROVED else {}
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
        **given,
    )
    session.add(record)
    show_added(session, application, "decisions")
    return record


def decide_application(
    session: Session,
    actor: User,
    application: Application,
    *,
    decision: Decision,
    what_authorised: str,
    reasons: str,
    review_interval_days: int | None,
    directly_involved: bool,
    directly_involved_reason: str,
    version: int | None,
    now: datetime | None = None,
    statements: Statements = NO_STATEMENTS,
    offences_genuine: bool | None = None,
) -> AuthorisingDecision:
    """Approve, refuse or return a submitted application (RIPA s.28). An approval carries the
    authorising officer's own statements and their confirmation that the offences meeting the
    crime threshold are genuinely suspected (SI 2010/521 art. 7A(2)-(3)), and waits for a JP:
    it has no effect until one approves it (s.32A(2))."""
    _require_decider(actor, application)
    _require_status(application, ApplicationStatus.SUBMITTED)
    check_version(application, version)
    now = now or utcnow()
    _require_own_words(
        application,
        decision,
        what_authorised,
        reasons,
        statements,
        directly_involved,
        directly_involved_reason,
    )
    if decision == Decision.APPROVED:
        problem = decision_rules.offences_genuine_problem(offences_genuine)
        if problem:
            raise InputProblem("offences_genuine", problem)
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
        statements,
    )
    if decision == Decision.APPROVED:
        record.offences_genuine = True
    application.status = {
        Decision.APPROVED: ApplicationStatus.AWAITING_COURT,
        Decision.REFUSED: ApplicationStatus.REFUSED,
        Decision.RETURNED: ApplicationStatus.RETURNED,
    }[decision]
    if decision == Decision.APPROVED:
        application.grant_approved_at = now
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
    notices.decided(session, application, decision, now)
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
    """The court's decision is in the past, and not before the authorising officer's, to the
    minute (law.court.court_before_authoriser); each problem goes by the field it is about."""
    if decided_at > now:
        field = (
            "decision_date"
            if clock.local_date(decided_at) > clock.local_date(now)
            else ("decision_time")
        )
        raise InputProblem(
            field, "The date and time of the magistrate's decision cannot be in the future."
        )
    if clock.local_date(decided_at) < clock.local_date(since):
        raise InputProblem(
            "decision_date",
            "The magistrate cannot have decided before the authorising officer did, on "
            f"{periods.long_date(clock.local_date(since))} ({court_rules.CITATION_AFTER_AUTHORISER}).",
        )
    if court_rules.court_before_authoriser(decided_at, since):
        raise InputProblem(
            "decision_time",
            "The magistrate cannot have decided before the authorising officer did: they "
            f"approved it at {clock.local_time_of_day(since)} that day. Enter "
            f"{clock.local_time_of_day(since)} or later ({court_rules.CITATION_AFTER_AUTHORISER}).",
        )
    if hearing_date > clock.local_date(decided_at):
        raise InputProblem(
            "hearing_date",
            "The hearing date cannot be after the date of the magistrate's decision.",
        )


def _refuse_quashing_at_the_hearing(outcome: CourtOutcome) -> None:
    if outcome == CourtOutcome.QUASHED:
        raise InputProblem(
            "outcome",
            "Record the magistrate's refusal first. The court may quash only at a later step, "
            "once the council has had at least two business days from the refusal to make "
            f"representations ({court_rules.CITATION_QUASH}).",
        )


def _add_hearing(
    session: Session,
    actor: User,
    application: Application,
    renewal: Renewal | None,
    *,
    court: str,
    hearing_date: date,
    magistrate: str,
    outcome: CourtOutcome,
    decided_at: datetime,
    notes: str,
    now: datetime,
) -> CourtHearing:
    """The attendance at court, on the grant or on a renewal: an entry of the central record
    (Code para 8.1, item 11), written once."""
    hearing = CourtHearing(
        application_id=application.id,
        renewal_id=renewal.id if renewal is not None else None,
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
    return hearing


def record_court_decision(
    session: Session,
    actor: User,
    application: Application,
    *,
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
    _refuse_quashing_at_the_hearing(outcome)
    _check_hearing(hearing_date, decided_at, application.latest_approval.decided_at, now)
    hearing = _add_hearing(
        session,
        actor,
        application,
        None,
        court=court,
        hearing_date=hearing_date,
        magistrate=magistrate,
        outcome=outcome,
        decided_at=decided_at,
        notes=notes,
        now=now,
    )
    if outcome == CourtOutcome.APPROVED:
        application.takes_effect = clock.local_date(decided_at)
        application.last_day = periods.authorisation_expiry(application.takes_effect)
        application.status = ApplicationStatus.ACTIVE
        keep_next_review(application)
    else:
        application.status = ApplicationStatus.COURT_REFUSED
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
    notices.court_decided(session, application, outcome, now)
    commit(session)
    return hearing


def record_review(
    session: Session,
    actor: User,
    application: Application,
    *,
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
    keep_next_review(application)
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


def keep_next_review(application: Application) -> None:
    """Store when the next review falls due, after anything that moves it: the authorisation
    taking effect, a review held, a renewal approved (its last day and interval)."""
    application.next_review_on = next_review(application)


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
    *,
    reasons: str,
    obtained_so_far: str,
    version: int | None,
    today: date,
    now: datetime | None = None,
) -> Renewal:
    """Ask for a renewal, which may be granted only before the authorisation ceases
    (RIPA s.43(4)); after its last day a fresh application is needed. Its period is set as if
    the magistrate approves by the last day (periods.renewal_period), and again when they do."""
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
    notices.submitted(session, application, renewal.requested_at, renewal=True)
    commit(session)
    return renewal


def decide_renewal(
    session: Session,
    actor: User,
    application: Application,
    *,
    renewal: Renewal,
    decision: Decision,
    what_authorised: str,
    reasons: str,
    review_interval_days: int | None,
    directly_involved: bool,
    directly_involved_reason: str,
    version: int | None,
    now: datetime | None = None,
    statements: Statements = NO_STATEMENTS,
) -> AuthorisingDecision:
    """An authorising officer's decision on a renewal, before the authorisation ceases
    (RIPA s.43(4)), with their own statements as for a grant (s.43(5) applies s.28 to it);
    an approved renewal still needs a JP (s.32B)."""
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
    _require_own_words(
        application,
        decision,
        what_authorised,
        reasons,
        statements,
        directly_involved,
        directly_involved_reason,
    )
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
        statements,
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
    notices.decided(session, application, decision, now, renewal=True)
    commit(session)
    return record


def record_renewal_court_decision(
    session: Session,
    actor: User,
    application: Application,
    *,
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
    """The JP's decision on a renewal (RIPA s.32A through s.43(5)). The renewal takes effect on
    the later of the old last day and the day of approval (s.43(9)(b), (c)) and runs three months
    from then (periods.renewal_period). An approval after the old last day is refused as the
    council's local policy (periods.RENEWAL_COURT_POLICY), not as s.43(4)."""
    _require_court_recorder(actor, application)
    check_version(renewal, version)
    if renewal.status != RenewalStatus.AWAITING_COURT:
        raise Refused(f"This renewal is {renewal.status.title.lower()}, not awaiting the court.")
    now = now or utcnow()
    approval = next(d for d in reversed(application.decisions) if d.renewal_id == renewal.id)
    _refuse_quashing_at_the_hearing(outcome)
    _check_hearing(hearing_date, decided_at, approval.decided_at, now)
    approved_on = clock.local_date(decided_at)
    if outcome == CourtOutcome.APPROVED and not periods.court_approval_within_policy(
        application.last_day, approved_on
    ):
        raise InputProblem(
            "decision_date",
            f"The authorisation ceased at the end of {periods.long_date(application.last_day)}. "
            "In law a later approval would renew it only from the day of approval, leaving the "
            "days between uncovered (RIPA s.43(9)(c)); the council's local policy is not to "
            "record a renewal approved after the last day. Make a fresh application instead. "
            f"({periods.RENEWAL_COURT_POLICY})",
        )
    hearing = _add_hearing(
        session,
        actor,
        application,
        renewal,
        court=court,
        hearing_date=hearing_date,
        magistrate=magistrate,
        outcome=outcome,
        decided_at=decided_at,
        notes=notes,
        now=now,
    )
    renewal.status = {
        CourtOutcome.APPROVED: RenewalStatus.APPROVED,
        CourtOutcome.REFUSED: RenewalStatus.COURT_REFUSED,
    }[outcome]
    if outcome == CourtOutcome.APPROVED:
        renewal.starts_on, renewal.ends_on = periods.renewal_period(
            application.last_day, approved_on
        )
        application.last_day = renewal.ends_on
        application.review_interval_days = approval.review_interval_days
        keep_next_review(application)
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
        starts_on=renewal.starts_on,
        last_day=application.last_day,
    )
    notices.court_decided(session, application, outcome, now, renewal=True)
    commit(session)
    return hearing


def record_quashing(
    session: Session,
    actor: User,
    application: Application,
    *,
    renewal: Renewal | None,
    court_name: str,
    magistrate: str,
    decided_at: datetime,
    notes: str,
    version: int | None,
    now: datetime | None = None,
    extra_holidays: frozenset[date] = frozenset(),
) -> CourtHearing:
    """The court's order quashing an authorisation (or renewal) it refused to approve (RIPA
    s.32B(3)): a step of its own, allowed only once the council has had two business days from
    the refusal to make representations (CrimPR 2020 r.47.52(2); law.court.earliest_quash_day)."""
    _require_court_recorder(actor, application)
    record = renewal or application
    check_version(record, version)
    refused_state = RenewalStatus.COURT_REFUSED if renewal else ApplicationStatus.COURT_REFUSED
    if record.status != refused_state:
        raise Refused(
            "Only an authorisation or renewal the magistrate refused to approve can be quashed "
            f"({court_rules.CITATION_QUASH})."
        )
    now = now or utcnow()
    renewal_id = renewal.id if renewal else None
    refusal = next(
        h
        for h in reversed(application.hearings)
        if h.renewal_id == renewal_id and h.outcome == CourtOutcome.REFUSED
    )
    if decided_at > now:
        raise InputProblem(
            "decision_date", "The date of the quashing order cannot be in the future."
        )
    refused_on = clock.local_date(refusal.decided_at)
    earliest = court_rules.earliest_quash_day(refused_on, extra_holidays)
    if clock.local_date(decided_at) < earliest:
        raise InputProblem(
            "decision_date",
            f"The court refused on {periods.long_date(refused_on)}. It may quash only once the "
            "council has had at least two business days from the refusal to make "
            f"representations: from {periods.long_date(earliest)} ({court_rules.CITATION_QUASH}).",
        )
    hearing = _add_hearing(
        session,
        actor,
        application,
        renewal,
        court=court_name,
        hearing_date=clock.local_date(decided_at),
        magistrate=magistrate,
        outcome=CourtOutcome.QUASHED,
        decided_at=decided_at,
        notes=notes,
        now=now,
    )
    if renewal is None:
        application.status = ApplicationStatus.QUASHED
    else:
        renewal.status = RenewalStatus.QUASHED
    application.updated_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "court.quashed" if renewal is None else "renewal.court_quashed",
        "application",
        application.id,
        urn=application.urn,
        renewal_id=renewal_id,
        hearing_id=hearing.id,
        refused_on=refused_on,
    )
    commit(session)
    return hearing


def cancel_authorisation(
    session: Session,
    actor: User,
    application: Application,
    *,
    reason: str,
    obtained: str,
    handling: str,
    stop_instructed_at: datetime,
    version: int | None,
    today: date,
    acting_for_unavailable: bool = False,
    acting_reason: str = "",
    same_or_senior_rank: bool = False,
) -> Cancellation:
    """Cancel an authorisation no longer necessary or proportionate (RIPA s.45(1)); a lapsed one
    still needs cancelling, and the record says it lapsed first. The officer who granted or last
    renewed it cancels it; another authorising officer may, acting for them when they are no
    longer available (s.45(4); SI 2000/2794 reg. 2; law.cancellation)."""
    _require_decider(actor, application)
    _require_status(application, ApplicationStatus.ACTIVE, ApplicationStatus.AWAITING_COURT)
    check_version(application, version)
    if clock.local_date(stop_instructed_at) > today:
        raise InputProblem(
            "stop_date", "The time surveillance was told to stop cannot be in the future."
        )
    grantor = application.grantor_decision
    is_grantor = grantor is None or grantor.decided_by_id == actor.id
    problem = cancellation_rules.acting_cancellation_problem(
        is_grantor,
        grantor.decided_by_name if grantor else "",
        acting_for_unavailable,
        acting_reason,
        same_or_senior_rank,
    )
    if problem is not None:
        raise InputProblem(problem.field, problem.message)
    acting = not is_grantor
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
        acting_for_name=grantor.decided_by_name if acting else None,
        acting_reason=" ".join(acting_reason.split()) if acting else None,
        acting_same_or_senior_rank=acting,
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
        acting_for=cancellation.acting_for_name,
    )
    commit(session)
    return cancellation
