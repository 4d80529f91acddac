"""What the viewing log is: research profiles, investigations, viewings, stopped attempts, tokens.

Viewings, stopped attempts and notes are written once and never updated or deleted: a correction
is a new note. The research profile register changes only by one-way steps (a user added or
removed, the profile retired), each with its audit event.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import Application
from ripa_guard.core.columns import UtcDateTime, utcnow
from ripa_guard.core.columns import stored_enum as _enum
from ripa_guard.core.db import Base
from ripa_guard.law.viewing_rules import Basis, Stop

#: The research profile's platform for viewing sites where no account is used.
ANY_WEBSITE = "web"


class ResearchProfile(Base):
    """A council account that officers may view from (never a personal account)."""

    __tablename__ = "research_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A platform slug from profile_identity.PLATFORM_NAMES, or "web" for a research browser.
    platform: Mapped[str] = mapped_column(String(40))
    #: The account's name on the platform, as the SRO typed it.
    handle: Mapped[str] = mapped_column(String(200))
    #: False for an overt account (one that says it is the council's).
    covert: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The day the account was created on the platform.
    created_on: Mapped[date] = mapped_column(Date)
    #: Anything the SRO records about it: who holds the credentials, the device it is used on.
    notes: Mapped[str] = mapped_column(Text, default="")
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Set once, when the account is retired; never cleared.
    retired_on: Mapped[date | None] = mapped_column(Date)
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retirement_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    grants: Mapped[list[ResearchProfileUser]] = relationship(
        order_by="ResearchProfileUser.id", lazy="selectin", viewonly=True
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def current_users(self) -> list[User]:
        return [g.user for g in self.grants if g.removed_at is None]

    def usable_by(self, user: User, today: date) -> bool:
        return self.in_use_on(today) and any(
            g.user_id == user.id and g.removed_at is None for g in self.grants
        )

    def in_use_on(self, today: date) -> bool:
        return self.created_on <= today and (self.retired_on is None or today < self.retired_on)


class ResearchProfileUser(Base):
    """An officer allowed to use a research profile, from when it was granted until removed."""

    __tablename__ = "research_profile_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    research_profile_id: Mapped[int] = mapped_column(ForeignKey("research_profiles.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Set once, when the officer may no longer use it; never cleared (a new grant is a new row).
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class Channel(enum.StrEnum):
    """How the viewing was asked for."""

    WEB = "web"
    API = "api"


class Investigation(Base):
    """An investigation of a service: its case reference (unique in the service), title,
    offences, subjects and the officers who work on it. Viewings are made under one chosen from
    the officer's own open investigations, never under a reference typed at the moment of
    looking (issue 15). Closing it is one-way and stops its viewings."""

    __tablename__ = "investigations"
    __table_args__ = (UniqueConstraint("service_key", "key", name="uq_investigations_service_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The service it belongs to, as its officers' accounts name it, and as compared.
    service: Mapped[str] = mapped_column(String(200), default="")
    service_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    #: The case reference as compared (viewing_rules.reference_key): "TS20260412".
    key: Mapped[str] = mapped_column(String(100), index=True)
    #: The case reference as the service writes it: "TS/2026/0412".
    reference: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200), default="")
    #: The offence or offences under investigation, in the officer's words or register names.
    offences: Mapped[str] = mapped_column(Text, default="")
    #: When and by whom it was opened.
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set once, when it is closed; never cleared.
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    #: Viewings asked for so far. Each request adds one first, so that requests for the same
    #: investigation take turns and two officers cannot both make "the first" viewing.
    requests: Mapped[int] = mapped_column(Integer, default=0)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    memberships: Mapped[list[InvestigationOfficer]] = relationship(
        order_by="InvestigationOfficer.id", lazy="selectin", viewonly=True
    )
    # Read on the investigation's page only, not by the gate before every look.
    subjects: Mapped[list[InvestigationSubject]] = relationship(
        order_by="InvestigationSubject.id", viewonly=True
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def officers(self) -> list[User]:
        return [m.user for m in self.memberships if m.removed_at is None]

    def has_officer(self, user: User) -> bool:
        return any(m.user_id == user.id and m.removed_at is None for m in self.memberships)

    @property
    def label(self) -> str:
        return f"{self.reference}: {self.title}" if self.title else self.reference


class InvestigationOfficer(Base):
    """An officer working on an investigation, from when added until removed (one-way: being
    added again is a new row)."""

    __tablename__ = "investigation_officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class InvestigationSubject(Base):
    """A subject of an investigation and the addresses of their profiles; written once."""

    __tablename__ = "investigation_subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: viewing_rules.subject_key of the name.
    subject_key: Mapped[str] = mapped_column(String(200), index=True)
    #: profile_identity texts of the subject's profiles: ["facebook:bargainbagsexample"].
    identities: Mapped[list] = mapped_column(JSON, default=list)
    #: The addresses as the officer gave them.
    addresses: Mapped[list] = mapped_column(JSON, default=list)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CaseReferenceFormat(Base):
    """A service's case reference format, as the RIPA coordinator set it ("TS/YYYY/NNNN").
    Written once: a change is a new row, and the newest for the service is the one in use."""

    __tablename__ = "case_reference_formats"

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(200))
    service_key: Mapped[str] = mapped_column(String(200), index=True)
    #: Empty: any reference with letters or numbers.
    template: Mapped[str] = mapped_column(String(100), default="")
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ProfileLock(Base):
    """One row per profile identity or subject key asked about: a look takes its rows' locks
    first, so looks at one profile are decided one at a time across every investigation."""

    __tablename__ = "profile_locks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)


class MatterRuling(enum.StrEnum):
    """The RIPA coordinator's answer to a held look."""

    SAME_MATTER = "same_matter"
    SEPARATE_MATTER = "separate_matter"

    @property
    def title(self) -> str:
        return {"same_matter": "Same matter", "separate_matter": "Separate matter"}[self.value]


