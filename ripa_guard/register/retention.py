"""Destroying an entry's details after its retention period: an explicit, audited act (Code para 8.1)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import (
    Application,
    Destruction,
)
from ripa_guard.applications.rules import show_added
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused, commit
from ripa_guard.law import periods
from ripa_guard.law.decision_rules import Statements

DESTROYED = "[destroyed]"


def destroy_entry(
    session: Session,
    actor: User,
    application: Application,
    reason: str,
    kept_until: date | None,
    today: date,
) -> Destruction:
    """Destroy an entry's details once the retention period has passed: the SRO's explicit,
    audited act. The URN, the entry's dates and the record of who destroyed it, and when,
    remain (Code of Practice 2018, para 8.1; DOMAIN.md §7)."""
    if not actor.has_role(Role.SRO):
        raise Refused("Only the senior responsible officer can destroy a record's details.")
    if application.destruction is not None:
        raise Refused("This entry's details have already been destroyed.")
    if kept_until is None:
        raise Refused("This authorisation has not ended, so its record must be kept.")
    if today <= kept_until:
        raise Refused(
            f"This entry must be kept until the end of {periods.long_date(kept_until)}. "
            "Its details cannot be destroyed before then."
        )
    destruction = Destruction(
        application_id=application.id,
        destroyed_by_id=actor.id,
        destroyed_by_name=actor.name,
        kept_until=kept_until,
        reason=reason,
    )
    session.add(destruction)
    _scrub(session, application)
    show_added(session, application, "destruction")
    audit.record(
        session,
        actor,
        "application.details_destroyed",
        "application",
        application.id,
        urn=application.urn,
        kept_until=kept_until,
    )
    commit(session)
    return destruction


def _scrub(session: Session, application: Application) -> None:
    """Blank every detail of the entry, keeping its URN, status and dates."""
    application.investigation_title = DESTROYED
    application.case_reference = ""
    application.answers = {}
    application.offence_snapshot = {}
    application.offence_facts = {}
    for subject in list(application.subjects):
        session.delete(subject)
    triage = application.triage
    triage.title, triage.answers, triage.reasons, triage.threshold_reason = DESTROYED, {}, [], ""
    for decision in application.decisions:
        decision.what_authorised = decision.reasons = decision.directly_involved_reason = ""
        for name in Statements.names():
            setattr(decision, name, "")
    for hearing in application.hearings:
        hearing.notes = ""
    for review in application.reviews:
        review.reasons = ""
    for renewal in application.renewals:
        renewal.reasons = renewal.obtained_so_far = ""
    if application.cancellation is not None:
        c = application.cancellation
        c.reason = c.obtained = c.handling = ""
    _scrub_viewing_log(session, application)


def _scrub_viewing_log(session: Session, application: Application) -> None:
    """The viewing log under the authorisation goes with it: addresses, subjects, purposes."""
    from sqlalchemy import select, update

    from ripa_guard.viewing import tallies
    from ripa_guard.viewing.models import Viewing, ViewingAttempt, ViewingNote

    # The tallies counted these rows under their profile and subject: count those keys again,
    # and the destroyed rows' own, once the rows are blanked (viewing.tallies).
    touched = {tallies.PROFILE: {DESTROYED}, tallies.SUBJECT: {""}}
    for table in (Viewing, ViewingAttempt):
        for identity, key in session.execute(
            select(table.identity, table.subject_key)
            .where(table.application_id == application.id)
            .distinct()
        ):
            touched[tallies.PROFILE].add(identity)
            touched[tallies.SUBJECT].add(key)
    blank = {
        "url": DESTROYED,
        "identity": DESTROYED,
        "subject": DESTROYED,
        "subject_key": "",
        "purpose": "",
    }
    session.execute(
        update(Viewing)
        .where(Viewing.application_id == application.id)
        .values(**blank, capture_location="")
    )
    session.execute(
        update(ViewingAttempt)
        .where(ViewingAttempt.application_id == application.id)
        .values(**blank)
    )
    session.execute(
        update(ViewingNote)
        .where(
            ViewingNote.viewing_id.in_(
                session.query(Viewing.id)
                .filter(Viewing.application_id == application.id)
                .scalar_subquery()
            )
        )
        .values(text="")
    )
    for kind, keys in touched.items():
        tallies.rebuild(session, kind, list(keys))
