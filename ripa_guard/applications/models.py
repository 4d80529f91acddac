"""What the data is: triages, applications and their subjects, and the authorisation's life."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ripa_guard.accounts.models import User
from ripa_guard.core.columns import UtcDateTime, stored_enum, utcnow
from ripa_guard.core.db import Base
from ripa_guard.law import periods
from ripa_guard.law.decision_rules import ELEMENTS, Element
from ripa_guard.law.profile_identity import profile_identities
from ripa_guard.law.status import Shown, shown_status
from ripa_guard.law.threshold import describe_maximum
from ripa_guard.law.triage import Outcome
from ripa_guard.law.viewing_rules import reference_key


class Triage(Base):
    """An officer's description of planned online research, and what ripa_guard made of it."""

    __tablename__ = "triages"
    #: The central record lists plans stopped at the crime threshold, newest first.
    __table_args__ = (Index("ix_triages_outcome_completed_at", "outcome", "completed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: A short name the officer gives the research, to find it again.
    title: Mapped[str] = mapped_column(String(200), default="")
    #: The service's own case reference, if the officer gave one, and it as a viewing names it
    #: (viewing_rules.reference_key): how the viewing gate finds the triages of an investigation.
    case_reference: Mapped[str] = mapped_column(String(100), default="", server_default="")
    investigation_key: Mapped[str] = mapped_column(
        String(100), default="", server_default="", index=True
    )
    #: The answers to forms/triage.toml, by question name.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Set when the outcome is given; the answers are then frozen.
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[Outcome | None] = mapped_column(stored_enum(Outcome, "outcome"), index=True)
    #: The reasons given, each {"text", "citation"}.
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    #: Offence codes named, and the threshold verdict at the time of the triage.
    offence_codes: Mapped[list] = mapped_column(JSON, default=list)
    threshold_met: Mapped[bool | None] = mapped_column(Boolean)
    threshold_reason: Mapped[str] = mapped_column(Text, default="")
    #: For a plan that cannot be authorised, its own reference on the central record, like
    #: RIPA/2026/NM0001 ("not made"): allocated once, when the outcome is given (urn.py).
    reference: Mapped[str | None] = mapped_column(String(40), unique=True, index=True)
    #: Set when the officer's offence is not in the register and the plan would be directed
    #: surveillance: it waits for the RIPA coordinator before the threshold is checked.
    held_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The coordinator's resolution: the offence added, or why it could not be.
    offence_resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    offence_resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    offence_resolution: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    officer: Mapped[User] = relationship(lazy="joined", foreign_keys=[officer_id])
    offence_resolved_by: Mapped[User | None] = relationship(foreign_keys=[offence_resolved_by_id])
    application: Mapped[Application | None] = relationship(back_populates="triage")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def is_held(self) -> bool:
        """Waiting for the RIPA coordinator to add the officer's offence to the register."""
        return self.held_at is not None and self.offence_resolved_at is None


class CouncilOffence(Base):
    """An offence the RIPA coordinator added to the register for a plan whose offence was not
    listed. Read with registers/offences.csv (the file wins where a code is in both); written
    once, checked as a row of the file is (offences.offence_from_fields)."""

    __tablename__ = "council_offences"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(400))
    act: Mapped[str] = mapped_column(String(400))
    section: Mapped[str] = mapped_column(String(100))
    max_custodial_months: Mapped[int | None] = mapped_column(Integer)
    threshold_exception: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text)
    #: The plan that asked for it, and who added it when.
    triage_id: Mapped[int | None] = mapped_column(ForeignKey("triages.id"))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    REFUSED = "refused"
    AWAITING_COURT = "awaiting_court"
    ACTIVE = "active"
    COURT_REFUSED = "court_refused"
    QUASHED = "quashed"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"

    @property
    def title(self) -> str:
        """The stored state in words, for messages about what can be done next. What a person
        sees as the status is `Application.shown_status(today)` (law.status), never this."""
        return STATUS_TITLES[self]


