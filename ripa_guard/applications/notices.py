"""Who is told when an application changes state, queued in the change's own transaction.

- Submitted, or a renewal asked for: the authorising officers, who decide (never the applicant,
  who cannot decide on their own application).
- An authorising officer's decision: the applicant.
- The magistrate's decision (RIPA s.32A): the applicant and the RIPA coordinator, who keeps the
  central record (Code para 8.1, item 11).

Each message names the URN, the investigation's title and a link, nothing more.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role
from ripa_guard.applications.models import Application, CourtOutcome, Decision
from ripa_guard.notifications import messages, outbox

_DECIDED = {
    Decision.APPROVED: messages.APPROVED,
    Decision.REFUSED: messages.REFUSED,
    Decision.RETURNED: messages.RETURNED,
}
_RENEWAL_DECIDED = {
    Decision.APPROVED: messages.RENEWAL_APPROVED,
    Decision.REFUSED: messages.RENEWAL_REFUSED,
}
_COURT = {
    CourtOutcome.APPROVED: messages.COURT_APPROVED,
    CourtOutcome.REFUSED: messages.COURT_REFUSED,
}
_RENEWAL_COURT = {
    CourtOutcome.APPROVED: messages.RENEWAL_COURT_APPROVED,
    CourtOutcome.REFUSED: messages.RENEWAL_COURT_REFUSED,
}


def _tell(session: Session, event: str, application: Application, recipients, now) -> None:
    outbox.queue(
        session,
        event,
        list(recipients),
        ref=application.urn or "",
        title=application.investigation_title or "",
        link=outbox.path_for("applications.show", application_id=application.id),
        now=now,
    )


def submitted(
    session: Session, application: Application, now: datetime, *, renewal: bool = False
) -> None:
    """To the authorising officers: an application, or a renewal, waits for their decision."""
    deciders = outbox.people_with_role(session, Role.AUTHORISING_OFFICER)
    event = messages.RENEWAL_REQUESTED if renewal else messages.SUBMITTED
    others = [u for u in deciders if u.id != application.officer_id]
    _tell(session, event, application, others, now)


def decided(
    session: Session,
    application: Application,
    decision: Decision,
    now: datetime,
    *,
    renewal: bool = False,
) -> None:
    """To the applicant: the authorising officer's decision."""
    event = (_RENEWAL_DECIDED if renewal else _DECIDED)[decision]
    _tell(session, event, application, [application.officer], now)


def court_decided(
    session: Session,
    application: Application,
    outcome: CourtOutcome,
    now: datetime,
    *,
    renewal: bool = False,
) -> None:
    """To the applicant and the RIPA coordinators: the magistrate's decision."""
    event = (_RENEWAL_COURT if renewal else _COURT)[outcome]
    coordinators = outbox.people_with_role(session, Role.COORDINATOR)
    _tell(session, event, application, [application.officer, *coordinators], now)
