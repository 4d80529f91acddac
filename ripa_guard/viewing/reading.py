"""Reading the viewing log: a record's viewings and attempts, an officer's log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session, lazyload, raiseload, selectinload, with_expression

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import Application
from ripa_guard.viewing.models import (
    Investigation,
    Viewing,
    ViewingAttempt,
    ViewingNote,
)

# A page of a list shows what was logged and the notes, nothing of the officer's account, the
# research profile or the investigation (each with everyone on it): those load only if read.
_LISTED = {
    Viewing: (
        lazyload(Viewing.officer),
        lazyload(Viewing.research_profile),
        lazyload(Viewing.investigation),
        selectinload(Viewing.notes).joinedload(ViewingNote.written_by).lazyload(User.roles),
    ),
    ViewingAttempt: (
        lazyload(ViewingAttempt.officer),
        lazyload(ViewingAttempt.research_profile),
        lazyload(ViewingAttempt.investigation),
    ),
}


def attempts_for(session: Session, application_id: int) -> list[ViewingAttempt]:
    """The viewings refused as outside an authorisation, oldest first, as its page lists them:
    each row names its officer and profile as logged, so their own rows are not read."""
    return list(
        session.scalars(
            select(ViewingAttempt)
            .where(ViewingAttempt.application_id == application_id)
            .order_by(ViewingAttempt.attempted_at)
            .options(*_LISTED[ViewingAttempt])
        )
    )


#: Rows of a list of viewings shown at a time.
PAGE = 50


@dataclass(frozen=True)
class Page:
    """Up to PAGE rows, and the last of them when more follow: the "next" link's place."""

    rows: list
    next_after: int | None


def page_of(
    session: Session, model, moment, condition, after: int | None, newest_first: bool = False
) -> Page:
    """The rows after the row `after` (by time, then id; newest first or oldest first), read by
    an index on (key, time, id) however long the log (migration 0027)."""
    query = select(model).where(condition).options(*_LISTED.get(model, ()))
    if after is not None:
        mark = session.execute(select(moment, model.id).where(model.id == after)).first()
        if mark is not None:
            if newest_first:
                query = query.where(moment <= mark[0], (moment < mark[0]) | (model.id < mark[1]))
            else:
                query = query.where(moment >= mark[0], (moment > mark[0]) | (model.id > mark[1]))
    order = (moment.desc(), model.id.desc()) if newest_first else (moment, model.id)
    rows = list(session.scalars(query.order_by(*order).limit(PAGE + 1)))
    return Page(rows[:PAGE], rows[PAGE - 1].id if len(rows) > PAGE else None)


def officer_log(
    session: Session, officer: User, after: int | None = None, attempts_after: int | None = None
) -> tuple[Page, Page]:
    """An officer's own viewings and stopped attempts, newest first, a page at a time."""
    viewings = page_of(
        session, Viewing, Viewing.viewed_at, Viewing.officer_id == officer.id, after, True
    )
    attempts = page_of(
        session,
        ViewingAttempt,
        ViewingAttempt.attempted_at,
        ViewingAttempt.officer_id == officer.id,
        attempts_after,
        True,
    )
    return viewings, attempts


# An application's page shows each viewing's own columns (the officer's name and service as
# logged, the profile, the basis) and how many notes it has: not its officer's account, its
# research profile, its investigation and that investigation's officers, or the notes. The
# count is a column of the viewings' own query, where loading the notes' ids was one more
# round trip: 12 queries a page, now 11 (issue 19).
_ON_THE_APPLICATION = (
    lazyload(Viewing.officer),
    lazyload(Viewing.research_profile),
    lazyload(Viewing.investigation),
    raiseload(Viewing.notes),
    with_expression(
        Viewing.note_count,
        select(func.count(ViewingNote.id))
        .where(ViewingNote.viewing_id == Viewing.id)
        .correlate(Viewing)
        .scalar_subquery(),
    ),
)


def application_log(session: Session, application: Application) -> dict:
    """The viewing log an application's page shows: viewings under it, attempts refused as
    outside it, and the research for its investigation that came before it.

    The viewings under it and the research around it are one query (each found by its own
    index, then split), and the notes of both one more: on PostgreSQL each is a round trip."""
    wanted = select(Viewing.id).where(Viewing.application_id == application.id)
    # The investigation is its case reference, or else its URN (Application.investigation_key).
    key = application.investigation_key
    if key:
        around = (
            select(Viewing.id)
            .join(Investigation, Investigation.id == Viewing.investigation_id)
            .where(Investigation.key == key)
        )
        wanted = union_all(wanted, around)
    found = session.scalars(
        select(Viewing)
        .where(Viewing.id.in_(wanted))
        .order_by(Viewing.viewed_at, Viewing.id)
        .options(*_ON_THE_APPLICATION)
    )
    viewings, research = [], []
    for viewing in found:
        (viewings if viewing.application_id == application.id else research).append(viewing)
    return {
        "viewings": viewings,
        "refused": attempts_for(session, application.id),
        "research": research,
    }
