"""The central record: unique reference numbers."""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ripa_guard.applications.models import UrnSequence


def allocate_urn(session: Session, prefix: str, year: int) -> str:
    """The next URN of the year, like RIPA/2026/0001: unique and without gaps.

    The counter row is updated in the caller's transaction: its row lock makes concurrent
    submissions wait their turn, and a rolled-back submission gives its number back.
    """
    return f"{prefix}/{year}/{_next_number(session, prefix, year):04d}"


def allocate_not_made_reference(session: Session, prefix: str, year: int) -> str:
    """The next reference of the year for a plan that could not become an application, like
    RIPA/2026/NM0001: "NM" for "not made", counted apart from the URNs (no URN is allocated
    when no application is made), so it cannot be mistaken for one or leave gaps in them."""
    return f"{prefix}/{year}/NM{_next_number(session, f'{prefix}/NM', year):04d}"


def _next_number(session: Session, prefix: str, year: int) -> int:
    for _attempt in range(3):
        number = session.execute(
            update(UrnSequence)
            .where(UrnSequence.prefix == prefix, UrnSequence.year == year)
            .values(last_number=UrnSequence.last_number + 1)
            .returning(UrnSequence.last_number)
        ).scalar_one_or_none()
        if number is not None:
            return number
        try:
            with session.begin_nested():
                session.execute(insert(UrnSequence).values(prefix=prefix, year=year, last_number=0))
        except IntegrityError:
            pass  # another submission created the year's row first: update it instead
    raise RuntimeError("could not allocate a URN")