STATUS_TITLES = {
    ApplicationStatus.DRAFT: "Draft",
    ApplicationStatus.SUBMITTED: "Awaiting decision",
    ApplicationStatus.RETURNED: "Returned for more information",
    ApplicationStatus.REFUSED: "Refused",
    ApplicationStatus.AWAITING_COURT: "Awaiting magistrate",
    ApplicationStatus.ACTIVE: "Approved by the magistrate",
    ApplicationStatus.COURT_REFUSED: "Refused by magistrate",
    ApplicationStatus.QUASHED: "Quashed by magistrate",
    ApplicationStatus.CANCELLED: "Cancelled",
    ApplicationStatus.WITHDRAWN: "Withdrawn",
}


def _trigram_index(name: str, column: str) -> Index:
    """A PostgreSQL pg_trgm index for "contains" searches (migration 0009); none on SQLite."""
    return Index(
        name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}
    ).ddl_if(dialect="postgresql")


def periods_in_effect(
    takes_effect: date | None, renewed: list[tuple[date, date]]
) -> tuple[tuple[date, date], ...]:
    """The grant's period and each approved renewal's (first day, last day), once it has taken
    effect (periods.authorisation_periods); none before."""
    if takes_effect is None:
        return ()
    return periods.authorisation_periods(takes_effect, renewed)


#: Application.searched: the newline between the quotes is text_search.FOLD_SEPARATOR.
SEARCHED = "lower(coalesce(urn, '') || '\n' || investigation_title)"

#: What the register's period filter reads of an entry (central_record.narrowed), and its URN.
_PERIOD = ("takes_effect", "cancelled_on", "last_day", "urn")


