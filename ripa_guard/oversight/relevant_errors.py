"""Relevant errors: what the SRO reports to IPCO, and the errors ripa_guard proposes itself.

The SRO is responsible for reporting errors to the Investigatory Powers Commissioner (DOMAIN.md §2;
Code of Practice 2018 (paragraph not confirmed)), as soon as reasonably practicable and no later
than ten working days after it is established that a relevant error occurred (IPCO Annual Report
2018, §17.4; IPA 2016 s.231 is the Commissioner's duty to inform the person affected, not the
ten-day rule, and s.231(9) defines "relevant error"). ripa_guard proposes an
error whenever its own records show one; a proposal is made once, and only the SRO confirms it
(with what happened, the cause, what was done and when IPCO was told) or dismisses it with a
reason. Nothing is edited: each account of an error is a new row.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, String, cast, exists, func, literal, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, load_only

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import Application, ApplicationStatus, Cancellation
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused, commit
from ripa_guard.core.clock import local_date
from ripa_guard.law import periods
from ripa_guard.law.profile_identity import label_of_identity
from ripa_guard.oversight.models import (
    ErrorAccount,
    ErrorKind,
    ErrorStatus,
    RelevantError,
    error_status,
)
from ripa_guard.oversight.reconciliation_models import ReconciliationRun, UnloggedVisit
from ripa_guard.viewing.models import Basis, Stop, Viewing, ViewingAttempt
from ripa_guard.viewing.reading import Page, page_of


def _require_sro(actor: User) -> None:
    if not actor.has_role(Role.SRO):
        raise Refused("Only the senior responsible officer can record and report errors.")


def _check_dates(today: date, **dates: date | None) -> None:
    for name, value in dates.items():
        if value is not None and value > today:
            raise Refused(f"The {name.replace('_', ' ')} cannot be in the future.")


# What ripa_guard proposes ------------------------------------------------------------------------


def _lapse_key(application_id: int) -> str:
    # The same key for a lapse seen while active and for a cancellation after the lapse: one
    # error, proposed once, whichever is seen first.
    return f"lapse:application:{application_id}"


def _not_proposed(prefix: str, record_id) -> ColumnElement[bool]:
    """No error proposed yet under the key `prefix` + the record's id: each proposal is looked
    for by its unique key, so what was proposed before is not read again (issue 19)."""
    return ~exists().where(RelevantError.proposal_key == literal(prefix) + cast(record_id, String))


def _lapses(session: Session, today: date) -> list[tuple[str, dict]]:
    found = []
    # Only the columns is_lapsed and the proposal read, not each authorisation's history.
    columns = (
        load_only(Application.id, Application.urn, Application.status, Application.last_day),
        lazyload("*"),
    )
    active = session.scalars(
        select(Application)
        .where(Application.status == ApplicationStatus.ACTIVE, Application.last_day < today)
        .where(_not_proposed(_lapse_key(""), Application.id))
        .options(*columns)
    )
    for a in active:
        if a.is_lapsed(today):
            found.append(
                (
                    _lapse_key(a.id),
                    dict(
                        kind=ErrorKind.LAPSED,
                        application_id=a.id,
                        reference=a.urn or "",
                        occurred_on=a.last_day + timedelta(days=1),
                        summary=(
                            f"{a.urn} passed its last day, {periods.long_date(a.last_day)}, and "
                            "has not been cancelled: it lapsed (RIPA s.43(3)(c), s.45). Any "
                            "surveillance after its last day had no authorisation."
                        ),
                    ),
                )
            )
    cancelled_late = session.execute(
        select(Cancellation, Application)
        .join(Application, Application.id == Cancellation.application_id)
        .where(Cancellation.after_lapse.is_(True))
        .where(_not_proposed(_lapse_key(""), Cancellation.application_id))
        .options(lazyload("*"), *columns)
    ).all()
    for c, a in cancelled_late:
        found.append(
            (
                _lapse_key(a.id),
                dict(
                    kind=ErrorKind.LAPSED,
                    application_id=a.id,
                    reference=a.urn or "",
                    occurred_on=a.last_day + timedelta(days=1) if a.last_day else None,
                    summary=(
                        f"{a.urn} was cancelled on {periods.long_date(c.cancelled_on)}, after its "
                        "last day had passed: it lapsed before it was cancelled (RIPA s.45)."
                    ),
                ),
            )
        )
    return found


_ATTEMPT_KIND = {
    "after_last_day": ErrorKind.AFTER_EXPIRY,
    "cancelled": ErrorKind.AFTER_EXPIRY,
    "not_covered": ErrorKind.OUTSIDE_TERMS,
}


_AFTER_STOP = "viewed_after_stop:attempt:"


def _viewed_after_refusal(session: Session) -> list[tuple[str, dict]]:
    """A viewing stopped by the gate, then logged as made anyway by the same officer on
    another footing (initial research, under another reference)."""
    # Asked once per stopped attempt, by the index on the log's (identity, viewed_at, id), so
    # it grows with the attempts and not with the whole log (issue 19).
    first_after = (
        select(func.min(Viewing.id))
        .where(
            Viewing.identity == ViewingAttempt.identity,
            Viewing.viewed_at > ViewingAttempt.attempted_at,
            Viewing.officer_id == ViewingAttempt.officer_id,
            Viewing.basis == Basis.INITIAL_RESEARCH,
        )
        .correlate(ViewingAttempt)
        .scalar_subquery()
    )
    later = (
        select(ViewingAttempt, first_after)
        .where(_not_proposed(_AFTER_STOP, ViewingAttempt.id))
        .order_by(ViewingAttempt.id)
    )
    found = []
    for attempt, viewing_id in session.execute(later).all():
        if viewing_id is None:
            continue
        viewing = session.get(Viewing, viewing_id)
        stopped = "refused" if attempt.outcome == Stop.REFUSED else "blocked as a repeat"
        found.append(
            (
                f"{_AFTER_STOP}{attempt.id}",
                dict(
                    kind=_ATTEMPT_KIND.get(attempt.refusal or "", ErrorKind.NO_AUTHORISATION),
                    application_id=attempt.application_id,
                    reference=attempt.urn or attempt.reference[:40],
                    occurred_on=local_date(viewing.viewed_at),
                    summary=(
                        f"A viewing of {attempt.url} by {attempt.officer_name} was {stopped} on "
                        f"{periods.long_date(local_date(attempt.attempted_at))} ({attempt.reason}) "
                        f"and then logged as made on "
                        f"{periods.long_date(local_date(viewing.viewed_at))}, as initial research "
                        f"for {viewing.reference}. It may have been surveillance without "
                        "authorisation."
                    ),
                ),
            )
        )
    return found


def _unlogged_visits(session: Session) -> list[tuple[str, dict]]:
    """Looks at a profile a proxy log shows and the viewing log does not (oversight/
    reconciliation.py): one error per officer, profile and day, not yet proposed."""
    proposed = select(RelevantError.proposal_key).where(RelevantError.proposal_key.is_not(None))
    groups = session.execute(
        select(
            UnloggedVisit.proposal_key,
            func.min(UnloggedVisit.officer_name),
            func.min(UnloggedVisit.officer_service),
            func.min(UnloggedVisit.identity),
            func.min(UnloggedVisit.visited_on),
            func.count(),
            func.max(UnloggedVisit.stopped_attempt_id),
            func.min(ReconciliationRun.file_name),
            func.min(ReconciliationRun.match_minutes),
        )
        .join(ReconciliationRun, ReconciliationRun.id == UnloggedVisit.run_id)
        .where(UnloggedVisit.proposal_key.not_in(proposed))
        .group_by(UnloggedVisit.proposal_key)
    ).all()
    found = []
    for key, name, service, identity, day, visits, stopped, file_name, minutes in groups:
        times = "once" if visits == 1 else f"{visits} times"
        gate = (
            " The gate had stopped a look at it by the same officer near that time."
            if stopped
            else ""
        )
        found.append(
            (
                key,
                dict(
                    kind=ErrorKind.NO_AUTHORISATION if stopped else ErrorKind.OTHER,
                    application_id=None,
                    reference="Proxy log",
                    occurred_on=day,
                    summary=(
                        f"The proxy log {file_name} shows {name} ({service or 'no service'}) "
                        f"looking at {label_of_identity(identity)} {times} on "
                        f"{periods.long_date(day)}, with no viewing of it logged by them within "
                        f"{minutes} minutes. Each look is to be checked and logged before it "
                        "happens: repeated viewing of a profile may be directed surveillance "
                        f"(Code of Practice 2018, paras 3.10 to 3.17).{gate}"
                    ),
                ),
            )
        )
    return found


def propose_errors(session: Session, today: date) -> list[RelevantError]:
    """Record, once each, the errors ripa_guard sees in its own records; returns the new ones.

    Called by the SRO's errors page (and may be by `ripa-guard remind`). The unique proposal
    key keeps it idempotent, even when two pages propose at the same moment.
    """
    known = set(
        session.scalars(
            select(RelevantError.proposal_key).where(RelevantError.proposal_key.is_not(None))
        )
    )
    new = []
    found = [*_lapses(session, today), *_viewed_after_refusal(session), *_unlogged_visits(session)]
    for key, facts in found:
        if key in known:
            continue
        known.add(key)
        error = RelevantError(
            proposed_by_ripa_guard=True, proposal_key=key, found_on=today, **facts
        )
        try:
            with session.begin_nested():
                session.add(error)
                session.flush()
        except IntegrityError:
            continue  # proposed by another request in the meantime
        audit.record(
            session,
            None,
            "error.proposed",
            "error",
            error.id,
            kind=error.kind.value,
            reference=error.reference,
        )
        new.append(error)
    if new:
        commit(session)
    return new


# What the SRO records ------------------------------------------------------------------------------


def record_error(
    session: Session,
    actor: User,
    *,
    kind: ErrorKind,
    reference: str,
    what_happened: str,
    occurred_on: date | None,
    found_on: date,
    cause: str,
    action_taken: str,
    reported_to_ipco_on: date | None,
    today: date,
) -> RelevantError:
    """An error the SRO found and records, with their account of it."""
    _require_sro(actor)
    _check_dates(
        today,
        date_it_happened=occurred_on,
        date_it_was_found=found_on,
        date_it_was_reported=reported_to_ipco_on,
    )
    if occurred_on and occurred_on > found_on:
        raise Refused("The error cannot have been found before it happened.")
    error = RelevantError(
        kind=kind,
        proposed_by_ripa_guard=False,
        reference=reference,
        summary=what_happened,
        occurred_on=occurred_on,
        found_on=found_on,
        created_by_id=actor.id,
    )
    session.add(error)
    session.flush()
    account = _account(
        actor, error, False, kind, what_happened, cause, action_taken, reported_to_ipco_on
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        "error.recorded",
        "error",
        error.id,
        kind=kind.value,
        reference=reference,
        reported_to_ipco_on=reported_to_ipco_on,
    )
    commit(session)
    return error


def _account(actor, error, dismissed, kind, what_happened, cause, action_taken, reported):
    return ErrorAccount(
        error_id=error.id,
        dismissed=dismissed,
        kind=kind,
        what_happened=what_happened,
        cause=cause,
        action_taken=action_taken,
        reported_to_ipco_on=reported,
        written_by_id=actor.id,
        written_by_name=actor.name,
    )


def confirm_error(
    session: Session,
    actor: User,
    *,
    error: RelevantError,
    kind: ErrorKind,
    what_happened: str,
    cause: str,
    action_taken: str,
    reported_to_ipco_on: date | None,
    today: date,
) -> ErrorAccount:
    """The SRO confirms an error, or gives a fuller account of it (such as the day IPCO was
    told); the earlier account stays in the record."""
    _require_sro(actor)
    _check_dates(today, date_it_was_reported=reported_to_ipco_on)
    if reported_to_ipco_on and reported_to_ipco_on < error.found_on:
        raise Refused("The error cannot have been reported to IPCO before it was found.")
    account = _account(
        actor, error, False, kind, what_happened, cause, action_taken, reported_to_ipco_on
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        "error.confirmed",
        "error",
        error.id,
        account_id=account.id,
        kind=kind.value,
        reported_to_ipco_on=reported_to_ipco_on,
    )
    commit(session)
    session.expire(error, ["accounts"])
    return account


def dismiss_error(session: Session, actor: User, error: RelevantError, reason: str) -> ErrorAccount:
    """The SRO finds a proposal is not a relevant error, and says why."""
    _require_sro(actor)
    if error.status == ErrorStatus.REPORTED:
        raise Refused("This error has been reported to IPCO, so it cannot be dismissed.")
    if error.status == ErrorStatus.DISMISSED:
        raise Refused("This error has already been dismissed.")
    account = _account(actor, error, True, error.kind, error.summary, reason, "", None)
    session.add(account)
    session.flush()
    audit.record(session, actor, "error.dismissed", "error", error.id, account_id=account.id)
    commit(session)
    session.expire(error, ["accounts"])
    return account


def errors(session: Session, year: int | None = None) -> list[RelevantError]:
    """Every error found in `year` (or ever), most recently found first. Not cut short: the
    members' report lists and counts the whole year's errors (it once stopped at 500 without
    saying so); a page that lists errors pages them instead (errors_page, not_dismissed)."""
    query = select(RelevantError).order_by(RelevantError.found_on.desc(), RelevantError.id.desc())
    if year:
        query = query.where(RelevantError.found_on.between(date(year, 1, 1), date(year, 12, 31)))
    return list(session.scalars(query))


def _latest_account():
    """Each error's latest account (a later one supersedes an earlier)."""
    latest = (
        select(ErrorAccount.error_id, func.max(ErrorAccount.id).label("account_id"))
        .group_by(ErrorAccount.error_id)
        .subquery()
    )
    return latest


