"""The figures IPCO asks each council for, by calendar year, computed from the central record.

DOMAIN.md §8: directed surveillance authorisations granted in the year, and those still in
force at its end; each figure is as of the day the return is taken, or 31 December once the
year is over (Span); CHIS figures (including juvenile and vulnerable sources) are asked for too,
but ripa_guard does not authorise CHIS, so they are shown as not recorded here. The current
return's full list was not checked: each figure is one entry in FIGURES, so another is one
function more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, defer, lazyload, selectinload

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
from ripa_guard.core.clock import LONDON, local_date
from ripa_guard.law import periods


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | None  # None: not recorded in ripa_guard
    note: str = ""


@dataclass(frozen=True)
class Span:
    """The part of the calendar year a return covers: from 1 January to the day it is as of.

    A return taken during the year is as of the day it is taken; one taken after the year is as
    of 31 December. Nothing after that day is counted: a lapse still to come is not a lapse, and
    "in force" means in force on that day, not a projection to the end of the year.
    """

    year: int
    taken_on: date

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def as_of(self) -> date:
        return min(self.taken_on, self.year_end)

    @property
    def ended(self) -> bool:
        return self.taken_on > self.year_end

    @property
    def begun(self) -> bool:
        return self.taken_on >= self.first

    @property
    def note(self) -> str:
        """What the page and the extract say of a year not yet ended; empty once it has."""
        if self.ended:
            return ""
        if not self.begun:
            return f"The year {self.year} has not begun: there is nothing to count yet."
        return (
            f"The year {self.year} has not ended. These figures are as of {_day(self.as_of)}, "
            "the day they were taken: nothing after that day is counted, and authorisations "
            f"in force are those in force on {_day(self.as_of)}."
        )

    def during(self, column):
        """`column` (a moment) falls between 1 January and the end of the day it is as of."""
        first = datetime.combine(self.first, time.min, tzinfo=LONDON)
        last = datetime.combine(self.as_of, time.max, tzinfo=LONDON)
        return column.between(first, last)


def _day(day: date) -> str:
    return periods.long_date(day)


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def granted(session: Session, span: Span) -> int:
    """Authorisations that took effect in the year: a JP approved the grant (RIPA s.32A)."""
    return _count(
        session,
        select(CourtHearing.id).where(
            CourtHearing.renewal_id.is_(None),
            CourtHearing.outcome == CourtOutcome.APPROVED,
            span.during(CourtHearing.decided_at),
        ),
    )


def renewed(session: Session, span: Span) -> int:
    return _count(
        session,
        select(CourtHearing.id).where(
            CourtHearing.renewal_id.is_not(None),
            CourtHearing.outcome == CourtOutcome.APPROVED,
            span.during(CourtHearing.decided_at),
        ),
    )


def in_force_on(session: Session, day: date) -> int:
    """Authorisations in force on `day`: as the record stood that day, not as it stands now.

    An entry's last day is that of its latest renewal, which may have been approved after
    `day`; so a candidate counts only if `day` falls in its first period or in a renewed period
    a magistrate had approved by then (RIPA s.43(3)(c), s.32A). A cancellation takes effect for
    the whole of its day (periods.has_effect_on).
    """
    candidates = session.scalars(
        select(Application)
        .where(
            Application.takes_effect <= day,
            Application.last_day >= day,
            or_(Application.cancelled_on.is_(None), Application.cancelled_on > day),
        )
        .options(
            defer(Application.answers),
            defer(Application.offence_snapshot),
            lazyload("*"),
            selectinload(Application.renewals).lazyload("*"),
            selectinload(Application.hearings).lazyload("*"),
        )
    )
    return sum(1 for application in candidates if _had_effect(application, day))


def _had_effect(application: Application, day: date) -> bool:
    first_last_day = periods.authorisation_expiry(application.takes_effect)
    if periods.has_effect_on(day, application.takes_effect, first_last_day):
        return True
    approved_by = {
        h.renewal_id: local_date(h.decided_at)
        for h in application.hearings
        if h.renewal_id is not None and h.outcome == CourtOutcome.APPROVED
    }
    return any(
        r.id in approved_by
        and approved_by[r.id] <= day
        and periods.has_effect_on(day, r.starts_on, r.ends_on)
        for r in application.renewals
    )


def in_force(session: Session, span: Span) -> int:
    return in_force_on(session, span.as_of) if span.begun else 0


def refused_by_authorising_officer(session: Session, span: Span) -> int:
    return _count(
        session,
        select(AuthorisingDecision.id).where(
            AuthorisingDecision.decision == Decision.REFUSED,
            span.during(AuthorisingDecision.decided_at),
        ),
    )


def refused_by_magistrate(session: Session, span: Span) -> int:
    return _count(
        session,
        select(CourtHearing.id).where(
            CourtHearing.outcome.in_([CourtOutcome.REFUSED, CourtOutcome.QUASHED]),
            span.during(CourtHearing.decided_at),
        ),
    )


def cancelled(session: Session, span: Span) -> int:
    return _count(
        session,
        select(Cancellation.id).where(Cancellation.cancelled_on.between(span.first, span.as_of)),
    )


def lapsed(session: Session, span: Span) -> int:
    """Last day in the year and already passed when the return was taken, without having been
    cancelled by then: a compliance failure. A last day still to come is not yet a lapse."""
    return _count(
        session,
        select(Application.id).where(
            Application.last_day.between(span.first, span.as_of),
            Application.last_day < span.taken_on,
            or_(
                Application.cancelled_on.is_(None), Application.cancelled_on > Application.last_day
            ),
            Application.takes_effect.is_not(None),
        ),
    )


def directly_involved(session: Session, span: Span) -> int:
    return _count(
        session,
        select(AuthorisingDecision.id).where(
            and_(
                AuthorisingDecision.decision == Decision.APPROVED,
                AuthorisingDecision.directly_involved.is_(True),
            ),
            span.during(AuthorisingDecision.decided_at),
        ),
    )


def stopped_at_threshold(session: Session, span: Span) -> int:
    return _count(
        session,
        select(Triage.id).where(
            Triage.outcome == Outcome.CANNOT_BE_AUTHORISED, span.during(Triage.completed_at)
        ),
    )


def _not_recorded(_session: Session, _span: Span) -> None:
    return None


CHIS_NOTE = "ripa_guard does not authorise CHIS: give the figure from the council's own records."

#: (key, label, how it is computed, note): the return as it is shown and extracted. "{at}" in
#: a label is the day the figure is as of: 31 December, or the day taken in a year not ended.
FIGURES: tuple[tuple[str, str, Callable, str], ...] = (
    (
        "ds_granted",
        "Directed surveillance authorisations granted (approved by a magistrate)",
        granted,
        "",
    ),
    (
        "ds_in_force",
        "Directed surveillance authorisations in force at {at}",
        in_force,
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
    ("chis_in_force", "CHIS authorisations in force at {at}", _not_recorded, CHIS_NOTE),
    ("chis_juvenile", "Juvenile CHIS authorisations", _not_recorded, CHIS_NOTE),
    ("chis_vulnerable", "Vulnerable CHIS authorisations", _not_recorded, CHIS_NOTE),
)


@dataclass(frozen=True)
class AnnualReturn:
    """The year's figures as of the day they are taken, and what the page says of that day."""

    span: Span
    figures: list[Figure]

    @property
    def year(self) -> int:
        return self.span.year

    @property
    def as_of(self) -> date:
        return self.span.as_of

    @property
    def note(self) -> str:
        return self.span.note

    def sheet(self) -> tuple[str, tuple[str, ...], list[list]]:
        """The return as a sheet of the extract, saying first what day it is as of."""
        if self.span.ended:
            says = f"The whole year {self.year}: figures as of 31 December {self.year}."
        else:
            says = self.note
        rows: list[list] = [["Figures as of", self.as_of.isoformat(), says]]
        rows += [[f.label, "" if f.value is None else f.value, f.note] for f in self.figures]
        return (f"Annual return {self.year}", ("Figure", "Number", "Note"), rows)


def taken(session: Session, year: int, today: date) -> AnnualReturn:
    """The return for `year`, taken on `today`: every figure as of today or 31 December,
    whichever comes first."""
    span = Span(year, today)
    at = _day(span.as_of) if span.begun else f"31 December {year}"
    found = []
    for key, label, compute, note in FIGURES:
        if key == "ds_in_force" and not span.ended and span.begun:
            note = f"As of {_day(span.as_of)}, the day taken: the year has not ended."
        found.append(Figure(key, label.format(at=at), compute(session, span), note))
    return AnnualReturn(span, found)


def figures(session: Session, year: int, today: date) -> list[Figure]:
    return taken(session, year, today).figures
