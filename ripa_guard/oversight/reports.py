"""The SRO's oversight: policy reviews, inspection recommendations and the actions taken, and
what the members' annual report and the inspection page gather (DOMAIN.md §2, §8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from ripa_guard.accounts import training
from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import Application, ApplicationStatus
from ripa_guard.applications.status_query import shown_status_condition
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused, commit
from ripa_guard.core.wording import plural
from ripa_guard.law import oversight_rules
from ripa_guard.law.oversight_rules import Rag as RuleRag
from ripa_guard.law.status import Shown
from ripa_guard.oversight import relevant_errors
from ripa_guard.oversight.models import (
    ActionProgress,
    ErrorStatus,
    FindingCategory,
    InspectionRecommendation,
    NonRipaActivity,
    NonRipaStatus,
    PolicyReview,
    RecommendationAction,
)
from ripa_guard.register import annual_return
from ripa_guard.viewing import capture_register


def _require_sro(actor: User) -> None:
    if not actor.has_role(Role.SRO):
        raise Refused("Only the senior responsible officer can do this.")


def _not_future(day: date, today: date, what: str) -> None:
    if day > today:
        raise Refused(f"The date {what} cannot be in the future.")


# Policy reviews -------------------------------------------------------------------------------


def record_policy_review(
    session: Session,
    actor: User,
    reviewed_on: date,
    reviewed_by: str,
    by_members: bool,
    notes: str,
    today: date,
) -> PolicyReview:
    _require_sro(actor)
    _not_future(reviewed_on, today, "of the review")
    review = PolicyReview(
        reviewed_on=reviewed_on,
        reviewed_by=reviewed_by,
        by_members=by_members,
        notes=notes,
        recorded_by_id=actor.id,
    )
    session.add(review)
    session.flush()
    audit.record(
        session,
        actor,
        "policy.reviewed",
        "policy_review",
        review.id,
        reviewed_on=reviewed_on,
        by_members=by_members,
    )
    commit(session)
    return review


def policy_reviews(session: Session) -> list[PolicyReview]:
    return list(
        session.scalars(select(PolicyReview).order_by(PolicyReview.reviewed_on.desc()).limit(50))
    )


def last_members_review(session: Session) -> date | None:
    """The last time elected members reviewed and set the policy (DOMAIN.md §2)."""
    return session.scalar(
        select(func.max(PolicyReview.reviewed_on)).where(PolicyReview.by_members.is_(True))
    )


@dataclass(frozen=True)
class PolicyStatus:
    last_reviewed: date | None
    due_by: date | None
    overdue: bool
    rag: RuleRag

    @property
    def warning(self) -> str:
        if not self.overdue:
            return ""
        if self.last_reviewed is None:
            return "There is no record of elected members reviewing the policy."
        return (
            "Elected members last reviewed the policy more than a year ago: they should review "
            "it and set it at least once a year."
        )


def policy_status(session: Session, today: date) -> PolicyStatus:
    last = last_members_review(session)
    return PolicyStatus(
        last,
        oversight_rules.policy_review_due(last),
        oversight_rules.policy_review_overdue(last, today),
        oversight_rules.policy_rag(last, today),
    )


# Inspection recommendations -------------------------------------------------------------------


def record_recommendation(
    session: Session,
    actor: User,
    inspection_date: date,
    inspector: str,
    number: str,
    text: str,
    today: date,
    category: FindingCategory = FindingCategory.RECOMMENDATION,
) -> InspectionRecommendation:
    """A finding of an IPCO inspection, as its report puts it: a recommendation or an
    observation (FINDING_CATEGORY_CITATION)."""
    _require_sro(actor)
    _not_future(inspection_date, today, "of the inspection")
    recommendation = InspectionRecommendation(
        inspection_date=inspection_date,
        inspector=inspector,
        number=number,
        category=category,
        text=text,
        recorded_by_id=actor.id,
    )
    session.add(recommendation)
    session.flush()
    audit.record(
        session,
        actor,
        "inspection.recommendation_recorded",
        "recommendation",
        recommendation.id,
        number=number,
        category=category.value,
        inspection_date=inspection_date,
    )
    commit(session)
    return recommendation


def record_action(
    session: Session,
    actor: User,
    recommendation: InspectionRecommendation,
    action_taken: str,
    progress: ActionProgress,
    today: date,
) -> RecommendationAction:
    """What was done about a finding, and where that leaves the council's action plan."""
    _require_sro(actor)
    action = RecommendationAction(
        recommendation_id=recommendation.id,
        action_taken=action_taken,
        progress=progress,
        written_on=today,
        written_by_id=actor.id,
        written_by_name=actor.name,
    )
    session.add(action)
    session.flush()
    audit.record(
        session,
        actor,
        "inspection.action_recorded",
        "recommendation",
        recommendation.id,
        action_id=action.id,
        progress=progress.value,
    )
    commit(session)
    session.expire(recommendation, ["actions"])
    return action


def last_inspection(session: Session) -> date | None:
    return session.scalar(select(func.max(InspectionRecommendation.inspection_date)))


def recommendations(
    session: Session, inspection_date: date | None = None
) -> list[InspectionRecommendation]:
    query = select(InspectionRecommendation).order_by(
        InspectionRecommendation.inspection_date.desc(), InspectionRecommendation.id
    )
    if inspection_date is not None:
        query = query.where(InspectionRecommendation.inspection_date == inspection_date)
    return list(session.scalars(query.limit(200)))


