"""The lists of plans and applications that pages show: what each person is waiting on."""

from __future__ import annotations

from sqlalchemy import select
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


def waiting_for_decision(session: Session) -> tuple[list[Application], list[tuple]]:
    """Applications and renewals waiting for an authorising officer, oldest first; each
    renewal with its application."""
    applications = session.scalars(
        select(Application)
        .where(Application.status == ApplicationStatus.SUBMITTED)
        .order_by(Application.submitted_at)
    ).all()
    renewals = session.scalars(
        select(Renewal)
        .where(Renewal.status == RenewalStatus.REQUESTED)
        .order_by(Renewal.requested_at)
    ).all()
    owners = {
        a.id: a
        for a in session.scalars(
            select(Application).where(Application.id.in_([r.application_id for r in renewals]))
        ).all()
    }
    return applications, [(r, owners[r.application_id]) for r in renewals]


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
