"""What the SRO and the RIPA coordinator see of the viewing log: who looked at each profile and
each subject, across officers, services and investigations, and every attempt that was stopped.

Several officers each looking "once", or one profile looked at for several investigations, adds
up to monitoring that no single entry shows (Code paras 3.10 to 3.17); viewing_rules.
monitoring_signs names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ripa_guard.law import viewing_rules
from ripa_guard.law.profile_identity import label_of_identity
from ripa_guard.viewing import tallies
from ripa_guard.viewing.models import Stop, Viewing, ViewingAttempt
from ripa_guard.viewing.reading import Page, page_of


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


def _summary(tally: tallies.ViewingTally, label: str) -> Summary:
    summary = Summary(
        key=tally.key,
        label=label,
        viewings=tally.viewings,
        officers=tally.officers,
        investigations=tally.investigations,
        unauthorised=tally.unauthorised,
        first_viewed=tally.first_viewed,
        last_viewed=tally.last_viewed,
        blocked=tally.blocked,
        refused=tally.refused,
    )
    summary.signs = viewing_rules.monitoring_signs(
        summary.officers, summary.investigations, summary.unauthorised
    )
    return summary


def profile_summaries(session: Session, limit: int = 100) -> list[Summary]:
    """Per profile: how many looked, how often, for how many investigations; signs first, then
    the most stopped attempts, then the latest viewed. Read from the tallies kept as each
    viewing is logged (viewing.tallies), so it does not grow with the log."""
    return [
        _summary(t, label_of_identity(t.key))
        for t in tallies.leading(session, tallies.PROFILE, limit)
    ]


def subject_summaries(session: Session, limit: int = 100) -> list[Summary]:
    """Per subject, by name as compared (viewing_rules.subject_key), across every profile."""
    return [_summary(t, t.subject) for t in tallies.leading(session, tallies.SUBJECT, limit)]


@dataclass(frozen=True)
class History:
    """A page of the looks at one profile or subject, oldest first, with its tally."""

    tally: tallies.ViewingTally | None
    viewings: list[Viewing]
    attempts: list[ViewingAttempt]
    #: The last row shown, when there are more after it: the "next" link's place.
    next_viewing: int | None
    next_attempt: int | None


def _history(session, kind, key, viewing_column, attempt_column, after, attempts_after):
    viewings = page_of(session, Viewing, Viewing.viewed_at, viewing_column == key, after)
    attempts = page_of(
        session, ViewingAttempt, ViewingAttempt.attempted_at, attempt_column == key, attempts_after
    )
    return History(
        tallies.of_key(session, kind, key),
        viewings.rows,
        attempts.rows,
        viewings.next_after,
        attempts.next_after,
    )


def profile_history(
    session: Session, identity: str, after: int | None = None, attempts_after: int | None = None
) -> History:
    """The looks at a profile, a page at a time, oldest first."""
    return _history(
        session,
        tallies.PROFILE,
        identity,
        Viewing.identity,
        ViewingAttempt.identity,
        after,
        attempts_after,
    )


def subject_history(
    session: Session, key: str, after: int | None = None, attempts_after: int | None = None
) -> History:
    """The looks at a subject (by name as compared), a page at a time, oldest first."""
    return _history(
        session,
        tallies.SUBJECT,
        key,
        Viewing.subject_key,
        ViewingAttempt.subject_key,
        after,
        attempts_after,
    )


def research_profile_use(
    session: Session,
    research_profile_id: int,
    after: int | None = None,
    attempts_after: int | None = None,
) -> tuple[Page, Page]:
    """What was viewed from one research profile, newest first, a page at a time."""
    viewings = page_of(
        session,
        Viewing,
        Viewing.viewed_at,
        Viewing.research_profile_id == research_profile_id,
        after,
        newest_first=True,
    )
    attempts = page_of(
        session,
        ViewingAttempt,
        ViewingAttempt.attempted_at,
        ViewingAttempt.research_profile_id == research_profile_id,
        attempts_after,
        newest_first=True,
    )
    return viewings, attempts