# Reports ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembersReport:
    year: int
    #: The year's figures as of the day taken (annual_return.taken): .figures, .note, .as_of.
    annual: annual_return.AnnualReturn
    errors: list
    error_counts: dict
    training: list
    policy: PolicyStatus
    non_ripa_recorded: int
    #: The captured material register: the year's captures and destructions, what is due now.
    captures: capture_register.YearFigures

    @property
    def figures(self) -> list:
        return self.annual.figures

    @property
    def errors_awaiting(self) -> int:
        return self.error_counts[ErrorStatus.PROPOSED]


def members_report(session: Session, year: int, today: date) -> MembersReport:
    """The yearly report to elected members: the year's figures, errors, training, the policy."""
    found = relevant_errors.errors(session, year)
    return MembersReport(
        year=year,
        annual=annual_return.taken(session, year, today),
        errors=[e for e in found if e.status != ErrorStatus.DISMISSED],
        error_counts=relevant_errors.counts(found),
        training=training.statuses(session, today),
        policy=policy_status(session, today),
        non_ripa_recorded=session.scalar(
            select(func.count()).where(NonRipaActivity.reference.like(f"%/{year}/%"))
        )
        or 0,
        captures=capture_register.year_figures(session, year, today),
    )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rag: RuleRag
    summary: str


def _reviews_overdue(session: Session, today: date) -> int:
    """Live authorisations whose stored next review date has passed (lifecycle.keep_next_review)."""
    return session.scalar(
        select(func.count()).where(
            Application.status == ApplicationStatus.ACTIVE,
            Application.last_day >= today,
            Application.next_review_on < today,
        )
    )


def inspection_sections(
    session: Session,
    today: date,
    people: training.TrainingSummary | None = None,
    tally: dict[ErrorStatus, int] | None = None,
) -> list[Section]:
    """Each part of what inspectors ask for, marked red, amber or green, with why."""
    from ripa_guard.oversight import non_ripa
    from ripa_guard.viewing.models import ResearchProfile

    lapsed = session.scalar(select(func.count()).where(shown_status_condition(Shown.LAPSED, today)))
    reviews_overdue = _reviews_overdue(session, today)
    approved = session.scalars(
        select(NonRipaActivity).where(NonRipaActivity.status == NonRipaStatus.APPROVED)
    ).all()
    nr_overdue = sum(
        1 for a in approved if (due := non_ripa.next_review(a)) is not None and due < today
    )
    nr_waiting = session.scalar(
        select(func.count()).where(NonRipaActivity.status == NonRipaStatus.AWAITING_APPROVAL)
    )
    # Only whether each is in use: not everyone each one is granted to (issue 19).
    profiles_in_use = sum(
        1
        for p in session.scalars(select(ResearchProfile).options(lazyload(ResearchProfile.grants)))
        if p.in_use_on(today)
    )
    people = people or training.summary(session, today)
    tally = tally or relevant_errors.status_counts(session)
    policy = policy_status(session, today)
    recs = recommendations(session, last_inspection(session))
    acted_on = [r for r in recs if r.category == FindingCategory.RECOMMENDATION]
    return [
        Section(
            "central-record",
            "Central record",
            oversight_rules.central_record_rag(lapsed, reviews_overdue),
            f"{lapsed} lapsed and not cancelled; {reviews_overdue} with a review overdue.",
        ),
        Section(
            "non-ripa",
            "Non-RIPA register",
            oversight_rules.non_ripa_rag(nr_waiting, nr_overdue),
            f"{nr_waiting} awaiting approval; {nr_overdue} with a review overdue.",
        ),
        Section(
            "research-profiles",
            "Research profiles",
            oversight_rules.research_profiles_rag(profiles_in_use),
            f"{profiles_in_use} research profiles in use.",
        ),
        Section(
            "training",
            "Training",
            people.rag,
            f"{people.deciders_out_of_date} of {people.deciders} authorising "
            f"officers out of date; {people.due_or_out_of_date} of "
            f"{people.people} people due or out of date.",
        ),
        Section(
            "errors",
            "Errors",
            oversight_rules.errors_rag(tally[ErrorStatus.PROPOSED], tally[ErrorStatus.CONFIRMED]),
            f"{tally[ErrorStatus.PROPOSED]} proposed and not decided; "
            f"{tally[ErrorStatus.CONFIRMED]} confirmed and not reported to IPCO; "
            f"{tally[ErrorStatus.REPORTED]} reported.",
        ),
        Section(
            "policy",
            "Policy",
            policy.rag,
            policy.warning or "Reviewed by elected members within the last year.",
        ),
        Section(
            "recommendations",
            "Findings of the last inspection",
            oversight_rules.findings_rag(
                sum(1 for r in acted_on if r.progress != ActionProgress.COMPLETE),
                sum(1 for r in acted_on if r.latest_action is None),
            ),
            f"{plural(len(acted_on), 'recommendation')} and "
            f"{plural(len(recs) - len(acted_on), 'observation')}; "
            f"{plural(sum(1 for r in acted_on if r.progress == ActionProgress.COMPLETE), 'recommendation')} "
            "complete.",
        ),
    ]
