"""What is due: the reviews, last days, decisions and hearings a person has to act on.

Who sees what (a user may hold several roles, and sees the union):

- An investigating officer sees every list, for their own applications only: they present
  their case at court, ask for renewals, and must know when theirs has lapsed.
- An authorising officer sees every application's items awaiting decision, reviews, last days
  and lapses: they decide, review, renew and cancel. Not those awaiting the magistrate: the
  coordinator or the applicant takes those to court.
- The senior responsible officer sees everything, everywhere: compliance is theirs, and a
  lapsed authorisation is a compliance failure they must see (DOMAIN.md §4, "Cancellation").
- The RIPA coordinator sees every application's items awaiting the magistrate, reviews, last
  days and lapses, to chase them for the central record. Not those awaiting decision: that is
  the authorising officers' queue.
- An inspector sees nothing here: they read the record, they do not act on it.

`today` is always a parameter, never the clock. Each list costs a fixed number of queries,
whatever the number of applications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Load, Session, joinedload, lazyload, selectinload

from . import clock, lifecycle, periods
from .models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Decision,
    Renewal,
    RenewalStatus,
    Role,
    User,
)

#: Reviews are shown from this many days before they fall due.
REVIEW_NOTICE_DAYS = 7
#: Authorisations are shown as ending soon from this many days before their last day.
ENDING_NOTICE_DAYS = 14

#: The lists, in the order they are shown: a lapse first, since it is already a failure.
LAPSED = "lapsed"
REVIEWS_DUE = "reviews_due"
ENDING_SOON = "ending_soon"
AWAITING_DECISION = "awaiting_decision"
AWAITING_COURT = "awaiting_court"
KINDS = (LAPSED, REVIEWS_DUE, ENDING_SOON, AWAITING_DECISION, AWAITING_COURT)

# Lapses, reviews and last days share one group of roles, so one query serves all three.
_RUNNING = (Role.AUTHORISING_OFFICER, Role.SRO, Role.COORDINATOR)
#: Roles that see every application's items in a list; an officer sees only their own.
_SEES_ALL = {
    LAPSED: _RUNNING,
    REVIEWS_DUE: _RUNNING,
    ENDING_SOON: _RUNNING,
    AWAITING_DECISION: (Role.AUTHORISING_OFFICER, Role.SRO),
    AWAITING_COURT: (Role.SRO, Role.COORDINATOR),
}

_ALL = "all"
_OWN = "own"


@dataclass(frozen=True)
class DueItem:
    """One thing to act on, with what a person needs to find it and nothing more."""

    application_id: int
    urn: str
    title: str
    officer_name: str
    #: The date that matters: submitted or approved for a decision or hearing, the review's due
    #: date, or the last day.
    day: date
    #: Days from today to `day`: 0 on the day, negative once it has passed.
    days_left: int
    #: A review whose due date has passed.
    overdue: bool = False
    #: For a renewal, its number; None for the first grant.
    renewal_number: int | None = None
    #: For a renewal, the last day of the period it renews: it must be granted and approved by a
    #: JP by then (RIPA s.43(4)). For an authorisation ending soon, whether a renewal is under way.
    deadline: date | None = None
    renewal_under_way: bool = False

    @property
    def url_args(self) -> dict[str, int]:
        """Arguments for url_for('applications.show', ...)."""
        return {"application_id": self.application_id}


@dataclass
class Due:
    """What is due for one person on one day, list by list; `shown` names the lists that apply."""

    today: date
    lapsed: list[DueItem] = field(default_factory=list)
    reviews_due: list[DueItem] = field(default_factory=list)
    ending_soon: list[DueItem] = field(default_factory=list)
    awaiting_decision: list[DueItem] = field(default_factory=list)
    awaiting_court: list[DueItem] = field(default_factory=list)
    shown: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, kind) for kind in KINDS)

    def lists(self) -> list[tuple[str, list[DueItem]]]:
        """(kind, items) for each list that applies to this person, in the order shown."""
        return [(kind, getattr(self, kind)) for kind in KINDS if kind in self.shown]


def scope(user: User, kind: str) -> str | None:
    """Whether `user` sees all applications' items of `kind`, only their own, or none."""
    if not user.active:
        return None
    if user.has_role(*_SEES_ALL[kind]):
        return _ALL
    if user.has_role(Role.OFFICER):
        return _OWN
    return None


def what_is_due(session: Session, user: User, today: date) -> Due:
    """Everything `user` has to act on as of `today`, scoped by their roles (module docstring)."""
    scopes = {kind: scope(user, kind) for kind in KINDS}
    due = Due(today=today, shown=tuple(kind for kind in KINDS if scopes[kind]))
    if scopes[AWAITING_DECISION]:
        due.awaiting_decision = _awaiting_decision(session, user, scopes[AWAITING_DECISION], today)
    if scopes[AWAITING_COURT]:
        due.awaiting_court = _awaiting_court(session, user, scopes[AWAITING_COURT], today)
    if scopes[LAPSED]:
        active = _active(session, user, scopes[LAPSED])
        due.lapsed = _lapsed(active, today)
        due.reviews_due = _reviews_due(active, today)
        due.ending_soon = _ending_soon(active, today)
    return due


