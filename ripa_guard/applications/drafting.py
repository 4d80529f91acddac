"""Drafting an application: its answers, its subjects, submitting and withdrawing it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.applications import definitions, notices
from ripa_guard.applications.definitions import FormDefinition
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    Outcome,
    Subject,
    Triage,
)
from ripa_guard.applications.offences import Offence
from ripa_guard.applications.rules import require_owner
from ripa_guard.applications.urn import allocate_urn
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, Refused, check_version, commit
from ripa_guard.core.clock import local_date
from ripa_guard.core.columns import utcnow
from ripa_guard.law import threshold
from ripa_guard.law.viewing_rules import reference_key

#: The page of forms/application.toml that lists the offences named, like "subjects".
OFFENCES = "offences"


def start_application(session: Session, officer: User, record: Triage) -> Application:
    """Only a triage that found directed surveillance with the threshold met leads here."""
    require_owner(officer, record.officer_id)
    if record.outcome != Outcome.DIRECTED_SURVEILLANCE or not record.threshold_met:
        raise Refused(
            "An application can only be made where the research is directed surveillance and "
            "the offence meets the crime threshold."
        )
    if record.application is not None:
        return record.application
    application = Application(
        triage_id=record.id,
        officer_id=officer.id,
        investigation_title=record.title,
        case_reference=record.case_reference,
        # The offences the triage named; the officer adds any others the conduct constitutes.
        offence_codes=list(record.offence_codes),
        offence_code=record.offence_codes[0],
        offence_facts={},
        answers={
            "investigation_title": record.title,
            "case_reference": record.case_reference,
        },
    )
    session.add(application)
    session.flush()
    audit.record(session, officer, "application.started", "application", application.id)
    commit(session)
    return application


def _require_editable(officer: User, application: Application, version: int | None) -> None:
    require_owner(officer, application.officer_id)
    if not application.is_editable:
        raise Refused(
            f"This application is {application.status.title.lower()} and cannot be changed."
        )
    check_version(application, version)


def save_application_answers(
    session: Session, officer: User, application: Application, answers: dict, version: int | None
) -> None:
    """Save a page of answers as they are, complete or not: nothing typed is lost. The case
    reference of an application drafted from a plan made under an investigation is that
    investigation's, chosen then, and is not retyped here (issue 15)."""
    _require_editable(officer, application, version)
    chosen = application.triage.case_reference if application.triage else ""
    typed = answers.get("case_reference")
    if chosen and typed is not None and reference_key(typed) != reference_key(chosen):
        raise InputProblem(
            "case_reference",
            f"This application is for investigation {chosen}, chosen when the research was "
            "planned, so its case reference stays " + chosen + ". To apply under another "
            "investigation, plan the research under that one.",
        )
    application.answers = {**application.answers, **answers}
    application.investigation_title = application.answers.get("investigation_title", "")[:200]
    application.case_reference = application.answers.get("case_reference", "")[:100]
    if "confidential_likely" in answers:
        application.confidential_likely = {"yes": True, "no": False}.get(
            answers["confidential_likely"]
        )
    application.updated_at = utcnow()
    commit(session)


def add_subject(
    session: Session,
    officer: User,
    application: Application,
    *,
    name: str,
    description: str,
    profiles: list[dict],
    version: int | None,
) -> Subject:
    _require_editable(officer, application, version)
    subject = Subject(name=name, description=description or "", profiles=profiles)
    application.subjects.append(subject)
    application.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        officer,
        "application.subject_added",
        "application",
        application.id,
        subject_id=subject.id,
    )
    commit(session)
    return subject


def subject_of(application: Application, subject_id: int) -> Subject:
    subject = next((s for s in application.subjects if s.id == subject_id), None)
    if subject is None:
        raise Refused("That subject is not on this application.")
    return subject


def change_subject(
    session: Session,
    officer: User,
    application: Application,
    subject_id: int,
    *,
    name: str,
    description: str,
    profiles: list[dict],
    version: int | None,
) -> Subject:
    """Correct a subject in place while the application is a draft or returned: nothing has
    been decided on it yet, and the audit trail keeps what it said before."""
    _require_editable(officer, application, version)
    subject = subject_of(application, subject_id)
    before = {
        "name": subject.name,
        "description": subject.description,
        "profiles": subject.profiles,
    }
    subject.name, subject.description, subject.profiles = name, description or "", profiles
    application.updated_at = utcnow()
    audit.record(
        session,
        officer,
        "application.subject_changed",
        "application",
        application.id,
        subject_id=subject.id,
        before=before,
    )
    commit(session)
    return subject


def remove_subject(
    session: Session, officer: User, application: Application, subject_id: int, version: int | None
) -> None:
    _require_editable(officer, application, version)
    subject = subject_of(application, subject_id)
    application.subjects.remove(subject)
    application.updated_at = utcnow()
    audit.record(
        session,
        officer,
        "application.subject_removed",
        "application",
        application.id,
        subject_id=subject.id,
    )
    commit(session)


def _set_offences(application: Application, codes: list[str], facts: dict[str, str]) -> None:
    application.offence_codes = codes
    application.offence_facts = facts
    application.offence_code = codes[0] if codes else ""
    application.updated_at = utcnow()


def add_offence(
    session: Session,
    officer: User,
    application: Application,
    code: str,
    facts: str,
    register: dict[str, Offence],
    version: int | None,
) -> None:
    """Name an offence the conduct is believed to constitute, with the facts for each of its
    elements; naming one already listed replaces its facts (SI 2010/521 art. 7A(2)-(3))."""
    _require_editable(officer, application, version)
    if code not in register:
        raise InputProblem("offence", "Choose an offence from the list")
    if not (facts or "").strip():
        raise InputProblem("facts", "Give the facts for each element of the offence")
    codes = list(application.offence_codes or [])
    changed = code in codes
    if not changed:
        codes.append(code)
    _set_offences(application, codes, {**(application.offence_facts or {}), code: facts.strip()})
    audit.record(
        session,
        officer,
        "application.offence_facts_changed" if changed else "application.offence_added",
        "application",
        application.id,
        offence=code,
    )
    commit(session)


