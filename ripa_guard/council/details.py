"""The council's details: read once a request, changed only by the SRO, every change audited.

Where the SRO has not set a detail, the setting of the same name stands in (COUNCIL_NAME,
COUNCIL_ADDRESS, COUNCIL_TELEPHONE, POLICY_URL, COORDINATOR_NAME, COORDINATOR_EMAIL,
COORDINATOR_TELEPHONE), so an install configured by its settings keeps working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from flask import current_app, g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import audit
from ripa_guard.core.changes import STALE, InputProblem, Refused, check_version, commit
from ripa_guard.core.columns import utcnow
from ripa_guard.council.models import CouncilDetails

#: Each detail, with the setting that stands in for it until the SRO sets it.
SETTINGS = {
    "name": "COUNCIL_NAME",
    "address": "COUNCIL_ADDRESS",
    "telephone": "COUNCIL_TELEPHONE",
    "policy_url": "POLICY_URL",
    "coordinator_name": "COORDINATOR_NAME",
    "coordinator_email": "COORDINATOR_EMAIL",
    "coordinator_telephone": "COORDINATOR_TELEPHONE",
}
_CACHE = "ripa_guard_council_details"


@dataclass(frozen=True)
class Details:
    """The details in force: the SRO's where set, otherwise the settings'."""

    name: str = ""
    address: str = ""
    telephone: str = ""
    policy_url: str = ""
    coordinator_name: str = ""
    coordinator_email: str = ""
    coordinator_telephone: str = ""
    #: The stored row's version, for the edit form; None before the SRO first saves.
    version: int | None = None

    @property
    def has_coordinator_contact(self) -> bool:
        return bool(self.coordinator_name or self.coordinator_email or self.coordinator_telephone)

    @property
    def complete(self) -> bool:
        """Everything the court papers and the footer need is given."""
        return all((self.name, self.address, self.telephone, self.policy_url)) and bool(
            self.coordinator_name and (self.coordinator_email or self.coordinator_telephone)
        )


def stored(session: Session) -> CouncilDetails | None:
    return session.scalar(select(CouncilDetails).order_by(CouncilDetails.id).limit(1))


def in_force(session: Session, config) -> Details:
    """The details in force, from the stored row and the settings."""
    return from_row(stored(session), config)


def from_row(row: CouncilDetails | None, config) -> Details:
    """The details in force, given the stored row (None when the SRO has set none)."""
    values = {}
    for name, setting in SETTINGS.items():
        own = getattr(row, name, "") if row is not None else ""
        values[name] = own or str(config.get(setting) or "")
    return Details(**values, version=row.version if row is not None else None)


def remember(details: Details) -> None:
    """Keep the details for this request, read by a query that asked for more besides."""
    setattr(g, _CACHE, details)


def current(session: Session) -> Details:
    """The details in force for this request: one small query, at most once a request."""
    if has_request_context() and _CACHE in g:
        return g.get(_CACHE)
    details = in_force(session, current_app.config)
    if has_request_context():
        setattr(g, _CACHE, details)
    return details


def save(session: Session, actor: User, version: int | None, **given: str) -> CouncilDetails:
    """The SRO sets the council's details; the audit event keeps what each was and became."""
    if not actor.has_role(Role.SRO):
        raise Refused("Only the senior responsible officer can change the council's details.")
    link = given.get("policy_url", "") or ""
    # The link is put in pages as an href: only a web address, never javascript: or data:.
    if link and not re.match(r"^https?://\S+$", link):
        raise InputProblem("policy_url", "Enter a web address starting with https://")
    row = stored(session)
    before = {name: (getattr(row, name) if row is not None else "") or "" for name in SETTINGS}
    if row is None:
        if version is not None:
            raise Refused(STALE)
        row = CouncilDetails()
        session.add(row)
    else:
        check_version(row, version)
    changed = {
        name: {"was": before[name], "now": given.get(name, "") or ""}
        for name in SETTINGS
        if (given.get(name, "") or "") != before[name]
    }
    for name in SETTINGS:
        setattr(row, name, given.get(name, "") or "")
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    session.flush()
    audit.record(session, actor, "council.details_changed", "council", row.id, changed=changed)
    commit(session)
    if has_request_context():
        g.pop(_CACHE, None)
    return row


def history(session: Session) -> list:
    """Every change to the details, oldest first, from the audit trail."""
    row = stored(session)
    return audit.history(session, "council", row.id) if row is not None else []


DETAIL_NAMES = [f.name for f in fields(Details) if f.name != "version"]
