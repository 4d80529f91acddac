"""What the SRO and the RIPA coordinator see of the viewing log: who looked at each profile and
each subject, across officers, services and investigations, and every attempt that was stopped.

Several officers each looking "once", or one profile looked at for several investigations, adds
up to monitoring that no single entry shows (Code paras 3.10 to 3.17); viewing_rules.
monitoring_signs names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ripa_guard.core.columns import UtcDateTime
from ripa_guard.law import viewing_rules
from ripa_guard.law.profile_identity import label_of_identity
from ripa_guard.viewing.models import Basis, Stop, Viewing, ViewingAttempt


@dataclass
class Summary:
    """Viewings of one profile (or one subject), across the whole council."""

    key: str
    label: str
    viewings: int
    officers: int
    investigations: int
    unauthorised: int
    first_viewed: datetime
    last_viewed: datetime
    blocked: int = 0
    refused: int = 0
    signs: list[str] = field(default_factory=list)


def stopped_attempts(
    session: Session, outcome: Stop | None = None, limit: int = 100
) -> list[ViewingAttempt]:
    query = select(ViewingAttempt).order_by(ViewingAttempt.attempted_at.desc()).limit(limit)
    if outcome is not None:
        query = query.where(ViewingAttempt.outcome == outcome)
    return list(session.scalars(query))


def stopped_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(ViewingAttempt.outcome, func.count()).group_by(ViewingAttempt.outcome)
    ).all()
    counts = {s.value: 0 for s in Stop}
    counts.update({outcome.value: n for outcome, n in rows})
    return counts


def _summaries(
    session: Session, column, attempt_column, label, limit: int | None = None
) -> list[Summary]:
    unauthorised = func.sum(case((Viewing.basis == Basis.INITIAL_RESEARCH, 1), else_=0))
    rows = session.execute(
        select(
            column,
            func.max(Viewing.subject),
            func.count(),
            func.count(Viewing.officer_id.distinct()),
            func.count(Viewing.investigation_id.distinct()),
            unauthorised,
            func.min(Viewing.viewed_at),
            func.max(Viewing.viewed_at),
        ).group_by(column)
    ).all()
    stops = {
        (key, outcome): n
        for key, outcome, n in session.execute(
            select(attempt_column, ViewingAttempt.outcome, func.count()).group_by(
                attempt_column, ViewingAttempt.outcome
            )
        ).all()
    }

    def order(row) -> tuple:
        # Signs first, then the most stopped attempts, then the latest viewed: worked out on
        # the raw rows, so only the summaries shown are built (a large log has 100,000 keys).
        key, _subject, _count, officers, investigations, unauth, _first, last = row
        signs = viewing_rules.monitoring_signs(officers, investigations, int(unauth or 0))
        stopped = stops.get((key, Stop.BLOCKED), 0) + stops.get((key, Stop.REFUSED), 0)
        return (not signs, -stopped, _Latest(last))

    summaries = []
    for key, subject, count, officers, investigations, unauth, first, last in sorted(
        rows, key=order
    )[:limit]:
        summary = Summary(
            key=key,
            label=label(key, subject),
            viewings=count,
            officers=officers,
            investigations=investigations,
            unauthorised=int(unauth or 0),
            first_viewed=_aware(first),
            last_viewed=_aware(last),
            blocked=stops.get((key, Stop.BLOCKED), 0),
            refused=stops.get((key, Stop.REFUSED), 0),
        )
        summary.signs = viewing_rules.monitoring_signs(
            summary.officers, summary.investigations, summary.unauthorised
        )
        summaries.append(summary)
    return summaries


class _Latest:
    """Sorts a moment latest first, as the database gave it (a datetime, or SQLite's ISO
    text, which sorts the same way)."""

    __slots__ = ("moment",)

    def __init__(self, moment):
        self.moment = moment

    def __lt__(self, other: _Latest) -> bool:
        return self.moment > other.moment


def _aware(moment: datetime) -> datetime:
    # Aggregates bypass the column type, so SQLite hands back a naive UTC time or a string.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return UtcDateTime().process_result_value(moment, None)


def profile_summaries(session: Session, limit: int | None = None) -> list[Summary]:
    """Per profile: how many looked, how often, for how many investigations; signs first."""
    return _summaries(
        session,
        Viewing.identity,
        ViewingAttempt.identity,
        lambda key, _s: label_of_identity(key),
        limit,
    )


def subject_summaries(session: Session, limit: int | None = None) -> list[Summary]:
    """Per subject, by name as compared (viewing_rules.subject_key), across every profile."""
    return _summaries(
        session,
        Viewing.subject_key,
        ViewingAttempt.subject_key,
        lambda _key, subject: subject,
        limit,
    )


def profile_history(session: Session, identity: str) -> tuple[list[Viewing], list[ViewingAttempt]]:
    viewings = session.scalars(
        select(Viewing).where(Viewing.identity == identity).order_by(Viewing.viewed_at)
    )
    attempts = session.scalars(
        select(ViewingAttempt)
        .where(ViewingAttempt.identity == identity)
        .order_by(ViewingAttempt.attempted_at)
    )
    return list(viewings), list(attempts)


def subject_history(session: Session, key: str) -> tuple[list[Viewing], list[ViewingAttempt]]:
    viewings = session.scalars(
        select(Viewing).where(Viewing.subject_key == key).order_by(Viewing.viewed_at)
    )
    attempts = session.scalars(
        select(ViewingAttempt)
        .where(ViewingAttempt.subject_key == key)
        .order_by(ViewingAttempt.attempted_at)
    )
    return list(viewings), list(attempts)


def research_profile_use(
    session: Session, research_profile_id: int, limit: int = 200
) -> tuple[list[Viewing], list[ViewingAttempt]]:
    """What was viewed from one research profile, newest first."""
    viewings = session.scalars(
        select(Viewing)
        .where(Viewing.research_profile_id == research_profile_id)
        .order_by(Viewing.viewed_at.desc())
        .limit(limit)
    )
    attempts = session.scalars(
        select(ViewingAttempt)
        .where(ViewingAttempt.research_profile_id == research_profile_id)
        .order_by(ViewingAttempt.attempted_at.desc())
        .limit(limit)
    )
    return list(viewings), list(attempts)