# Only the officer is read, so nothing else is loaded: not the subjects (names, profiles).
# Lazy rather than raising loads, so code that later reads the same objects still works.
_OFFICER_ONLY = (joinedload(Application.officer).lazyload(User.roles), lazyload("*"))


def _applications(user: User, scope_: str, status: ApplicationStatus) -> Select:
    query = select(Application).where(Application.status == status).options(*_OFFICER_ONLY)
    if scope_ == _OWN:
        query = query.where(Application.officer_id == user.id)
    return query


def _renewals(user: User, scope_: str, status: RenewalStatus, *columns) -> Select:
    """(renewal, application, *columns) for renewals in `status` of active authorisations."""
    # Renewal has no relationship to its application, so join and take both.
    query = (
        select(Renewal, Application, *columns)
        .join(Application, Application.id == Renewal.application_id)
        .where(Renewal.status == status, Application.status == ApplicationStatus.ACTIVE)
        .options(
            Load(Application).joinedload(Application.officer).lazyload(User.roles),
            Load(Application).lazyload("*"),
            Load(Renewal).lazyload("*"),
        )
    )
    if scope_ == _OWN:
        query = query.where(Application.officer_id == user.id)
    return query


def _item(application: Application, day: date, today: date, **extra) -> DueItem:
    return DueItem(
        application_id=application.id,
        urn=application.urn or "",
        title=application.investigation_title,
        officer_name=application.officer.name,
        day=day,
        days_left=periods.days_until(day, today),
        **extra,
    )


def _awaiting_decision(session: Session, user: User, scope_: str, today: date) -> list[DueItem]:
    """Submitted applications and requested renewals, longest waiting first."""
    items = [
        _item(a, clock.local_date(a.submitted_at), today)
        for a in session.scalars(_applications(user, scope_, ApplicationStatus.SUBMITTED))
    ]
    items += [
        _item(
            a,
            clock.local_date(r.requested_at),
            today,
            renewal_number=r.number,
            deadline=a.last_day,
        )
        for r, a in session.execute(_renewals(user, scope_, RenewalStatus.REQUESTED))
    ]
    return sorted(items, key=lambda i: (i.day, i.urn))


def _awaiting_court(session: Session, user: User, scope_: str, today: date) -> list[DueItem]:
    """Grants and renewals approved by an authorising officer that still need a JP (s.32A)."""
    query = _applications(user, scope_, ApplicationStatus.AWAITING_COURT).options(
        selectinload(Application.decisions)
    )
    items = [
        _item(a, clock.local_date(a.latest_approval.decided_at), today)
        for a in session.scalars(query)
    ]
    approved_at = AuthorisingDecision.decided_at
    renewals = _renewals(user, scope_, RenewalStatus.AWAITING_COURT, approved_at).join(
        AuthorisingDecision,
        (AuthorisingDecision.renewal_id == Renewal.id)
        & (AuthorisingDecision.decision == Decision.APPROVED),
    )
    items += [
        _item(a, clock.local_date(at), today, renewal_number=r.number, deadline=a.last_day)
        for r, a, at in session.execute(renewals)
    ]
    return sorted(items, key=lambda i: (i.day, i.urn))


def _active(session: Session, user: User, scope_: str) -> list[Application]:
    query = _applications(user, scope_, ApplicationStatus.ACTIVE).options(
        selectinload(Application.reviews), selectinload(Application.renewals)
    )
    return list(session.scalars(query))


def _lapsed(active: list[Application], today: date) -> list[DueItem]:
    """Past the last day and not cancelled: a compliance failure that still needs a cancellation
    (RIPA s.45; DOMAIN.md §4)."""
    items = [_item(a, a.last_day, today) for a in active if a.is_lapsed(today)]
    return sorted(items, key=lambda i: (i.day, i.urn))


def _reviews_due(active: list[Application], today: date) -> list[DueItem]:
    """Reviews falling due within REVIEW_NOTICE_DAYS, or already overdue (lifecycle.next_review)."""
    horizon = today + timedelta(days=REVIEW_NOTICE_DAYS)
    items = []
    for application in active:
        if application.is_lapsed(today):
            continue
        due_on = lifecycle.next_review(application)
        if due_on is not None and due_on <= horizon:
            items.append(_item(application, due_on, today, overdue=due_on < today))
    return sorted(items, key=lambda i: (i.day, i.urn))


def _ending_soon(active: list[Application], today: date) -> list[DueItem]:
    """Last day from today to ENDING_NOTICE_DAYS on, inclusive: renew or cancel (s.43(4))."""
    items = [
        _item(a, a.last_day, today, renewal_under_way=a.pending_renewal is not None)
        for a in active
        if not a.is_lapsed(today)
        and 0 <= periods.days_until(a.last_day, today) <= ENDING_NOTICE_DAYS
    ]
    return sorted(items, key=lambda i: (i.day, i.urn))
