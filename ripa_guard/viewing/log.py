"""The viewing log: one function per change, as lifecycle.py does for applications.

Each function checks who is asking and what they asked for, then writes the entry and its audit
event in one transaction. Whether a viewing may happen is decided by viewing_rules.decide; this
module gathers the facts it needs (the investigation's earlier viewings and authorisations, and
the council's records tying one profile to another) and records the answer, allowed or not.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, lazyload, load_only, selectinload

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import Application, ApplicationStatus, Subject, SubjectIdentity
from ripa_guard.core import audit
from ripa_guard.core.changes import STALE, InputProblem, Refused, commit
from ripa_guard.core.columns import utcnow
from ripa_guard.law import viewing_rules
from ripa_guard.law.profile_identity import PLATFORM_NAMES, BadAddress, ProfileIdentity, identify
from ripa_guard.viewing.models import (
    ANY_WEBSITE,
    ApiToken,
    Basis,
    Channel,
    Investigation,
    ResearchProfile,
    ResearchProfileUser,
    Stop,
    Viewing,
    ViewingAttempt,
    ViewingNote,
)

#: Application states whose authorisation bears on a viewing: approved by an authorising officer.
_APPROVED_STATES = (
    ApplicationStatus.AWAITING_COURT,
    ApplicationStatus.ACTIVE,
    ApplicationStatus.CANCELLED,
    ApplicationStatus.COURT_REFUSED,
    ApplicationStatus.QUASHED,
)

NO_RESEARCH_PROFILE = (
    "You have no research profile to view from. Ask the senior responsible officer to register "
    "one for you: never use a personal account"
)


def _require_sro(actor: User) -> None:
    if not actor.has_role(Role.SRO):
        raise Refused(
            "Only the senior responsible officer keeps the register of research profiles."
        )


# Research profiles ----------------------------------------------------------------------------


def research_profile_platforms() -> dict[str, str]:
    """Platform slug -> name, for the register: the known platforms, then any website."""
    return {**PLATFORM_NAMES, ANY_WEBSITE: "Any website (a council research browser)"}


def research_profiles(session: Session) -> list[ResearchProfile]:
    return list(
        session.scalars(
            select(ResearchProfile).order_by(
                ResearchProfile.retired_on.is_not(None),
                ResearchProfile.platform,
                ResearchProfile.handle,
            )
        )
    )


def usable_research_profiles(session: Session, officer: User, today: date) -> list[ResearchProfile]:
    """The research profiles `officer` may view from today."""
    granted = select(ResearchProfileUser.research_profile_id).where(
        ResearchProfileUser.user_id == officer.id, ResearchProfileUser.removed_at.is_(None)
    )
    profiles = session.scalars(
        select(ResearchProfile)
        .where(ResearchProfile.id.in_(granted))
        .order_by(ResearchProfile.platform, ResearchProfile.handle)
        # Every viewing asks this: not every officer a shared profile is granted to.
        .options(lazyload(ResearchProfile.grants))
    )
    return [p for p in profiles if p.in_use_on(today)]


def _officers(session: Session, user_ids: list[int]) -> list[User]:
    users = list(session.scalars(select(User).where(User.id.in_(user_ids or [0]))))
    if len(users) != len(set(user_ids)) or not all(
        u.active and u.has_role(Role.OFFICER) for u in users
    ):
        raise InputProblem("users", "Select officers from the list")
    return users


def register_research_profile(
    session: Session,
    actor: User,
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


def change_research_profile_users(
    session: Session, actor: User, profile: ResearchProfile, user_ids: list[int]
) -> None:
    """Make the officers who may use it exactly `user_ids`: removals are dated, never deleted."""
    _require_sro(actor)
    if profile.retired_on is not None:
        raise Refused("This research profile has been retired: nobody may use it.")
    wanted = {u.id for u in _officers(session, user_ids)} if user_ids else set()
    current = {g.user_id: g for g in profile.grants if g.removed_at is None}
    now = utcnow()
    removed = sorted(set(current) - wanted)
    added = sorted(wanted - set(current))
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


def retire_research_profile(
    session: Session,
    actor: User,
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


# Viewings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewingRequest:
    """What the officer says about the viewing they are about to make."""

    url: str
    reference: str
    subject: str
    purpose: str
    research_profile_id: int | None
    captured: bool
    capture_location: str = ""


@dataclass(frozen=True)
class ViewingOutcome:
    decision: viewing_rules.Decision
    identity: ProfileIdentity
    viewing: Viewing | None = None
    attempt: ViewingAttempt | None = None

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


def _resolve_reference(session: Session, reference: str) -> tuple[str, str]:
    """(key, reference) of the investigation named; a URN names its application's investigation."""
    key = viewing_rules.reference_key(reference)
    named = session.execute(
        select(Application.investigation_key, Application.case_reference, Application.urn)
        .where(Application.urn_key == key)
        .limit(1)
    ).first()
    if named is not None:
        investigation, case_reference, urn = named
        return investigation, case_reference or urn
    return key, reference


