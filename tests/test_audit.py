"""The audit trail is a hash chain: changes behind the app's back are caught."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from ripa_guard import audit, db
from ripa_guard.models import AuditEvent


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
