"""Finding the record a request names, and turning a refused change into what the person sees."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from flask import abort, request
from werkzeug.routing import IntegerConverter

from ripa_guard.core import db
from ripa_guard.core.changes import Refused
from ripa_guard.core.fields import MAX_ID

T = TypeVar("T")


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: the digits 0 to 9, up to the largest id a table holds, so a
    longer one is a 404 rather than an overflow in the database driver (a 500)."""

    regex = r"[0-9]{1,12}"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def record_or_404(
    model: type[T],
    record_id: int,
    allowed: Callable[[T], bool] | None = None,
    options: Sequence = (),
) -> T:
    """The record, or 404 when there is none, or 403 when `allowed(record)` says this person
    may not have it (after flaskr's get_post): one answer for every route. `options` are
    loader options for what the page shows of it."""
    record = db.session().get(model, record_id, options=options)
    if record is None:
        abort(404)
    if allowed is not None and not allowed(record):
        abort(403)
    return record


def refusal(change: Callable[[], object]) -> str | None:
    """Make the change; None when it was made, or the reason it was refused, to show on the
    page beside what the person typed."""
    try:
        change()
    except Refused as refused:
        return str(refused)
    return None


def version_seen() -> int | None:
    """The record's version when the person's page was drawn, from the form's hidden field;
    a change made from an out-of-date page is refused (changes.check_version)."""
    return request.form.get("version", type=int)
