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
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    false,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, lazyload, load_only, selectinload

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Decision,
    Renewal,
    RenewalStatus,
    Triage,
)
from ripa_guard.applications.status_query import shown_status_condition
from ripa_guard.core import clock
from ripa_guard.law import periods
from ripa_guard.law.status import Shown
from ripa_guard.law.triage import Outcome
from ripa_guard.viewing import capture_register, held
from ripa_guard.viewing.models import HeldLook

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
    #: For a renewal, the last day of the period it renews: the authorising officer must renew by
    #: then (RIPA s.43(4)), and the council's local policy asks for the JP's approval by then too
    #: (periods.RENEWAL_COURT_POLICY). For an authorisation ending soon, whether a renewal is under way.
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
    #: How many items each list has in all, when it was cut short to a limit.
    totals: dict[str, int] = field(default_factory=dict)
    #: For the RIPA coordinator: looks held until they say whether it is the same matter
    #: (viewing_rules rule 7), oldest first.
    held_looks: list[HeldLook] = field(default_factory=list)
    #: How many plans have stopped at the crime threshold, when asked for (what_is_due).
    threshold_stops: int = 0
    #: For the SRO: captures whose review or destruction is due (capture_register.due), or
    #: None for anyone else.
    captures: capture_register.Due | None = None

    @property
    def is_empty(self) -> bool:
        return (
            not self.held_looks
            and not (self.captures and self.captures.count)
            and not any(getattr(self, kind) for kind in KINDS)
        )

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


def what_is_due(
    session: Session,
    user: User,
    today: date,
    limit: int | None = None,
    count_threshold_stops: bool = False,
) -> Due:
    """Everything `user` has to act on as of `today`, scoped by their roles (module docstring).

    With `limit`, each list holds at most that many items, the most pressing first, and
    `Due.totals` still counts them all: a page must not grow with the size of the register.
    With `count_threshold_stops`, `Due.threshold_stops` counts the plans stopped at the crime
    threshold, asked with the totals: a query of its own cost a round trip (issue 19).
    """
    scopes = {kind: scope(user, kind) for kind in KINDS}
    due = Due(today=today, shown=tuple(kind for kind in KINDS if scopes[kind]))
    params = {
        "today": today,
        "review_horizon": today + timedelta(days=REVIEW_NOTICE_DAYS),
        "ending_horizon": today + timedelta(days=ENDING_NOTICE_DAYS),
        "officer_id": user.id,
        "limit": limit,
    }
    found = {}
    if scopes[LAPSED]:
        # Reviews and last days with it: one scope (_RUNNING), one query.
        statement = _statements(scopes[LAPSED] == _OWN, limit is not None)[LAPSED]
        found.update(_read_running(session, statement, params, today, limit))
    for kind in (AWAITING_DECISION, AWAITING_COURT):
        if scopes[kind]:
            statement = _statements(scopes[kind] == _OWN, limit is not None)[kind]
            found[kind] = _read_grants_and_renewals(session, statement, params, today, limit)
    counting = {}
    for kind, (items, total) in found.items():
        setattr(due, kind, items)
        if isinstance(total, int):
            due.totals[kind] = total
        else:
            counting[kind] = total
    if count_threshold_stops:
        counting[_THRESHOLD_STOPS] = _threshold_stops()
    if counting:
        totals = session.execute(select(*counting.values()), params).one()
        due.totals.update(zip(counting, totals, strict=True))
        due.threshold_stops = due.totals.pop(_THRESHOLD_STOPS, 0)
    if user.active and user.has_role(Role.COORDINATOR):
        due.held_looks = held.pending(session, limit)
        due.totals["held_looks"] = (
            held.pending_count(session)
            if limit is not None and len(due.held_looks) >= limit
            else len(due.held_looks)
        )
    if user.active and user.has_role(Role.SRO):
        # Material kept past its review or destroy-by date (Code of Practice 2018 ch. 9).
        due.captures = capture_register.due(session, today, limit=limit or 100)
    return due


