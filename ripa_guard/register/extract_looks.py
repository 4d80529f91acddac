"""The extract's viewing log: every look at a profile or page over the extract's period, as
plain rows streamed from one query (Code para 8.1; an inspector checks for unauthorised repeat
viewing from it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time

from sqlalchemy import String, case, func, null, select, type_coerce, union_all
from sqlalchemy import true as sql_true
from sqlalchemy.orm import Session

from ripa_guard.applications.models import Application
from ripa_guard.core.clock import LONDON
from ripa_guard.register import central_record
from ripa_guard.register.central_record import Filters
from ripa_guard.register.extract_sql import london_minute, titles
from ripa_guard.viewing.models import (
    Basis,
    Investigation,
    ResearchProfile,
    Stop,
    Viewing,
    ViewingAttempt,
)

VIEWING_HEADERS = (
    "Investigation (case reference)",
    "When",
    "Look",
    "URN",
    "Officer",
    "Service",
    "Research profile used",
    "Platform",
    "Profile or page",
    "Subject",
    "Why (the officer's purpose)",
    "Captured",
    "Reason given by the viewing log",
    "Citation",
)
VIEWING_WIDTHS = [22, 16, 30, 16, 22, 18, 26, 14, 40, 24, 40, 10, 50, 30]

#: Rows of the viewing log read at a time: memory grows with this, not with the log.
LOOKS_BATCH = 5000

#: What each look was: a viewing's basis, or why an attempt was stopped.
LOOKS = {**{b.value: b.title for b in Basis}, **{s.value: s.title for s in Stop}}


def _looks_narrowed_to(filters: Filters):
    """Investigations the extract's authorisations belong to, when the extract is narrowed by
    something only an authorisation has (status, offence, authorising officer, search); None
    when every look in the period belongs in it."""
    if not (filters.status or filters.offence or filters.authorising_officer_id or filters.search):
        return None
    found = central_record.applications_query(filters)
    keys = found.with_only_columns(Application.investigation_key).union(
        found.with_only_columns(Application.urn_key)
    )
    return select(Investigation.id).where(Investigation.key.in_(keys))


def looks_query(filters: Filters):
    """The viewing log's rows over the extract's period, as the sheet writes them."""
    viewings = select(
        Viewing.investigation_id.label("investigation_id"),
        Viewing.viewed_at.label("at"),
        type_coerce(Viewing.basis, String).label("look"),
        Viewing.urn.label("urn"),
        Viewing.officer_name.label("officer"),
        Viewing.officer_service.label("service"),
        Viewing.research_profile_id.label("profile_id"),
        Viewing.platform.label("platform"),
        Viewing.url.label("url"),
        Viewing.subject.label("subject"),
        Viewing.purpose.label("purpose"),
        Viewing.captured.label("captured"),
        Viewing.reason.label("reason"),
        Viewing.citation.label("citation"),
    )
    attempts = select(
        ViewingAttempt.investigation_id,
        ViewingAttempt.attempted_at,
        type_coerce(ViewingAttempt.outcome, String),
        ViewingAttempt.urn,
        ViewingAttempt.officer_name,
        ViewingAttempt.officer_service,
        ViewingAttempt.research_profile_id,
        ViewingAttempt.platform,
        ViewingAttempt.url,
        ViewingAttempt.subject,
        ViewingAttempt.purpose,
        null(),
        ViewingAttempt.reason,
        ViewingAttempt.citation,
    )
    if filters.period:
        first, last = filters.period
        between = (
            datetime.combine(first, time.min, tzinfo=LONDON),
            datetime.combine(last, time.max, tzinfo=LONDON),
        )
        viewings = viewings.where(Viewing.viewed_at.between(*between))
        attempts = attempts.where(ViewingAttempt.attempted_at.between(*between))
    if filters.service:
        viewings = viewings.where(Viewing.officer_service == filters.service)
        attempts = attempts.where(ViewingAttempt.officer_service == filters.service)
    narrowed = _looks_narrowed_to(filters)
    if narrowed is not None:
        viewings = viewings.where(Viewing.investigation_id.in_(narrowed))
        attempts = attempts.where(ViewingAttempt.investigation_id.in_(narrowed))
    looks = union_all(viewings, attempts).subquery()
    profile = case(
        (func.coalesce(ResearchProfile.handle, "") == "", ""),
        else_=ResearchProfile.handle + " (" + ResearchProfile.platform + ")",
    )
    captured = case(
        (looks.c.captured.is_(None), ""), (looks.c.captured == sql_true(), "Yes"), else_="No"
    )
    return (
        select(
            Investigation.reference,
            london_minute(looks.c.at),
            titles(looks.c.look, LOOKS),
            func.coalesce(looks.c.urn, ""),
            looks.c.officer,
            looks.c.service,
            profile,
            looks.c.platform,
            looks.c.url,
            looks.c.subject,
            looks.c.purpose,
            captured,
            looks.c.reason,
            looks.c.citation,
        )
        .join(Investigation, Investigation.id == looks.c.investigation_id)
        .outerjoin(ResearchProfile, ResearchProfile.id == looks.c.profile_id)
        .order_by(Investigation.reference, Investigation.id, looks.c.at)
    )


def viewing_rows(session: Session, filters: Filters) -> Iterator[list]:
    """Every look over the extract's period, investigation by investigation: each viewing, as
    initial research or under an authorisation, and each attempt blocked or refused, with why.

    An inspector checks for unauthorised repeat viewing from this sheet, so it holds what was
    stopped as well as what went ahead. One streamed query of rows as the sheet writes them: a
    large council logs millions of viewings.
    """
    query = looks_query(filters).execution_options(yield_per=LOOKS_BATCH)
    for row in session.connection().execute(query):
        yield list(row)