class Application(Base):
    """An application for a directed surveillance authorisation (RIPA s.28)."""

    __tablename__ = "applications"
    __table_args__ = (
        # The register lists newest first, of every status or of one; each order's index
        # holds what a period filter asks of an entry (submitted in it, or in force during it)
        # and its status, so a year's register is listed and counted from an index alone
        # (migration 0031).
        Index("ix_applications_submitted_at_id", "submitted_at", "id", *_PERIOD, "status"),
        Index("ix_applications_status_submitted_at", "status", "submitted_at", "id", *_PERIOD),
        # With the id, so "in force" and "lapsed" are counted from the index alone, destroyed
        # entries left out by id (PostgreSQL's INCLUDE; SQLite's indexes hold the id already).
        Index("ix_applications_status_last_day", "status", "last_day", postgresql_include=["id"]),
        # The last day too, so the reviews due are counted from the index alone (migration 0029).
        Index("ix_applications_status_next_review_on", "status", "next_review_on", "last_day"),
        Index("ix_applications_status_grant_approved_at", "status", "grant_approved_at"),
        # The search box reads URN and title from this index alone on SQLite (central_record.
        # _search); PostgreSQL reads them folded (`searched`): a trigram index finds a rare
        # text, and an index of the entries' folded text alone, read until enough are found,
        # a common one (migration 0033).
        Index("ix_applications_search", "investigation_title", "urn").ddl_if(dialect="sqlite"),
        _trigram_index("ix_applications_searched_trgm", "searched"),
        Index(
            "ix_applications_searched",
            "id",
            postgresql_include=["searched"],
            postgresql_where=text("urn IS NOT NULL"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique reference number, allocated at first submission and never changed or reused.
    urn: Mapped[str | None] = mapped_column(String(40), unique=True)
    triage_id: Mapped[int] = mapped_column(ForeignKey("triages.id"), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        stored_enum(ApplicationStatus, "application_status"),
        default=ApplicationStatus.DRAFT,
        index=True,
    )
    #: The investigation's title and the service's own case reference.
    investigation_title: Mapped[str] = mapped_column(String(200), default="")
    case_reference: Mapped[str] = mapped_column(String(100), default="")
    #: Every offence the conduct is believed to constitute (SI 2010/521 art. 7A(2)-(3): "the
    #: criminal offence or one of the criminal offences"), as register codes in the officer's
    #: order, and for each, by code, the facts for each of its elements in the officer's words.
    offence_codes: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    offence_facts: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    #: The first of offence_codes, kept for filters and older readers (migration 0016).
    offence_code: Mapped[str] = mapped_column(String(40), default="")
    #: What the register said of the offences when the application was submitted: at the top
    #: level the first offence that meets the crime threshold, and under "offences" each
    #: offence named with its own verdict (entries before migration 0016 have one offence).
    offence_snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Whether confidential or legally privileged information is likely (Code Annex A).
    confidential_likely: Mapped[bool | None] = mapped_column(Boolean)
    #: The answers to forms/application.toml, by question name.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Set by the JP's approval: the day it takes effect (RIPA s.32A(3)), the last day of the
    #: current period (first grant or latest renewal), and how often it is reviewed.
    takes_effect: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date, index=True)
    review_interval_days: Mapped[int | None] = mapped_column(Integer)
    #: When the next review falls due (periods.next_review), kept by the lifecycle at each
    #: approval, review and renewal, so the dashboard reads the reviews due by index instead of
    #: working the date out for every live authorisation (migration 0021). None: none is due.
    next_review_on: Mapped[date | None] = mapped_column(Date)
    #: When an authorising officer last approved the grant itself (not a renewal), kept by the
    #: lifecycle: the home page orders the grants awaiting the magistrate by it (s.32A) without
    #: reading every one's decisions (migration 0029). None until the grant is approved.
    grant_approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The authorising officer who granted it, and whether they were directly involved.
    authorised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    directly_involved: Mapped[bool | None] = mapped_column(Boolean)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    #: The URN and the investigation's title in lower case, one after the other with a newline
    #: between them (text_search.FOLD_SEPARATOR), written by the database: what the search box
    #: reads on PostgreSQL, with LIKE, where ILIKE lowered both columns on every row it read
    #: (text_search._folded). Stored on PostgreSQL; on SQLite a virtual column nothing reads
    #: (migration 0033 makes each).
    searched: Mapped[str] = mapped_column(Text, Computed(SEARCHED), deferred=True)
    #: The case reference (or else the URN) and the URN as a viewing names them, normalised by
    #: viewing_rules.reference_key: a viewing finds its investigation's authorisations by index,
    #: not by reading the register. Kept in step by the listeners below.
    investigation_key: Mapped[str] = mapped_column(String(100), default="", index=True)
    urn_key: Mapped[str] = mapped_column(String(40), default="", index=True)
    #: For an entry imported from the council's earlier central record (register/importing.py):
    #: the file's name and when it was imported; None for entries made in ripa_guard.
    imported_from: Mapped[str | None] = mapped_column(String(300))
    imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The file's SHA-256, its row, the day the entry ended ("ended_on", for its retention), and
    #: under "items" every Code item of the row as the council recorded it, by extract header.
    imported: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)

    triage: Mapped[Triage] = relationship(back_populates="application", lazy="joined")
    officer: Mapped[User] = relationship(lazy="joined", foreign_keys=[officer_id])
    authorised_by: Mapped[User | None] = relationship(foreign_keys=[authorised_by_id])
    subjects: Mapped[list[Subject]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="Subject.id",
        lazy="selectin",
    )

    __mapper_args__ = {"version_id_col": version}

    decisions: Mapped[list[AuthorisingDecision]] = relationship(
        order_by="AuthorisingDecision.id", lazy="selectin", viewonly=True
    )
    hearings: Mapped[list[CourtHearing]] = relationship(
        order_by="CourtHearing.id", lazy="selectin", viewonly=True
    )
    renewals: Mapped[list[Renewal]] = relationship(
        order_by="Renewal.id", lazy="selectin", viewonly=True
    )
    reviews: Mapped[list[Review]] = relationship(
        order_by="Review.id", lazy="selectin", viewonly=True
    )
    cancellation: Mapped[Cancellation | None] = relationship(lazy="selectin", viewonly=True)
    destruction: Mapped[Destruction | None] = relationship(lazy="selectin", viewonly=True)

    @property
    def is_editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)

    @property
    def offences_named(self) -> list[dict]:
        """Each offence named as the snapshot recorded it at submission, with whether it meets
        the crime threshold; an entry from before migration 0016 names its one offence."""
        snapshot = self.offence_snapshot or {}
        if "offences" in snapshot:
            return list(snapshot["offences"])
        if not snapshot:
            return []
        facts = (self.offence_facts or {}).get(snapshot.get("code", ""), "")
        return [
            {
                **snapshot,
                "maximum": (
                    describe_maximum(snapshot["max_custodial_months"])
                    if "max_custodial_months" in snapshot
                    else ""
                ),
                "meets": True,
                "facts": facts or (self.answers or {}).get("offence_details", ""),
            }
        ]

    def shown_status(self, today: date) -> Shown:
        """The status a person sees on `today`: the one rule, law.status.shown_status."""
        return shown_status(
            self.status.value,
            today,
            self.last_day,
            renewal_pending=self.status == ApplicationStatus.ACTIVE
            and self.pending_renewal is not None,
            destroyed=self.destruction is not None,
        )

    def is_lapsed(self, today: date) -> bool:
        """Past its last day and not cancelled: it still needs cancelling (law.status)."""
        return self.status == ApplicationStatus.ACTIVE and (
            shown_status(self.status.value, today, self.last_day) == Shown.LAPSED
        )

    def periods_in_effect(self) -> tuple[tuple[date, date], ...]:
        """The grant's period and each renewal's a JP approved (periods.authorisation_periods)."""
        renewed = [
            (r.starts_on, r.ends_on) for r in self.renewals if r.status == RenewalStatus.APPROVED
        ]
        return periods_in_effect(self.takes_effect, renewed)

    def has_effect_on(self, today: date) -> bool:
        return (
            self.status == ApplicationStatus.ACTIVE
            and self.takes_effect is not None
            and self.takes_effect <= today <= self.last_day
            and periods.covered_by(today, self.periods_in_effect())
        )

    @property
    def grantor_decision(self) -> AuthorisingDecision | None:
        """The approval by the officer who granted or last renewed it: the one who must cancel
        it (RIPA s.45(1)). A renewal counts once the magistrate has approved it."""
        renewed = {r.id for r in self.renewals if r.status == RenewalStatus.APPROVED}
        approvals = [
            d
            for d in self.decisions
            if d.decision == Decision.APPROVED and (d.renewal_id is None or d.renewal_id in renewed)
        ]
        return approvals[-1] if approvals else None

    @property
    def pending_renewal(self) -> Renewal | None:
        open_states = (RenewalStatus.REQUESTED, RenewalStatus.AWAITING_COURT)
        return next((r for r in self.renewals if r.status in open_states), None)

    @property
    def latest_approval(self) -> AuthorisingDecision | None:
        approved = [
            d for d in self.decisions if d.decision == Decision.APPROVED and d.renewal_id is None
        ]
        return approved[-1] if approved else None


