"""The workbook's sheets of an entry's history, each row built in SQL as the sheet writes it:
reviews (Code para 8.1 item 6), renewals (item 7), court hearings (item 11) and cancellations
(item 10, RIPA s.45), for the entries the extract holds, in the order of the entries (by id)
and then as they happened. Each sheet is one streamed query.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import String, case, cast, select
from sqlalchemy.orm import Session, aliased

from ripa_guard.applications.models import (
    Application,
    AuthorisingDecision,
    Cancellation,
    CourtHearing,
    Renewal,
    Review,
)
from ripa_guard.law.decision_rules import ELEMENTS
from ripa_guard.register import central_record
from ripa_guard.register.central_record import Filters
from ripa_guard.register.extract_rows import BATCH, OUTCOME, RENEWAL_STATUS
from ripa_guard.register.extract_sql import (
    acting_for,
    blank_if_none,
    iso_day,
    last_id,
    london_minute,
    name_and_grade,
    number_text,
    titles,
    yes_no,
)


def _entries(filters: Filters):
    """The ids of the entries the extract holds."""
    return central_record.applications_query(filters).with_only_columns(Application.id)


def review_query(filters: Filters):
    r = Review
    return (
        select(
            Application.urn,
            iso_day(r.reviewed_on),
            blank_if_none(iso_day(r.due_on)),
            r.reviewed_by_name,
            cast(r.outcome, String),
            r.reasons,
            number_text(r.next_interval_days),
        )
        .join(Application, Application.id == r.application_id)
        .where(r.application_id.in_(_entries(filters)))
        .order_by(r.application_id, r.id)
    )


def renewal_query(filters: Filters):
    r, d, h = Renewal, aliased(AuthorisingDecision), aliased(CourtHearing)
    return (
        select(
            Application.urn,
            cast(r.number, String),
            london_minute(r.requested_at),
            titles(r.status, RENEWAL_STATUS),
            iso_day(r.starts_on),
            iso_day(r.ends_on),
            name_and_grade(d),
            blank_if_none(london_minute(d.decided_at)),
            *(blank_if_none(getattr(d, element.name)) for element in ELEMENTS),
            blank_if_none(h.court),
            blank_if_none(h.magistrate),
            blank_if_none(titles(h.outcome, OUTCOME)),
            blank_if_none(london_minute(h.decided_at)),
        )
        .join(Application, Application.id == r.application_id)
        .outerjoin(d, d.id == last_id(AuthorisingDecision, AuthorisingDecision.renewal_id == r.id))
        .outerjoin(h, h.id == last_id(CourtHearing, CourtHearing.renewal_id == r.id))
        .where(r.application_id.in_(_entries(filters)))
        .order_by(r.application_id, r.id)
    )


def hearing_query(filters: Filters):
    h, r = CourtHearing, aliased(Renewal)
    return (
        select(
            Application.urn,
            case((r.id.is_(None), "Grant"), else_="Renewal " + cast(r.number, String)),
            h.court,
            iso_day(h.hearing_date),
            h.magistrate,
            titles(h.outcome, OUTCOME),
            london_minute(h.decided_at),
        )
        .join(Application, Application.id == h.application_id)
        .outerjoin(r, (r.id == h.renewal_id) & (r.application_id == h.application_id))
        .where(h.application_id.in_(_entries(filters)))
        .order_by(h.application_id, h.id)
    )


def cancellation_query(filters: Filters):
    c = Cancellation
    return (
        select(
            Application.urn,
            iso_day(c.cancelled_on),
            c.cancelled_by_name + ", " + c.cancelled_by_grade,
            blank_if_none(london_minute(c.stop_instructed_at)),
            c.reason,
            c.obtained,
            c.handling,
            yes_no(c.after_lapse),
            acting_for(c),
        )
        .join(Application, Application.id == c.application_id)
        .where(c.application_id.in_(_entries(filters)))
        .order_by(c.application_id)
    )


def rows(session: Session, query) -> Iterator[list]:
    """A sheet's rows, streamed: a server-side cursor on PostgreSQL, batches on SQLite."""
    for row in session.connection().execute(query.execution_options(yield_per=BATCH)):
        yield list(row)


def review_rows(session: Session, filters: Filters) -> Iterator[list]:
    return rows(session, review_query(filters))


def renewal_rows(session: Session, filters: Filters) -> Iterator[list]:
    return rows(session, renewal_query(filters))


def hearing_rows(session: Session, filters: Filters) -> Iterator[list]:
    return rows(session, hearing_query(filters))


def cancellation_rows(session: Session, filters: Filters) -> Iterator[list]:
    return rows(session, cancellation_query(filters))
