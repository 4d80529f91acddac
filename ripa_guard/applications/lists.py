"""The lists of plans and applications that pages show: what each person is waiting on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    Renewal,
    RenewalStatus,
    Triage,
)
from ripa_guard.law.triage import Outcome

#: How many of each queue a page shows: the longest waiting, with how many there are in all.
QUEUE_LIMIT = 50


@dataclass(frozen=True)
class DecisionQueue:
    """The applications and renewals waiting longest for an authorising officer, a line each,
    and how many of each are waiting in all."""

    #: id, urn, investigation_title, submitted_at, officer_id, officer_name.
    applications: list[Row]
    #: id, number, requested_at, application_id, urn, investigation_title, last_day.
    renewals: list[Row]
    applications_waiting: int
    renewals_waiting: int


# The queue shows a line for each, read as plain rows: not the answers, subjects and history of
# each application, nor an object for each (issue 19: building 150 objects a page cost more
# than the query).
_APPLICATION_LINE = (
    Application.id,
    Application.urn,
    Application.investigation_title,
    Application.submitted_at,
    Application.officer_id,
    User.name.label("officer_name"),
)
_RENEWAL_LINE = (
    Renewal.id,
    Renewal.number,
    Renewal.requested_at,
    Renewal.application_id,
    Application.urn,
    Application.investigation_title,
    Application.last_day,
)


def waiting_for_decision(session: Session, limit: int | None = None) -> DecisionQueue:
    """The oldest `limit` (QUEUE_LIMIT) applications and renewals waiting for a decision."""
    limit = QUEUE_LIMIT if limit is None else limit
    submitted = Application.status == ApplicationStatus.SUBMITTED
    requested = Renewal.status == RenewalStatus.REQUESTED
    return DecisionQueue(
        applications=session.execute(
            select(*_APPLICATION_LINE)
            .join(User, User.id == Application.officer_id)
            .where(submitted)
            .order_by(Application.submitted_at, Application.id)
            .limit(limit)
        ).all(),
        renewals=session.execute(
            select(*_RENEWAL_LINE)
            .join(Application, Application.id == Renewal.application_id)
            .where(requested)
            .order_by(Renewal.requested_at, Renewal.id)
            .limit(limit)
        ).all(),
        **_how_many_waiting(session, submitted, requested),
    )


def _how_many_waiting(session: Session, submitted, requested) -> dict[str, int]:
    """Both counts in one statement: one round trip to the database, not two. count(*), so
    that PostgreSQL can count from the status index alone."""
    applications = select(func.count()).select_from(Application).where(submitted)
    renewals = select(func.count()).select_from(Renewal).where(requested)
    row = session.execute(
        select(
            applications.scalar_subquery().label("applications_waiting"),
            renewals.scalar_subquery().label("renewals_waiting"),
        )
    ).one()
    return row._asdict()


def plans_of(session: Session, officer: User) -> list[Triage]:
    """An officer's own research plans, the newest first."""
    return session.scalars(
        select(Triage).where(Triage.officer_id == officer.id).order_by(Triage.started_at.desc())
    ).all()


def triage_outcomes(session: Session, wanted: str = "", limit: int = 200) -> list[Triage]:
    """Completed plans, the newest first, for the SRO; only one outcome when `wanted` names one."""
    query = (
        select(Triage).where(Triage.completed_at.is_not(None)).order_by(Triage.completed_at.desc())
    )
    if wanted in {o.value for o in Outcome}:
        query = query.where(Triage.outcome == Outcome(wanted))
    return session.scalars(query.limit(limit)).all()
