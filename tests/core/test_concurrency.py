"""No lost updates: two people changing one record at once, in real separate sessions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from ripa_guard.accounts.models import User
from ripa_guard.applications import drafting, lifecycle
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Decision,
)
from ripa_guard.core import audit, changes, db
from tests import records
from tests.journeys import STATEMENTS

RACES = 5
WHEN = datetime(2026, 3, 3, 10, tzinfo=UTC)


def _race(app, application_id: int, people: list[int], change) -> list[str]:
    """Each person, in a thread with a session of their own, reads the record and then, when
    all have read it, changes it. Returns what each got: "won" or the refusal."""
    barrier = threading.Barrier(len(people))
    results: list[str] = [""] * len(people)

    def attempt(n: int, user_id: int) -> None:
        with app.app_context():
            s = db.session()
            try:
                actor = s.get(User, user_id)
                application = s.get(Application, application_id)
                version = application.version
                barrier.wait(timeout=30)
                change(s, actor, application, version)
                results[n] = "won"
            except changes.Refused as refused:
                results[n] = str(refused)
            except Exception as error:  # anything else is a failure the test reports
                results[n] = f"ERROR {type(error).__name__}: {error}"

    threads = [threading.Thread(target=attempt, args=(n, u)) for n, u in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _decide(decision):
    def change(s, actor, application, version):
        lifecycle.decide_application(
            s,
            actor,
            application,
            decision=decision,
            what_authorised="The seller's page, twice a week.",
            reasons="Necessary and proportionate.",
            review_interval_days=28,
            directly_involved=False,
            directly_involved_reason="",
            version=version,
            now=WHEN,
            statements=STATEMENTS,
            offences_genuine=True,
        )

    return change


@pytest.mark.parametrize("round_", range(RACES))
def test_two_authorisers_deciding_at_once_one_wins_the_other_is_told(
    app, officer, authoriser, create_user, round_
):
    from ripa_guard.accounts.models import Role

    second = create_user(Role.AUTHORISING_OFFICER, name="Beatrice Second")
    application_id = records.submitted(app, officer)
    results = _race(
        app,
        application_id,
        [authoriser.id, second.id],
        lambda s, a, app_, v: _decide(
            Decision.APPROVED if a.id == authoriser.id else Decision.REFUSED
        )(s, a, app_, v),
    )
    assert sorted(results) == sorted(["won", changes.STALE]), results
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        decisions = s.scalar(
            select(func.count()).where(AuthorisingDecision.application_id == application_id)
        )
        assert decisions == 1
        assert application.status in {
            ApplicationStatus.AWAITING_COURT,
            ApplicationStatus.REFUSED,
        }
        assert audit.verify(s).intact


def test_an_officer_saving_while_another_tab_submits_loses_nothing_silently(
    app, officer, authoriser
):
    """Two changes by the same officer from two browser tabs: the second is told."""
    application_id = records.submitted(app, officer)
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        application.status = ApplicationStatus.DRAFT  # back to a draft to edit it twice
        s.commit()

    def save(s, actor, application, version):
        drafting.save_application_answers(
            s,
            actor,
            application,
            {"summary": f"Saved by thread {threading.get_ident()}"},
            version,
        )

    results = _race(app, application_id, [officer.id, officer.id], save)
    assert sorted(results) == sorted(["won", changes.STALE]), results


def test_a_stale_version_from_a_form_is_refused_before_anything_is_written(
    app, officer, authoriser
):
    application_id = records.submitted(app, officer)
    with app.app_context():
        s = db.session()
        application = s.get(Application, application_id)
        stale = application.version - 1
        before = audit.verify(s).events
        with pytest.raises(changes.Refused, match="Someone else changed"):
            lifecycle.decide_application(
                s,
                s.get(User, authoriser.id),
                application,
                decision=Decision.APPROVED,
                what_authorised="x",
                reasons="y",
                review_interval_days=28,
                directly_involved=False,
                directly_involved_reason="",
                version=stale,
                now=WHEN,
                statements=STATEMENTS,
                offences_genuine=True,
            )
        s.rollback()
        assert audit.verify(s).events == before