# A DueItem reads these and nothing else, so each list is read as rows of them, with the
# officer's name joined: no Application objects, with their loaders, for a line each (issue 19).
# The name is joined to the lines kept (_named), not to every line sorted before the cut.
_ITEM = (
    Application.id,
    Application.urn,
    Application.investigation_title,
    Application.officer_id,
)

# What each request gives the statements, which are built once for each scope (_statements):
# building them costs more than running them.
_TODAY = bindparam("today", type_=Date)
_REVIEW_HORIZON = bindparam("review_horizon", type_=Date)
_ENDING_HORIZON = bindparam("ending_horizon", type_=Date)
_OFFICER = bindparam("officer_id", type_=Integer)
_LIMIT = bindparam("limit", type_=Integer)


def _applications(own: bool, *columns) -> Select:
    """Rows of what a DueItem needs, and `columns`, for the applications a person sees: their
    own (`own`), or all."""
    query = select(*_ITEM, *columns)
    return query.where(Application.officer_id == _OFFICER) if own else query


def _named(lines) -> Select:
    """`lines` (a subquery of _applications' rows) with each officer's name, looked up for each
    line kept: joined, PostgreSQL read every user to hash them (0.1-0.2 ms a list with 1,000
    users). officer_id is NOT NULL and a foreign key, so every line has a name, and _counting
    counts the same lines."""
    name = select(User.name).where(User.id == lines.c.officer_id).scalar_subquery()
    return select(lines, name.label("officer_name"))


def _counting(own: bool, *columns) -> Select:
    """The count of the rows _applications would give, from the applications alone: without the
    line's columns (`columns` are dropped) the database can count from an index instead of
    reading each row (issue 19)."""
    query = select(func.count()).select_from(Application)
    return query.where(Application.officer_id == _OFFICER) if own else query


@dataclass(frozen=True)
class _Statement:
    """One statement that reads one or more lists, each cut to the limit, and for each part a
    statement that counts all its rows."""

    rows: Select
    counts: dict[str, Select]


@cache
def _statements(own: bool, limited: bool) -> dict[str, _Statement]:
    """The statements for the lists of what is due, for one scope, with or without a limit."""

    def cut(query: Select) -> Select:
        return query.limit(_LIMIT) if limited else query

    def count(query: Select) -> Select:
        return query.order_by(None).scalar_subquery()

    running = {LAPSED: _lapsed, REVIEWS_DUE: _reviews_due, ENDING_SOON: _ending_soon}
    all_running = union_all(
        *(select(cut(rows(own)).subquery()) for rows in running.values())
    ).subquery()
    statements = {
        LAPSED: _Statement(
            _named(all_running).order_by(all_running.c.kind, all_running.c.day, all_running.c.urn),
            {kind: count(rows(own, _counting)) for kind, rows in running.items()},
        )
    }
    for kind, both, dated in (
        (AWAITING_DECISION, _awaiting_decision, select),
        (AWAITING_COURT, _awaiting_court, _dated_by_latest_approval),
    ):
        grants, renewals = both(own)
        counted_grants, counted_renewals = both(own, _counting)
        statements[kind] = _Statement(
            _named(
                union_all(
                    select(cut(renewals).subquery()), dated(cut(grants).subquery())
                ).subquery()
            ),
            {"grants": count(counted_grants), "renewals": count(counted_renewals)},
        )
    return statements


def _total(statement: _Statement, part: str, found: int, limit: int | None):
    """How many rows `part` has, `found` of them read: that number when they were not cut
    short, otherwise an SQL expression that counts them, so that what_is_due asks for every
    list's total in one query."""
    if limit is None or found < limit:
        return found
    return statement.counts[part]


def _item(row, day: date, today: date, **extra) -> DueItem:
    return DueItem(
        application_id=row.id,
        urn=row.urn or "",
        title=row.investigation_title,
        officer_name=row.officer_name,
        day=day,
        days_left=periods.days_until(day, today),
        **extra,
    )


