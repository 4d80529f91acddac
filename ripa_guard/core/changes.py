"""How a change of state is written: refused with a reason, or committed whole at the version read.

Every service function raises `Refused` with a message for the person who tried, checks the
version the person saw with `check_version`, and ends with `commit` (STYLE.md, "State changes").
"""

from __future__ import annotations

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError


class Refused(Exception):
    """A transition that is not allowed; the message says why, for the person who tried."""


class InputProblem(Refused):
    """Something the person gave is wrong; `field` names the question it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


STALE = "Someone else changed this record while you were working on it. Check it and try again."


def commit(session: Session) -> None:
    """Commit, or refuse with STALE when someone else changed the record first."""
    try:
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise Refused(STALE) from exc


def check_version(record, version: int | None) -> None:
    """Refuse a change made from an out-of-date page, then hold the record's row."""
    if version is not None and record.version != version:
        raise Refused(STALE)
    claim(record)


def claim(record) -> None:
    """Hold the record's row for this transaction, at the version read. Someone changing it at
    the same moment waits here, then is refused before writing anything: no lost update."""
    session = object_session(record)
    if session is None or record.id is None:
        return
    table = inspect(record).mapper.local_table
    claimed = session.execute(
        update(table)
        .where(table.c.id == record.id, table.c.version == record.version)
        .values(version=table.c.version)
    ).rowcount
    if claimed != 1:
        session.rollback()
        raise Refused(STALE)
