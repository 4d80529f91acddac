"""How long captured material is kept, when it is reviewed, and when it is due for destruction.

Sources, as far as they were read:

- Covert Surveillance and Property Interference Code of Practice (2018), chapter 9, on the
  handling, retention and destruction of material obtained by surveillance: material is kept
  only while it is needed for an authorised purpose (or for proceedings), its continued
  retention is reviewed at appropriate intervals, and it is securely destroyed when it is no
  longer needed. The paragraph numbers were not confirmed: the copies found by search held
  the Code's contents and other chapters, not the text of chapter 9 itself.
- Data Protection Act 2018 Part 3 (law enforcement processing), s.39 (the fifth principle,
  storage limitation): personal data is kept no longer than necessary, and "appropriate time
  limits must be established for the periodic review of the need for the continued storage"
  of personal data (s.39(2); words as commonly quoted, not read from legislation.gov.uk here).

So every capture gets a review date (the periodic review) and a destroy-by date (the most it is
kept without a review deciding to keep it). A review either keeps it, with a reason, until a
new date no further off than the keep period allows, or decides it is destroyed now.

Pure: imports neither Flask nor SQLAlchemy, and never reads the clock.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

CITATION = (
    "Covert Surveillance and Property Interference Code of Practice (2018), ch. 9 (handling, "
    "retention and destruction of material); Data Protection Act 2018 s.39 (storage limitation)"
)

#: Defaults for the council's settings CAPTURE_REVIEW_MONTHS and CAPTURE_KEEP_MONTHS.
REVIEW_MONTHS = 6
KEEP_MONTHS = 12


class Result(enum.StrEnum):
    """What a review of a capture's retention decided."""

    KEEP = "keep"
    DESTROY = "destroy"


class Standing(enum.StrEnum):
    """Where a capture stands on a day, from its dates and whether it was destroyed."""

    DESTROYED = "destroyed"
    DESTRUCTION_DUE = "destruction_due"
    REVIEW_DUE = "review_due"
    KEPT = "kept"

    @property
    def title(self) -> str:
        return {
            "destroyed": "Destroyed",
            "destruction_due": "Destruction due",
            "review_due": "Review due",
            "kept": "Kept",
        }[self.value]


@dataclass(frozen=True)
class Dates:
    """When a capture is next reviewed (None once a review decided to destroy it), and the
    day by which it is destroyed unless a review keeps it."""

    review_on: date | None
    destroy_by: date


def first_dates(captured_on: date, review_months: int, keep_months: int) -> Dates:
    """A new capture's dates: reviewed `review_months` after the day it was captured, destroyed
    `keep_months` after it unless a review keeps it (Code ch. 9; DPA 2018 s.39(2)). The review
    never falls after the destroy-by date."""
    destroy_by = captured_on + relativedelta(months=keep_months)
    review_on = min(captured_on + relativedelta(months=review_months), destroy_by)
    return Dates(review_on=review_on, destroy_by=destroy_by)


def longest_keep(reviewed_on: date, keep_months: int) -> date:
    """The furthest date a review may keep material until: one keep period from the review."""
    return reviewed_on + relativedelta(months=keep_months)


def keep_problem(reviewed_on: date, keep_until: date | None, keep_months: int) -> str | None:
    """Why a review may not keep material until `keep_until`, or None when it may."""
    if keep_until is None:
        return "Enter the date it is to be kept until"
    if keep_until <= reviewed_on:
        return "The date it is kept until must be in the future"
    furthest = longest_keep(reviewed_on, keep_months)
    if keep_until > furthest:
        return (
            f"Keep it no longer than {keep_months} months at a time (until {furthest:%-d %B %Y} "
            "at the latest): review it again then (DPA 2018 s.39(2), periodic review)"
        )
    return None


def dates_after_review(
    result: Result, reviewed_on: date, keep_until: date | None, review_months: int
) -> Dates:
    """The dates a review sets. Kept: destroyed by `keep_until`, reviewed again at the latest
    one review interval from now. Destroy: due for destruction today, with no further review."""
    if result is Result.DESTROY:
        return Dates(review_on=None, destroy_by=reviewed_on)
    assert keep_until is not None
    return Dates(
        review_on=min(reviewed_on + relativedelta(months=review_months), keep_until),
        destroy_by=keep_until,
    )


def standing(review_on: date | None, destroy_by: date, destroyed: bool, today: date) -> Standing:
    """Destroyed; destruction due (the destroy-by date has come); review due (the review date
    has come); or kept."""
    if destroyed:
        return Standing.DESTROYED
    if today >= destroy_by:
        return Standing.DESTRUCTION_DUE
    if review_on is not None and today >= review_on:
        return Standing.REVIEW_DUE
    return Standing.KEPT
