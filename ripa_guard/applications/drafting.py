"""Drafting an application: its answers, its subjects, submitting and withdrawing it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.applications import definitions
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
from ripa_guard.core.changes import Refused, check_version, commit
from ripa_guard.core.clock import local_date
from ripa_guard.core.columns import utcnow
from ripa_guard.law import threshold


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
        offence_code=record.offence_codes[0],
        answers={
            "investigation_title": record.title,
            "case_reference": record.case_reference,
            "offence": record.offence_codes[0],
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
    """Save a page of answers as they are, complete or not: nothing typed is lost."""
    _require_editable(officer, application, version)
    application.answers = {**application.answers, **answers}
    application.investigation_title = application.answers.get("investigation_title", "")[:200]
    application.case_reference = application.answers.get("case_reference", "")[:100]
    application.offence_code = application.answers.get("offence", "") or ""
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


def remove_subject(
    session: Session, officer: User, application: Application, subject_id: int, version: int | None
) -> None:
    _require_editable(officer, application, version)
    subject = next((s for s in application.subjects if s.id == subject_id), None)
    if subject is None:
        raise Refused("That subject is not on this application.")
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


def missing_answers(application: Application, definition: FormDefinition) -> list[tuple[str, str]]:
    """What stops submission, as (page slug, message) pairs in the order of the form."""
    missing = definitions.missing(definition, application.answers)
    if not application.subjects:
        missing.append(("subjects", "Add at least one subject, with the profiles to be viewed"))
    return missing


def submit_application(
    session: Session,
    officer: User,
    application: Application,
    definition: FormDefinition,
    register: dict[str, Offence],
    urn_prefix: str,
    version: int | None,
    now: datetime | None = None,
) -> Application:
    """Submit for an authorising officer's decision; the first submission allocates the URN."""
    _require_editable(officer, application, version)
    missing = missing_answers(application, definition)
    if missing:
        raise Refused("The application is not complete: " + "; ".join(m for _slug, m in missing))
    offence = register.get(application.offence_code)
    if offence is None:
        raise Refused("The offence is no longer in the offence register. Choose another offence.")
    now = now or utcnow()
    verdict = threshold.verdict_for_offence(offence, local_date(now))
    if not verdict.met:
        raise Refused(verdict.reason)
    resubmitted = application.status == ApplicationStatus.RETURNED
    if application.urn is None:
        application.urn = allocate_urn(session, urn_prefix, now.year)
    application.offence_snapshot = {
        "code": offence.code,
        "title": offence.title,
        "citation": offence.citation,
        "max_custodial_months": offence.max_custodial_months,
        "threshold_exception": offence.threshold_exception,
        "threshold_basis": verdict.basis,
        "threshold_reason": verdict.reason,
        "threshold_citation": verdict.citation,
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
    )
    commit(session)
    return application


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