def _lock_investigation(session: Session, key: str, reference: str, actor: User) -> Investigation:
    """The investigation's row, counted and locked first, so requests for one investigation are
    decided one at a time (a row lock on PostgreSQL, the write lock on SQLite)."""
    for _attempt in range(3):
        found = session.execute(
            update(Investigation)
            .where(Investigation.key == key)
            .values(requests=Investigation.requests + 1)
            .returning(Investigation.id)
        ).scalar_one_or_none()
        if found is not None:
            return session.get(Investigation, found, populate_existing=True)
        try:
            with session.begin_nested():
                session.execute(
                    insert(Investigation).values(
                        key=key,
                        reference=reference[:100],
                        created_by_id=actor.id,
                        created_at=utcnow(),
                        requests=0,
                    )
                )
        except IntegrityError:
            pass  # another request created it first: count and lock it instead
    raise RuntimeError("could not lock the investigation")


def _authorisations(session: Session, key: str) -> list[viewing_rules.Authorisation]:
    """The authorisations of the investigation `key`, found by its indexed key."""
    applications = session.scalars(
        select(Application)
        .where(Application.investigation_key == key, Application.status.in_(_APPROVED_STATES))
        .options(
            load_only(
                Application.urn,
                Application.status,
                Application.case_reference,
                Application.takes_effect,
                Application.last_day,
                Application.cancelled_on,
            ),
            selectinload(Application.subjects).selectinload(Subject.identities),
            lazyload("*"),
        )
        .execution_options(populate_existing=True)
    )
    return [
        viewing_rules.Authorisation(
            urn=a.urn,
            status=a.status.value,
            takes_effect=a.takes_effect,
            last_day=a.last_day,
            cancelled_on=a.cancelled_on,
            covered=frozenset(i.identity for s in a.subjects for i in s.identities),
            application_id=a.id,
        )
        for a in applications
    ]


def _ties(
    session: Session, identity: str, earlier: list[viewing_rules.EarlierViewing]
) -> list[set[str]]:
    """The council's records of which profiles are one subject's: each subject of an
    application, and the profiles viewed under one subject's name for the investigation.
    Only groups holding `identity` can tie anything to it (viewing_rules.tied_identities), so
    only the subjects known by it are read, by index."""
    holders = (
        select(SubjectIdentity.subject_id)
        .join(Subject, Subject.id == SubjectIdentity.subject_id)
        .join(Application, Application.id == Subject.application_id)
        .where(SubjectIdentity.identity == identity, Application.urn.is_not(None))
    )
    groups: dict[int, set[str]] = {}
    for subject_id, text in session.execute(
        select(SubjectIdentity.subject_id, SubjectIdentity.identity).where(
            SubjectIdentity.subject_id.in_(holders)
        )
    ):
        groups.setdefault(subject_id, set()).add(text)
    by_subject: dict[str, set[str]] = {}
    for viewing in earlier:
        by_subject.setdefault(viewing.subject, set()).add(viewing.identity)
    return list(groups.values()) + list(by_subject.values())


def _earlier(session: Session, investigation: Investigation) -> list[viewing_rules.EarlierViewing]:
    """The investigation's viewings so far, as plain rows of what the rules read."""
    rows = session.execute(
        select(
            Viewing.identity,
            Viewing.subject_key,
            Viewing.viewed_at,
            Viewing.officer_name,
            Viewing.id,
        )
        .where(Viewing.investigation_id == investigation.id)
        .order_by(Viewing.viewed_at)
    )
    return [viewing_rules.EarlierViewing(*row) for row in rows]


