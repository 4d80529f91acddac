"""Load a record or 404, then check the user may see it or 403 (STYLE.md, indico's three steps)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ripa_guard.accounts.models import Role
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    CourtHearing,
    Renewal,
    Subject,
    Triage,
)
from ripa_guard.core.records import record_or_404

#: Roles that see every application once it has been submitted. Inspectors read the same
#: records through the central record (views/register.py) and nothing else.
OVERSIGHT = (Role.AUTHORISING_OFFICER, Role.SRO, Role.COORDINATOR)

#: An application's page and its central record entry show its whole history. The one-to-one
#: rows (cancellation, destruction) come with the application's own query and each list is one
#: round; what neither page shows is not read: the plan it came from, each subject's profile
#: identities, and the accounts behind decisions, hearings and renewals (each row keeps the
#: names it was recorded with). On PostgreSQL every query is a round trip (issue 19).
WHOLE_HISTORY = (
    lazyload(Application.triage),
    joinedload(Application.cancellation),
    joinedload(Application.destruction),
    joinedload(Application.subjects).lazyload(Subject.identities),
    selectinload(Application.decisions).lazyload(AuthorisingDecision.decided_by),
    selectinload(Application.hearings).lazyload(CourtHearing.recorded_by),
    selectinload(Application.renewals).lazyload(Renewal.requested_by),
)


def triage_for_owner(triage_id: int) -> Triage:
    record = record_or_404(Triage, triage_id)
    if record.officer_id != current_user.id:
        abort(403)
    return record


def triage_for_reading(triage_id: int) -> Triage:
    record = record_or_404(Triage, triage_id)
    if record.officer_id != current_user.id and not current_user.has_role(
        Role.SRO, Role.COORDINATOR
    ):
        abort(403)
    return record


def application_for_owner(application_id: int) -> Application:
    application = record_or_404(Application, application_id)
    if application.officer_id != current_user.id:
        abort(403)
    return application


def application_for_reading(application_id: int, options=()) -> Application:
    """The owner sees their own; others see an application only once it has been submitted."""
    application = record_or_404(Application, application_id, options=options)
    if application.officer_id == current_user.id:
        return application
    never_submitted = application.urn is None or application.status == ApplicationStatus.DRAFT
    if never_submitted or not current_user.has_role(*OVERSIGHT):
        abort(403)
    return application
