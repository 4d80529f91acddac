"""Investigations as records: an officer opens one in their service, names its subjects and
their profiles and the officers who work on it, and closes it. Each change is one function that
checks who is asking and writes the change with its audit event (issue 15, item 1).

An officer sees only the investigations they work on; anything else is answered exactly as an
investigation that does not exist (`NOT_YOURS`), so trying ids tells nothing. The SRO and the
RIPA coordinator see every one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ripa_guard.accounts import training
from ripa_guard.accounts.models import Role, User, UserRole
from ripa_guard.applications.models import Application, Triage
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, Refused, commit
from ripa_guard.core.columns import utcnow
from ripa_guard.law import viewing_rules
from ripa_guard.law.profile_identity import BadAddress, identify
from ripa_guard.viewing.models import (
    CaseReferenceFormat,
    HeldLook,
    Investigation,
    InvestigationOfficer,
    InvestigationSubject,
    MigrationReport,
    Viewing,
)

#: The one answer for an investigation that does not exist, is another service's, or is one the
#: officer does not work on: word for word the same, whatever was tried.
NOT_YOURS = "Select one of your open investigations"


def service_key(service: str | None) -> str:
    return (service or "").strip().casefold()


def oversees(user: User) -> bool:
    """The SRO and the RIPA coordinator see every service's investigations."""
    return user.has_role(Role.SRO, Role.COORDINATOR)


# A service's case reference format -----------------------------------------------------------

_TOKEN = re.compile(r"Y{4}|Y{2}|N+|[A-Z0-9]|[/\-. ]")
_FORMAT_HINT = (
    "Use capital letters and numbers as they are written, / - . or spaces between them, YYYY "
    "for the year and N for each digit of the number: for example TS/YYYY/NNNN"
)


def format_problem(template: str) -> str | None:
    """What is wrong with a format the coordinator typed, or None."""
    if not template:
        return None
    if len(template) > 40:
        return "The format must be 40 characters or fewer"
    if "".join(_TOKEN.findall(template)) != template:
        return _FORMAT_HINT
    if "N" not in template:
        return "The format must have at least one N, for the number of the case: " + _FORMAT_HINT
    return None


def _pattern(template: str) -> re.Pattern:
    parts = []
    for token in _TOKEN.findall(template):
        if token.startswith("Y"):
            parts.append(rf"\d{{{len(token)}}}")
        elif token.startswith("N"):
            parts.append(rf"\d{{{len(token)}}}")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts))


def example_reference(template: str, year: int) -> str:
    out = template.replace("YYYY", str(year)).replace("YY", str(year)[2:])
    return re.sub(r"N+", lambda m: "1".zfill(len(m.group())), out)


def reference_format(session: Session, service: str | None) -> str:
    """The service's format in use (the newest set), or "" for any reference."""
    return (
        session.scalar(
            select(CaseReferenceFormat.template)
            .where(CaseReferenceFormat.service_key == service_key(service))
            .order_by(CaseReferenceFormat.id.desc())
            .limit(1)
        )
        or ""
    )


def reference_formats(session: Session) -> dict[str, str]:
    """Each service's format in use, by service name, for the coordinator's page."""
    newest: dict[str, tuple[str, str]] = {}
    for row in session.execute(select(CaseReferenceFormat).order_by(CaseReferenceFormat.id)):
        fmt = row[0]
        newest[fmt.service_key] = (fmt.service, fmt.template)
    return {service: template for service, template in newest.values()}


def services(session: Session) -> list[str]:
    """The services named on officers' accounts."""
    names = session.scalars(select(User.service).where(User.service != "").distinct())
    by_key = {service_key(n): n.strip() for n in names if n and n.strip()}
    return sorted(by_key.values())


def set_reference_format(session: Session, actor: User, service: str, template: str) -> None:
    """The coordinator sets a service's case reference format; a new row, never an update."""
    if not actor.has_role(Role.COORDINATOR):
        raise Refused("Only the RIPA coordinator sets case reference formats.")
    template = (template or "").strip().upper()
    if service_key(service) not in {service_key(s) for s in services(session)}:
        raise InputProblem("service", "Select a service")
    problem = format_problem(template)
    if problem:
        raise InputProblem("template", problem)
    row = CaseReferenceFormat(
        service=service.strip(),
        service_key=service_key(service),
        template=template,
        set_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "case_reference_format.set",
        "case_reference_format",
        row.id,
        service=row.service,
        template=template,
    )
    commit(session)


