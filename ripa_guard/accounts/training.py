"""Training records: who was trained, when and on what; who is due; and the checks that stop an
authorising officer whose training is out of date from approving, and an officer from logging a
viewing (oversight_rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session, selectinload

from ripa_guard.accounts.models import DECIDING_ROLES, Role, TrainingRecord, User, UserRole
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


class _Mark(NamedTuple):
    user_id: int
    last_trained: date | None
    due_by: date | None
    rag: Rag
    decides: bool


def _people(*columns):
    """Every active user in a key role: their latest training, as counted by the database, and
    whether they decide (issue 19: columns, not each person's account and roles)."""
    latest = (
        select(TrainingRecord.user_id, func.max(TrainingRecord.trained_on).label("last"))
        .group_by(TrainingRecord.user_id)
        .subquery()
    )
    decides = (
        exists()
        .where(UserRole.user_id == User.id, UserRole.role.in_(DECIDING_ROLES))
        .label("decides")
    )
    return (
        select(*columns, latest.c.last, decides)
        .select_from(User)
        .outerjoin(latest, latest.c.user_id == User.id)
        .where(
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(KEY_ROLES))),
        )
    )


def _marks(today: date):
    """last trained -> (due by, rag), each date worked out once (oversight_rules)."""
    years = limit_years()
    soon = int(_setting("TRAINING_DUE_SOON_DAYS", 90))
    known: dict[date | None, tuple[date | None, Rag]] = {}

    def mark(last: date | None) -> tuple[date | None, Rag]:
        if last not in known:
            known[last] = (
                oversight_rules.training_due_by(last, years),
                oversight_rules.training_rag(last, today, years, soon),
            )
        return known[last]

    return mark


def _ranked(session: Session, today: date) -> list[_Mark]:
    """Every active user in a key role, out of date first, then by due date."""
    mark = _marks(today)
    found = [
        _Mark(user_id, last, *mark(last), bool(decides))
        for user_id, last, decides in session.execute(_people(User.id).order_by(User.name))
    ]
    order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    found.sort(key=lambda m: (order[m.rag], not m.decides, m.due_by or date.min))
    return found


def statuses(session: Session, today: date, limit: int | None = None) -> list[TrainingStatus]:
    """Every active user in a key role (the first `limit` only, when given), out of date first,
    then by due date."""
    ranked = _ranked(session, today)[:limit]
    query = select(User).options(selectinload(User.roles))
    if limit is None:
        query = query.where(User.active.is_(True))
    else:
        query = query.where(User.id.in_([m.user_id for m in ranked]))
    users = {u.id: u for u in session.scalars(query)}
    return [TrainingStatus(users[m.user_id], m.last_trained, m.due_by, m.rag) for m in ranked]


@dataclass(frozen=True)
class TrainingSummary:
    """How many people in key roles, and how many of them are due or out of date."""

    people: int
    deciders: int
    deciders_out_of_date: int
    due_or_out_of_date: int
    rag: Rag


def summary(session: Session, today: date) -> TrainingSummary:
    """Counted by the database for each date last trained, then marked once per date."""
    query = _people(func.count().label("people"))
    query = query.group_by(query.selected_columns.last, query.selected_columns.decides)
    mark = _marks(today)
    people = deciders = deciders_red = due = 0
    rags = set()
    for n, last, decides in session.execute(query):
        rag = mark(last)[1]
        rags.add(rag)
        people += n
        due += n if rag != Rag.GREEN else 0
        if decides:
            deciders += n
            deciders_red += n if rag == Rag.RED else 0
    return TrainingSummary(
        people=people,
        deciders=deciders,
        deciders_out_of_date=deciders_red,
        due_or_out_of_date=due,
        rag=oversight_rules.worst(list(rags)),
    )


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
