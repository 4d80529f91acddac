"""The audit trail is a hash chain: changes behind the app's back are caught."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from ripa_guard.core import audit, db
from ripa_guard.core.models import AuditEvent


@pytest.fixture
def chain(app, app_context):
    s = db.session()
    for n in range(5):
        audit.record(s, None, "test.event", "thing", n, note=f"event {n}")
    s.commit()
    return s


def test_an_untouched_chain_verifies(chain):
    report = audit.verify(chain)
    assert report.intact and report.events == 5


def test_a_changed_event_is_named(chain):
    chain.execute(
        update(AuditEvent).where(AuditEvent.seq == 3).values(detail={"note": "rewritten"})
    )
    chain.commit()
    report = audit.verify(chain)
    assert report.broken_at == 3 and "changed" in report.problem


def test_a_deleted_event_is_named(chain):
    chain.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    chain.commit()
    report = audit.verify(chain)
    assert report.broken_at == 2 and "missing" in report.problem


def test_a_deleted_last_event_is_caught(chain):
    chain.execute(delete(AuditEvent).where(AuditEvent.seq == 5))
    chain.commit()
    assert not audit.verify(chain).intact


def test_reordered_events_are_caught(chain):
    first, second = chain.scalars(
        select(AuditEvent).where(AuditEvent.seq.in_([2, 3])).order_by(AuditEvent.seq)
    )
    a, b = first.seq, second.seq
    chain.execute(update(AuditEvent).where(AuditEvent.id == first.id).values(seq=-1))
    chain.execute(update(AuditEvent).where(AuditEvent.id == second.id).values(seq=a))
    chain.execute(update(AuditEvent).where(AuditEvent.id == first.id).values(seq=b))
    chain.commit()
    assert audit.verify(chain).broken_at == 2


def test_verify_audit_command_reports_the_break(app, chain):
    runner = app.test_cli_runner()
    assert "intact: 5 events" in runner.invoke(args=["verify-audit"]).output
    chain.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(action="tampered"))
    chain.commit()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code != 0 and "event 4" in result.output


@pytest.mark.parametrize(
    "column, value",
    [
        ("action", "user.signed_in"),
        ("object_type", "application"),
        ("object_id", 999),
        ("detail", {"note": "event 2", "extra": True}),
        ("prev_hash", "f" * 64),
        ("hash", "e" * 64),
    ],
)
def test_any_column_changed_behind_the_apps_back_is_caught(chain, column, value):
    chain.execute(update(AuditEvent).where(AuditEvent.seq == 2).values({column: value}))
    chain.commit()
    assert audit.verify(chain).broken_at == 2


def test_a_changed_time_is_caught(chain):
    from datetime import UTC, datetime

    moved = datetime(2020, 1, 1, tzinfo=UTC)
    chain.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(occurred_at=moved))
    chain.commit()
    assert audit.verify(chain).broken_at == 4


def test_a_changed_event_with_its_own_hash_recomputed_breaks_the_next_link(chain):
    event = chain.scalar(select(AuditEvent).where(AuditEvent.seq == 3))
    event.detail = {"note": "rewritten, and rehashed"}
    event.hash = audit.event_hash(event)
    chain.commit()
    report = audit.verify(chain)
    assert report.broken_at == 4 and "does not follow" in report.problem


def test_a_forged_event_appended_without_the_head_is_caught(chain):
    last = chain.scalar(select(AuditEvent).where(AuditEvent.seq == 5))
    forged = AuditEvent(
        seq=6,
        occurred_at=last.occurred_at,
        actor_id=None,
        action="application.approved",
        object_type="application",
        object_id=1,
        detail={},
        prev_hash=last.hash,
    )
    forged.hash = audit.event_hash(forged)
    chain.add(forged)
    chain.commit()
    report = audit.verify(chain)
    assert not report.intact


def test_every_event_deleted_is_caught(chain):
    chain.execute(delete(AuditEvent))
    chain.commit()
    assert not audit.verify(chain).intact
