"""Column types every model shares: moments in UTC, enums stored as plain strings."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    Enum,
    TypeDecorator,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A moment stored in UTC and read back aware, on SQLite (which keeps no offset) as on
    PostgreSQL, so that 09:15 in London in summer is never read back as 09:15 UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def stored_enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings: adding a value needs no ALTER TYPE on PostgreSQL.
    return Enum(
        cls, name=name, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e]
    )
