"""What the SRO's oversight records are: training, the non-RIPA register, relevant errors, policy
reviews, and inspection recommendations with the actions taken on them.

Every row here is written once and never updated or deleted, except the status and version of a
non-RIPA activity, which move forward like an application's. A change of mind is a new row: a
further training record, a new account of an error, a new action on a recommendation.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import Application, Triage
from ripa_guard.core.columns import UtcDateTime, utcnow
from ripa_guard.core.columns import stored_enum as _enum
from ripa_guard.core.db import Base

# Training ----------------------------------------------------------------------------------


class NonRipaStatus(enum.StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REFUSED = "refused"
    CLOSED = "closed"

    @property
    def title(self) -> str:
        return {
            "awaiting_approval": "Awaiting approval",
            "approved": "Approved",
            "refused": "Refused",
            "closed": "Closed",
        }[self.value]


class NonRipaActivity(Base):
    """Research outside RIPA that still interferes with privacy (ECHR Article 8), such as an
    employment investigation: the council's non-RIPA procedure (DOMAIN.md §5, "Outside RIPA")."""

    __tablename__ = "non_ripa_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Its own reference, like NR/2026/0001, allocated when it is recorded; never reused.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    #: The triage that found it outside RIPA.
    triage_id: Mapped[int] = mapped_column(ForeignKey("triages.id"), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Why the council is looking: the non-criminal purpose, e.g. a disciplinary investigation.
    purpose: Mapped[str] = mapped_column(Text)
    #: Whose privacy is interfered with: the people and the profiles or pages.
    subjects: Mapped[str] = mapped_column(Text)
    #: What will be done, how often and for how long.
    activity: Mapped[str] = mapped_column(Text)
    status: Mapped[NonRipaStatus] = mapped_column(
        _enum(NonRipaStatus, "non_ripa_status"), default=NonRipaStatus.AWAITING_APPROVAL, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: How often it is to be reviewed once approved, in days; set by the approval.
    review_interval_days: Mapped[int | None] = mapped_column(Integer)
    approved_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    #: The triage reads its non-RIPA record as `triage.non_ripa_activity`, without importing
    #: this package, which sits above it.
    triage: Mapped[Triage] = relationship(
        lazy="joined", backref=backref("non_ripa_activity", uselist=False, viewonly=True)
    )
    officer: Mapped[User] = relationship(lazy="joined", foreign_keys=[officer_id])
    assessments: Mapped[list[NonRipaAssessment]] = relationship(
        order_by="NonRipaAssessment.id", lazy="selectin", viewonly=True
    )
    decisions: Mapped[list[NonRipaDecision]] = relationship(
        order_by="NonRipaDecision.id", lazy="selectin", viewonly=True
    )
    reviews: Mapped[list[NonRipaReview]] = relationship(
        order_by="NonRipaReview.id", lazy="selectin", viewonly=True
    )
    closure: Mapped[NonRipaClosure | None] = relationship(lazy="selectin", viewonly=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def assessment(self) -> NonRipaAssessment | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def decision(self) -> NonRipaDecision | None:
        return self.decisions[-1] if self.decisions else None


class NonRipaAssessment(Base):
    """The officer's privacy assessment: why the interference is necessary and proportionate
    (ECHR Article 8(2)), the intrusion into others' privacy, and what else was considered."""

    __tablename__ = "non_ripa_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("non_ripa_activities.id"), index=True)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    necessity: Mapped[str] = mapped_column(Text)
    proportionality: Mapped[str] = mapped_column(Text)
    collateral_intrusion: Mapped[str] = mapped_column(Text)
    alternatives: Mapped[str] = mapped_column(Text)


class NonRipaDecision(Base):
    """A senior officer's approval or refusal of a non-RIPA activity."""

    __tablename__ = "non_ripa_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("non_ripa_activities.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Name and grade as they were, for the register.
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_by_grade: Mapped[str] = mapped_column(String(200))
    approved: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(Text)
    review_interval_days: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NonRipaReview(Base):
    """A review of an approved non-RIPA activity: is it still necessary and proportionate?"""

    __tablename__ = "non_ripa_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("non_ripa_activities.id"), index=True)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_by_name: Mapped[str] = mapped_column(String(200))
    reviewed_on: Mapped[date] = mapped_column(Date)
    #: True: it continues; False: it should stop, and is to be closed.
    continues: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NonRipaClosure(Base):
    """The end of a non-RIPA activity: when it stopped, why, and what happens to what it got."""

    __tablename__ = "non_ripa_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("non_ripa_activities.id"), unique=True)
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_by_name: Mapped[str] = mapped_column(String(200))
    closed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    #: What was obtained, and how it is kept, used or destroyed.
    handling: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# Relevant errors -------------------------------------------------------------------------------


class ErrorKind(enum.StrEnum):
    """The kinds of relevant error the SRO reports to IPCO (DOMAIN.md §2)."""

    NO_AUTHORISATION = "no_authorisation"
    AFTER_EXPIRY = "after_expiry"
    OUTSIDE_TERMS = "outside_terms"
    LAPSED = "lapsed"
    WRONG_DATE = "wrong_date"
    OTHER = "other"

    @property
    def title(self) -> str:
        return ERROR_KIND_TITLES[self]


ERROR_KIND_TITLES = {
    ErrorKind.NO_AUTHORISATION: "Surveillance without authorisation",
    ErrorKind.AFTER_EXPIRY: "Surveillance after the authorisation expired",
    ErrorKind.OUTSIDE_TERMS: "Surveillance outside the terms of the authorisation",
    ErrorKind.LAPSED: "Authorisation lapsed without being cancelled",
    ErrorKind.WRONG_DATE: "A date wrongly computed",
    ErrorKind.OTHER: "Another relevant error",
}


class ErrorStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REPORTED = "reported"
    DISMISSED = "dismissed"

    @property
    def title(self) -> str:
        return {
            "proposed": "Proposed: for the SRO to confirm or dismiss",
            "confirmed": "Confirmed: not yet reported to IPCO",
            "reported": "Reported to IPCO",
            "dismissed": "Dismissed",
        }[self.value]


class RelevantError(Base):
    """An error found: proposed by ripa_guard from what it saw, or recorded by the SRO.

    What ripa_guard saw, or what the SRO first recorded, stays as written; the SRO's account
    of it (and whether it was reported to IPCO) is the latest of its ErrorAccount rows.
    """

    __tablename__ = "relevant_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ErrorKind] = mapped_column(_enum(ErrorKind, "error_kind"))
    #: True when ripa_guard proposed it; False when the SRO recorded it.
    proposed_by_ripa_guard: Mapped[bool] = mapped_column(Boolean, default=False)
    #: What ripa_guard saw, e.g. "lapse:application:12": a proposal is made once.
    proposal_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: The authorisation or non-RIPA activity it concerns, when there is one.
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), default="")
    #: What ripa_guard saw, or what the SRO first wrote.
    summary: Mapped[str] = mapped_column(Text)
    #: When it happened, as far as is known.
    occurred_on: Mapped[date | None] = mapped_column(Date)
    #: When the council found it.
    found_on: Mapped[date] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    application: Mapped[Application | None] = relationship()
    accounts: Mapped[list[ErrorAccount]] = relationship(
        order_by="ErrorAccount.id", lazy="selectin", viewonly=True
    )

    @property
    def account(self) -> ErrorAccount | None:
        return self.accounts[-1] if self.accounts else None

    @property
    def status(self) -> ErrorStatus:
        account = self.account
        if account is None:
            return error_status(False, False, False)
        return error_status(True, account.dismissed, account.reported_to_ipco_on is not None)

    @property
    def current_kind(self) -> ErrorKind:
        return self.account.kind if self.account and not self.account.dismissed else self.kind


def error_status(accounted: bool, dismissed: bool, reported: bool) -> ErrorStatus:
    """An error's status from its latest account: none yet, a dismissal, or a confirmation
    with or without the day it was reported to IPCO."""
    if not accounted:
        return ErrorStatus.PROPOSED
    if dismissed:
        return ErrorStatus.DISMISSED
    if reported:
        return ErrorStatus.REPORTED
    return ErrorStatus.CONFIRMED


class ErrorAccount(Base):
    """The SRO's account of an error, confirming it or dismissing it; a later one supersedes it
    (for example to add the date it was reported to IPCO) without changing it."""

    __tablename__ = "error_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    error_id: Mapped[int] = mapped_column(ForeignKey("relevant_errors.id"), index=True)
    #: True: not a relevant error, for the reason given in `cause`.
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[ErrorKind] = mapped_column(_enum(ErrorKind, "error_kind"))
    what_happened: Mapped[str] = mapped_column(Text)
    #: Why it happened; for a dismissal, why it is not an error.
    cause: Mapped[str] = mapped_column(Text)
    action_taken: Mapped[str] = mapped_column(Text, default="")
    reported_to_ipco_on: Mapped[date | None] = mapped_column(Date)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_by_name: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# Policy and inspection ---------------------------------------------------------------------------


class PolicyReview(Base):
    """A review of the council's RIPA policy; elected members set it at least once a year
    (DOMAIN.md §2)."""

    __tablename__ = "policy_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewed_on: Mapped[date] = mapped_column(Date, index=True)
    #: Who reviewed it: "Audit and Governance Committee", or the SRO.
    reviewed_by: Mapped[str] = mapped_column(String(200))
    #: True when elected members reviewed and set it.
    by_members: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Rag(enum.StrEnum):
    """The red-amber-green grade an action was given before IPCO stopped grading findings that
    way (2021). Kept only as the history of actions recorded then; nothing new is graded."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def title(self) -> str:
        return self.value.capitalize()

    @property
    def progress(self) -> ActionProgress:
        """What the old grade meant on ripa_guard's form: red "not started, or not on track",
        amber "under way", green "done"."""
        return {
            "red": ActionProgress.NOT_STARTED,
            "amber": ActionProgress.IN_PROGRESS,
            "green": ActionProgress.COMPLETE,
        }[self.value]


#: IPCO's reports set out recommendations and also make observations (IPCO Annual Report 2018,
#: §5.6). IPCO no longer grades findings red, amber or green; its current terms were not
#: confirmed, so these two are the ones its reports are known to use.
FINDING_CATEGORY_CITATION = "IPCO Annual Report 2018, §5.6"


class FindingCategory(enum.StrEnum):
    """How IPCO's report puts a finding: a recommendation to act on, or an observation."""

    RECOMMENDATION = "recommendation"
    OBSERVATION = "observation"

    @property
    def title(self) -> str:
        return self.value.capitalize()


class ActionProgress(enum.StrEnum):
    """Where the council's action plan stands on a finding."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"

    @property
    def title(self) -> str:
        return {
            "not_started": "Not started",
            "in_progress": "In progress",
            "complete": "Complete",
        }[self.value]


class InspectionRecommendation(Base):
    """A finding of an IPCO inspection report: a recommendation or an observation."""

    __tablename__ = "inspection_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_date: Mapped[date] = mapped_column(Date, index=True)
    #: The inspector's name, as on the report.
    inspector: Mapped[str] = mapped_column(String(200))
    #: The finding's number in the report, e.g. "R1".
    number: Mapped[str] = mapped_column(String(20))
    #: Recommendation or observation, as the report puts it. Findings recorded before categories
    #: were kept were all recommendations.
    category: Mapped[FindingCategory] = mapped_column(
        _enum(FindingCategory, "finding_category"),
        default=FindingCategory.RECOMMENDATION,
        server_default=FindingCategory.RECOMMENDATION.value,
    )
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    actions: Mapped[list[RecommendationAction]] = relationship(
        order_by="RecommendationAction.id", lazy="selectin", viewonly=True
    )

    @property
    def latest_action(self) -> RecommendationAction | None:
        return self.actions[-1] if self.actions else None

    @property
    def progress(self) -> ActionProgress:
        """Where the action plan stands: as its latest action says, not started if none."""
        latest = self.latest_action
        return latest.stage if latest is not None else ActionProgress.NOT_STARTED


class RecommendationAction(Base):
    """What was done about a finding, and where that leaves the council's action plan."""

    __tablename__ = "recommendation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_recommendations.id"), index=True
    )
    action_taken: Mapped[str] = mapped_column(Text)
    #: Where the action plan stands after it. Empty on actions recorded before this was kept,
    #: which carry the red-amber-green grade they were given in `rag` instead.
    progress: Mapped[ActionProgress | None] = mapped_column(
        _enum(ActionProgress, "action_progress")
    )
    #: The old red-amber-green grade: history only, never written now.
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag, "rag"))
    written_on: Mapped[date] = mapped_column(Date)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_by_name: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def stage(self) -> ActionProgress:
        """Its progress, or for an action recorded under the old grading, what that grade meant."""
        if self.progress is not None:
            return self.progress
        return self.rag.progress if self.rag is not None else ActionProgress.NOT_STARTED
