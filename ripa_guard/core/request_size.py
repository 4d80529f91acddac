"""How much a request may send: MAX_CONTENT_LENGTH, or more for a page that takes a file."""

from __future__ import annotations

from flask import Request as FlaskRequest

#: Pages that take a file, with the most each takes (bytes), above MAX_CONTENT_LENGTH. The
#: limit is set by the URL's endpoint, before anything reads the body (the CSRF check does).
LARGE_BODIES: dict[str, int] = {}


class Request(FlaskRequest):
    """A request bounded by MAX_CONTENT_LENGTH, or by its page's own limit (LARGE_BODIES)."""

    @property
    def max_content_length(self) -> int | None:
        own = self.__dict__.get("_own_limit")
        if own is not None:
            return own
        return LARGE_BODIES.get(self.endpoint or "") or FlaskRequest.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self.__dict__["_own_limit"] = value
