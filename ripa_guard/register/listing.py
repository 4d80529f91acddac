"""A page of the central record as the register lists it: the columns it shows, read as rows.

A line needs a few columns of an entry and three facts about its history (a renewal pending,
the details destroyed, who approved the grant), so it is one query of rows, not entries with
their decisions, renewals and destruction loaded as objects (issue 19).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, case, exists, func, literal, select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Decision,
    Destruction,
    RegisterSize,
    RegisterYear,
    Renewal,
    RenewalStatus,
)
from ripa_guard.core.text_search import Terms, parameters
from ripa_guard.law.status import shown_status
from ripa_guard.register import central_record
from ripa_guard.register.central_record import (
    URN_SHAPE,
    Filters,
    Order,
    applications_query,
    broad_condition,
    count_up_to,
    end_of_period,
    found,
    narrowed,
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the register page."""

    id: int
    urn: str
    investigation_title: str
    #: The service of the officer who applied.
    service: str
    #: The status shown on the register's day (law.status, the one rule), by its title.
    status: str
    directly_involved: bool | None
    submitted_at: datetime | None
    takes_effect: date | None
    last_day: date | None
    #: The name of the authorising officer whose last decision on the grant approved it;
    #: None while the last decision on it is not an approval, or there is none.
    approved_by: str | None


@cache
def _columns() -> tuple:
    """A line's columns: the same for every page, so built once."""
    renewal_pending = exists().where(
        Renewal.application_id == Application.id,
        Renewal.status.in_((RenewalStatus.REQUESTED, RenewalStatus.AWAITING_COURT)),
    )
    destroyed = exists().where(Destruction.application_id == Application.id)
    # central_record.grant_decision: the last decision on the application itself.
    approved_by = (
        select(
            case(
                (
                    AuthorisingDecision.decision == Decision.APPROVED,
                    AuthorisingDecision.decided_by_name,
                )
            )
        )
        .where(
            AuthorisingDecision.application_id == Application.id,
            AuthorisingDecision.renewal_id.is_(None),
        )
        .order_by(AuthorisingDecision.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    service = select(User.service).where(User.id == Application.officer_id).scalar_subquery()
    return (
        Application.id,
        Application.urn,
        Application.investigation_title,
        service.label("service"),
        Application.status,
        Application.directly_involved,
        Application.submitted_at,
        Application.takes_effect,
        Application.last_day,
        renewal_pending.label("renewal_pending"),
        destroyed.label("destroyed"),
        approved_by.label("approved_by"),
    )


def _line(row, today: date) -> Line:
    status = shown_status(
        row.status.value,
        today,
        row.last_day,
        renewal_pending=row.status == ApplicationStatus.ACTIVE and bool(row.renewal_pending),
        destroyed=bool(row.destroyed),
    )
    return Line(
        id=row.id,
        urn=row.urn,
        investigation_title=row.investigation_title,
        service=row.service,
        status=status.title,
        directly_involved=row.directly_involved,
        submitted_at=row.submitted_at,
        takes_effect=row.takes_effect,
        last_day=row.last_day,
        approved_by=row.approved_by,
    )


def _count(filters: Filters, ids: list[int] | None) -> Select:
    """How many entries the filters let through, as a query of one number (never correlated
    with the page's own applications)."""
    if filters.search.strip():
        # Few, found by id or by URN; the search itself is not to be run twice.
        query = applications_query(filters, ids)
        return query.with_only_columns(func.count()).select_from(Application)
    # Every application the filters let through, less the drafts among them (a draft has no
    # URN until it is submitted): each count is read from an index, where counting those with
    # a URN read every wide row for it (SQLite: 3.6 ms for the whole register against 0.02 ms,
    # and 7 ms against 0.7 ms for those in force).
    matching = narrowed(select(func.count()).select_from(Application), filters)
    drafts = matching.where(Application.urn.is_(None))
    counted = matching.correlate(None).scalar_subquery() - drafts.correlate(None).scalar_subquery()
    if filters.narrow:
        return select(counted)
    # The whole register: its size as the database keeps it (migration 0030), where counting
    # read an index of every application (3-5 ms at 100,000 on PostgreSQL); counted only if
    # its row is missing (both databases stop at coalesce's first value that is not null).
    size = select(RegisterSize.entries).where(RegisterSize.id == 1).scalar_subquery()
    return select(func.coalesce(size, counted))


def _within_year(session: Session, filters: Filters, order: Order, query: Select, counted):
    """The page and count of a year's register, helped by the year's kept count (migration
    0032): without another filter the count is the kept one, and while none of the year's
    entries was submitted after it, a page in order of submission reads no entry submitted
    after it either, so newest first it starts at the year's end (8 ms for 2020 at 100,000 on
    PostgreSQL, where it passed every later entry, against under 1)."""
    by_submission, year_alone = order.by == "submitted", not replace(filters, year=None).narrow
    if not (by_submission or year_alone):
        return query, counted  # neither the kept count nor the bound would be used
    kept = session.execute(
        select(RegisterYear.entries, RegisterYear.submitted_later).where(
            RegisterYear.year == filters.year
        )
    ).first()
    if kept is None:  # a year the triggers do not keep: counted as any period is
        return query, counted
    if by_submission and not kept.submitted_later:
        query = query.where(Application.submitted_at <= end_of_period(filters))
    if year_alone:
        counted = select(literal(kept.entries))
    return query, counted


@dataclass(frozen=True, slots=True)
class Listed:
    """A page of the register, and how many entries the filters let through."""

    lines: list[Line]
    total: int
    #: True when a search matched more than the register counts (central_record.FOUND_AHEAD,
    #: central_record.count_up_to): `total` is then that many, and the page says "more than".
    more: bool = False


def page(
    session: Session,
    filters: Filters,
    number: int,
    today: date,
    size: int = 25,
    order: Order | None = None,
) -> Listed:
    """One page of the register, newest first unless another order is asked for, with the
    count of every entry the filters let through.

    The page's ids are found first, in the order's index, and only those 25 entries are read
    for their columns; the count rides along as one more column, so a page is one query.
    """
    order = order or Order()
    clauses = order.clauses()
    ids, beyond = found(session, filters)
    text = filters.search.strip()
    rest = replace(filters, search="")
    broad = ids is None and text and not URN_SHAPE.fullmatch(text)
    if broad:
        # More matches than found() looks up: the page read in order, the count cut short,
        # or not counted when the look-ahead found more than it counts to (5 ms at 100,000).
        query = applications_query(rest).where(broad_condition(Terms.of(text).shape()))
        if beyond and not rest.narrow:
            counted = select(literal(central_record.FOUND_AHEAD + 1))
        else:
            counted = count_up_to(filters, central_record.FOUND_AHEAD)
    else:
        query = applications_query(filters, ids)
        counted = _count(filters, ids)
    if filters.year:
        query, counted = _within_year(session, filters, order, query, counted)
    chosen = (
        query.with_only_columns(Application.id)
        .order_by(*clauses)
        .limit(size)
        .offset((number - 1) * size)
        .subquery()
    )
    rows = session.execute(
        select(*_columns(), counted.correlate(None).scalar_subquery().label("total"))
        .join(chosen, chosen.c.id == Application.id)
        .order_by(*clauses),
        parameters(text) if broad else None,
    ).all()
    if rows:
        lines, total = [_line(row, today) for row in rows], rows[0].total
    else:
        # Past the last page, or nothing matched: the count on its own.
        lines, total = [], (session.scalar(counted) if number > 1 else 0)
    more = bool(broad) and total > central_record.FOUND_AHEAD
    return Listed(lines, central_record.FOUND_AHEAD if more else total, more)
