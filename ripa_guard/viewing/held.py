"""Looks held for the RIPA coordinator (viewing_rules rule 7): the queue, and the decision.

A held look is written once; the coordinator's decision is a new record beside it, with its
audit event. "Same matter": the earlier looks count for the held look's investigation, so
looking again there needs an authorisation. "Separate matter", with the reason the SRO reads:
the officer may log the viewing again and it goes ahead as initial research.

The coordinators are told of a held look in the transaction that holds it (log._hold,
notifications.outbox.notify_look_held): by e-mail, and on their notifications page.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, Refused, commit
from ripa_guard.law import viewing_rules
from ripa_guard.viewing.models import HeldLook, HeldLookDecision, MatterRuling, Viewing


def _undecided():
    return ~HeldLook.id.in_(select(HeldLookDecision.held_look_id))


def pending(session: Session, limit: int | None = None) -> list[HeldLook]:
    """The held looks the coordinator has not decided, oldest first: their queue (the first
    `limit` of it)."""
    return list(
        session.scalars(
            select(HeldLook)
            .where(_undecided())
            .order_by(HeldLook.held_at, HeldLook.id)
            .limit(limit)
        )
    )


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(HeldLook).where(_undecided())) or 0


def decided(session: Session, limit: int = 200) -> list[HeldLook]:
    """Held looks already decided, newest first: what the SRO reads, with the reasons."""
    return list(
        session.scalars(
            select(HeldLook)
            .where(HeldLook.id.in_(select(HeldLookDecision.held_look_id)))
            .order_by(HeldLook.held_at.desc())
            .limit(limit)
        )
    )


def of_officer(session: Session, officer: User, limit: int = 50) -> list[HeldLook]:
    """An officer's own held looks, newest first, for their viewing log."""
    return list(
        session.scalars(
            select(HeldLook)
            .where(HeldLook.officer_id == officer.id)
            .order_by(HeldLook.held_at.desc())
            .limit(limit)
        )
    )


def earlier_of(session: Session, held: HeldLook) -> list[Viewing]:
    """The looks under other investigations that held it: for the coordinator and SRO only."""
    ids = [i for i in held.earlier_viewing_ids or [] if isinstance(i, int)]
    if not ids:
        return []
    return list(session.scalars(select(Viewing).where(Viewing.id.in_(ids)).order_by(Viewing.id)))


def ruling_for(
    session: Session, investigation_id: int, profile: frozenset[str], subject: str
) -> viewing_rules.Ruling | None:
    """The coordinator's newest ruling on a look at this profile or subject under this
    investigation; None when none has been made."""
    found = session.scalar(
        select(HeldLookDecision.ruling)
        .join(HeldLook, HeldLook.id == HeldLookDecision.held_look_id)
        .where(
            HeldLook.investigation_id == investigation_id,
            HeldLook.identity.in_(profile) | (HeldLook.subject_key == subject),
        )
        .order_by(HeldLookDecision.id.desc())
        .limit(1)
    )
    return viewing_rules.Ruling(found.value) if found is not None else None


def waiting(
    session: Session, investigation_id: int, officer: User, identity: str
) -> HeldLook | None:
    """This officer's look at this profile under this investigation already waiting for the
    coordinator: asking again waits on the same record rather than making another."""
    return session.scalar(
        select(HeldLook)
        .where(
            HeldLook.investigation_id == investigation_id,
            HeldLook.officer_id == officer.id,
            HeldLook.identity == identity,
            ~HeldLook.id.in_(select(HeldLookDecision.held_look_id)),
        )
        .limit(1)
    )


def decide_held_look(
    session: Session, coordinator: User, held: HeldLook, ruling: str, reason: str
) -> HeldLookDecision:
    """The coordinator's decision, once, with the reason."""
    if not coordinator.has_role(Role.COORDINATOR):
        raise Refused("Only the RIPA coordinator decides whether a held look is the same matter.")
    if held.decision is not None:
        raise Refused("This look has been decided already.")
    try:
        chosen = MatterRuling(ruling)
    except ValueError:
        raise InputProblem("ruling", "Select whether it is the same matter") from None
    reason = (reason or "").strip()
    if not reason:
        raise InputProblem("reason", "Say why")
    decision = HeldLookDecision(
        held_look_id=held.id, ruling=chosen, reason=reason, decided_by_id=coordinator.id
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        coordinator,
        f"held_look.{chosen.value}",
        "held_look",
        held.id,
        investigation=held.investigation_id,
    )
    commit(session)
    session.expire(held, ["decision"])
    return decision
