"""What the data is: accounts, triages, applications and their subjects, the audit trail."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(enum.StrEnum):
    """The roles of DESIGN.md; a user may hold several."""

    OFFICER = "officer"
    AUTHORISING_OFFICER = "authorising_officer"
    SRO = "sro"
    COORDINATOR = "coordinator"
    INSPECTOR = "inspector"

    @property
    def title(self) -> str:
        return ROLE_TITLES[self]


ROLE_TITLES = {
    Role.OFFICER: "Investigating officer",
    Role.AUTHORISING_OFFICER: "Authorising officer",
    Role.SRO: "Senior responsible officer",
    Role.COORDINATOR: "RIPA coordinator",
    Role.INSPECTOR: "Inspector (read only)",
}


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings: adding a value needs no ALTER TYPE on PostgreSQL.
    return Enum(
        cls, name=name, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e]
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sign-in name, stored in lower case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Full name as it appears on the central record.
    name: Mapped[str] = mapped_column(String(200))
    #: Job title and grade, as the central record needs for authorising officers.
    grade: Mapped[str] = mapped_column(String(200), default="")
    #: The council service the user works in, e.g. Trading Standards.
    service: Mapped[str] = mapped_column(String(200), default="")
    #: scrypt hash (werkzeug.security).
    password_hash: Mapped[str] = mapped_column(String(255))
    #: A one-time password was issued: change it at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    #: False once the SRO disables the account; it is never deleted (the record names it).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The head of paid service, or whoever acts for them: may authorise where confidential or
    #: privileged information is likely (Code of Practice 2018, Annex A).
    can_authorise_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}

    # Flask-Login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.roles)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def can_decide(self) -> bool:
        return self.has_role(Role.AUTHORISING_OFFICER, Role.SRO)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    user: Mapped[User] = relationship(back_populates="roles")


class Outcome(enum.StrEnum):
    """Stored copy of triage.Outcome, so the schema does not import the rules."""

    NO_AUTHORISATION = "no_authorisation"
    DIRECTED_SURVEILLANCE = "directed_surveillance"
    CANNOT_BE_AUTHORISED = "cannot_be_authorised"
    CHIS = "chis"
    OUTSIDE_RIPA = "outside_ripa"
    REFER = "refer"


class Triage(Base):
    """An officer's description of planned online research, and what ripa_guard made of it."""

    __tablename__ = "triages"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: A short name the officer gives the research, to find it again.
    title: Mapped[str] = mapped_column(String(200), default="")
    #: The answers to forms/triage.toml, by question name.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Set when the outcome is given; the answers are then frozen.
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "outcome"), index=True)
    #: The reasons given, each {"text", "citation"}.
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    #: Offence codes named, and the threshold verdict at the time of the triage.
    offence_codes: Mapped[list] = mapped_column(JSON, default=list)
    threshold_met: Mapped[bool | None] = mapped_column(Boolean)
    threshold_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    officer: Mapped[User] = relationship(lazy="joined")
    application: Mapped[Application | None] = relationship(back_populates="triage")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


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
        return STATUS_TITLES[self]


STATUS_TITLES = {
    ApplicationStatus.DRAFT: "Draft",
    ApplicationStatus.SUBMITTED: "Awaiting decision",
    ApplicationStatus.RETURNED: "Returned for more information",
    ApplicationStatus.REFUSED: "Refused",
    ApplicationStatus.AWAITING_COURT: "Awaiting magistrate",
    ApplicationStatus.ACTIVE: "Active",
    ApplicationStatus.COURT_REFUSED: "Refused by magistrate",
    ApplicationStatus.QUASHED: "Quashed by magistrate",
    ApplicationStatus.CANCELLED: "Cancelled",
    ApplicationStatus.WITHDRAWN: "Withdrawn",
}


class Application(Base):
    """An application for a directed surveillance authorisation (RIPA s.28)."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique reference number, allocated at first submission and never changed or reused.
    urn: Mapped[str | None] = mapped_column(String(40), unique=True)
    triage_id: Mapped[int] = mapped_column(ForeignKey("triages.id"), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        _enum(ApplicationStatus, "application_status"), default=ApplicationStatus.DRAFT, index=True
    )
    #: The investigation's title and the service's own case reference.
    investigation_title: Mapped[str] = mapped_column(String(200), default="")
    case_reference: Mapped[str] = mapped_column(String(100), default="")
    #: The offence under investigation, from registers/offences.csv, and a copy of what the
    #: register said of it when the application was submitted.
    offence_code: Mapped[str] = mapped_column(String(40), default="")
    offence_snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Whether confidential or legally privileged information is likely (Code Annex A).
    confidential_likely: Mapped[bool | None] = mapped_column(Boolean)
    #: The answers to forms/application.toml, by question name.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    triage: Mapped[Triage] = relationship(back_populates="application", lazy="joined")
    officer: Mapped[User] = relationship(lazy="joined")
    subjects: Mapped[list[Subject]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="Subject.id",
        lazy="selectin",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class Subject(Base):
    """A person or organisation the surveillance is directed at, with their online profiles."""

    __tablename__ = "subjects"

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


class UrnSequence(Base):
    """The last URN number used per prefix and year; one row per year keeps URNs gapless."""

    __tablename__ = "urn_sequences"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """One append-only, hash-chained entry of the audit trail; never updated or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: commit order, which ids need not follow.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Who did it; None for the system (command line, start-up).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: What happened, e.g. "application.submitted".
    action: Mapped[str] = mapped_column(String(80), index=True)
    #: What it happened to: ("application", 12).
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    #: The facts of the event, e.g. the URN or the decision.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped[User | None] = relationship(lazy="joined")


class AuditHead(Base):
    """The newest link of the audit chain. Appending locks this one row, so concurrent writers
    take turns and the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
