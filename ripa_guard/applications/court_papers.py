"""The papers for the magistrates' court: what ripa_guard writes on the judicial application/order
form (forms/court_order.toml), and the authorisation the JP is asked to approve.

Sources:
- RIPA s.32A(2), as read: a council's authorisation "is not to take effect until such time (if
  any) as the relevant judicial authority has made an order approving the grant"; s.32B does
  the same for a renewal. s.32A(3)-(4): the JP approves only if satisfied of reasonable grounds
  at the grant and still, that the grantor "was a designated person", and of the other
  conditions (the crime threshold of SI 2010/521 art. 7A).
- Criminal Procedure Rules, r.47.53(2), as read: the applicant must "attach the authorisation
  ... which the applicant wants the court to approve" and "such other material (if any) on
  which the applicant relies", and "propose the terms of the order". So the papers are the
  form, the authorisation in the authorising officer's words, and the application as approved.
- DOMAIN.md §3: the court lists the application quoting the council's own reference: the URN.
  Court register codes seen in guidance were not confirmed, so none is printed unless the
  council sets COURT_REGISTER_CODE.

Pure: no Flask. Everything the JP completes in court is left blank.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    CourtOutcome,
    Decision,
    Renewal,
    RenewalStatus,
)
from ripa_guard.core import clock
from ripa_guard.law import periods

if TYPE_CHECKING:  # the council's details are given, so this module stays free of Flask
    from ripa_guard.council.details import Details

TECHNIQUE = "Directed surveillance (RIPA s.28)"

#: A grant's papers exist from the authorising officer's approval; once the JP has approved,
#: they stay available to print again. A refused or quashed authorisation has no hearing ahead.
STATUSES_WITH_PAPERS = (ApplicationStatus.AWAITING_COURT, ApplicationStatus.ACTIVE)
RENEWAL_STATUSES_WITH_PAPERS = (RenewalStatus.AWAITING_COURT, RenewalStatus.APPROVED)


def has_papers(application: Application, renewal: Renewal | None = None) -> bool:
    """Whether there is an approval for a JP to consider: of the grant, or of this renewal."""
    if renewal is None:
        return application.status in STATUSES_WITH_PAPERS and approval(application) is not None
    return (
        renewal.application_id == application.id
        and application.status == ApplicationStatus.ACTIVE
        and renewal.status in RENEWAL_STATUSES_WITH_PAPERS
        and approval(application, renewal) is not None
    )


def approval(
    application: Application, renewal: Renewal | None = None
) -> AuthorisingDecision | None:
    """The authorising officer's approval the JP is asked to approve: the latest of the grant,
    or the one on this renewal."""
    if renewal is None:
        return application.latest_approval
    approved = [
        d
        for d in application.decisions
        if d.renewal_id == renewal.id and d.decision == Decision.APPROVED
    ]
    return approved[-1] if approved else None


def values(
    application: Application,
    council: Details,
    renewal: Renewal | None = None,
    number_of_pages: int | None = None,
    court_register_code: str = "",
) -> dict[str, str]:
    """The answers to the first page of forms/court_order.toml, by question name. Anything
    ripa_guard does not know (who will appear) is left blank; the council's name, address and
    telephone come from its details (council/details.py)."""
    decision = approval(application, renewal)
    technique = TECHNIQUE
    if renewal is not None:
        technique += f": renewal {renewal.number} of the authorisation (RIPA s.32B)"
    return {
        "local_authority": council.name,
        "department": application.officer.service,
        "offence": offence(application),
        "subject": subjects(application),
        "technique": technique,
        "summary": summary(application, renewal),
        "investigating_officer": name_and_grade(
            application.officer.name, application.officer.grade
        ),
        "authorising_officer": (
            name_and_grade(decision.decided_by_name, decision.decided_by_grade) if decision else ""
        ),
        "officers_appearing": "",
        "address": council.address,
        "telephone": council.telephone,
        "reference": application.urn or "",
        "court_register_code": court_register_code,
        "number_of_pages": str(number_of_pages) if number_of_pages else "",
    }


def name_and_grade(name: str, grade: str) -> str:
    return f"{name}, {grade}" if grade else name


def offence(application: Application) -> str:
    """Every offence named, as the register described it when the application was submitted,
    with its maximum, and why the threshold is met: one qualifying offence suffices (SI
    2010/521 art. 7A(2)-(3))."""
    snapshot = application.offence_snapshot or {}
    if not snapshot:
        return ", ".join(application.offence_codes or []) or application.offence_code
    lines = [_offence_line(o) for o in application.offences_named]
    if snapshot.get("threshold_reason"):
        lines.append(f"Crime threshold: {snapshot['threshold_reason']}")
    return "\n".join(lines)


def _offence_line(named: dict) -> str:
    text = f"{named.get('title', '')} ({named.get('citation', '')})"
    if named.get("maximum"):
        text += f". Maximum: {named['maximum'][0].lower()}{named['maximum'][1:]}"
    if named.get("meets"):
        return text + ". Meets the crime threshold"
    return text + ". Does not meet the crime threshold"


def subjects(application: Application) -> str:
    """Who the surveillance is directed at: each subject, what identifies them, and every
    profile or page to be viewed."""
    blocks = []
    for subject in application.subjects:
        lines = [subject.name]
        if subject.description:
            lines.append(subject.description)
        lines.extend(f"{p.get('platform', '')}: {p.get('url', '')}" for p in subject.profiles)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def summary(application: Application, renewal: Renewal | None = None) -> str:
    """The investigation and the surveillance asked for, from the officer's own answers."""
    answers = application.answers
    parts = [answers.get("summary", "")]
    surveillance = [
        ("What will be done", answers.get("activity", "")),
        ("How often", answers.get("frequency", "")),
        ("For how long", answers.get("duration", "")),
    ]
    parts.append("\n".join(f"{label}: {text}" for label, text in surveillance if text))
    if renewal is not None:
        parts.append(
            f"Renewal {renewal.number}, for the period from {periods.long_date(renewal.starts_on)} "
            f"to {periods.long_date(renewal.ends_on)}.\n"
            f"Why it is still needed: {renewal.reasons}\n"
            f"What the surveillance has obtained so far: {renewal.obtained_so_far or 'Nothing yet'}"
        )
    return "\n\n".join(p for p in parts if p.strip())