# Reading ---------------------------------------------------------------------------------------


def _membership(user: User):
    return select(InvestigationOfficer.investigation_id).where(
        InvestigationOfficer.user_id == user.id, InvestigationOfficer.removed_at.is_(None)
    )


def my_investigations(
    session: Session, user: User, *, open_only: bool = False
) -> list[Investigation]:
    """The investigations `user` works on (the SRO and coordinator: every one), newest first."""
    query = select(Investigation).order_by(Investigation.created_at.desc(), Investigation.id.desc())
    if not oversees(user):
        query = query.where(Investigation.id.in_(_membership(user)))
    if open_only:
        query = query.where(Investigation.closed_at.is_(None))
    return list(session.scalars(query))


def listed(session: Session, user: User) -> list[Row]:
    """my_investigations as the list of them shows it: a line each (id, reference, title,
    service, is_open), not each one's officers (issue 19)."""
    query = select(
        Investigation.id,
        Investigation.reference,
        Investigation.title,
        Investigation.service,
        Investigation.closed_at.is_(None).label("is_open"),
    ).order_by(Investigation.created_at.desc(), Investigation.id.desc())
    if not oversees(user):
        query = query.where(Investigation.id.in_(_membership(user)))
    return session.execute(query).all()


def open_investigations_of(
    session: Session, officer: User, with_subjects: bool = False
) -> list[Investigation]:
    """The open investigations `officer` works on: what a viewing, a plan or an application may
    be made under. Overseers log nothing, so only membership counts here. `with_subjects` loads
    each one's subjects in one more query (the browser extension offers them)."""
    query = (
        select(Investigation)
        .where(Investigation.id.in_(_membership(officer)), Investigation.closed_at.is_(None))
        .order_by(Investigation.reference)
    )
    if with_subjects:
        query = query.options(selectinload(Investigation.subjects))
    return list(session.scalars(query))


def investigation_for(session: Session, user: User, investigation_id) -> Investigation | None:
    """The investigation, when `user` works on it or oversees; otherwise None, exactly as for
    one that does not exist."""
    if not isinstance(investigation_id, int) or isinstance(investigation_id, bool):
        return None
    found = session.get(Investigation, investigation_id)
    if found is None or not (oversees(user) or found.has_officer(user)):
        return None
    return found


def require_usable(session: Session, officer: User, investigation_id) -> Investigation:
    """The investigation an officer makes a viewing under: one they work on, or NOT_YOURS; a
    closed one is refused, saying so (closing an investigation stops its viewings)."""
    found = (
        # Asked before every look: the investigation and its officers in one query.
        session.get(
            Investigation, investigation_id, options=[joinedload(Investigation.memberships)]
        )
        if isinstance(investigation_id, int)
        else None
    )
    if found is None or not found.has_officer(officer):
        raise InputProblem("investigation", NOT_YOURS)
    if not found.is_open:
        raise Refused(
            f"Investigation {found.reference} was closed on "
            f"{found.closed_at.astimezone(viewing_rules.LONDON):%-d %B %Y}, so nothing more may be "
            "viewed under it. If the work has started again, open a new investigation, or ask "
            "the RIPA coordinator."
        )
    return found


@dataclass(frozen=True)
class InvestigationRecords:
    """What an investigation's page lists."""

    viewings: list[Viewing]
    held: list[HeldLook]
    applications: list[Application]
    plans: list[Triage]
    #: The last viewing shown when more follow: the "next" link's place.
    next_after: int | None = None


def _same_service_officer(investigation: Investigation):
    return func.lower(func.trim(func.coalesce(User.service, ""))) == investigation.service_key


