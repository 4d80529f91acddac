"""The status a person sees (law.status.shown_status), as a query: for filters and lists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select

from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    Destruction,
    Renewal,
    RenewalStatus,
)
from ripa_guard.law.status import Shown, included_in, stored_states


def shown_status_condition(wanted: Shown, today: date):
    """law.status.shown_status as SQL: the entries a person would see with the status `wanted`
    (or one it includes, law.status.included_in) on `today`. Kept in step with the rule by
    tests that compare the two on every status."""
    destroyed = Application.id.in_(select(Destruction.application_id))
    pending = Application.id.in_(
        select(Renewal.application_id).where(
            Renewal.status.in_((RenewalStatus.REQUESTED, RenewalStatus.AWAITING_COURT))
        )
    )
    active = Application.status == ApplicationStatus.ACTIVE
    current = or_(Application.last_day.is_(None), Application.last_day >= today)
    conditions = []
    for shown in included_in(wanted):
        if shown == Shown.DESTROYED:
            conditions.append(destroyed)
        elif shown == Shown.LAPSED:
            conditions.append(and_(active, Application.last_day < today))
        elif shown == Shown.IN_FORCE:
            conditions.append(and_(active, current, ~pending))
        elif shown == Shown.RENEWAL_PENDING:
            conditions.append(and_(active, current, pending))
        else:
            conditions.append(Application.status.in_(stored_states(shown)))
    matched = or_(*conditions)
    return matched if wanted == Shown.DESTROYED else and_(matched, ~destroyed)
