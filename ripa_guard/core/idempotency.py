"""Idempotency keys for the API's writes: a tool that sends a write again gets the first answer.

A worker killed after its commit leaves a logged viewing whose tool got no answer; a tool that
then retries would log the viewing twice. A tool sends `Idempotency-Key: <its own unique text>`
with each write: the first answer is kept with the key, in the same transaction as the write,
and the same request sent again with the same key gets that answer, writing nothing more. The
same key with a different body is a mistake in the tool: 422. Keys are per user and endpoint.

A key is kept for a day (KEPT_FOR), long enough for any retry, then pruned: each keyed write
first drops its own user's keys older than that, so the table stays about a day of writes deep
and an old key may be used again as a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, jsonify, make_response, request
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ripa_guard.core import clock, db
from ripa_guard.core.columns import UtcDateTime, utcnow
from ripa_guard.core.db import Base

HEADER = "Idempotency-Key"
#: Up to 255 visible ASCII characters: a UUID is the usual choice.
KEY_LENGTH = 255
#: How long a first answer is kept to answer a retry (Stripe and the IETF draft
#: "The Idempotency-Key HTTP Header Field" suggest a day).
KEPT_FOR = timedelta(hours=24)


class IdempotencyKey(Base):
    """The first answer to an API write sent with a key, kept to answer it again."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "endpoint", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The tool's own key, as sent in the Idempotency-Key header.
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    #: Whose token sent it: another user's same key is another key.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The API endpoint written to, e.g. "api.request_viewing".
    endpoint: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the request body, to tell a true repeat from a reused key.
    request_hash: Mapped[str] = mapped_column(String(64))
    #: The first answer: its status, JSON body and Location header.
    status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def idempotent(user_of_request: Callable[[], int | None]):
    """Decorate an API write: with an Idempotency-Key header, answer a repeat with the first
    answer. `user_of_request` names the caller's user id, or None (the view then refuses)."""

    def decorate(view):
        @wraps(view)
        def answer_once(*args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                return view(*args, **kwargs)
            if not (0 < len(key) <= KEY_LENGTH and key.isascii() and key.isprintable()):
                return _problem(400, f"'{HEADER}' must be 1 to {KEY_LENGTH} visible characters")
            user_id = user_of_request()
            if user_id is None:
                return view(*args, **kwargs)  # refused for its token; nothing to keep
            session = db.session()
            digest = hashlib.sha256(request.get_data(cache=True)).hexdigest()
            _prune(session, user_id)
            first = _first_answer(session, user_id, key)
            if first is not None:
                return _replay(first, digest)
            with session.hold_commits():
                response = make_response(view(*args, **kwargs))
            if response.status_code >= 500:
                session.rollback()
                return response
            session.add(_kept(key, user_id, digest, response))
            try:
                session.commit()
            except IntegrityError:
                # The same key, sent twice at once: the other request's answer stands.
                session.rollback()
                return _replay(_first_answer(session, user_id, key), digest)
            return response

        return answer_once

    return decorate


def _prune(session, user_id: int) -> None:
    """Forget this user's keys older than KEPT_FOR (a retry comes within seconds or minutes)."""
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.created_at < clock.now() - KEPT_FOR
        )
    )


def _first_answer(session, user_id: int, key: str) -> IdempotencyKey | None:
    return session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.endpoint == request.endpoint,
            IdempotencyKey.key == key,
        )
    )


def _kept(key: str, user_id: int, digest: str, response: Response) -> IdempotencyKey:
    return IdempotencyKey(
        key=key,
        user_id=user_id,
        endpoint=request.endpoint,
        request_hash=digest,
        status=response.status_code,
        response_body=response.get_data(as_text=True),
        location=response.headers.get("Location"),
    )


def _replay(first: IdempotencyKey, digest: str) -> Response:
    if first.request_hash != digest:
        return _problem(
            422,
            f"This '{HEADER}' was sent before with a different request. Use a new key for a "
            "new request.",
        )
    response = Response(first.response_body, status=first.status, mimetype="application/json")
    if first.location:
        response.headers["Location"] = first.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _problem(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response