class HeldLook(Base):
    """A look at a profile (or subject) already looked at under another investigation, held
    until the RIPA coordinator says whether it is the same matter. Written once; the decision
    is a HeldLookDecision."""

    __tablename__ = "held_looks"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    officer_name: Mapped[str] = mapped_column(String(200))
    officer_service: Mapped[str] = mapped_column(String(200), default="")
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"), index=True)
    research_profile_id: Mapped[int | None] = mapped_column(ForeignKey("research_profiles.id"))
    url: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(200))
    identity: Mapped[str] = mapped_column(String(400), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    subject_key: Mapped[str] = mapped_column(String(200), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    #: The earlier viewings, under other investigations, that held it.
    earlier_viewing_ids: Mapped[list] = mapped_column(JSON, default=list)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "viewing_channel"))

    officer: Mapped[User] = relationship(lazy="joined")
    investigation: Mapped[Investigation] = relationship(lazy="joined")
    decision: Mapped[HeldLookDecision | None] = relationship(
        lazy="selectin", viewonly=True, uselist=False
    )


class HeldLookDecision(Base):
    """The RIPA coordinator's decision on a held look, with the reason; written once."""

    __tablename__ = "held_look_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_look_id: Mapped[int] = mapped_column(ForeignKey("held_looks.id"), unique=True)
    ruling: Mapped[MatterRuling] = mapped_column(_enum(MatterRuling, "matter_ruling"))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    decided_by: Mapped[User] = relationship(lazy="joined")