def records_of(
    session: Session, investigation: Investigation, after: int | None = None
) -> InvestigationRecords:
    """Its viewings (newest first, a page at a time) and held looks, and the plans and
    applications its service made under its case reference."""
    from ripa_guard.viewing.reading import page_of

    page = page_of(
        session,
        Viewing,
        Viewing.viewed_at,
        Viewing.investigation_id == investigation.id,
        after,
        newest_first=True,
    )
    viewings = page.rows
    held = list(
        session.scalars(
            select(HeldLook)
            .where(HeldLook.investigation_id == investigation.id)
            .order_by(HeldLook.held_at.desc())
        )
    )
    applications = list(
        session.scalars(
            select(Application)
            .join(User, User.id == Application.officer_id)
            .where(Application.investigation_key == investigation.key)
            .where(_same_service_officer(investigation))
            .order_by(Application.id)
        )
    )
    plans = list(
        session.scalars(
            select(Triage)
            .join(User, User.id == Triage.officer_id)
            .where(Triage.investigation_key == investigation.key)
            .where(_same_service_officer(investigation))
            .order_by(Triage.id)
        )
    )
    return InvestigationRecords(viewings, held, applications, plans, page.next_after)


# Changes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectGiven:
    name: str
    addresses: list[str]


def parse_subjects(text: str) -> list[SubjectGiven]:
    """Subjects as the form takes them: one a line, "Name: address address"."""
    subjects = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _, addresses = line.partition(":")
        # "https://..." has a colon of its own: a line with no name is only addresses.
        if name.strip().lower() in ("http", "https") or "/" in name:
            name, addresses = "", line
        subjects.append(SubjectGiven(name.strip(), addresses.split()))
    return subjects


def _subject(index: int, given: SubjectGiven) -> tuple[str, list[str]]:
    """(subject key, identities) of a subject as typed, or the problem with it."""
    key = viewing_rules.subject_key(given.name)
    if not key:
        raise InputProblem("subjects", f"Enter the name of subject {index}")
    identities = []
    for address in given.addresses:
        try:
            identities.append(identify(address).text)
        except BadAddress as bad:
            raise InputProblem("subjects", f"Subject {index}, {address}: {bad}") from bad
    return key, identities


def _check_reference(session: Session, officer: User, reference: str, today: date) -> str:
    reference = (reference or "").strip().upper()
    key = viewing_rules.reference_key(reference)
    if not key:
        raise InputProblem("reference", "Enter the case reference, with letters or numbers")
    template = reference_format(session, officer.service)
    if template and not _pattern(template).fullmatch(reference):
        raise InputProblem(
            "reference",
            f"Enter the case reference in your service's format, {template}, for example "
            f"{example_reference(template, today.year)}",
        )
    taken = session.scalar(
        select(Investigation.id).where(
            Investigation.service_key == service_key(officer.service), Investigation.key == key
        )
    )
    if taken is not None:
        raise InputProblem(
            "reference",
            "Your service already has an investigation with this case reference. Ask to be "
            "added to it by an officer who works on it, or use a different reference",
        )
    return reference


def open_investigation(
    session: Session,
    officer: User,
    *,
    reference: str,
    title: str,
    offences: str,
    subjects: list[SubjectGiven],
    officer_ids: list[int],
    today: date,
) -> Investigation:
    """An officer opens an investigation of their own service, and works on it."""
    if not (officer.active and officer.has_role(Role.OFFICER)):
        raise Refused("Only investigating officers open investigations.")
    training.require_officer_training(session, officer, today)
    reference = _check_reference(session, officer, reference, today)
    if not (title or "").strip():
        raise InputProblem("title", "Enter the title of the investigation")
    if not (offences or "").strip():
        raise InputProblem("offences", "Enter the offence or offences under investigation")
    checked = [_subject(n, s) for n, s in enumerate(subjects, start=1)]
    colleagues = _colleagues(session, officer, officer_ids)
    investigation = Investigation(
        service=(officer.service or "").strip(),
        service_key=service_key(officer.service),
        key=viewing_rules.reference_key(reference)[:100],
        reference=reference[:100],
        title=title.strip()[:200],
        offences=offences.strip(),
        created_by_id=officer.id,
        requests=0,
    )
    session.add(investigation)
    session.flush()
    for user in [officer, *colleagues]:
        session.add(
            InvestigationOfficer(
                investigation_id=investigation.id, user_id=user.id, added_by_id=officer.id
            )
        )
    for given, (key, identities) in zip(subjects, checked, strict=True):
        session.add(
            InvestigationSubject(
                investigation_id=investigation.id,
                name=given.name.strip()[:200],
                subject_key=key[:200],
                identities=identities,
                addresses=[a.strip() for a in given.addresses],
                added_by_id=officer.id,
            )
        )
    audit.record(
        session,
        officer,
        "investigation.opened",
        "investigation",
        investigation.id,
        reference=investigation.reference,
        officers=[officer.id, *[u.id for u in colleagues]],
    )
    commit(session)
    return investigation


