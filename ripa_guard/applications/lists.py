"""The lists of plans and applications that pages show: what each person is waiting on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Load, Session, joinedload, lazyload, load_only

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
    """The applications and renewals waiting longest for an authorising officer, each renewal
    with its application, and how many of each are waiting in all."""

    applications: list[Application]
    renewals: list[tuple[Renewal, Application]]
    applications_waiting: int
    renewals_waiting: int


# The queue shows a line for each: not the answers, subjects and history of each application
# (issue 19). Lazy rather than raising loads, so code that reads more of them still works.
_QUEUED = (
    load_only(
        Application.urn,
        Application.investigation_title,
        Application.submitted_at,
        Application.officer_id,
    ),
    joinedload(Application.officer).load_only(User.name),
    lazyload("*"),
)
_RENEWAL_QUEUED = (
    Load(Renewal).lazyload("*"),
    Load(Application)
    .load_only(Application.urn, Application.investigation_title, Application.last_day)
    .lazyload("*"),
)


def waiting_for_decision(session: Session, limit: int | None = None) -> DecisionQueue:
    """The oldest `limit` (QUEUE_LIMIT) applications and renewals waiting for a decision."""
    limit = QUEUE_LIMIT if limit is None else limit
    applications = select(Application).where(Application.status == ApplicationStatus.SUBMITTED)
    renewals = (
        select(Renewal, Application)
        .join(Application, Application.id == Renewal.application_id)
        .where(Renewal.status == RenewalStatus.REQUESTED)
    )
    return DecisionQueue(
        applications=session.scalars(
            applications.options(*_QUEUED)
            .order_by(Application.submitted_at, Application.id)
            .limit(limit)
        ).all(),
        renewals=[
            tuple(row)
            for row in session.execute(
                renewals.options(*_RENEWAL_QUEUED)
                .order_by(Renewal.requested_at, Renewal.id)
                .limit(limit)
            )
        ],
        applications_waiting=_count(session, applications),
        renewals_waiting=_count(session, renewals),
    )


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


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
