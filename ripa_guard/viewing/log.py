"""The viewing log: one function per change, as lifecycle.py does for applications.

Each function checks who is asking and what they asked for, then writes the entry and its audit
event in one transaction. Whether a viewing may happen is decided by viewing_rules.decide; this
module gathers the facts it needs (the investigation's earlier viewings and authorisations, and
the council's records tying one profile to another) and records the answer, allowed or not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from ripa_guard.accounts import training
from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    Outcome,
    Renewal,
    RenewalStatus,
    Subject,
    SubjectIdentity,
    Triage,
    periods_in_effect,
)
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, Refused, commit
from ripa_guard.core.wording import with_article
from ripa_guard.law import viewing_rules
from ripa_guard.law.profile_identity import PLATFORM_NAMES, BadAddress, ProfileIdentity, identify
from ripa_guard.notifications import outbox
from ripa_guard.viewing import held as held_looks
from ripa_guard.viewing import investigations, tallies
from ripa_guard.viewing.models import (
    ANY_WEBSITE,
    ApiToken,
    Basis,
    Channel,
    HeldLook,
    Investigation,
    ProfileLock,
    ResearchProfile,
    Stop,
    Viewing,
    ViewingAttempt,
    ViewingNote,
)
from ripa_guard.viewing.research_profiles import NO_RESEARCH_PROFILE, usable_research_profiles

#: Application states whose authorisation bears on a viewing: approved by an authorising officer.
_APPROVED_STATES = (
    ApplicationStatus.AWAITING_COURT,
    ApplicationStatus.ACTIVE,
    ApplicationStatus.CANCELLED,
    ApplicationStatus.COURT_REFUSED,
    ApplicationStatus.QUASHED,
)


@dataclass(frozen=True)
class ViewingRequest:
    """What the officer says about the viewing they are about to make."""

    url: str
    #: The investigation chosen from the officer's own open investigations (never typed).
    investigation_id: int | None
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
    held: HeldLook | None = None

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


def sees_every_service(user: User) -> bool:
    """The SRO and the RIPA coordinator oversee every service's research."""
    return user.has_role(Role.SRO, Role.COORDINATOR)


def same_service(user: User, officer_id: int | None, service: str | None) -> bool:
    """Whether what `officer_id` (of `service`) did is `user`'s to see: their own, their
    service's, or anything when they oversee every service."""
    return (
        sees_every_service(user)
        or officer_id == user.id
        or (service or "").strip().casefold() == (user.service or "").strip().casefold()
    )


# The statements every look runs while it holds its locks, built once (not for each request)
# and on the tables rather than the models: nothing in the session is kept in step with them.
_investigations = Investigation.__table__
_LOCK_INVESTIGATION = (
    update(_investigations)
    .where(_investigations.c.id == bindparam("investigation_id"))
    .values(requests=_investigations.c.requests + 1)
)
_profile_locks = ProfileLock.__table__
_LOCK_PROFILE = (
    update(_profile_locks)
    .where(_profile_locks.c.key == bindparam("lock_key"))
    .values(requests=_profile_locks.c.requests + 1)
    .returning(_profile_locks.c.id)
)


def _lock_investigation(session: Session, investigation: Investigation) -> None:
    """Count and lock the investigation's row first, so requests for one investigation are
    decided one at a time (a row lock on PostgreSQL, the write lock on SQLite). What the gate
    reads of it after (its id, case reference and service) never changes, so it is not read
    again."""
    session.execute(_LOCK_INVESTIGATION, {"investigation_id": investigation.id})


def _lock_profile(session: Session, keys: list[str]) -> None:
    """Lock a row for each of the profile's identity and its subject, in one order, so looks at
    one profile or subject are decided one at a time under every investigation (rule 7): two
    officers in two investigations cannot both make the council's first look."""
    for key in sorted(set(keys)):
        key = key[:400]
        for _attempt in range(3):
            found = session.execute(_LOCK_PROFILE, {"lock_key": key}).scalar_one_or_none()
            if found is not None:
                break
            try:
                with session.begin_nested():
                    session.execute(insert(ProfileLock).values(key=key, requests=0))
            except IntegrityError:
                pass  # another request made it first: count and lock it instead
        else:
            raise RuntimeError("could not lock the profile")


def _of_service(investigation: Investigation):
    """A SQL condition: the row's officer (User) is of the investigation's service."""
    return _SERVICE_OF_OFFICER == investigation.service_key


