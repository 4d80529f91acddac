"""The register of research profiles: the council accounts officers may view from, never personal ones."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, lazyload, selectinload

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import audit
from ripa_guard.core.changes import STALE, InputProblem, Refused, commit
from ripa_guard.core.columns import utcnow
from ripa_guard.law.profile_identity import PLATFORM_NAMES
from ripa_guard.viewing.models import (
    ANY_WEBSITE,
    ResearchProfile,
    ResearchProfileUser,
)

#: Application states whose authorisation bears on a viewing: approved by an authorising officer.


NO_RESEARCH_PROFILE = (
    "You have no research profile to view from. Ask the senior responsible officer to register "
    "one for you: never use a personal account"
)


def _require_sro(actor: User) -> None:
    if not actor.has_role(Role.SRO):
        raise Refused(
            "Only the senior responsible officer keeps the register of research profiles."
        )


def research_profile_platforms() -> dict[str, str]:
    """Platform slug -> name, for the register: the known platforms, then any website."""
    return {**PLATFORM_NAMES, ANY_WEBSITE: "Any website (a council research browser)"}


def research_profiles(session: Session) -> list[ResearchProfile]:
    """The register, in use first; without whom each is granted to (granted_names)."""
    return list(
        session.scalars(
            select(ResearchProfile)
            .order_by(
                ResearchProfile.retired_on.is_not(None),
                ResearchProfile.platform,
                ResearchProfile.handle,
            )
            .options(lazyload(ResearchProfile.grants))
        )
    )


def granted_names(session: Session) -> dict[int, list[str]]:
    """Research profile id -> the names of the officers who may use it now, in the order they
    were granted: read as columns, not as each officer's account (issue 19)."""
    names: dict[int, list[str]] = {}
    for profile_id, name in session.execute(
        select(ResearchProfileUser.research_profile_id, User.name)
        .join(User, User.id == ResearchProfileUser.user_id)
        .where(ResearchProfileUser.removed_at.is_(None))
        .order_by(ResearchProfileUser.id)
    ):
        names.setdefault(profile_id, []).append(name)
    return names


#: The research profiles granted to an officer. Every viewing asks this: built once, and
#: without every officer a shared profile is granted to.
_GRANTED = (
    select(ResearchProfile)
    .where(
        ResearchProfile.id.in_(
            select(ResearchProfileUser.research_profile_id).where(
                ResearchProfileUser.user_id == bindparam("officer_id"),
                ResearchProfileUser.removed_at.is_(None),
            )
        )
    )
    .order_by(ResearchProfile.platform, ResearchProfile.handle)
    .options(lazyload(ResearchProfile.grants))
)


def usable_research_profiles(session: Session, officer: User, today: date) -> list[ResearchProfile]:
    """The research profiles `officer` may view from today."""
    profiles = session.scalars(_GRANTED, {"officer_id": officer.id})
    return [p for p in profiles if p.in_use_on(today)]


def _officers(session: Session, user_ids: list[int]) -> list[User]:
    users = list(
        session.scalars(
            select(User).where(User.id.in_(user_ids or [0])).options(selectinload(User.roles))
        )
    )
    if len(users) != len(set(user_ids)) or not all(
        u.active and u.has_role(Role.OFFICER) for u in users
    ):
        raise InputProblem("users", "Select officers from the list")
    return users