def status_counts(session: Session) -> dict[ErrorStatus, int]:
    """How many errors in each status, counted by the database over every error (issue 19)."""
    latest = _latest_account()
    reported = ErrorAccount.reported_to_ipco_on.is_not(None)
    rows = session.execute(
        select(latest.c.account_id.is_not(None), ErrorAccount.dismissed, reported, func.count())
        .select_from(RelevantError)
        .outerjoin(latest, latest.c.error_id == RelevantError.id)
        .outerjoin(ErrorAccount, ErrorAccount.id == latest.c.account_id)
        .group_by(latest.c.account_id.is_not(None), ErrorAccount.dismissed, reported)
    )
    tally = {s: 0 for s in ErrorStatus}
    for accounted, dismissed, is_reported, n in rows:
        tally[error_status(bool(accounted), bool(dismissed), bool(is_reported))] += n
    return tally


def not_dismissed(session: Session, limit: int) -> list[RelevantError]:
    """The `limit` most recently found errors whose latest account is not a dismissal."""
    latest = _latest_account()
    return list(
        session.scalars(
            select(RelevantError)
            .outerjoin(latest, latest.c.error_id == RelevantError.id)
            .outerjoin(ErrorAccount, ErrorAccount.id == latest.c.account_id)
            .where(or_(ErrorAccount.id.is_(None), ErrorAccount.dismissed.is_(False)))
            .order_by(RelevantError.found_on.desc(), RelevantError.id.desc())
            .limit(limit)
        )
    )


def errors_page(session: Session, after: int | None) -> Page:
    """Every error, most recently found first, a page at a time."""
    return page_of(session, RelevantError, RelevantError.found_on, true(), after, True)


def counts(found: list[RelevantError]) -> dict[ErrorStatus, int]:
    tally = {s: 0 for s in ErrorStatus}
    for error in found:
        tally[error.status] += 1
    return tally