class Subject(Base):
    """A person or organisation the surveillance is directed at, with their online profiles."""

    __tablename__ = "subjects"
    __table_args__ = (_trigram_index("ix_subjects_name_trgm", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    #: The name if known, or a description such as "the seller using the name 'Bargain Bags'".
    name: Mapped[str] = mapped_column(String(200))
    #: Anything else that identifies them: aliases, trading names, address.
    description: Mapped[str] = mapped_column(Text, default="")
    #: The profiles or pages to be viewed, each {"platform", "url"}.
    profiles: Mapped[list] = mapped_column(JSON, default=list)

    application: Mapped[Application] = relationship(back_populates="subjects")
    #: Each profile's identity (profile_identity.identify), one row each, set with `profiles`.
    identities: Mapped[list[SubjectIdentity]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", passive_deletes=True
    )

    @validates("profiles")
    def _identify_profiles(self, _key, profiles: list) -> list:
        self.identities = [SubjectIdentity(identity=one) for one in profile_identities(profiles)]
        return profiles


class SubjectIdentity(Base):
    """One profile a subject is known by, as its identity: how a viewing finds, by index, the
    profiles the council has recorded as the same subject's (viewing_log._ties)."""

    __tablename__ = "subject_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subjects.id", ondelete="CASCADE"), index=True
    )
    identity: Mapped[str] = mapped_column(String(400), index=True)


@event.listens_for(Triage, "before_insert")
@event.listens_for(Triage, "before_update")
def _keep_triage_key(_mapper, _connection, record: Triage) -> None:
    record.investigation_key = reference_key(record.case_reference or "")[:100]


@event.listens_for(Application, "before_insert")
@event.listens_for(Application, "before_update")
def _keep_reference_keys(_mapper, _connection, application: Application) -> None:
    application.urn_key = reference_key(application.urn or "")[:40]
    application.investigation_key = (
        reference_key(application.case_reference or "") or application.urn_key
    )[:100]


class UrnSequence(Base):
    """The last URN number used per prefix and year; one row per year keeps URNs gapless."""

    __tablename__ = "urn_sequences"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class RegisterSize(Base):
    """How many entries the central record holds (applications with a URN), kept by triggers
    on applications (migration 0030) so the register's page need not count them (issue 19).

    One row, id 1. Written only by the database's own triggers, in the transaction that gives
    or takes away a URN, so it is never ahead of or behind the entries that transaction sees.
    """

    __tablename__ = "register_size"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)


