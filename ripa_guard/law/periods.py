"""How long a council's directed surveillance authorisation lasts, and the dates that follow.

Sources, quoted only as far as they were read (legislation.gov.uk copies, and the Codes):

- RIPA 2000 s.43(3), as read: "Subject to subsections (4) and (8), an authorisation under this
  Part shall cease to have effect at the end of the following period—" ... "(c) in any case not
  falling within paragraph (a) or (b), the period of [three months beginning with the day on
  which the grant of the authorisation or, as the case may be, its latest renewal takes
  effect]". The bracketed words of para (c) were cut off in the copy read; para (b) reads the
  same with "twelve months", and the Explanatory Notes (para 241) say "the authorisation will
  last for 3 months, beginning with the day on which the grant or renewal takes effect".
- RIPA s.43(1)(a) and (1A), as read: an authorisation "may be granted or renewed orally in any
  urgent case ..."; "(1A) Subsection (1)(a) does not apply in relation to an authorisation
  under section 28 or 29 to which section 32A applies." So a council (s.32A: JP approval) has
  no oral, urgent route: every grant and renewal is written and runs three months.
- RIPA s.43(4): its words were not in the copy read. Explanatory Notes para 242: "Subsection
  (4) provides that an authorisation may be renewed at any time before it ceases to have
  effect by any person entitled to grant a new authorisation of the same type."
- RIPA s.43(9)(b) and (c), as DOMAIN.md §4 states them (the text itself was not in the copies
  read): a renewal takes effect on the day the authorisation "would have ceased to have effect
  but for the renewal" (its last day), or, where a JP approves the renewal later, on that day.
- RIPA s.45(1), as read (version of 28 February 2002; the section was later amended by the
  Covert Human Intelligence Sources (Criminal Conduct) Act 2021 s.7, not read): "The person
  who granted or, as the case may be, last renewed an authorisation under this Part shall
  cancel it if— (a) he is satisfied that the authorisation is one in relation to which the
  requirements of section 28(2)(a) and (b), 29(2)(a) and (b) or, as the case may be, 32(2)(a)
  and (b) are no longer satisfied".
- Records: "centrally retrievable ... for a period of at least three years from the ending of
  each authorisation" (Covert Surveillance Code of Practice, ch. 8 "Keeping of records",
  para 8.1; the words were read in the Scottish Code's para 8.1, the England and Wales 2018
  Code's para 8.1 was not in the copy read).

Pure: imports neither Flask nor SQLAlchemy, and never reads the clock: "today" is always a
parameter.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

#: s.43(3)(c): a directed surveillance authorisation (or renewal) lasts three months.
AUTHORISATION_MONTHS = 3

#: Code ch. 8, para 8.1: records are kept "for a period of at least three years from the
#: ending of each authorisation". Councils may keep them longer (many keep five).
MINIMUM_RETENTION_YEARS = 3

#: Shown wherever a last day is given: the authorisation has effect to the end of that day.
END_OF_DAY = "23:59"

_ONE_DAY = timedelta(days=1)

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def authorisation_expiry(takes_effect: date) -> date:
    """The last day on which an authorisation (or renewal) that takes effect then has effect.

    Source: RIPA s.43(3)(c): it ceases "at the end of ... the period of three months beginning
    with the day on which the grant of the authorisation or, as the case may be, its latest
    renewal takes effect". For a council that day is the day the JP approves (s.32A(2)), not
    the day the authorising officer signs.

    Rule: (takes_effect + 3 calendar months, by `relativedelta`) - 1 day. "Beginning with"
    counts `takes_effect` as the first day, so the period ends the day before the same date
    three months on: 1 January -> 31 March; 15 March -> 14 June; 3 April -> 2 July.

    Where that date does not exist (31 January: there is no 31 April), the law leaves room
    for doubt: the period could end on 29 or on 30 April. `relativedelta` clamps to the last
    day of the month (30 April) and we subtract one, so we end on 29 April: the earlier end,
    which is the safe side for a guardrail, since no surveillance is shown as authorised on a
    day the law might not cover. `end_is_uncertain` says when this happened, so the page can
    say so.
    """
    return takes_effect + relativedelta(months=AUTHORISATION_MONTHS) - _ONE_DAY


def end_is_uncertain(takes_effect: date) -> bool:
    """True where the same date three months on does not exist, so the end is open to doubt.

    Source: RIPA s.43(3)(c) counts calendar months and says nothing of a missing day. That
    happens for 31 January, 31 March, 31 August, 30 November, and 29 November when the next
    February has 28 days. `authorisation_expiry` then takes the earlier possible end; a page
    showing such a date should say that the law leaves room for doubt and that the earlier
    day was chosen.
    """
    three_months_on = takes_effect + relativedelta(months=AUTHORISATION_MONTHS)
    return three_months_on.day != takes_effect.day


def renewal_takes_effect(last_day: date, approved_on: date | None = None) -> date:
    """The day a renewal of a period whose last day is `last_day` takes effect.

    Source: RIPA s.43(9)(b): a renewal takes effect on "the day on which the authorisation
    would have ceased to have effect but for the renewal", which is the last day of the period
    renewed, not the day after; s.43(9)(c) (words inserted by POFA 2012, Sch. 9 para. 9(3)):
    where the renewal takes effect later because a justice of the peace must approve it
    (s.32A(2), applied to renewals by s.43(5)), it takes effect on that later day. So: the later
    of `last_day` and `approved_on`, the day the JP approved it (DOMAIN.md §4, "Renewal"; the
    wording of s.43(9) is quoted from DOMAIN.md's second legal review, not read here).

    `approved_on` is None while the JP has not yet decided: the renewal would then take effect
    on `last_day` if approved by then.
    """
    if approved_on is None or approved_on <= last_day:
        return last_day
    return approved_on


def renewal_period(last_day: date, approved_on: date | None = None) -> tuple[date, date]:
    """The (first day, last day) of a renewal of a period whose last day is `last_day`.

    Source: RIPA s.43(3)(c) (three months "beginning with the day on which ... its latest
    renewal takes effect") with s.43(9)(b) and (c) (`renewal_takes_effect`). The renewal's
    three months begin with the old last day itself, so the two periods share that day: last
    day 14 June 2025 -> renewal runs 14 June to 13 September 2025. Where the JP approves on a
    later day, the renewal runs from that day, and the days between the old last day and the
    approval are covered by neither period (`uncovered_days`). A renewal can itself be
    renewed: pass this function's last day back in.
    """
    first_day = renewal_takes_effect(last_day, approved_on)
    return first_day, authorisation_expiry(first_day)


def uncovered_days(last_day: date, approved_on: date) -> tuple[date, date] | None:
    """The (first, last) days between a period and its late-approved renewal, or None.

    Source: RIPA s.43(3)(c) (the authorisation ceases at the end of its last day) and s.43(9)(c)
    (a renewal approved by the JP after that day takes effect only on the day of approval).
    Nothing authorises surveillance on the days between: a viewing on them is refused.
    """
    if approved_on <= last_day + _ONE_DAY:
        return None
    return last_day + _ONE_DAY, approved_on - _ONE_DAY


def covered_by(day: date, covered: tuple[tuple[date, date], ...] | list[tuple[date, date]]) -> bool:
    """Whether `day` falls within one of the (first day, last day) periods of an authorisation:
    its grant and each renewal a JP approved (s.43(3)(c), s.43(9)). A day between two periods,
    left by a renewal the JP approved after the old last day, is covered by neither."""
    return any(first <= day <= last for first, last in covered)


def can_be_renewed(last_day: date, today: date) -> bool:
    """Whether a renewal may still be granted on `today`: up to and including `last_day`.

    Source: RIPA s.43(4): a renewal may be granted "at any time before it ceases to have
    effect" (Explanatory Notes para 242), and the authorisation ceases at the end of its last
    day (s.43(3)). After that a fresh application is needed. s.43(4) limits only the
    authorising officer's renewal: a council's renewal also needs the JP's approval before it
    has effect (s.32A(2) through s.43(5)), which may come later (`renewal_takes_effect`).
    """
    return today <= last_day


def has_effect_on(
    day: date, takes_effect: date, last_day: date, cancelled_on: date | None = None
) -> bool:
    """Whether the authorisation has effect on `day`.

    Source: RIPA s.43(3)(c) (it has effect from the day it takes effect to the end of its last
    day) and s.45(1) (the person who granted or last renewed it "shall cancel it if ... the
    requirements of section 28(2)(a) and (b) ... are no longer satisfied"). Pass the last day
    of the latest renewal as `last_day`.

    A cancellation is recorded by date only, so from `cancelled_on` onwards the authorisation
    is treated as having no effect, for the whole of that day: the safe side, since surveillance
    must stop once the authorisation is cancelled.
    """
    if last_day < takes_effect:
        raise ValueError(f"last day {last_day} is before the day it takes effect {takes_effect}")
    if cancelled_on is not None and day >= cancelled_on:
        return False
    return takes_effect <= day <= last_day


def review_due_dates(takes_effect: date, last_day: date, interval_days: int) -> list[date]:
    """The days a review falls due: every `interval_days` after `takes_effect`, up to `last_day`.

    Source: the Covert Surveillance Code of Practice (2018), on reviews (the paragraph numbers
    were not confirmed in the copies read): regular reviews of authorisations should be
    undertaken, and the authorising officer determines how often, more often where the
    surveillance involves collateral intrusion or confidential information; the date and
    result of each review goes on the central record (Code para 8.1).

    The first review falls `interval_days` after the day the authorisation takes effect (not
    on that day). A review falling on `last_day` itself is included: the authorisation still
    has effect then, and the review is where it is renewed or cancelled. For a renewal, pass
    the renewal's own first and last days, or the original `takes_effect` to keep one cadence.
    """
    if isinstance(interval_days, bool) or interval_days < 1:
        raise ValueError(f"review interval must be at least 1 day, not {interval_days!r}")
    if last_day < takes_effect:
        raise ValueError(f"last day {last_day} is before the day it takes effect {takes_effect}")
    step = timedelta(days=interval_days)
    due: list[date] = []
    review = takes_effect + step
    while review <= last_day:
        due.append(review)
        review += step
    return due


def next_review_due(
    takes_effect: date, last_day: date, interval_days: int, today: date
) -> date | None:
    """The first review day on or after `today`, or None if no review falls due any more.

    Source: as `review_due_dates` (Code of Practice 2018, reviews: the authorising officer sets
    the frequency). A review due today is returned as due today. Reviews due before today are
    not reported here: compare `review_due_dates` with the reviews on the record to find those
    that were missed.
    """
    for review in review_due_dates(takes_effect, last_day, interval_days):
        if review >= today:
            return review
    return None


def review_due_after(previous: date, interval_days: int, last_day: date) -> date | None:
    """The next review: `interval_days` after the previous review (or the day it took effect).

    Source: as `review_due_dates`. Counting from the review actually held, not a fixed
    schedule, means a late review does not leave the next one due at once; a review that
    would fall after `last_day` is not due at all: the authorisation must then be renewed or
    cancelled instead.
    """
    if isinstance(interval_days, bool) or interval_days < 1:
        raise ValueError(f"review interval must be at least 1 day, not {interval_days!r}")
    due = previous + timedelta(days=interval_days)
    return due if due <= last_day else None


def next_review(
    takes_effect: date, reviews_held: list[date], interval_days: int, last_day: date
) -> date | None:
    """The next review: `interval_days` after the latest review held, or after the day the
    authorisation took effect if none has been (review_due_after)."""
    return review_due_after(max([takes_effect, *reviews_held]), interval_days, last_day)


def retention_until(ended_on: date, years: int = MINIMUM_RETENTION_YEARS) -> date:
    """The last day the record of an authorisation that ended on `ended_on` must be kept.

    Source: Covert Surveillance Code of Practice, ch. 8, para 8.1: records kept "for a period
    of at least three years from the ending of each authorisation" (words read in the Scottish
    Code's para 8.1; the England and Wales 2018 Code's para 8.1 was not in the copy read).
    `years` is the council's setting; below three is refused, because the Code sets three as
    the minimum.

    Rule: `ended_on` + `years` calendar years, by `relativedelta`. The period runs "from" the
    ending, so it starts the day after and ends on the anniversary: ended 31 March 2026 ->
    keep to 31 March 2029 inclusive, destroy from 1 April 2029. An authorisation ending on
    29 February has no anniversary in a common year; `relativedelta` takes the last day of
    February (29 February 2024 + 3 years -> 28 February 2027), as the calendar-month rule for
    a missing corresponding day does. Three whole years of 365 days have still passed.
    """
    if isinstance(years, bool) or years < MINIMUM_RETENTION_YEARS:
        raise ValueError(
            f"records must be kept for at least {MINIMUM_RETENTION_YEARS} years "
            f"(Code of Practice para 8.1), not {years!r}"
        )
    return ended_on + relativedelta(years=years)


def long_date(d: date) -> str:
    """A date as written on a page: "Wednesday 29 April 2026" (no leading zero on the day).

    Source: GOV.UK style for dates. English names are spelled out here rather than taken from
    `strftime`, so the text does not change with the server's locale.
    """
    return f"{_DAY_NAMES[d.weekday()]} {d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    """A date in a dense table: "29 Apr 2026" (GOV.UK style allows the month shortened where
    space is tight; never all-numeric, which reads differently in different countries)."""
    return f"{d.day} {_MONTH_NAMES[d.month - 1][:3]} {d.year}"


def describe_last_day(last_day: date) -> str:
    """The words shown for a last day: "has effect until 23:59 on Wednesday 29 April 2026".

    Source: RIPA s.43(3): the authorisation ceases "at the end of" its period, so it has effect
    for the whole of its last day.
    """
    return f"has effect until {END_OF_DAY} on {long_date(last_day)}"


def days_until(day: date, today: date) -> int:
    """Whole days from `today` to `day`: 0 on the day itself, negative once it has passed.

    Source: none needed; plain calendar arithmetic for "expires in N days" and "review due in
    N days" notices. `today` is a parameter, never the clock.
    """
    return (day - today).days


#: Local policy, not statute: the council asks the magistrate to approve a renewal by the last day
#: of the period renewed, so that surveillance never has a gap. RIPA s.43(4) limits only the
#: authorising officer's renewal ("at any time before it ceases to have effect"); a JP's approval
#: on a later day is lawful and takes effect that day (s.43(9)(c)). DOMAIN.md §4 lets ripa_guard
#: refuse such an approval as policy, provided it says that it is policy.
RENEWAL_COURT_POLICY = (
    "Local policy (DOMAIN.md §4): a renewal's court approval must come by the last day of the "
    "period it renews. RIPA s.43(4) requires only that the authorising officer renews before "
    "then; this limit on the court's approval is the council's own."
)


def court_approval_within_policy(last_day: date, approved_on: date) -> bool:
    """Whether a JP's approval of a renewal on `approved_on` meets the local policy: on or before
    the last day of the period renewed (RENEWAL_COURT_POLICY; policy, not s.43(4))."""
    return approved_on <= last_day


def authorisation_periods(
    takes_effect: date, renewals: list[tuple[date, date]]
) -> tuple[tuple[date, date], ...]:
    """Every (first day, last day) an authorisation had effect for: its grant, then each renewal
    a JP approved, in order (RIPA s.43(3)(c), s.43(9)). Days between two of them, left by a
    renewal approved after the old last day, are covered by neither (`covered_by`)."""
    grant = (takes_effect, authorisation_expiry(takes_effect))
    return (grant, *sorted(renewals))
