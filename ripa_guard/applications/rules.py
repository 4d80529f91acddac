"""What every change to a plan or an application checks first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import (
    Application,
)
from ripa_guard.core.changes import Refused

LONDON = ZoneInfo("Europe/London")


def show_added(session: Session, application: Application, relationship: str) -> None:
    """Flush a new entry and make the application's read-only list of them show it."""
    session.flush()
    session.expire(application, [relationship])


def require_owner(actor: User, owner_id: int) -> None:
    if actor.id != owner_id:
        raise Refused("Only the officer who started this can change it.")