def authorisation(
    application: Application, renewal: Renewal | None = None
) -> list[tuple[str, str]]:
    """The authorisation the JP is asked to approve, as (label, value) rows: the authorising
    officer's decision in their own words, and every date saying what it is."""
    decision = approval(application, renewal)
    rows: list[tuple[str, str]] = []
    if renewal is not None:
        rows += _renewal_rows(application, renewal)
    if decision is None:
        return rows
    involved = "No"
    if decision.directly_involved:
        involved = "Yes" + (
            f": {decision.directly_involved_reason}" if decision.directly_involved_reason else ""
        )
    interval = decision.review_interval_days
    rows += [
        (
            "Authorising officer",
            name_and_grade(decision.decided_by_name, decision.decided_by_grade),
        ),
        (
            "Date of the authorising officer's decision",
            periods.long_date(clock.local_date(decision.decided_at)),
        ),
        ("What is authorised, in the authorising officer's words", decision.what_authorised),
    ]
    rows += [
        (f"{element.title}, in the authorising officer's words ({element.citation})", text)
        for element, text in decision.statements
    ]
    if not decision.statements:
        rows.append(("Why it is necessary and proportionate, in their words", decision.reasons))
    elif decision.reasons:
        rows.append(("Anything else they took into account, in their words", decision.reasons))
    rows += [
        ("How often it is to be reviewed", f"Every {interval} days" if interval else ""),
        ("Is the authorising officer directly involved in the investigation?", involved),
    ]
    return rows


def _renewal_rows(application: Application, renewal: Renewal) -> list[tuple[str, str]]:
    rows = [("Renewal", f"Renewal {renewal.number} of the authorisation")]
    grant = next(
        (
            h
            for h in application.hearings
            if h.renewal_id is None and h.outcome == CourtOutcome.APPROVED
        ),
        None,
    )
    if grant is not None:
        rows.append(
            (
                "Date a magistrate approved the authorisation",
                f"{periods.long_date(clock.local_date(grant.decided_at))}, at {grant.court}",
            )
        )
    if application.last_day is not None:
        rows.append(
            (
                "Last day of the authorisation as it stands",
                f"{periods.long_date(application.last_day)} (it has effect until "
                f"{periods.END_OF_DAY} that day)",
            )
        )
    rows += [
        (
            "Date the renewal was asked for",
            periods.long_date(clock.local_date(renewal.requested_at)),
        ),
        (
            "First day of the renewal, if approved by then",
            f"{periods.long_date(renewal.starts_on)}, the last day of the period it renews "
            "(RIPA s.43(9)(b)); if approved later, the day of approval (s.43(9)(c))",
        ),
        (
            "Last day of the renewal, if approved by then",
            f"{periods.long_date(renewal.ends_on)} (three months beginning with its first day, "
            "RIPA s.43(3)(c))",
        ),
        ("Why it is still needed", renewal.reasons),
        ("What the surveillance has obtained so far", renewal.obtained_so_far or "Nothing yet"),
    ]
    return rows


def application_details(application: Application) -> list[tuple[str, str]]:
    """The application's facts that are not answers to its form: who, when, and the offence."""
    officer = application.officer
    applicant = name_and_grade(officer.name, officer.grade)
    if officer.service:
        applicant += f", {officer.service}"
    rows = [
        ("Unique reference number (URN)", application.urn or ""),
        ("Applicant", applicant),
    ]
    if application.submitted_at is not None:
        rows.append(
            (
                "Date the application was submitted",
                periods.long_date(clock.local_date(application.submitted_at)),
            )
        )
    snapshot = application.offence_snapshot or {}
    if snapshot:
        named = application.offences_named
        rows.append(
            (
                "Offences under investigation" if len(named) > 1 else "Offence under investigation",
                "\n".join(_offence_line(o) for o in named),
            )
        )
        threshold = snapshot.get("threshold_reason", "")
        if snapshot.get("threshold_citation"):
            threshold += f" ({snapshot['threshold_citation']})"
        rows.append(("Why it meets the crime threshold", threshold))
    return rows


def filename(application: Application, renewal: Renewal | None = None) -> str:
    """The PDF's file name: RIPA/2026/0001 gives RIPA-2026-0001-court-papers.pdf."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", application.urn or f"application-{application.id}")
    if renewal is not None:
        stem += f"-renewal-{renewal.number}"
    return f"{stem}-court-papers.pdf"
