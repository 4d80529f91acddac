"""Training records: who was trained, when and on what; who is due; and the checks that stop an
authorising officer whose training is out of date from approving, and an officer from logging a
viewing (oversight_rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, has_app_context
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, selectinload

from ripa_guard.accounts.models import Role, TrainingRecord, User
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused
from ripa_guard.law import oversight_rules, periods
from ripa_guard.law.oversight_rules import Rag

#: The people whose training the SRO follows: everyone who takes part in covert research.
KEY_ROLES = (Role.OFFICER, Role.AUTHORISING_OFFICER, Role.SRO, Role.COORDINATOR)


def _setting(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


def limit_years() -> int:
    return int(_setting("TRAINING_LIMIT_YEARS", oversight_rules.DEFAULT_TRAINING_LIMIT_YEARS))


# Asked before every viewing: built once.
_LAST_TRAINED = select(func.max(TrainingRecord.trained_on)).where(
    TrainingRecord.user_id == bindparam("user_id")
)
_LAST_TRAINED_BY = _LAST_TRAINED.where(TrainingRecord.trained_on <= bindparam("on_or_before"))


def last_trained(session: Session, user_id: int, on_or_before: date | None = None) -> date | None:
    if on_or_before is None:
        return session.scalar(_LAST_TRAINED, {"user_id": user_id})
    return session.scalar(_LAST_TRAINED_BY, {"user_id": user_id, "on_or_before": on_or_before})


def training_problem(session: Session, user: User, today: date) -> str | None:
    """Why `user` may not approve today for want of current training, or None."""
    last = last_trained(session, user.id, today)
    years = limit_years()
    if oversight_rules.training_current(last, today, years):
        return None
    when = (
        f"You were last trained on {periods.long_date(last)}."
        if last
        else "There is no record of your training."
    )
    return (
        f"Your RIPA training is out of date, so you cannot approve. {when} Authorising officers "
        f"must have been trained in the last {years} years ({oversight_rules.TRAINING_CITATION}"
        "). Ask the senior responsible officer to record your training."
    )


def officer_training_problem(session: Session, user: User, today: date) -> str | None:
    """Why officer `user` may not do online research today for want of current training, or
    None. IPCO expects officers who do online research to be trained, not only the authorisers
    (oversight_rules.OFFICER_TRAINING_CITATION)."""
    last = last_trained(session, user.id, today)
    years = limit_years()
    if oversight_rules.training_current(last, today, years):
        return None
    when = (
        f"You were last trained on {periods.long_date(last)}."
        if last
        else "There is no record of your training."
    )
    return (
        f"Your online research training is out of date, so you cannot log a viewing. {when} "
        f"Officers who do online research must have been trained in the last {years} years "
        f"({oversight_rules.OFFICER_TRAINING_CITATION}; the period is "
        f"{oversight_rules.TRAINING_CITATION}). Ask the RIPA coordinator or the senior "
        "responsible officer to record your training."
    )


def require_officer_training(session: Session, officer: User, today: date) -> None:
    """Refuse a viewing by an officer whose training is out of date (REQUIRE_OFFICER_TRAINING)."""
    problem = officer_training_block(session, officer, today)
    if problem:
        raise Refused(problem)


def officer_training_block(session: Session, officer: User, today: date) -> str | None:
    """Why `officer` may not log a viewing today for want of training, when the council
    enforces it (REQUIRE_OFFICER_TRAINING); else None."""
    if not _setting("REQUIRE_OFFICER_TRAINING", True):
        return None
    return officer_training_problem(session, officer, today)


def require_current_training(session: Session, actor: User, today: date) -> None:
    """Refuse an approval by someone whose training is out of date (REQUIRE_TRAINING)."""
    if not _setting("REQUIRE_TRAINING", True):
        return
    problem = training_problem(session, actor, today)
    if problem:
        raise Refused(problem)


def record_training(
    session: Session,
    actor: User | None,
    user: User,
    *,
    trained_on: date,
    course: str,
    provider: str,
    notes: str,
    today: date,
) -> TrainingRecord:
    """Record training given; a mistake is put right by a further record, never an edit.
    `actor` None is the command line or the demo."""
    if actor is not None and not actor.has_role(Role.SRO, Role.COORDINATOR):
        raise Refused("Only the senior responsible officer or the RIPA coordinator can do this.")
    if trained_on > today:
        raise Refused("The date of the training cannot be in the future.")
    record = TrainingRecord(
        user_id=user.id,
        trained_on=trained_on,
        course=course,
        provider=provider,
        notes=notes,
        recorded_by_id=actor.id if actor else None,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        "training.recorded",
        "user",
        user.id,
        training_id=record.id,
        trained_on=trained_on,
        course=course,
    )
    session.commit()
    return record


@dataclass(frozen=True)
class TrainingStatus:
    user: User
    last_trained: date | None
    due_by: date | None
    rag: Rag

    @property
    def approves(self) -> bool:
        return self.user.can_decide

    @property
    def label(self) -> str:
        return {
            Rag.RED: "Out of date" if self.last_trained else "Not trained",
            Rag.AMBER: "Due soon",
            Rag.GREEN: "Up to date",
        }[self.rag]


def statuses(session: Session, today: date) -> list[TrainingStatus]:
    """Every active user in a key role, out of date first, then by due date."""
    years = limit_years()
    soon = int(_setting("TRAINING_DUE_SOON_DAYS", 90))
    latest = dict(
        session.execute(
            select(TrainingRecord.user_id, func.max(TrainingRecord.trained_on)).group_by(
                TrainingRecord.user_id
            )
        ).all()
    )
    users = session.scalars(
        select(User)
        .where(User.active.is_(True))
        .order_by(User.name)
        .options(selectinload(User.roles))
    ).all()
    found = []
    for user in users:
        if not user.has_role(*KEY_ROLES):
            continue
        last = latest.get(user.id)
        found.append(
            TrainingStatus(
                user,
                last,
                oversight_rules.training_due_by(last, years),
                oversight_rules.training_rag(last, today, years, soon),
            )
        )
    order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    found.sort(key=lambda s: (order[s.rag], not s.approves, s.due_by or date.min))
    return found


def records(session: Session, limit: int = 500) -> list[TrainingRecord]:
    return list(
        session.scalars(
            select(TrainingRecord)
            .order_by(TrainingRecord.trained_on.desc(), TrainingRecord.id.desc())
            .limit(limit)
        )
    )


def records_for(session: Session, user_id: int) -> list[TrainingRecord]:
    return list(
        session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.user_id == user_id)
            .order_by(TrainingRecord.trained_on.desc())
        )
    )
