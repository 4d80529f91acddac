"""The extract's viewing log: every look at a profile or page over the extract's period, as
plain rows streamed from one query (Code para 8.1; an inspector checks for unauthorised repeat
viewing from it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time

from sqlalchemy import String, null, select, type_coerce, union_all
from sqlalchemy.orm import Session

from ripa_guard.applications.models import Application
from ripa_guard.core.clock import LONDON
from ripa_guard.register import central_record
from ripa_guard.register.central_record import Filters
from ripa_guard.register.extract_columns import _dt, _yes
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


def viewing_rows(session: Session, filters: Filters) -> Iterator[list[str]]:
    """Every look over the extract's period, investigation by investigation: each viewing, as
    initial research or under an authorisation, and each attempt blocked or refused, with why.

    An inspector checks for unauthorised repeat viewing from this sheet, so it holds what was
    stopped as well as what went ahead. One streamed query of plain rows: a large council logs
    millions of viewings, and loading each as a whole object took most of the extract's time.
    """
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
    query = (
        select(
            Investigation.reference,
            looks.c.at,
            looks.c.look,
            looks.c.urn,
            looks.c.officer,
            looks.c.service,
            ResearchProfile.platform,
            ResearchProfile.handle,
            looks.c.platform,
            looks.c.url,
            looks.c.subject,
            looks.c.purpose,
            looks.c.captured,
            looks.c.reason,
            looks.c.citation,
        )
        .join(Investigation, Investigation.id == looks.c.investigation_id)
        .outerjoin(ResearchProfile, ResearchProfile.id == looks.c.profile_id)
        .order_by(Investigation.reference, Investigation.id, looks.c.at)
    )
    for row in session.execute(query.execution_options(yield_per=LOOKS_BATCH)):
        (reference, at, look, urn, officer, service, profile_platform, handle, *seen) = row
        platform, url, subject, purpose, captured, reason, citation = seen
        profile = f"{handle} ({profile_platform})" if handle else ""
        yield [
            reference,
            _dt(at),
            LOOKS.get(look, look or ""),
            urn or "",
            officer,
            service,
            profile,
            platform,
            url,
            subject,
            purpose,
            "" if captured is None else _yes(bool(captured)),
            reason,
            citation,
        ]