_SERVICE_OF_OFFICER = func.lower(func.trim(func.coalesce(User.service, "")))
#: Each application of the investigation an authorising officer approved (found by its case
#: reference, among its own service's), one row for each identity of its subjects' profiles and
#: each renewal a JP approved (a few of each: one query instead of one for each).
_AUTHORISATIONS = (
    select(
        Application.id,
        Application.urn,
        Application.status,
        Application.takes_effect,
        Application.last_day,
        Application.cancelled_on,
        SubjectIdentity.identity,
        Renewal.id,
        Renewal.starts_on,
        Renewal.ends_on,
    )
    .join(User, User.id == Application.officer_id)
    .outerjoin(Subject, Subject.application_id == Application.id)
    .outerjoin(SubjectIdentity, SubjectIdentity.subject_id == Subject.id)
    .outerjoin(
        Renewal,
        (Renewal.application_id == Application.id) & (Renewal.status == RenewalStatus.APPROVED),
    )
    .where(
        Application.investigation_key == bindparam("investigation_key"),
        Application.status.in_(_APPROVED_STATES),
        _SERVICE_OF_OFFICER == bindparam("service_key"),
    )
    .order_by(Application.id)
)


def _authorisations(
    session: Session, investigation: Investigation
) -> list[viewing_rules.Authorisation]:
    """The authorisations of the investigation, found by its indexed case reference among its
    own service's applications. They cover the officers on the investigation, who alone may
    make a viewing under it (issue 15). Read as rows, in one query."""
    found: dict[int, tuple] = {}
    covered: dict[int, set[str]] = {}
    renewed: dict[int, dict[int, tuple[date, date]]] = {}
    rows = session.execute(
        _AUTHORISATIONS,
        {"investigation_key": investigation.key, "service_key": investigation.service_key},
    )
    for application_id, *application, identity, renewal_id, starts_on, ends_on in rows:
        found.setdefault(application_id, tuple(application))
        identities = covered.setdefault(application_id, set())
        renewals = renewed.setdefault(application_id, {})
        if identity is not None:
            identities.add(identity)
        if renewal_id is not None:
            renewals[renewal_id] = (starts_on, ends_on)
    return [
        viewing_rules.Authorisation(
            urn=urn,
            status=status.value,
            takes_effect=takes_effect,
            last_day=last_day,
            cancelled_on=cancelled_on,
            covered=frozenset(covered[application_id]),
            application_id=application_id,
            periods=periods_in_effect(takes_effect, list(renewed[application_id].values())),
        )
        for application_id, (urn, status, takes_effect, last_day, cancelled_on) in found.items()
    ]


