"""The audit trail is a hash chain: changes behind the app's back are caught."""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, select, update

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import lifecycle
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Decision,
)
from ripa_guard.core import audit, db
from ripa_guard.core.models import AuditEvent, AuditHead
from tests import records


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


# Against someone who can write to the database (issue 17) ------------------------------------


def _rewrite_whole_chain(session, rehash) -> None:
    """What a database writer does: change event 3 from refused to approved, then recompute
    every hash after it and the head row, so that the chain links up again."""
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    events[2].action = "application.approved"
    prev = audit.GENESIS
    for event in events:
        event.prev_hash = prev
        event.hash = rehash(event)
        prev = event.hash
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=prev))
    session.commit()


def _unkeyed(event) -> str:
    content = json.dumps(
        [
            event.seq,
            audit._timestamp(event.occurred_at),
            event.actor_id,
            event.action,
            event.object_type,
            event.object_id,
            event.detail,
            event.prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def test_a_chain_rewritten_and_rehashed_without_the_key_is_caught_where_it_was_changed(chain):
    _rewrite_whole_chain(chain, _unkeyed)
    report = audit.verify(chain)
    assert not report.intact
    assert report.broken_at == 1  # every rehashed event fails, the first one first


def test_the_key_lives_outside_the_database_so_another_key_does_not_verify(app, chain):
    with _audit_key(app, "a guess"):
        assert audit.verify(chain).broken_at == 1


def test_the_last_events_deleted_and_the_head_row_rewritten_are_caught_by_the_head_file(chain):
    """The attack that verified "intact" before: delete the last three, point the head row at
    the new last event."""
    second = chain.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
    chain.execute(delete(AuditEvent).where(AuditEvent.seq > 2))
    chain.execute(update(AuditHead).values(seq=2, last_hash=second.hash))
    chain.commit()
    report = audit.verify(chain)
    assert report.broken_at == 3
    assert "events 3 to 5 are missing" in report.problem
    assert "restored from an older copy" in report.problem


def test_a_database_restored_from_an_older_copy_shows_until_the_head_is_restarted(app, chain):
    engine = db.engine()
    saved = [dict(row._mapping) for row in chain.execute(select(AuditEvent.__table__))]
    head = dict(chain.execute(select(AuditHead.__table__)).one()._mapping)
    audit.record(chain, None, "test.event", "thing", 99)
    chain.commit()
    # "Restore" the copy taken before event 6.
    with engine.begin() as connection:
        connection.execute(delete(AuditEvent))
        connection.execute(AuditEvent.__table__.insert(), saved)
        connection.execute(update(AuditHead).values(seq=head["seq"], last_hash=head["last_hash"]))
    chain.expire_all()
    assert "events 6 to 6 are missing" in audit.verify(chain).problem
    set_aside = audit.restart_head(chain)
    assert set_aside.exists() and audit.verify(chain).intact


def test_the_head_file_gets_one_line_per_committed_event_and_none_for_a_rolled_back_one(app, chain):
    audit.record(chain, None, "test.event", "thing", 98)
    chain.rollback()
    lines = audit.head_file().read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["1", "2", "3", "4", "5"]
    last = chain.scalar(select(AuditEvent).where(AuditEvent.seq == 5))
    assert lines[-1] == f"5 {last.hash}"


def test_a_missing_head_file_is_reported(chain):
    audit.head_file().unlink()
    report = audit.verify(chain)
    assert not report.intact and "kept outside the database" in report.problem


def test_an_event_swapped_for_one_from_another_chain_is_caught_at_the_head(app, chain):
    # The newest event replaced, with hashes made under the key (a worst case): only the head
    # file, which recorded event 5's hash when it was written, shows it.
    event = chain.scalar(select(AuditEvent).where(AuditEvent.seq == 5))
    event.detail = {"note": "another event 5"}
    event.hash = audit.event_hash(event)
    chain.execute(update(AuditHead).values(last_hash=event.hash))
    chain.commit()
    report = audit.verify(chain)
    assert report.broken_at == 5 and "is not the one the head file" in report.problem


def test_events_from_before_the_key_are_checked_by_plain_hash_and_counted(app, chain):
    """An install upgraded to a keyed chain keeps its older events as they were written."""
    with _audit_key(app, "test audit key", keyed_from=4):
        for event in chain.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            event.hash = audit.event_hash(event)
            if event.seq < 5:
                nxt = chain.scalar(select(AuditEvent).where(AuditEvent.seq == event.seq + 1))
                nxt.prev_hash = event.hash
        chain.execute(update(AuditHead).values(last_hash=event.hash))
        audit.write_head(audit.head_file(), [(5, event.hash)])
        chain.commit()
        report = audit.verify(chain)
        assert report.intact and report.unkeyed == 3
        first = chain.scalar(select(AuditEvent).where(AuditEvent.seq == 1))
        assert first.hash == _unkeyed(first)


def test_first_start_on_an_unkeyed_trail_keys_it_from_the_next_event(tmp_path, monkeypatch):
    from flask import Flask

    from ripa_guard import create_app

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    old = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "x", "AUDIT_KEY": "unused", "AUDIT_KEYED_FROM": 99}
    )
    with old.app_context():
        for n in range(3):
            audit.record(db.session(), None, "test.event", "thing", n)
        db.session().commit()
    old.extensions["ripa_guard.engine"].dispose()
    (tmp_path / "instance" / "audit-head.log").unlink()

    upgraded = create_app({"DATABASE_URL": url})
    assert upgraded.config["AUDIT_KEYED_FROM"] == 4
    assert "AUDIT_KEYED_FROM = 4" in (tmp_path / "instance" / "config.py").read_text()
    with upgraded.app_context():
        audit.record(db.session(), None, "test.event", "thing", 3)
        db.session().commit()
        report = audit.verify(db.session())
        assert report.intact and report.events == 4 and report.unkeyed == 3
    upgraded.extensions["ripa_guard.engine"].dispose()