def _colleagues(session: Session, officer: User, officer_ids: list[int]) -> list[User]:
    """Officers of `officer`'s own service, by id; anyone else is refused as not offered."""
    offered = {i for i, _ in officers_of_service(session, officer.service)}
    if any(i not in offered for i in officer_ids):
        raise InputProblem("officers", "Select officers from the list")
    wanted = [i for i in dict.fromkeys(officer_ids) if i != officer.id]
    found = {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted or [0])))}
    return [found[i] for i in wanted]


def officers_of_service(session: Session, service: str | None) -> list[tuple[int, str]]:
    """(id, name) of each active investigating officer of `service`, by name: read as columns,
    not as every account with its roles (issue 19)."""
    rows = session.execute(
        select(User.id, User.name, User.service)
        .where(
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.OFFICER)),
        )
        .order_by(User.name)
    )
    key = service_key(service)
    return [(user_id, name) for user_id, name, their in rows if service_key(their) == key]


def _require_worker(investigation: Investigation, actor: User) -> None:
    if not investigation.has_officer(actor):
        raise Refused("Only the officers who work on this investigation can change it.")
    if not investigation.is_open:
        raise Refused("This investigation is closed. Nothing about it can change now.")


def add_officer(session: Session, actor: User, investigation: Investigation, user_id) -> None:
    _require_worker(investigation, actor)
    [user] = _colleagues(session, actor, [user_id]) or [None]
    if user is None or investigation.has_officer(user):
        raise InputProblem("officer", "Select an officer who is not already on it")
    session.add(
        InvestigationOfficer(
            investigation_id=investigation.id, user_id=user.id, added_by_id=actor.id
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        "investigation.officer_added",
        "investigation",
        investigation.id,
        officer=user.id,
    )
    commit(session)
    session.expire(investigation, ["memberships"])


def remove_officer(session: Session, actor: User, investigation: Investigation, user_id) -> None:
    _require_worker(investigation, actor)
    current = [
        m for m in investigation.memberships if m.user_id == user_id and m.removed_at is None
    ]
    if not current:
        raise InputProblem("officer", "Select an officer who works on it")
    if len(investigation.officers) == 1:
        raise Refused("An open investigation needs at least one officer. Close it instead.")
    membership = session.get(InvestigationOfficer, current[0].id)
    membership.removed_at = utcnow()
    membership.removed_by_id = actor.id
    audit.record(
        session,
        actor,
        "investigation.officer_removed",
        "investigation",
        investigation.id,
        officer=user_id,
    )
    commit(session)
    session.expire(investigation, ["memberships"])


def close_investigation(
    session: Session, actor: User, investigation: Investigation, reason: str, now: datetime
) -> None:
    """Closed once, with the reason; its viewings stop."""
    _require_worker(investigation, actor)
    if not (reason or "").strip():
        raise InputProblem("reason", "Say why the investigation is closed")
    investigation.closed_at = now
    investigation.closed_by_id = actor.id
    investigation.closed_reason = reason.strip()
    audit.record(session, actor, "investigation.closed", "investigation", investigation.id)
    commit(session)


def migration_reports(session: Session) -> list[MigrationReport]:
    """What migrations that made investigations from typed references merged (0017)."""
    return list(session.scalars(select(MigrationReport).order_by(MigrationReport.id)))