def _triage_findings(
    session: Session, investigation: Investigation
) -> list[viewing_rules.TriageFinding]:
    """The completed triages of the investigation that found directed surveillance: named by
    its case reference, or by the application drafted from them (viewing_rules rule 4); those
    of its own service."""
    key = investigation.key
    drafted = select(Application.triage_id).where(Application.investigation_key == key)
    records = session.scalars(
        select(Triage)
        .join(User, User.id == Triage.officer_id)
        .where(
            Triage.outcome.in_((Outcome.DIRECTED_SURVEILLANCE, Outcome.CANNOT_BE_AUTHORISED)),
            (Triage.investigation_key == key) | Triage.id.in_(drafted),
            _of_service(investigation),
        )
        .order_by(Triage.completed_at)
        .options(lazyload("*"))
    )
    return [
        viewing_rules.TriageFinding(
            title=t.title,
            outcome=t.outcome.value,
            reasons=tuple(r.get("text", "") for r in t.reasons or [] if isinstance(r, dict)),
            triage_id=t.id,
        )
        for t in records
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


def _earlier_rows(officer: User, rows) -> list[viewing_rules.EarlierViewing]:
    # Every look counts, but another service's officer is not named to `officer` (issue 15).
    return [
        viewing_rules.EarlierViewing(
            identity,
            subject,
            viewed_at,
            name if same_service(officer, officer_id, service) else "",
            viewing_id,
        )
        for identity, subject, viewed_at, name, viewing_id, officer_id, service in rows
    ]


_EARLIER_COLUMNS = (
    Viewing.identity,
    Viewing.subject_key,
    Viewing.viewed_at,
    Viewing.officer_name,
    Viewing.id,
    Viewing.officer_id,
    Viewing.officer_service,
)


def _earlier(
    session: Session, investigation: Investigation, officer: User
) -> list[viewing_rules.EarlierViewing]:
    """The investigation's viewings so far, as plain rows of what the rules read."""
    rows = session.execute(
        select(*_EARLIER_COLUMNS)
        .where(Viewing.investigation_id == investigation.id)
        .order_by(Viewing.viewed_at)
    )
    return _earlier_rows(officer, rows)


def _elsewhere(
    session: Session,
    investigation: Investigation,
    profile: frozenset[str],
    subject: str,
    officer: User,
    since: date | None,
) -> list[viewing_rules.EarlierViewing]:
    """The council's looks at this profile (any of its tied identities) or subject under every
    other investigation, of any service, since the window's first day (rule 7), by index."""
    query = (
        select(*_EARLIER_COLUMNS)
        .where(
            Viewing.investigation_id != investigation.id,
            Viewing.identity.in_(sorted(profile)) | (Viewing.subject_key == subject),
        )
        .order_by(Viewing.viewed_at)
    )
    if since is not None:
        start = datetime.combine(since, time.min, viewing_rules.LONDON)
        query = query.where(Viewing.viewed_at >= start)
    return _earlier_rows(officer, session.execute(query))


def _check_request(
    session: Session,
    officer: User,
    request: ViewingRequest,
    today: date,
    usable: list[ResearchProfile] | None,
) -> tuple[ProfileIdentity, ResearchProfile, Investigation]:
    if not (officer.active and officer.has_role(Role.OFFICER)):
        raise Refused("Only investigating officers log viewings.")
    training.require_officer_training(session, officer, today)
    investigation = investigations.require_usable(session, officer, request.investigation_id)
    try:
        identity = identify(request.url)
    except BadAddress as bad:
        raise InputProblem("url", str(bad)) from bad
    if not viewing_rules.subject_key(request.subject):
        raise InputProblem("subject", "Enter who the profile belongs to")
    if usable is None:
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
            f"{chosen.handle} is {with_article(PLATFORM_NAMES.get(chosen.platform, chosen.platform))} research "
            f"profile, and this address is on {identity.platform_name}. Select the research "
            "profile you are viewing from",
        )
    if request.captured and not (request.capture_location or "").strip():
        raise InputProblem("capture_location", "Say where what you capture will be kept")
    return identity, chosen, investigation


@dataclass(frozen=True)
class ViewingCheck:
    """The gate's answer to a request, before anything is written: what logging would decide."""

    decision: viewing_rules.Decision
    identity: ProfileIdentity
    research_profile: ResearchProfile
    subject: str
    investigation: Investigation
    #: The officer's own look at this profile under this investigation already waiting.
    waiting: HeldLook | None = None

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


def check_viewing(
    session: Session,
    officer: User,
    request: ViewingRequest,
    now: datetime,
    window_days: int | None = None,
    usable: list[ResearchProfile] | None = None,
) -> ViewingCheck:
    """Whether `officer` may make this viewing now, as logging it would decide, writing nothing:
    no viewing, no attempt, no held look, no audit event. A check never stands for a log.
    `usable`: the officer's usable research profiles on now's day, when the caller has them."""
    return _assess(session, officer, request, now, window_days, usable, lock=False)