def _read_running(session, statement: _Statement, params, today: date, limit: int | None):
    """Lapsed, reviews due and ending soon, {kind: (items, total)}: the three lists of running
    authorisations share one group of roles (_RUNNING), so one query reads them all."""
    found = {kind: [] for kind in statement.counts}
    for row in session.execute(statement.rows, params):
        found[row.kind].append(
            _item(
                row,
                row.day,
                today,
                overdue=row.kind == REVIEWS_DUE and row.day < today,
                renewal_under_way=bool(row.renewal_under_way),
            )
        )
    return {
        kind: (items, _total(statement, kind, len(items), limit)) for kind, items in found.items()
    }


def _read_grants_and_renewals(
    session, statement: _Statement, params, today: date, limit: int | None
):
    """Grants and renewals, the first `limit` of each in its own order, merged by day, and how
    many there are of both."""
    rows = session.execute(statement.rows, params).all()
    items = [
        _item(
            row,
            clock.local_date(row.at),
            today,
            renewal_number=row.number,
            deadline=row.deadline,
        )
        for row in rows
    ]
    renewals = sum(1 for row in rows if row.number is not None)
    total = _total(statement, "grants", len(rows) - renewals, limit) + _total(
        statement, "renewals", renewals, limit
    )
    return sorted(items, key=lambda i: (i.day, i.urn))[:limit], total


def _renewals(own: bool, status: RenewalStatus, at, shape=_applications) -> Select:
    """Rows for renewals in `status` of active authorisations: dated `at`, with the renewal's
    number and the last day it renews (the deadline). `shape` is _applications, or _counting
    for their count."""
    return (
        shape(
            own,
            at.label("at"),
            Renewal.number.label("number"),
            Application.last_day.label("deadline"),
        )
        .join(Renewal, Renewal.application_id == Application.id)
        .where(Renewal.status == status, Application.status == ApplicationStatus.ACTIVE)
    )


def _grants(own: bool, status: ApplicationStatus, at, shape=_applications) -> Select:
    """Rows for applications in `status`, dated `at`, in the shape of _renewals' rows."""
    return shape(
        own,
        at.label("at"),
        cast(null(), Integer).label("number"),
        cast(null(), Date).label("deadline"),
    ).where(Application.status == status)


def _awaiting_decision(own: bool, shape=_applications) -> tuple[Select, Select]:
    """Submitted applications and requested renewals, longest waiting first."""
    grants = _grants(own, ApplicationStatus.SUBMITTED, Application.submitted_at, shape).order_by(
        Application.submitted_at, Application.urn
    )
    renewals = _renewals(own, RenewalStatus.REQUESTED, Renewal.requested_at, shape).order_by(
        Renewal.requested_at, Renewal.id
    )
    return grants, renewals


def _grant_approvals(column, application_id) -> Select:
    """`column` of the authorising officer's approvals of an application's grant (not of a
    renewal)."""
    return select(column).where(
        AuthorisingDecision.application_id == application_id,
        AuthorisingDecision.renewal_id.is_(None),
        AuthorisingDecision.decision == Decision.APPROVED,
    )


def _awaiting_court(own: bool, shape=_applications) -> tuple[Select, Select]:
    """Grants and renewals approved by an authorising officer that still need a JP (s.32A)."""
    # Ordered by the last approval in time, which the lifecycle stores (migration 0029), so
    # the first `limit` are read from (status, grant_approved_at); dated by the latest one
    # recorded (_dated_by_latest_approval).
    grants = _grants(own, ApplicationStatus.AWAITING_COURT, null(), shape).order_by(
        Application.grant_approved_at, Application.urn
    )
    decided = AuthorisingDecision.decided_at
    renewals = (
        _renewals(own, RenewalStatus.AWAITING_COURT, decided, shape)
        .join(
            AuthorisingDecision,
            (AuthorisingDecision.renewal_id == Renewal.id)
            & (AuthorisingDecision.decision == Decision.APPROVED),
        )
        .order_by(decided, Renewal.id)
    )
    return grants, renewals