#: The years whose registers are kept counted (RegisterYear): those the register's filter takes.
REGISTER_YEARS = range(2000, 2101)


class RegisterYear(Base):
    """How many entries are on one year's register (submitted in it, or having effect at any
    time during it: central_record.narrowed), kept by triggers on applications (migration 0032)
    so the register's page filtered by a year need not count them (issue 19).

    One row for each of REGISTER_YEARS, written only by the database's own triggers.
    """

    __tablename__ = "register_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entries: Mapped[int] = mapped_column(Integer)
    #: Of those, the entries submitted after the year, or with no date of submission (an old
    #: register's dates may run backwards): while none, the year's page, newest first, can
    #: start reading at the year's end.
    submitted_later: Mapped[int] = mapped_column(Integer)


# The authorisation's life (issue: decision, magistrate, reviews, renewal, cancellation). Each
# row below is an entry of the central record: written once, never updated or deleted.


class Decision(enum.StrEnum):
    APPROVED = "approved"
    REFUSED = "refused"
    RETURNED = "returned"


class AuthorisingDecision(Base):
    """An authorising officer's decision on an application or a renewal (RIPA s.28, s.43(4))."""

    __tablename__ = "authorising_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    #: Set when the decision is on a renewal rather than the first grant.
    renewal_id: Mapped[int | None] = mapped_column(ForeignKey("renewals.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Name and grade as they were when the decision was made, for the central record.
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_by_grade: Mapped[str] = mapped_column(String(200))
    decision: Mapped[Decision] = mapped_column(stored_enum(Decision, "decision"))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: In the authorising officer's own words: who, what, which profiles, for what purpose.
    what_authorised: Mapped[str] = mapped_column(Text, default="")
    #: For a refusal or return, why; for an approval, anything said besides the statements.
    reasons: Mapped[str] = mapped_column(Text, default="")
    #: On an approval, the authorising officer's own statements (law/decision_rules.ELEMENTS):
    #: why necessary (RIPA s.28(2)(a), (3)(b)), the Code's four elements of proportionality,
    #: and collateral intrusion. Empty on decisions recorded before migration 0014.
    necessity: Mapped[str] = mapped_column(Text, default="", server_default="")
    proportionality_balance: Mapped[str] = mapped_column(Text, default="", server_default="")
    proportionality_least_intrusive: Mapped[str] = mapped_column(
        Text, default="", server_default=""
    )
    proportionality_appropriate: Mapped[str] = mapped_column(Text, default="", server_default="")
    proportionality_alternatives: Mapped[str] = mapped_column(Text, default="", server_default="")
    collateral_intrusion: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: How often it is to be reviewed, in days.
    review_interval_days: Mapped[int | None] = mapped_column(Integer)
    #: Whether the authorising officer is directly involved in the investigation (Code 5.7).
    directly_involved: Mapped[bool] = mapped_column(Boolean, default=False)
    directly_involved_reason: Mapped[str] = mapped_column(Text, default="")
    #: On an approval, the authorising officer's answer to: is the conduct genuinely believed
    #: to constitute the offence(s) that meet the threshold, not named to clear it (SI 2010/521
    #: art. 7A(2)-(3); DOMAIN.md §1). None on other decisions and those before migration 0016.
    offences_genuine: Mapped[bool | None] = mapped_column(Boolean)

    decided_by: Mapped[User] = relationship(lazy="joined")

    @property
    def statements(self) -> list[tuple[Element, str]]:
        """The statements given, each with the element it answers; none on older decisions."""
        return [(e, getattr(self, e.name)) for e in ELEMENTS if getattr(self, e.name)]


class CourtOutcome(enum.StrEnum):
    """A JP's decision on a council's authorisation or renewal (RIPA ss.32A and 32B): approve,
    or refuse to approve; and, at a later step, quash what was refused (s.32B(3)), only after the
    council has had two business days to make representations (CrimPR 2020 r.47.52(2))."""

    APPROVED = "approved"
    REFUSED = "refused"
    QUASHED = "quashed"

    @property
    def title(self) -> str:
        return {
            "approved": "Approved",
            "refused": "Refused to approve",
            "quashed": "Quashed",
        }[self.value]


class CourtHearing(Base):
    """An attendance at the magistrates' court for judicial approval (RIPA s.32A, s.32B)."""

    __tablename__ = "court_hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    renewal_id: Mapped[int | None] = mapped_column(ForeignKey("renewals.id"), index=True)
    court: Mapped[str] = mapped_column(String(200))
    hearing_date: Mapped[date] = mapped_column(Date)
    magistrate: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[CourtOutcome] = mapped_column(stored_enum(CourtOutcome, "court_outcome"))
    #: The date and time of the JP's decision: an approval takes effect that day.
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined")


class RenewalStatus(enum.StrEnum):
    REQUESTED = "requested"
    REFUSED = "refused"
    AWAITING_COURT = "awaiting_court"
    APPROVED = "approved"
    COURT_REFUSED = "court_refused"
    QUASHED = "quashed"
    WITHDRAWN = "withdrawn"

    @property
    def title(self) -> str:
        return {
            "requested": "Awaiting decision",
            "refused": "Refused",
            "awaiting_court": "Awaiting magistrate",
            "approved": "Approved",
            "court_refused": "Refused by magistrate",
            "quashed": "Quashed by magistrate",
            "withdrawn": "Withdrawn",
        }[self.value]


class Renewal(Base):
    """A request to renew an authorisation before it ceases (RIPA s.43(4)) and what became of it."""

    __tablename__ = "renewals"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Why the surveillance is still needed, and what it has obtained so far.
    reasons: Mapped[str] = mapped_column(Text)
    obtained_so_far: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RenewalStatus] = mapped_column(
        stored_enum(RenewalStatus, "renewal_status"), default=RenewalStatus.REQUESTED, index=True
    )
    #: The period it runs for (RIPA s.43(3)(c), s.43(9)): from the last day of the period it
    #: renews, or from the JP's approval if that came later. Set when asked for, on the
    #: assumption of a timely approval, and again from the JP's decision.
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    requested_by: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class ReviewOutcome(enum.StrEnum):
    CONTINUE = "continue"
    CANCEL = "cancel"


class Review(Base):
    """A review by the authorising officer: its date, its result, and why."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_by_name: Mapped[str] = mapped_column(String(200))
    reviewed_on: Mapped[date] = mapped_column(Date)
    #: The review date it answered, so a late review shows as late.
    due_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[ReviewOutcome] = mapped_column(stored_enum(ReviewOutcome, "review_outcome"))
    reasons: Mapped[str] = mapped_column(Text)
    #: The interval until the next review, which the authorising officer may change.
    next_interval_days: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Cancellation(Base):
    """The cancellation of an authorisation (RIPA s.45): when surveillance stopped and why."""

    __tablename__ = "cancellations"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    cancelled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cancelled_by_name: Mapped[str] = mapped_column(String(200))
    cancelled_by_grade: Mapped[str] = mapped_column(String(200))
    cancelled_on: Mapped[date] = mapped_column(Date)
    #: When the officers were told to stop: the end of the surveillance in fact.
    stop_instructed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)
    #: What the surveillance obtained, and what happens to it (kept, disclosed, destroyed).
    obtained: Mapped[str] = mapped_column(Text)
    handling: Mapped[str] = mapped_column(Text)
    #: True when the last day had passed before the cancellation: a lapse to report.
    after_lapse: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Set when the canceller acted for the officer who granted or last renewed it, who was no
    #: longer available (RIPA s.45(4); SI 2000/2794 reg. 2): that officer's name, why, and that
    #: the canceller confirmed holding the same or a more senior rank in the council.
    acting_for_name: Mapped[str | None] = mapped_column(String(200))
    acting_reason: Mapped[str | None] = mapped_column(Text)
    acting_same_or_senior_rank: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Destruction(Base):
    """The SRO's destruction of an entry's details once its retention period has passed.

    What remains of the entry is its URN, its dates, and this row: who destroyed the details,
    when, and why (Code of Practice 2018, para 8.1: kept at least three years from the end).
    """

    __tablename__ = "destructions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    destroyed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    destroyed_by_name: Mapped[str] = mapped_column(String(200))
    destroyed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: The last day the entry had to be kept, which had passed.
    kept_until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