def _assess(
    session: Session,
    officer: User,
    request: ViewingRequest,
    now: datetime,
    window_days: int | None,
    usable: list[ResearchProfile] | None,
    *,
    lock: bool,
) -> ViewingCheck:
    """The one path from a request to a decision (viewing_rules.decide, then
    viewing_rules.across_investigations). Logging passes lock=True: the investigation's row and
    the profile's rows are then locked first, so looks at one profile are decided one at a time
    under every investigation; a check only reads."""
    today = viewing_rules.local_date(now)
    identity, research_profile, investigation = _check_request(
        session, officer, request, today, usable
    )
    subject = viewing_rules.subject_key(request.subject)
    if lock:
        _lock_profile(session, [f"identity:{identity.text}", f"subject:{subject}"])
        _lock_investigation(session, investigation)
    authorisations = _authorisations(session, investigation)
    earlier, tied, triages = [], frozenset(), []
    if viewing_rules.reads_earlier(identity.text, authorisations, today):
        triages = _triage_findings(session, investigation)
        earlier = _earlier(session, investigation, officer)
        tied = viewing_rules.tied_identities(identity.text, _ties(session, identity.text, earlier))
    asked = viewing_rules.Request(
        identity=identity.text,
        subject=subject,
        now=now,
        earlier=earlier,
        authorisations=authorisations,
        tied=tied,
        window_days=window_days,
        triages=triages,
    )
    decision = viewing_rules.decide(asked)
    waiting = None
    if decision.verdict == viewing_rules.Verdict.INITIAL_RESEARCH:
        profile = tied | {identity.text}
        since = viewing_rules.window_start(today, window_days)
        elsewhere = _elsewhere(session, investigation, profile, subject, officer, since)
        ruling = held_looks.ruling_for(session, investigation.id, profile, subject)
        if ruling == viewing_rules.Ruling.SAME_MATTER:
            # The coordinator said the earlier looks are this matter's: they count (rule 7).
            decision = viewing_rules.decide(replace(asked, earlier=[*earlier, *elsewhere]))
        else:
            decision = viewing_rules.across_investigations(
                decision, elsewhere, ruling, today, window_days
            )
        if decision.verdict == viewing_rules.Verdict.HELD:
            waiting = held_looks.waiting(session, investigation.id, officer, identity.text)
    return ViewingCheck(decision, identity, research_profile, subject, investigation, waiting)


def request_viewing(
    session: Session,
    officer: User,
    request: ViewingRequest,
    now: datetime,
    window_days: int | None = None,
    channel: Channel = Channel.WEB,
    token: ApiToken | None = None,
    usable: list[ResearchProfile] | None = None,
) -> ViewingOutcome:
    """Decide whether `officer` may make this viewing now, as check_viewing does, and log it:
    as a viewing when allowed, as a held look when the coordinator must confirm, as a stopped
    attempt when blocked or refused."""
    checked = _assess(session, officer, request, now, window_days, usable, lock=True)
    decision, identity, investigation = checked.decision, checked.identity, checked.investigation
    research_profile, subject = checked.research_profile, checked.subject
    common = dict(
        officer_id=officer.id,
        officer_name=officer.name,
        officer_service=officer.service,
        research_profile_id=research_profile.id,
        investigation_id=investigation.id,
        url=request.url.strip(),
        platform=identity.platform_name,
        identity=identity.text,
        subject=request.subject.strip()[:200],
        subject_key=subject[:200],
        purpose=request.purpose.strip(),
        channel=channel,
    )
    if decision.verdict == viewing_rules.Verdict.HELD:
        return _hold(session, officer, checked, common, now)
    common |= dict(
        reference=investigation.reference,
        application_id=decision.authorisation.application_id if decision.authorisation else None,
        urn=decision.urn,
        reason=decision.reason,
        citation=decision.citation,
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
        tallies.count_viewing(session, viewing)
        audit.record(
            session,
            officer,
            "viewing.logged",
            "viewing",
            viewing.id,
            identity=identity.text,
            investigation=investigation.id,
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
    tallies.count_attempt(session, attempt)
    audit.record(
        session,
        officer,
        f"viewing.{attempt.outcome.value}",
        "viewing_attempt",
        attempt.id,
        identity=identity.text,
        investigation=investigation.id,
        refusal=attempt.refusal,
        urn=decision.urn,
        channel=channel.value,
    )
    commit(session)
    return ViewingOutcome(decision, identity, attempt=attempt)


def _hold(
    session: Session, officer: User, checked: ViewingCheck, common: dict, now: datetime
) -> ViewingOutcome:
    """Record the look as held for the coordinator (once: asking again waits on the same
    record), and tell the coordinators in the same transaction (notifications.outbox)."""
    if checked.waiting is not None:
        session.rollback()  # nothing new to write: release the locks
        return ViewingOutcome(checked.decision, checked.identity, held=checked.waiting)
    held = HeldLook(
        held_at=now,
        earlier_viewing_ids=[v.id for v in checked.decision.repeats],
        **common,
    )
    session.add(held)
    session.flush()
    audit.record(
        session,
        officer,
        "viewing.held",
        "held_look",
        held.id,
        identity=checked.identity.text,
        investigation=checked.investigation.id,
        channel=common["channel"].value,
    )
    outbox.notify_look_held(
        session,
        investigation_reference=checked.investigation.reference,
        title=checked.investigation.title,
        link=outbox.path_for("investigations.held_look", held_id=held.id),
        now=now,
    )
    commit(session)
    return ViewingOutcome(checked.decision, checked.identity, held=held)


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
