"""The figures IPCO asks each council for, by calendar year, computed from the central record.

DOMAIN.md §8: directed surveillance authorisations granted in the year, and those still in
force at its end; CHIS figures (including juvenile and vulnerable sources) are asked for too,
but ripa_guard does not authorise CHIS, so they are shown as not recorded here. The current
return's full list was not checked: each figure is one entry in FIGURES, so another is one
function more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ripa_guard.applications.models import (
    Application,
    AuthorisingDecision,
    Cancellation,
    CourtHearing,
    CourtOutcome,
    Decision,
    Outcome,
    Triage,
)
from ripa_guard.core.clock import LONDON


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | None  # None: not recorded in ripa_guard
    note: str = ""


def _between(column, year: int):
    first = datetime.combine(date(year, 1, 1), time.min, tzinfo=LONDON)
    last = datetime.combine(date(year, 12, 31), time.max, tzinfo=LONDON)
    return column.between(first, last)


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def granted(session: Session, year: int) -> int:
    """Authorisations that took effect in the year: a JP approved the grant (RIPA s.32A)."""
    return _count(
        session,
        select(CourtHearing.id).where(
            CourtHearing.renewal_id.is_(None),
            CourtHearing.outcome == CourtOutcome.APPROVED,
            _between(CourtHearing.decided_at, year),
        ),
    )


def renewed(session: Session, year: int) -> int:
    return _count(
        session,
        select(CourtHearing.id).where(
            CourtHearing.renewal_id.is_not(None),
            CourtHearing.outcome == CourtOutcome.APPROVED,
            _between(CourtHearing.decided_at, year),
        ),
    )


def in_force_at_year_end(session: Session, year: int) -> int:
    """In force on 31 December: took effect by then, not cancelled by then, last day not passed.

    Renewals run on from the day after the period they renew, so the current last day
    answers for every earlier 31 December too.
    """
    end = date(year, 12, 31)
    return _count(
        session,
        select(Application.id).where(
            Application.takes_effect <= end,
            Application.last_day >= end,
            or_(Application.cancelled_on.is_(None), Application.cancelled_on > end),
        ),
    )


def refused_by_authorising_officer(session: Session, year: int) -> int:
    return _count(
        session,
        select(AuthorisingDecision.id).where(
            AuthorisingDecision.decision == Decision.REFUSED,
            _between(AuthorisingDecision.decided_at, year),
        ),
    )


def refused_by_magistrate(session: Session, year: int) -> int:
    return _count(
        session,
        select(CourtHearing.id).where(
            CourtHearing.outcome.in_([CourtOutcome.REFUSED, CourtOutcome.QUASHED]),
            _between(CourtHearing.decided_at, year),
        ),
    )


def cancelled(session: Session, year: int) -> int:
    return _count(
        session,
        select(Cancellation.id).where(
            Cancellation.cancelled_on.between(date(year, 1, 1), date(year, 12, 31))
        ),
    )


def lapsed(session: Session, year: int) -> int:
    """Last day in the year, and not cancelled before it passed: a compliance failure."""
    return _count(
        session,
        select(Application.id).where(
            Application.last_day.between(date(year, 1, 1), date(year, 12, 31)),
            or_(
                Application.cancelled_on.is_(None), Application.cancelled_on > Application.last_day
            ),
            Application.takes_effect.is_not(None),
        ),
    )


def directly_involved(session: Session, year: int) -> int:
    return _count(
        session,
        select(AuthorisingDecision.id).where(
            and_(
                AuthorisingDecision.decision == Decision.APPROVED,
                AuthorisingDecision.directly_involved.is_(True),
            ),
            _between(AuthorisingDecision.decided_at, year),
        ),
    )


def stopped_at_threshold(session: Session, year: int) -> int:
    return _count(
        session,
        select(Triage.id).where(
            Triage.outcome == Outcome.CANNOT_BE_AUTHORISED, _between(Triage.completed_at, year)
        ),
    )


def _not_recorded(_session: Session, _year: int) -> None:
    return None


CHIS_NOTE = "ripa_guard does not authorise CHIS: give the figure from the council's own records."

#: (key, label, how it is computed, note): the return as it is shown and extracted.
FIGURES: tuple[tuple[str, str, Callable, str], ...] = (
    (
        "ds_granted",
        "Directed surveillance authorisations granted (approved by a magistrate)",
        granted,
        "",
    ),
    (
        "ds_in_force",
        "Directed surveillance authorisations in force at 31 December",
        in_force_at_year_end,
        "",
    ),
    ("ds_renewed", "Renewals approved by a magistrate", renewed, ""),
    ("ds_refused_ao", "Refused by an authorising officer", refused_by_authorising_officer, ""),
    ("ds_refused_jp", "Refused or quashed by a magistrate", refused_by_magistrate, ""),
    ("ds_cancelled", "Cancelled", cancelled, ""),
    (
        "ds_lapsed",
        "Lapsed before they were cancelled",
        lapsed,
        "A compliance failure to report to IPCO",
    ),
    (
        "ds_directly_involved",
        "Granted by an authorising officer directly involved",
        directly_involved,
        "",
    ),
    ("threshold_stops", "Plans stopped at the crime threshold", stopped_at_threshold, ""),
    ("chis_granted", "CHIS authorisations granted", _not_recorded, CHIS_NOTE),
    ("chis_in_force", "CHIS authorisations in force at 31 December", _not_recorded, CHIS_NOTE),
    ("chis_juvenile", "Juvenile CHIS authorisations", _not_recorded, CHIS_NOTE),
    ("chis_vulnerable", "Vulnerable CHIS authorisations", _not_recorded, CHIS_NOTE),
)


def figures(session: Session, year: int) -> list[Figure]:
    return [
        Figure(key, label, compute(session, year), note) for key, label, compute, note in FIGURES
    ]
