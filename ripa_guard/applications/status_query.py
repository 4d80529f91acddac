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

#: The statuses an approved authorisation (stored "active") is shown with (law.status).
_APPROVED = frozenset({Shown.IN_FORCE, Shown.RENEWAL_PENDING, Shown.LAPSED})


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
    wanted_set = included_in(wanted)
    # Statuses of approved authorisations share one stored state: said once, outside the OR,
    # the index on it finds them in order (the register's "in force" page reads 25, not all).
    approved_only = wanted_set <= _APPROVED
    conditions = []
    if {Shown.IN_FORCE, Shown.RENEWAL_PENDING} <= wanted_set:
        # In force with or without a renewal pending is in force: said without the renewals,
        # the page and its count read one index (status, last day), not the renewals twice.
        conditions.append(current if approved_only else and_(active, current))
        wanted_set = wanted_set - {Shown.IN_FORCE, Shown.RENEWAL_PENDING}
    for shown in wanted_set:
        if shown == Shown.DESTROYED:
            conditions.append(destroyed)
            continue
        if shown == Shown.LAPSED:
            condition = Application.last_day < today
        elif shown == Shown.IN_FORCE:
            condition = and_(current, ~pending)
        elif shown == Shown.RENEWAL_PENDING:
            condition = and_(current, pending)
        else:
            conditions.append(Application.status.in_(stored_states(shown)))
            continue
        conditions.append(condition if approved_only else and_(active, condition))
    matched = or_(*conditions)
    if approved_only:
        matched = and_(active, matched)
    return matched if wanted == Shown.DESTROYED else and_(matched, ~destroyed)