class MigrationReport(Base):
    """What a data migration did, for the SRO to read (`ripa-guard migration-report`)."""

    __tablename__ = "migration_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[str] = mapped_column(String(40))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class Viewing(Base):
    """One look at a profile or page, logged before it happens; written once."""

    __tablename__ = "viewings"
    # Each list of viewings (by officer, investigation, research profile, profile, subject) is
    # read a page at a time in the order it is shown; the SRO's oversight reads the tallies
    # kept as viewings are logged (viewing.tallies), not these rows (migration 0027).
    __table_args__ = tuple(
        Index(f"ix_viewings_{key}_viewed_at", key, "viewed_at", "id")
        for key in (
            "identity",
            "subject_key",
            "officer_id",
            "investigation_id",
            "research_profile_id",
        )
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    viewed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Name and service as they were, for the record.
    officer_name: Mapped[str] = mapped_column(String(200))
    officer_service: Mapped[str] = mapped_column(String(200), default="")
    research_profile_id: Mapped[int] = mapped_column(ForeignKey("research_profiles.id"))
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"))
    #: The reference as the officer typed it this time.
    reference: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(200))
    #: profile_identity.ProfileIdentity.text: "facebook:bargainbags".
    identity: Mapped[str] = mapped_column(String(400))
    subject: Mapped[str] = mapped_column(String(200))
    subject_key: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    captured: Mapped[bool] = mapped_column(Boolean)
    #: Where anything captured is kept.
    capture_location: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[Basis] = mapped_column(_enum(Basis, "viewing_basis"))
    #: The authorisation it took place under, when it did.
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    urn: Mapped[str | None] = mapped_column(String(40))
    #: The rule that allowed it, as it was given at the time.
    reason: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(Text)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "viewing_channel"))
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))

    officer: Mapped[User] = relationship(lazy="joined")
    research_profile: Mapped[ResearchProfile] = relationship(lazy="joined")
    investigation: Mapped[Investigation] = relationship(lazy="joined")
    application: Mapped[Application | None] = relationship()
    #: How many notes it has, where a page asked for only that (reading.application_log):
    #: None where it was not asked for, and the notes themselves are loaded instead.
    note_count: Mapped[int | None] = query_expression()
    notes: Mapped[list[ViewingNote]] = relationship(
        order_by="ViewingNote.id", lazy="selectin", viewonly=True
    )


class ViewingNote(Base):
    """A note or correction to a viewing, by the officer who made it; written once."""

    __tablename__ = "viewing_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    viewing_id: Mapped[int] = mapped_column(ForeignKey("viewings.id"), index=True)
    written_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)

    written_by: Mapped[User] = relationship(lazy="joined")


class ViewingAttempt(Base):
    """A viewing asked for and stopped: blocked as a repeat, or refused as outside an
    authorisation. Written once; the SRO sees every one."""

    __tablename__ = "viewing_attempts"
    # Listed a page at a time by officer, research profile, profile and subject (0027).
    __table_args__ = tuple(
        Index(f"ix_viewing_attempts_{key}_attempted_at", key, "attempted_at", "id")
        for key in ("identity", "subject_key", "officer_id", "research_profile_id")
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    officer_name: Mapped[str] = mapped_column(String(200))
    officer_service: Mapped[str] = mapped_column(String(200), default="")
    research_profile_id: Mapped[int | None] = mapped_column(ForeignKey("research_profiles.id"))
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"), index=True)
    reference: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(200))
    identity: Mapped[str] = mapped_column(String(400))
    subject: Mapped[str] = mapped_column(String(200))
    subject_key: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    outcome: Mapped[Stop] = mapped_column(_enum(Stop, "viewing_stop"), index=True)
    #: viewing_rules.Refusal, for a refusal.
    refusal: Mapped[str | None] = mapped_column(String(40))
    #: The authorisation it was outside, for a refusal.
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    urn: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(Text)
    #: The earlier viewings that made it a repeat.
    earlier_viewing_ids: Mapped[list] = mapped_column(JSON, default=list)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "viewing_channel"))
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))

    officer: Mapped[User] = relationship(lazy="joined")
    research_profile: Mapped[ResearchProfile | None] = relationship(lazy="joined")
    investigation: Mapped[Investigation] = relationship(lazy="joined")


class ApiToken(Base):
    """A personal token for tools that ask the viewing log before opening a page. Only its
    SHA-256 is kept: the token itself is shown once, when it is made."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: What the officer calls it: "Browser extension on my council laptop".
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, so its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Set once, when revoked; a revoked token never works again.
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The token stops working after this (API_TOKEN_DAYS after it was made); rotate it first.
    usable_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")

    def usable_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and (self.usable_until is None or self.usable_until > moment)
