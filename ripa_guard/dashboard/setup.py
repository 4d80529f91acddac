"""The first SRO's set-up checklist: what a council needs before its first week, each step
worked out from the data, so the list goes away only when the set-up is done."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import String, exists, func, literal, select, union_all
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, TrainingRecord, User, UserRole
from ripa_guard.council import details
from ripa_guard.viewing.investigations import service_key
from ripa_guard.viewing.models import CaseReferenceFormat, ResearchProfile

#: The roles a council needs someone in before its first application.
ROLES_NEEDED = (Role.OFFICER, Role.AUTHORISING_OFFICER, Role.SRO, Role.COORDINATOR)


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    #: What is missing, or what was found, in plain words.
    status: str
    #: The endpoint of the page where the step is done.
    endpoint: str


def checklist(session: Session) -> list[Step]:
    council = details.current(session)
    counts = _counts(session)
    return [
        _council_step(council),
        services_step(session),
        _roles_step(counts),
        _research_profiles_step(counts),
        _training_step(counts),
        _policy_step(council),
    ]


def _counts(session: Session):
    """In one query: whether each needed role has an active holder (by the role's name), how many
    research profiles are registered, and how many people are untrained (_training_step)."""
    return session.execute(_counts_statement()).one()


# Built once, as it takes no parameters: building it cost more than running it (issue 19).
@cache
def _counts_statement():
    held = [
        exists()
        .where(UserRole.user_id == User.id, UserRole.role == role, User.active.is_(True))
        .label(role.name)
        for role in ROLES_NEEDED
    ]
    profiles = (
        select(func.count(ResearchProfile.id))
        .where(ResearchProfile.retired_on.is_(None))
        .scalar_subquery()
    )
    # Each person once by EXISTS, where a join to their roles needed a DISTINCT: on PostgreSQL
    # at 1,000 users 0.3 ms against 0.56, and a fifth of the planning (issue 19).
    decides_or_researches = exists().where(
        UserRole.user_id == User.id,
        UserRole.role.in_((Role.OFFICER, Role.AUTHORISING_OFFICER, Role.SRO)),
    )
    untrained = (
        select(func.count())
        .select_from(User)
        .where(
            User.active.is_(True),
            decides_or_researches,
            ~exists().where(TrainingRecord.user_id == User.id),
        )
        .scalar_subquery()
    )
    return select(*held, profiles.label("profiles"), untrained.label("untrained"))


def is_complete(steps: list[Step]) -> bool:
    return all(step.done for step in steps)


def _council_step(council: details.Details) -> Step:
    missing = [
        label
        for label, value in (
            ("name", council.name),
            ("address", council.address),
            ("telephone", council.telephone),
            ("RIPA coordinator's contact", council.has_coordinator_contact),
        )
        if not value
    ]
    return Step(
        "Council name, address and telephone, for the court papers, and the RIPA coordinator's "
        "contact",
        not missing,
        "Missing: " + ", ".join(missing) if missing else "Given",
        "council.council_details",
    )


def services_step(session: Session) -> Step:
    """The services whose investigating officers open investigations (as named on their
    accounts), each with the case-reference format its investigations use, which the RIPA
    coordinator sets (viewing.investigations)."""
    services, with_format = set(), set()
    for row in session.execute(_services_statement()):
        (services if row.kind == "service" else with_format).add(row.name)
    missing = sorted(s for s in services if service_key(s) not in with_format)
    if not services:
        detail = "No investigating officer's account names a service yet"
    elif missing:
        detail = "No case-reference format yet for: " + ", ".join(missing)
    else:
        detail = ", ".join(sorted(services)) + ": each has its case-reference format"
    return Step(
        "Services and their case-reference formats",
        bool(services) and not missing,
        detail,
        "investigations.formats",
    )


# Built once, as it takes no parameters (issue 19).
@cache
def _services_statement():
    """The services named on active investigating officers' accounts (kind "service") and the
    service keys that have a case-reference format (kind "format"): one UNION ALL of typed
    rows, where two queries cost two round trips on the SRO's home page (issue 19)."""
    services = (
        select(literal("service", String).label("kind"), User.service.label("name"))
        .distinct()
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), User.service != "", UserRole.role == Role.OFFICER)
    )
    formats = (
        select(literal("format", String).label("kind"), CaseReferenceFormat.service_key)
        .distinct()
        .where(CaseReferenceFormat.template != "")
    )
    return union_all(services, formats)


def _roles_step(counts) -> Step:
    missing = [role.title for role in ROLES_NEEDED if not getattr(counts, role.name)]
    return Step(
        "Users and their roles",
        not missing,
        "Nobody is yet: " + ", ".join(missing) if missing else "Every role has someone",
        "admin.users",
    )


def _research_profiles_step(counts) -> Step:
    count = counts.profiles
    return Step(
        "Research profiles registered",
        bool(count),
        f"{count} registered" if count else "None registered: officers cannot log a viewing",
        "viewings.research_profiles",
    )


def _training_step(counts) -> Step:
    """Everyone who decides or researches has a training record (IPCO; DOMAIN.md §8)."""
    untrained = counts.untrained
    return Step(
        "Training records",
        not untrained,
        f"{untrained} {'person' if untrained == 1 else 'people'} with no training recorded"
        if untrained
        else "Everyone's recorded",
        "oversight.training_index",
    )


def _policy_step(council: details.Details) -> Step:
    return Step(
        "The link to the council's policy",
        bool(council.policy_url),
        council.policy_url or "Not given",
        "council.council_details",
    )