def remove_offence(
    session: Session, officer: User, application: Application, code: str, version: int | None
) -> None:
    _require_editable(officer, application, version)
    codes = list(application.offence_codes or [])
    if code not in codes:
        raise Refused("That offence is not on this application.")
    codes.remove(code)
    facts = {k: v for k, v in (application.offence_facts or {}).items() if k != code}
    _set_offences(application, codes, facts)
    audit.record(
        session, officer, "application.offence_removed", "application", application.id, offence=code
    )
    commit(session)


def missing_answers(
    application: Application,
    definition: FormDefinition,
    register: dict[str, Offence] | None = None,
) -> list[tuple[str, str]]:
    """What stops submission, as (page slug, message) pairs in the order of the form."""
    missing = definitions.missing(definition, application.answers)
    if not application.subjects:
        missing.append(("subjects", "Add at least one subject, with the profiles to be viewed"))
    codes = application.offence_codes or []
    if not codes:
        missing.append(
            (OFFENCES, "Add each offence the conduct is believed to constitute, at least one")
        )
    facts = application.offence_facts or {}
    for code in codes:
        if not facts.get(code, "").strip():
            offence = (register or {}).get(code)
            name = offence.title if offence else code
            missing.append((OFFENCES, f"Give the facts for each element of {name}"))
    return missing


def submit_application(
    session: Session,
    officer: User,
    application: Application,
    *,
    definition: FormDefinition,
    register: dict[str, Offence],
    urn_prefix: str,
    version: int | None,
    now: datetime | None = None,
) -> Application:
    """Submit for an authorising officer's decision; the first submission allocates the URN."""
    _require_editable(officer, application, version)
    missing = missing_answers(application, definition, register)
    if missing:
        raise Refused("The application is not complete: " + "; ".join(m for _slug, m in missing))
    codes = list(application.offence_codes or [])
    gone = [code for code in codes if code not in register]
    if gone:
        raise Refused(
            f"The offence {', '.join(gone)} is no longer in the offence register. "
            "Remove it, or choose another offence."
        )
    offences = [register[code] for code in codes]
    now = now or utcnow()
    today = local_date(now)
    verdicts = [threshold.verdict_for_offence(offence, today) for offence in offences]
    qualifying = [(o, v) for o, v in zip(offences, verdicts, strict=True) if v.met]
    if not qualifying:
        reason = threshold.none_met_reason([(o.title, o) for o in offences], today)
        raise Refused(f"{reason} ({threshold.ANY_OFFENCE_CITATION})")
    resubmitted = application.status == ApplicationStatus.RETURNED
    if application.urn is None:
        application.urn = allocate_urn(session, urn_prefix, now.year)
    facts = application.offence_facts or {}
    named = [
        _snapshot(offence, verdict, facts.get(offence.code, ""))
        for offence, verdict in zip(offences, verdicts, strict=True)
    ]
    offence, verdict = qualifying[0]
    application.offence_snapshot = {
        **_snapshot(offence, verdict, facts.get(offence.code, "")),
        "offences": named,
    }
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    audit.record(
        session,
        officer,
        "application.resubmitted" if resubmitted else "application.submitted",
        "application",
        application.id,
        urn=application.urn,
        offence=offence.code,
        offences=codes,
    )
    notices.submitted(session, application, now)
    commit(session)
    return application


def offences_named(application: Application, register: dict[str, Offence], today) -> list[dict]:
    """Each offence named, as _snapshot describes it: once submitted, as the register read at
    submission; while the officer may change them, as it reads on `today`. An offence gone
    from the register is named by its code, with known False."""
    if not application.is_editable and (application.offence_snapshot or {}):
        return [{"known": True, **o} for o in application.offences_named]
    facts = application.offence_facts or {}
    named = []
    for code in application.offence_codes or []:
        offence = register.get(code)
        if offence is None:
            named.append(
                {"code": code, "title": code, "known": False, "facts": facts.get(code, "")}
            )
            continue
        verdict = threshold.verdict_for_offence(offence, today)
        named.append({"known": True, **_snapshot(offence, verdict, facts.get(code, ""))})
    return named


def _snapshot(offence: Offence, verdict: threshold.ThresholdVerdict, facts: str) -> dict:
    """What the register said of one offence at submission, and its crime threshold verdict."""
    return {
        "code": offence.code,
        "title": offence.title,
        "act": offence.act,
        "section": offence.section,
        "citation": offence.citation,
        "max_custodial_months": offence.max_custodial_months,
        "maximum": threshold.maximum(offence),
        "threshold_exception": offence.threshold_exception,
        "meets": verdict.met,
        "threshold_basis": verdict.basis,
        "threshold_reason": verdict.reason,
        "threshold_citation": verdict.citation,
        "facts": facts,
    }


def withdraw_application(
    session: Session, officer: User, application: Application, version: int | None
) -> None:
    """The officer no longer needs the authorisation before anyone has decided on it."""
    require_owner(officer, application.officer_id)
    allowed = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED)
    if application.status not in allowed:
        raise Refused(
            f"This application is {application.status.title.lower()} and cannot be withdrawn."
        )
    check_version(application, version)
    application.status = ApplicationStatus.WITHDRAWN
    application.updated_at = utcnow()
    audit.record(
        session,
        officer,
        "application.withdrawn",
        "application",
        application.id,
        urn=application.urn,
    )
    commit(session)