def register_research_profile(
    session: Session,
    actor: User,
    *,
    platform: str,
    handle: str,
    covert: bool,
    created_on: date,
    user_ids: list[int],
    notes: str,
    today: date,
) -> ResearchProfile:
    """Add a council account to the register (DOMAIN.md §5: never a personal account)."""
    _require_sro(actor)
    if platform not in research_profile_platforms():
        raise InputProblem("platform", "Select the platform")
    handle = (handle or "").strip()
    if not handle:
        raise InputProblem("handle", "Enter the account's name on the platform")
    if created_on > today:
        raise InputProblem(
            "created_on", "The date the account was created must be today or earlier"
        )
    duplicate = session.scalar(
        select(ResearchProfile)
        .where(ResearchProfile.platform == platform, ResearchProfile.retired_on.is_(None))
        .where(func.lower(ResearchProfile.handle) == handle.lower())
    )
    if duplicate is not None:
        raise InputProblem("handle", "This account is already on the register")
    users = _officers(session, user_ids)
    profile = ResearchProfile(
        platform=platform,
        handle=handle,
        covert=covert,
        created_on=created_on,
        notes=notes or "",
        registered_by_id=actor.id,
    )
    session.add(profile)
    session.flush()
    for user in users:
        session.add(
            ResearchProfileUser(
                research_profile_id=profile.id, user_id=user.id, added_by_id=actor.id
            )
        )
    audit.record(
        session,
        actor,
        "research_profile.registered",
        "research_profile",
        profile.id,
        platform=platform,
        handle=handle,
        covert=covert,
        created_on=created_on,
        users=sorted(u.id for u in users),
    )
    commit(session)
    session.refresh(profile)
    return profile


def _change_users(
    session: Session, actor: User, profile: ResearchProfile, added: list[int], removed: list[int]
) -> None:
    """Grant and withdraw, with one audit event: removals are dated, never deleted."""
    now = utcnow()
    current = {g.user_id: g for g in profile.grants if g.removed_at is None}
    for user_id in removed:
        grant = session.get(ResearchProfileUser, current[user_id].id)
        grant.removed_at, grant.removed_by_id = now, actor.id
    for user_id in added:
        session.add(
            ResearchProfileUser(
                research_profile_id=profile.id, user_id=user_id, added_by_id=actor.id, added_at=now
            )
        )
    audit.record(
        session,
        actor,
        "research_profile.users_changed",
        "research_profile",
        profile.id,
        added=added,
        removed=removed,
    )
    commit(session)
    session.expire(profile, ["grants"])


def _require_in_use(profile: ResearchProfile) -> None:
    if profile.retired_on is not None:
        raise Refused("This research profile has been retired: nobody may use it.")


def add_research_profile_user(
    session: Session, actor: User, profile: ResearchProfile, email: str
) -> User:
    """Allow one more officer, named by their email address, to view from it."""
    _require_sro(actor)
    _require_in_use(profile)
    user = session.scalar(
        select(User)
        .where(User.email == (email or "").strip().lower())
        .options(selectinload(User.roles))
    )
    if user is None or not (user.active and user.has_role(Role.OFFICER)):
        raise InputProblem("email", "Enter the email address of an active investigating officer")
    if any(g.user_id == user.id and g.removed_at is None for g in profile.grants):
        raise InputProblem("email", f"{user.name} may already use it")
    _change_users(session, actor, profile, added=[user.id], removed=[])
    return user


def remove_research_profile_user(
    session: Session, actor: User, profile: ResearchProfile, user_id: int
) -> None:
    """Stop one officer viewing from it: the grant is dated as removed, never deleted."""
    _require_sro(actor)
    _require_in_use(profile)
    if not any(g.user_id == user_id and g.removed_at is None for g in profile.grants):
        raise Refused("That officer may not use this research profile: nothing was changed.")
    _change_users(session, actor, profile, added=[], removed=[user_id])


def retire_research_profile(
    session: Session,
    actor: User,
    *,
    profile: ResearchProfile,
    retired_on: date,
    reason: str,
    version: int | None,
    today: date,
) -> None:
    """Retire an account: from `retired_on` nobody may view from it. It stays on the register."""
    _require_sro(actor)
    if profile.retired_on is not None:
        raise Refused("This research profile has already been retired.")
    if version is not None and profile.version != version:
        raise Refused(STALE)
    if retired_on > today:
        raise InputProblem("retired_on", "The date it was retired must be today or earlier")
    if retired_on < profile.created_on:
        raise InputProblem("retired_on", "The date it was retired cannot be before it was created")
    profile.retired_on = retired_on
    profile.retired_by_id = actor.id
    profile.retirement_reason = reason
    audit.record(
        session,
        actor,
        "research_profile.retired",
        "research_profile",
        profile.id,
        retired_on=retired_on,
        reason=reason,
    )
    commit(session)
