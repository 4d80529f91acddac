"""Plans whose offence is not in the register: held for the RIPA coordinator, who adds the
offence (or records why it cannot be added) before the crime threshold is checked."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import CouncilOffence, Triage
from ripa_guard.applications.offences import Offence, OffenceRegisterError, offence_from_fields
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, Refused, check_version
from ripa_guard.core.columns import utcnow
from ripa_guard.law import triage


def council_offences(session: Session) -> dict[str, Offence]:
    """The offences the coordinator has added, as register entries, oldest first."""
    rows = session.scalars(select(CouncilOffence).order_by(CouncilOffence.id))
    return {
        r.code: Offence(
            code=r.code,
            title=r.title,
            act=r.act,
            section=r.section,
            max_custodial_months=r.max_custodial_months,
            threshold_exception=r.threshold_exception,
            source=r.source,
        )
        for r in rows
    }


def full_register(session: Session, shipped: dict[str, Offence]) -> dict[str, Offence]:
    """The file's offences, then the coordinator's; the file wins where a code is in both."""
    added = council_offences(session)
    return {**shipped, **{code: o for code, o in added.items() if code not in shipped}}


def held_plans(session: Session) -> list[Triage]:
    """Plans waiting for the coordinator, oldest first."""
    return list(
        session.scalars(
            select(Triage)
            .where(Triage.held_at.is_not(None), Triage.offence_resolved_at.is_(None))
            .order_by(Triage.held_at)
        )
    )


def resolve_held_plan(
    session: Session,
    coordinator: User,
    record: Triage,
    register: dict[str, Offence],
    *,
    add: bool,
    fields: dict[str, str] | None = None,
    reason: str = "",
    version: int | None = None,
) -> Triage:
    """Add the officer's offence to the register, or record why it cannot be added; then the
    plan's outcome is given with the threshold checked (plans.finish_triage). Refused, it
    leaves nothing behind: the row claimed and any offence added are rolled back."""
    try:
        return _resolve(
            session,
            coordinator,
            record,
            register,
            add=add,
            fields=fields,
            reason=reason,
            version=version,
        )
    except Refused:
        session.rollback()
        raise


def _resolve(session, coordinator, record, register, *, add, fields, reason, version) -> Triage:
    from ripa_guard.applications import plans

    if not (coordinator.active and coordinator.has_role(Role.COORDINATOR)):
        raise Refused("Only the RIPA coordinator resolves plans whose offence is not listed.")
    if not record.is_held:
        raise Refused("This plan is not waiting for the offence register.")
    check_version(record, version)
    extra: list[triage.Reason] = []
    if add:
        try:
            offence = offence_from_fields(fields or {})
        except OffenceRegisterError as problem:
            raise InputProblem(problem.field, _sentence(problem.problem)) from problem
        if offence.code in register:
            raise InputProblem("code", f"{offence.code} is already in the offence register")
        session.add(
            CouncilOffence(
                code=offence.code,
                title=offence.title,
                act=offence.act,
                section=offence.section,
                max_custodial_months=offence.max_custodial_months,
                threshold_exception=offence.threshold_exception,
                source=offence.source,
                triage_id=record.id,
                added_by_id=coordinator.id,
            )
        )
        register = {**register, offence.code: offence}
        answers = dict(record.answers)
        for name in triage.OFFENCE_NAMES:
            if answers.get(name) == triage.UNLISTED:
                answers[name] = offence.code
        record.answers = answers
        resolution = f"Added to the offence register as {offence.code}: {offence.citation}."
    else:
        reason = (reason or "").strip()
        if not reason:
            raise InputProblem("reason", "Say why the offence cannot be added to the register")
        resolution = reason
        extra.append(
            triage.Reason(
                "Your RIPA coordinator could not add the offence you described to the offence "
                f"register: {reason}",
                "Council's offence register; SI 2010/521, art. 7A",
            )
        )
    record.offence_resolution = resolution
    record.offence_resolved_at = utcnow()
    record.offence_resolved_by_id = coordinator.id
    audit.record(
        session,
        coordinator,
        "triage.offence_added" if add else "triage.offence_not_added",
        "triage",
        record.id,
    )
    return plans.finish_triage(session, coordinator, record, register, extra)


def _sentence(problem: str) -> str:
    text = problem.replace("_", " ")
    return text[:1].upper() + text[1:]