def _check_request(
    session: Session, officer: User, request: ViewingRequest, today: date
) -> tuple[ProfileIdentity, ResearchProfile]:
    if not (officer.active and officer.has_role(Role.OFFICER)):
        raise Refused("Only investigating officers log viewings.")
    try:
        identity = identify(request.url)
    except BadAddress as bad:
        raise InputProblem("url", str(bad)) from bad
    if not viewing_rules.reference_key(request.reference):
        raise InputProblem("reference", "Enter the case reference, with letters or numbers")
    if not viewing_rules.subject_key(request.subject):
        raise InputProblem("subject", "Enter who the profile belongs to")
    usable = usable_research_profiles(session, officer, today)
    if not usable:
        raise InputProblem("research_profile", NO_RESEARCH_PROFILE)
    chosen = next((p for p in usable if p.id == request.research_profile_id), None)
    if chosen is None and request.research_profile_id is None and len(usable) == 1:
        chosen = usable[0]
    if chosen is None:
        raise InputProblem("research_profile", "Select the research profile you are viewing from")
    if (
        chosen.platform != ANY_WEBSITE
        and identity.known_platform
        and chosen.platform != identity.platform
    ):
        raise InputProblem(
            "research_profile",
            f"{chosen.handle} is a {PLATFORM_NAMES.get(chosen.platform, chosen.platform)} research "
            f"profile, and this address is on {identity.platform_name}. Select the research "
            "profile you are viewing from",
        )
    if request.captured and not (request.capture_location or "").strip():
        raise InputProblem("capture_location", "Say where what you capture will be kept")
    return identity, chosen


def request_viewing(
    session: Session,
    officer: User,
    request: ViewingRequest,
    now: datetime,
    window_days: int | None = None,
    channel: Channel = Channel.WEB,
    token: ApiToken | None = None,
) -> ViewingOutcome:
    """Decide whether `officer` may make this viewing now (viewing_rules.decide), and log it:
    as a viewing when allowed, as a stopped attempt when blocked or refused."""
    today = viewing_rules.local_date(now)
    identity, research_profile = _check_request(session, officer, request, today)
    key, reference = _resolve_reference(session, request.reference)
    investigation = _lock_investigation(session, key, reference, officer)
    subject = viewing_rules.subject_key(request.subject)
    authorisations = _authorisations(session, key)
    earlier, tied = [], frozenset()
    if viewing_rules.reads_earlier(identity.text, authorisations, today):
        earlier = _earlier(session, investigation)
        tied = viewing_rules.tied_identities(identity.text, _ties(session, identity.text, earlier))
    decision = viewing_rules.decide(
        viewing_rules.Request(
            identity=identity.text,
            subject=subject,
            now=now,
            earlier=earlier,
            authorisations=authorisations,
            tied=tied,
            window_days=window_days,
        )
    )
    common = dict(
        officer_id=officer.id,
        officer_name=officer.name,
        officer_service=officer.service,
        research_profile_id=research_profile.id,
        investigation_id=investigation.id,
        reference=request.reference.strip()[:100],
        url=request.url.strip(),
        platform=identity.platform_name,
        identity=identity.text,
        subject=request.subject.strip()[:200],
        subject_key=subject[:200],
        purpose=request.purpose.strip(),
        application_id=decision.authorisation.application_id if decision.authorisation else None,
        urn=decision.urn,
        reason=decision.reason,
        citation=decision.citation,
        channel=channel,
        api_token_id=token.id if token else None,
    )
    if decision.allowed:
        viewing = Viewing(
            viewed_at=now,
            captured=request.captured,
            capture_location=(request.capture_location or "").strip() if request.captured else "",
            basis=Basis(decision.verdict.value),
            **common,
        )
        session.add(viewing)
        session.flush()
        audit.record(
            session,
            officer,
            "viewing.logged",
            "viewing",
            viewing.id,
            identity=identity.text,
            investigation=investigation.reference,
            basis=viewing.basis.value,
            urn=decision.urn,
            channel=channel.value,
        )
        commit(session)
        return ViewingOutcome(decision, identity, viewing=viewing)
    attempt = ViewingAttempt(
        attempted_at=now,
        outcome=Stop(decision.verdict.value),
        refusal=decision.refusal.value if decision.refusal else None,
        earlier_viewing_ids=[v.id for v in decision.repeats],
        **common,
    )
    session.add(attempt)
    session.flush()
    audit.record(
        session,
        officer,
        f"viewing.{attempt.outcome.value}",
        "viewing_attempt",
        attempt.id,
        identity=identity.text,
        investigation=investigation.reference,
        refusal=attempt.refusal,
        urn=decision.urn,
        channel=channel.value,
    )
    commit(session)
    return ViewingOutcome(decision, identity, attempt=attempt)


