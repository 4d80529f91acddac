"""The rules of the SRO's oversight: training currency, the policy review, and ripa_guard's own
red-amber-green readiness check. Pure.

The red-amber-green marks here are ripa_guard's own check of the council's readiness, not IPCO's:
IPCO stopped grading inspection findings red, amber and green in 2021, and ripa_guard records its
findings as recommendations and observations (oversight.models.FindingCategory).

Sources (short names as in DOMAIN.md):

- Training: IPCO expects key staff to be trained and refreshed; how often is the council's own
  setting (TRAINING_LIMIT_YEARS; three years is common practice, not an IPCO rule: DOMAIN.md §8).
  Officers who do online research are among the key staff IPCO expects trained, not only the
  authorisers (IPCO inspection findings; DOMAIN.md §8), so an officer out of date may not log a
  viewing (REQUIRE_OFFICER_TRAINING).
  The SRO must make sure that authorising officers are "of an appropriate standard" (Code of
  Practice 2018 (paragraph not confirmed)).
- Policy: elected members "review the council's use of these powers and set the policy at least
  once a year" (Code of Practice 2018 (paragraph not confirmed); DOMAIN.md §2).
- Relevant errors are reported to the Investigatory Powers Commissioner by the SRO, as soon as
  reasonably practicable and no later than ten working days after it has been established that
  a relevant error occurred (IPCO Annual Report 2018, §17.4). IPA 2016 s.231 is the
  Commissioner's own duty to inform a person of a serious error, not this ten-day rule.

Imports neither Flask nor SQLAlchemy, and never reads the clock: "today" is a parameter.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

#: DOMAIN.md §8: how often key staff are retrained is the council's setting, not IPCO's rule.
TRAINING_CITATION = "the council's training period, a local setting"
DEFAULT_TRAINING_LIMIT_YEARS = 3
#: DOMAIN.md §8: IPCO expects officers who do online research to be trained.
OFFICER_TRAINING_CITATION = "IPCO inspection findings; DOMAIN.md §8"

#: DOMAIN.md §2: members "set the policy at least once a year".
POLICY_CITATION = (
    "Code of Practice 2018 (paragraph not confirmed): elected members "
    "review the council's use of RIPA and set the policy at least once a year"
)
POLICY_REVIEW_MONTHS = 12
#: How soon before it falls due a policy review shows amber.
POLICY_DUE_SOON_DAYS = 60


class Rag(enum.StrEnum):
    """ripa_guard's own readiness marks (not IPCO's grading): red, act now; amber, act soon;
    green, in order."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def training_due_by(last_trained: date | None, limit_years: int) -> date | None:
    """The last day on which training given on `last_trained` still counts."""
    if last_trained is None:
        return None
    return last_trained + relativedelta(years=limit_years)


def training_current(
    last_trained: date | None, today: date, limit_years: int = DEFAULT_TRAINING_LIMIT_YEARS
) -> bool:
    """Trained, not in the future, and no more than `limit_years` ago (DOMAIN.md §8)."""
    due = training_due_by(last_trained, limit_years)
    return due is not None and last_trained <= today <= due


def training_rag(
    last_trained: date | None, today: date, limit_years: int, due_soon_days: int
) -> Rag:
    """Red when out of date (or never trained), amber when due within `due_soon_days`."""
    if not training_current(last_trained, today, limit_years):
        return Rag.RED
    if (training_due_by(last_trained, limit_years) - today).days <= due_soon_days:
        return Rag.AMBER
    return Rag.GREEN


def policy_review_due(last_reviewed: date | None) -> date | None:
    """The day by which elected members must next review the policy."""
    if last_reviewed is None:
        return None
    return last_reviewed + relativedelta(months=POLICY_REVIEW_MONTHS)


def policy_review_overdue(last_reviewed: date | None, today: date) -> bool:
    """More than a year since members last reviewed the policy, or never (DOMAIN.md §2)."""
    due = policy_review_due(last_reviewed)
    return due is None or today > due


def policy_rag(last_reviewed: date | None, today: date) -> Rag:
    if policy_review_overdue(last_reviewed, today):
        return Rag.RED
    if (policy_review_due(last_reviewed) - today).days <= POLICY_DUE_SOON_DAYS:
        return Rag.AMBER
    return Rag.GREEN


def worst(rags: list[Rag]) -> Rag:
    """The worst of several: one red item makes the whole section red."""
    for rag in (Rag.RED, Rag.AMBER):
        if rag in rags:
            return rag
    return Rag.GREEN


def errors_rag(proposed: int, confirmed_unreported: int) -> Rag:
    """Red: a confirmed error not yet reported to IPCO; amber: proposals the SRO has not
    decided on; green: every error decided and every confirmed one reported."""
    if confirmed_unreported:
        return Rag.RED
    if proposed:
        return Rag.AMBER
    return Rag.GREEN


def findings_rag(open_recommendations: int, unanswered: int) -> Rag:
    """The readiness mark for the last inspection's findings: red while a recommendation has no
    action recorded, amber while any is not complete, green when all are."""
    if unanswered:
        return Rag.RED
    if open_recommendations:
        return Rag.AMBER
    return Rag.GREEN


def central_record_rag(lapsed: int, reviews_overdue: int) -> Rag:
    """Red: an authorisation past its last day and not cancelled; amber: reviews overdue."""
    if lapsed:
        return Rag.RED
    if reviews_overdue:
        return Rag.AMBER
    return Rag.GREEN


def non_ripa_rag(awaiting_approval: int, reviews_overdue: int) -> Rag:
    """Amber when non-RIPA activities wait for approval or a review is overdue."""
    return Rag.AMBER if awaiting_approval or reviews_overdue else Rag.GREEN


def research_profiles_rag(in_use: int) -> Rag:
    """IPCO finds councils with no record of their covert online profiles (DOMAIN.md §8)."""
    return Rag.GREEN if in_use else Rag.AMBER


def review_due(approved_on: date | None, reviews: list[date], interval_days: int | None):
    """When the next review of an approved non-RIPA activity falls due."""
    if approved_on is None or not interval_days:
        return None
    return max([approved_on, *reviews]) + timedelta(days=interval_days)
