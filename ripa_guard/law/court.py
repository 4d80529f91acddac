"""The magistrates' court's part: when its decision can be, and when it may quash. Pure.

Sources:
- RIPA s.32A(2)-(4) (inserted by POFA 2012 s.38): a council's authorisation, and a renewal through
  s.43(5), has no effect until a JP approves it; the JP approves "the grant" that was made, so the
  decision cannot come before the authorising officer's.
- RIPA s.32B(3): where the JP refuses to approve, the JP may make an order quashing the
  authorisation (DOMAIN.md §3).
- Criminal Procedure Rules 2020 (SI 2020/759), r.47.52(2), as read: "Where a magistrates' court
  refuses to approve the grant, giving or renewal of an authorisation or notice, the court must
  not exercise its power to quash that authorisation or notice unless the applicant has had at
  least 2 business days from the date of the refusal in which to make representations."
  (legislation.data.gov.uk, SI 2020/759 Part 47 Section 7, in force 5 October 2020; whether the
  Rules have since been renumbered was not confirmed: /work/notes/legal_findings.md §e.)
- Business days: the CrimPR do not define them in the part read. ripa_guard counts Monday to
  Friday, less the bank holidays of England and Wales (law.working_days, from the `holidays`
  package: the Banking and Financial Dealings Act 1971 Sch. 1 days with their substitutes, and
  the one-off days set by proclamation); a council may add others (`extra_holidays`).

Imports neither Flask nor SQLAlchemy, and never reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from ripa_guard.law import working_days

CITATION_QUASH = "RIPA 2000, s.32B(3); Criminal Procedure Rules 2020, r.47.52(2)"
CITATION_AFTER_AUTHORISER = "RIPA 2000, s.32A(2) to (4)"

#: The days after the refusal the council must have had before the court may quash (r.47.52(2)).
REPRESENTATION_DAYS = 2


def is_business_day(day: date, extra_holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales (law.working_days)."""
    return working_days.is_working_day(day, extra_holidays)


def earliest_quash_day(refused_on: date, extra_holidays: Iterable[date] = ()) -> date:
    """The first day the court may quash after refusing on `refused_on`.

    Source: CrimPR 2020 r.47.52(2): the council must have had "at least 2 business days from the
    date of the refusal" to make representations. The day of the refusal is not counted (the
    days run from it), so the two business days are the next two, and the court may quash from
    the day after the second: refused on Monday -> Tuesday and Wednesday -> from Thursday;
    refused on Friday -> Monday and Tuesday -> from Wednesday. This is the later, safe reading.
    """
    extra = frozenset(extra_holidays)
    day, counted = refused_on, 0
    while counted < REPRESENTATION_DAYS:
        day += timedelta(days=1)
        if is_business_day(day, extra):
            counted += 1
    return day + timedelta(days=1)


def may_quash_on(refused_on: date, day: date, extra_holidays: Iterable[date] = ()) -> bool:
    """Whether a quashing order on `day` respects r.47.52(2) (`earliest_quash_day`)."""
    return day >= earliest_quash_day(refused_on, extra_holidays)


def _to_the_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def court_before_authoriser(court_at: datetime, authorised_at: datetime) -> bool:
    """Whether a JP's decision timed `court_at` comes before the authorising officer's decision at
    `authorised_at`, to the minute (s.32A(2)-(4): the JP approves a grant already made). A court
    time in the same minute as the authorising officer's is accepted: the form takes minutes."""
    return _to_the_minute(court_at) < _to_the_minute(authorised_at)