def add_note(session: Session, officer: User, viewing: Viewing, text: str) -> ViewingNote:
    """A note or correction by the officer who made the viewing; the viewing itself is kept."""
    if viewing.officer_id != officer.id:
        raise Refused("Only the officer who made the viewing can add a note to it.")
    text = (text or "").strip()
    if not text:
        raise InputProblem("text", "Enter the note")
    note = ViewingNote(viewing_id=viewing.id, written_by_id=officer.id, text=text)
    session.add(note)
    session.flush()
    audit.record(session, officer, "viewing.note_added", "viewing", viewing.id, note_id=note.id)
    commit(session)
    session.expire(viewing, ["notes"])
    return note


# Reading the log ------------------------------------------------------------------------------


# A log shows each viewing's officer, research profile and notes: not everyone each profile is
# granted to, nor the roles of every officer named.
_AS_LOGGED = (
    joinedload(Viewing.research_profile).lazyload(ResearchProfile.grants),
    joinedload(Viewing.officer).lazyload(User.roles),
    selectinload(Viewing.notes).joinedload(ViewingNote.written_by).lazyload(User.roles),
)


def viewings_for(session: Session, application_id: int) -> list[Viewing]:
    """The viewings made under an authorisation, oldest first: for its record and extract."""
    return list(
        session.scalars(
            select(Viewing)
            .where(Viewing.application_id == application_id)
            .order_by(Viewing.viewed_at)
            .options(*_AS_LOGGED)
        )
    )


def attempts_for(session: Session, application_id: int) -> list[ViewingAttempt]:
    """The viewings refused as outside an authorisation, oldest first."""
    return list(
        session.scalars(
            select(ViewingAttempt)
            .where(ViewingAttempt.application_id == application_id)
            .order_by(ViewingAttempt.attempted_at)
            .options(
                joinedload(ViewingAttempt.research_profile).lazyload(ResearchProfile.grants),
                joinedload(ViewingAttempt.officer).lazyload(User.roles),
            )
        )
    )


def research_before(session: Session, application: Application) -> list[Viewing]:
    """Viewings for the application's investigation not made under it: the research around it."""
    # The investigation is its case reference, or else its URN (Application.investigation_key).
    key = application.investigation_key
    if not key:
        return []
    return list(
        session.scalars(
            select(Viewing)
            .join(Investigation)
            .where(Investigation.key == key)
            .where((Viewing.application_id != application.id) | Viewing.application_id.is_(None))
            .order_by(Viewing.viewed_at)
            .options(*_AS_LOGGED)
        )
    )


def officer_log(
    session: Session, officer: User, limit: int = 200
) -> tuple[list[Viewing], list[ViewingAttempt]]:
    viewings = session.scalars(
        select(Viewing)
        .where(Viewing.officer_id == officer.id)
        .order_by(Viewing.viewed_at.desc())
        .limit(limit)
    )
    attempts = session.scalars(
        select(ViewingAttempt)
        .where(ViewingAttempt.officer_id == officer.id)
        .order_by(ViewingAttempt.attempted_at.desc())
        .limit(limit)
    )
    return list(viewings), list(attempts)


def last_viewing(session: Session, officer: User) -> Viewing | None:
    return session.scalars(
        select(Viewing)
        .where(Viewing.officer_id == officer.id)
        .order_by(Viewing.viewed_at.desc())
        .limit(1)
    ).first()


# API tokens -----------------------------------------------------------------------------------

TOKEN_PREFIX = "rgv_"  # noqa: S105 (marks our tokens; not a secret)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`'s tools; the token is returned once and only its hash is kept."""
    if not (user.active and user.has_role(Role.OFFICER)):
        raise Refused("Only investigating officers can have a token for the viewing log.")
    name = (name or "").strip()
    if not name:
        raise InputProblem("name", "Enter a name for the token")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], token_hash=_token_hash(raw), prefix=raw[:10])
    session.add(token)
    session.flush()
    audit.record(session, user, "api_token.issued", "api_token", token.id, name=token.name)
    commit(session)
    return token, raw


def revoke_token(session: Session, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.id and not actor.has_role(Role.SRO):
        raise Refused("Only the token's owner or the senior responsible officer can revoke it.")
    if token.revoked_at is not None:
        return
    token.revoked_at, token.revoked_by_id = utcnow(), actor.id
    audit.record(session, actor, "api_token.revoked", "api_token", token.id)
    commit(session)


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def user_for_token(session: Session, raw: str) -> tuple[User, ApiToken] | None:
    """The active officer a token belongs to, or None for any token that does not work."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(raw)))
    if token is None or token.revoked_at is not None:
        return None
    user = token.user
    if not (user.active and user.has_role(Role.OFFICER)):
        return None
    return user, token