@contextmanager
def _audit_key(app, key, keyed_from=1):
    before = app.config["AUDIT_KEY"], app.config["AUDIT_KEYED_FROM"]
    app.config["AUDIT_KEY"], app.config["AUDIT_KEYED_FROM"] = key, keyed_from
    try:
        yield
    finally:
        app.config["AUDIT_KEY"], app.config["AUDIT_KEYED_FROM"] = before


# Records against their trail ------------------------------------------------------------------


@pytest.fixture
def decided(app, create_user):
    officer = create_user(Role.OFFICER)
    authoriser = create_user(Role.AUTHORISING_OFFICER)
    coordinator = create_user(Role.COORDINATOR)
    application_id = records.active(app, officer, authoriser, coordinator)
    refused_id = records.submitted(app, officer, title="Another case")
    with app.app_context():
        s = db.session()
        lifecycle.decide_application(
            s,
            s.get(User, authoriser.id),
            s.get(Application, refused_id),
            decision=Decision.REFUSED,
            what_authorised="",
            reasons="Not proportionate.",
            review_interval_days=None,
            directly_involved=False,
            directly_involved_reason="",
            version=None,
        )
    return application_id, refused_id, officer


def _verify_audit(app):
    return app.test_cli_runner().invoke(args=["verify-audit"])


def test_verify_audit_says_records_match_their_trail(app, decided):
    result = _verify_audit(app)
    assert result.exit_code == 0, result.output
    assert "match their audit trail" in result.output


def test_a_status_changed_directly_in_the_database_is_caught(app, decided):
    _, refused_id, _ = decided
    with app.app_context():
        s = db.session()
        s.execute(
            update(Application)
            .where(Application.id == refused_id)
            .values(status=ApplicationStatus.ACTIVE)
        )
        s.commit()
    result = _verify_audit(app)
    assert result.exit_code != 0
    assert "is active but its audit trail leaves it refused" in result.output


@pytest.mark.parametrize("change", ["decision", "decider"])
def test_a_decision_changed_directly_in_the_database_is_caught(app, decided, change):
    _, refused_id, officer = decided
    values = (
        {"decision": Decision.APPROVED} if change == "decision" else {"decided_by_id": officer.id}
    )
    with app.app_context():
        s = db.session()
        s.execute(
            update(AuthorisingDecision)
            .where(AuthorisingDecision.application_id == refused_id)
            .values(values)
        )
        s.commit()
    result = _verify_audit(app)
    assert result.exit_code != 0
    assert "but its audit event says refused" in result.output