def _dated_by_latest_approval(grants) -> Select:
    """`grants` (a subquery of _awaiting_court's) dated by the latest approval recorded
    (Application.latest_approval): worked out for the lines kept, where SQLite worked it out for
    every grant it sorted, 1,000 at 100,000 applications (issue 19)."""
    latest = (
        _grant_approvals(AuthorisingDecision.decided_at, grants.c.id)
        .order_by(AuthorisingDecision.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(*(latest.label("at") if column.name == "at" else column for column in grants.c))


def _running_list(own: bool, kind: str, day, renewal_under_way=None, shape=_applications):
    """Rows of `kind` dated `day`, the soonest first, in the shape _read_running reads."""
    return shape(
        own,
        literal(kind, String).label("kind"),
        day.label("day"),
        (false() if renewal_under_way is None else renewal_under_way).label("renewal_under_way"),
    ).order_by(day, Application.urn)


def _lapsed(own: bool, shape=_applications) -> Select:
    """Past the last day and not cancelled: a compliance failure that still needs a cancellation
    (RIPA s.45; DOMAIN.md §4). The shown status "lapsed" (law.status), as a query."""
    return _running_list(own, LAPSED, Application.last_day, shape=shape).where(
        shown_status_condition(Shown.LAPSED, _TODAY)
    )


def _ending_soon(own: bool, shape=_applications) -> Select:
    """Last day from today to ENDING_NOTICE_DAYS on, inclusive: renew or cancel (s.43(4))."""
    # Application.pending_renewal, as a query.
    renewal_under_way = (
        select(Renewal.id)
        .where(
            Renewal.application_id == Application.id,
            Renewal.status.in_((RenewalStatus.REQUESTED, RenewalStatus.AWAITING_COURT)),
        )
        .exists()
    )
    return _running_list(own, ENDING_SOON, Application.last_day, renewal_under_way, shape).where(
        Application.status == ApplicationStatus.ACTIVE,
        Application.last_day.between(_TODAY, _ENDING_HORIZON),
    )


def _reviews_due(own: bool, shape=_applications) -> Select:
    """Reviews falling due within REVIEW_NOTICE_DAYS, or already overdue (lifecycle.next_review).

    The lifecycle stores each authorisation's next review date as it moves, so the due ones
    are found by index and only the first `limit` are read.
    """
    return _running_list(own, REVIEWS_DUE, Application.next_review_on, shape=shape).where(
        Application.status == ApplicationStatus.ACTIVE,
        Application.last_day >= _TODAY,
        Application.next_review_on <= _REVIEW_HORIZON,
    )


# An officer's own list shows a line each, its status from the one rule (renewals pending,
# destroyed): not the answers, subjects, decisions and hearings of each (issue 19).
_OWN_LINE = (
    load_only(
        Application.urn,
        Application.officer_id,
        Application.status,
        Application.investigation_title,
        Application.last_day,
        Application.updated_at,
    ),
    selectinload(Application.renewals),
    selectinload(Application.destruction),
    lazyload("*"),
)


def own_applications(session: Session, officer: User, limit: int = 20) -> list[Application]:
    """An officer's own applications, the most recently changed first, for their home page."""
    return session.scalars(
        select(Application)
        .where(Application.officer_id == officer.id)
        .order_by(Application.updated_at.desc())
        .limit(limit)
        .options(*_OWN_LINE)
    ).all()


_THRESHOLD_STOPS = "threshold_stops"


@cache
def _threshold_stops():
    """How many plans have stopped at the crime threshold, for the home pages of the SRO and the
    RIPA coordinator, as an expression for what_is_due's query of totals."""
    return (
        select(func.count()).where(Triage.outcome == Outcome.CANNOT_BE_AUTHORISED).scalar_subquery()
    )
