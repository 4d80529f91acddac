"""A tool that retries a write with the same Idempotency-Key gets the first answer, and the
viewing is logged once (issue 17: no safe retry for a tool)."""

# Fixtures are imported from viewing_setup, so test arguments share their names.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from ripa_guard.core import db
from ripa_guard.core.idempotency import IdempotencyKey
from ripa_guard.viewing import api
from tests.viewing.test_viewing_api import ask, make_token, token  # noqa: F401  (a fixture)
from tests.viewing_setup import attempts, viewings

KEY = "5f0c6a52-8d9e-4bd3-9a55-1b2f3c4d5e6f"


def send(client, token, key=KEY, **overrides):
    """ask(), with the key; the same arguments give the same body, byte for byte."""
    original = client.client.post

    def post(url, **kwargs):
        kwargs.setdefault("headers", {})["Idempotency-Key"] = key
        return original(url, **kwargs)

    client.client.post = post
    try:
        return ask(client, token, **overrides)
    finally:
        client.client.post = original


def kept_keys(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(IdempotencyKey))


def test_a_retried_viewing_is_logged_once_and_answered_as_the_first_time(
    client, app, token, facebook_profile
):
    first = send(client, token)
    again = send(client, token)

    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(viewings(app)) == 1


def test_without_a_key_a_second_send_is_a_second_request(client, app, token, facebook_profile):
    assert ask(client, token).status_code == 201
    # The same viewing again is a repeat, blocked and recorded as an attempt.
    assert ask(client, token).status_code == 403
    assert len(viewings(app)) == 1 and len(attempts(app)) == 1


def test_a_retried_blocked_viewing_records_one_attempt(client, app, token, facebook_profile):
    assert ask(client, token).status_code == 201
    first = send(client, token)
    again = send(client, token)
    assert first.status_code == again.status_code == 403
    assert again.get_json() == first.get_json()
    assert len(attempts(app)) == 1


def test_the_same_key_with_a_different_request_is_refused(client, app, token, facebook_profile):
    assert send(client, token).status_code == 201
    other = send(client, token, purpose="Something else")
    assert other.status_code == 422
    assert "different request" in other.get_json()["error"]
    assert len(viewings(app)) == 1 and attempts(app) == []


def test_the_same_key_from_another_officer_is_their_own(
    client, app, officer, other_officer, facebook_profile
):
    mine, theirs = make_token(app, officer), make_token(app, other_officer)
    assert send(client, mine).status_code == 201
    # Their own investigation, and another seller: a look of their own, allowed.
    answer = send(
        client,
        theirs,
        investigation="TS/2026/0999",
        url="https://www.facebook.com/another.seller.example",
        subject="Another Seller",
    )
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
    assert len(viewings(app)) == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "tab\there"])
def test_a_key_that_is_not_one_is_a_400_and_nothing_is_logged(
    client, app, token, facebook_profile, key
):
    answer = send(client, token, key=key)
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.get_json()["error"]
    assert viewings(app) == []


def test_the_key_is_kept_in_the_viewings_own_transaction(
    client, app, token, facebook_profile, monkeypatch
):
    # A worker that fails after the viewing is written but before the answer leaves: neither
    # the viewing nor the key is kept, so the tool's retry logs it, once.
    def fail(_outcome):
        raise RuntimeError("the worker died before answering")

    monkeypatch.setattr(api, "_answer", fail)
    with pytest.raises(RuntimeError):
        send(client, token)
    assert viewings(app) == [] and kept_keys(app) == 0

    monkeypatch.undo()
    assert send(client, token).status_code == 201
    assert send(client, token).status_code == 201
    assert len(viewings(app)) == 1 and kept_keys(app) == 1


def test_a_bad_token_with_a_key_is_401_and_keeps_nothing(client, app, token, facebook_profile):
    assert send(client, "rgv_not-a-real-token").status_code == 401
    assert kept_keys(app) == 0


def test_the_same_key_sent_twice_at_once_logs_once_and_both_get_the_first_answer(
    client, app, token, facebook_profile, monkeypatch
):
    from ripa_guard.core import idempotency

    first = send(client, token)
    # The second arrives before the first has committed: it finds no key, does the work, and
    # meets the first's key only when it commits.
    looked_up = idempotency._first_answer
    calls = []

    def not_yet_committed(*args):
        calls.append(args)
        return None if len(calls) == 1 else looked_up(*args)

    monkeypatch.setattr(idempotency, "_first_answer", not_yet_committed)
    second = send(client, token)
    assert len(calls) == 2
    assert second.status_code == 201 and second.get_json() == first.get_json()
    assert len(viewings(app)) == 1 and attempts(app) == []


def test_a_key_is_forgotten_after_a_day_and_may_be_used_again(
    client, app, officer, facebook_profile
):
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        raw = make_token(app, officer)
        assert send(client, raw).status_code == 201
    with time_machine.travel(start + timedelta(hours=23), tick=False):
        assert send(client, raw).headers.get("Idempotent-Replayed") == "true"
    with time_machine.travel(start + timedelta(hours=25), tick=False):
        # A day on, the key is a new key: this is a second look, answered on its own merits.
        again = send(client, raw, purpose="A second look")
    assert again.status_code == 403 and "Idempotent-Replayed" not in again.headers
    assert kept_keys(app) == 1
