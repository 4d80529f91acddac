"""The central record of authorisations the Code of Practice asks every council to keep.

Covert Surveillance and Property Interference Code of Practice 2018, para 8.1 (wording
checked only against the Scottish Code's equivalent; see DOMAIN.md §7): a centrally
retrievable record of all authorisations, updated whenever an authorisation is granted,
reviewed, renewed or cancelled, kept for at least three years from the end of each
authorisation, and available to the Investigatory Powers Commissioner on request. For councils
it also holds each attendance at the magistrates' court. Refused applications, and plans
stopped at the crime threshold, are recorded too, marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import (
    CTE,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Decision,
    Outcome,
    RenewalStatus,
    Subject,
    Triage,
)
from ripa_guard.applications.offences import Offence
from ripa_guard.applications.status_query import shown_status_condition
from ripa_guard.core.clock import LONDON
from ripa_guard.core.text_search import (
    ESCAPE,
    Terms,
    any_contains,
    contains_text,
    parameters,
    pattern,
    rows_containing,
)
from ripa_guard.law import periods
from ripa_guard.law.status import Shown

TYPE_OF_AUTHORISATION = "Directed surveillance (RIPA 2000 s.28)"
NOT_MADE = "Not made: crime threshold not met (SI 2010/521 art. 7A)"
#: Where the crime threshold is, as a reader of the record would look it up.
THRESHOLD_SOURCE = (
    "The Regulation of Investigatory Powers (Directed Surveillance and Covert Human "
    "Intelligence Sources) Order 2010 (SI 2010/521), article 7A"
)
#: What the record says of its references for plans that were not made (shown on its pages).
NOT_MADE_REFERENCES = (
    "A plan stopped at the crime threshold never became an application, so it has no URN. It "
    "has a reference of its own instead, like RIPA/2026/NM0001: the council's URN prefix, the "
    'year the plan was stopped, and NM ("not made") with a number counted separately from '
    "the URNs. The reference is given when the plan is stopped and never changes."
)


@dataclass(frozen=True)
class Filters:
    """What the register page and the extracts are narrowed by; empty means everything."""

    year: int | None = None
    status: str = ""
    service: str = ""
    offence: str = ""
    authorising_officer_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    #: The day statuses are shown as of (law.status): "in force" and "lapsed" depend on it.
    today: date | None = None

    @property
    def narrow(self) -> bool:
        """Whether anything is left out: every filter but the day statuses are shown as of."""
        return bool(
            self.status
            or self.service
            or self.offence
            or self.authorising_officer_id
            or self.period
            or self.search.strip()
        )

    @property
    def period(self) -> tuple[date, date] | None:
        if self.year:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        if self.date_from or self.date_to:
            return self.date_from or date(1900, 1, 1), self.date_to or date(9999, 12, 31)
        return None


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _after(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=LONDON)


def end_of_period(filters: Filters) -> datetime:
    """The last moment of the filters' period (its last day's end in London)."""
    return _after(filters.period[1])


def applications_query(filters: Filters, found: list[int] | None = None) -> Select:
    """Applications on the record (every one that was ever submitted), narrowed by `filters`.

    In a period means: submitted in it, or having effect at any time during it. `found` is the
    ids the search box matched, when they were already looked up (see listing.page).
    """
    return narrowed(select(Application).where(Application.urn.is_not(None)), filters, found)


def narrowed(query: Select, filters: Filters, found: list[int] | None = None) -> Select:
    """`query` of applications narrowed by `filters`, drafts and all (applications_query keeps
    only those on the record: listing.page counts without that condition, see there)."""
    if filters.period:
        first, last = filters.period
        submitted = Application.submitted_at.between(_start(first), _after(last))
        in_force = and_(
            Application.takes_effect <= last,
            func.coalesce(Application.cancelled_on, Application.last_day) >= first,
        )
        query = query.where(or_(submitted, in_force))
    if filters.status and filters.status != "threshold_not_met":
        query = query.where(
            shown_status_condition(Shown(filters.status), filters.today or date.today())
        )
    if filters.offence:
        # Any entry naming the offence, first or not (SI 2010/521 art. 7A(2)-(3)).
        named = _names_offence(Application.offence_codes, literal(_offence_pattern(filters)))
        query = query.where(named)
    if filters.service:
        query = query.where(
            Application.officer_id.in_(select(User.id).where(User.service == filters.service))
        )
    if filters.authorising_officer_id:
        query = query.where(Application.authorised_by_id == filters.authorising_officer_id)
    if URN_SHAPE.fullmatch(filters.search.strip()):
        # A URN is unique and indexed: find that entry, not every text that contains it.
        query = query.where(Application.urn == filters.search.strip().upper())
    elif found is not None:
        query = query.where(Application.id.in_(found))
    elif filters.search.strip():
        # More matches than found() looks ahead for, or an extract: with that many, reading
        # every name costs less than reading each match from the trigram indexes.
        query = query.where(Application.id.in_(_search(filters.search.strip())))
    return query


def _offence_pattern(filters: Filters) -> str:
    """A LIKE pattern for the offence filtered by, as a JSON list of codes holds it: the code
    in quotes, its characters matched as themselves (a `%` typed into an address is not a
    wildcard)."""
    return pattern(f'"{filters.offence}"')


def _names_offence(codes, offence_pattern) -> ColumnElement[bool]:
    """Whether a JSON list of offence codes (`codes`) names the offence of _offence_pattern."""
    return cast(codes, Text).like(offence_pattern, escape=ESCAPE)


#: What a URN looks like, whatever the council's prefix: RIPA/2026/0001 (register.allocate_urn).
URN_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9-]*/\d{4}/\d{4,}")


#: Statements kept for each shape of search or set of filters asked (broad_condition,
#: _look_ahead, _stops_page): the common ones, not one for every shape that can be typed.
SHAPES_KEPT = 64


#: What the search box reads of an entry itself (beside its subjects' names).
_ENTRY_TEXT = [Application.urn, Application.investigation_title]


def _on_entry(text: str | Terms, indexed: bool = True) -> ColumnElement[bool]:
    """Whether an entry's URN or investigation contains `text` (text_search.any_contains;
    PostgreSQL reads them folded, in Application.searched)."""
    return any_contains(_ENTRY_TEXT, text, indexed, folded=Application.searched)


def _subjects_matching(text: str | Terms, indexed: bool = True) -> Select:
    """The ids of entries with a subject whose name contains `text`."""
    return select(Subject.application_id).where(any_contains([Subject.name], text, indexed))


@lru_cache(maxsize=SHAPES_KEPT)
def broad_condition(terms: Terms) -> ColumnElement[bool]:
    """Whether an entry's URN, investigation or subject's name contains the text searched for,
    asked of each entry in turn: for a search that matches more than found() looks up (a word
    like "fraud" in thousands of titles), the register is read in its order, from the order's
    index, until a page is full. Reading every match from the trigram indexes to sort them
    took 37 ms on PostgreSQL and 33 on SQLite at 100,000 entries (13,333 matching "fraud"), and
    joining every application to them 140-150 and 85 ms; reading in order until the page is
    full, under 1. Built once for each shape of `terms` (Terms.shape()): the statement holding
    it is run with text_search.parameters(text)."""
    on_subject = _subjects_matching(terms)
    on_entry = _on_entry(terms, indexed=False)
    return or_(on_entry, Application.id.in_(on_subject))


def count_up_to(filters: Filters, most: int) -> Select:
    """How many entries the filters and their search let through, counted no further than
    `most` + 1: the count of a search that matches many stops there (listing.page says "more
    than"), so it reads no more than that many matches from the trigram indexes (5 ms, where
    counting 13,333 read them all). An entry is counted once: on its URN or investigation, or
    else on a subject's name."""
    text = filters.search.strip()
    rest = replace(filters, search="")
    on_entry = _on_entry(text)
    on_subject = _subjects_matching(text)
    entries = applications_query(rest).with_only_columns(Application.id).where(on_entry)
    by_subject = applications_query(rest).with_only_columns(Application.id)
    by_subject = by_subject.where(
        Application.id.in_(on_subject),
        ~_on_entry(text, indexed=False),
    )
    matches = union_all(entries, by_subject).limit(most + 1).subquery()
    return select(func.count()).select_from(matches)


def _search(text: str):
    """Ids of entries whose URN, investigation or subject's name contains `text`, by scanning
    a covering index and the subjects (so the wide application rows are read only for the page
    shown): for an extract, which reads every match (the register's page reads a search
    matching many with broad_condition and count_up_to)."""
    on_entry = select(Application.id).where(
        Application.urn.is_not(None), _on_entry(text, indexed=False)
    )
    return union(on_entry, _subjects_matching(text, indexed=False))


@dataclass(frozen=True)
class _StopsAsked:
    """Which filters a question about stopped plans asks (not what they are set to): the
    register's page keeps one statement for each (threshold_stops)."""

    period: bool
    #: The search's Terms.shape(), or None.
    search: Terms | None
    service: bool
    offence: bool
    #: A filter no stopped plan can meet: a status of an application, or who authorised it.
    none: bool

    @classmethod
    def of(cls, filters: Filters) -> _StopsAsked:
        text = filters.search.strip()
        return cls(
            period=filters.period is not None,
            search=Terms.of(text).shape() if text else None,
            service=bool(filters.service),
            offence=bool(filters.offence),
            none=bool(
                (filters.status and filters.status != "threshold_not_met")
                or filters.authorising_officer_id
            ),
        )


def _stops_parameters(filters: Filters) -> dict:
    """What a statement of _stops_query is run with, for `filters`."""
    values: dict = {}
    if filters.period:
        first, last = filters.period
        values.update(stopped_from=_start(first), stopped_to=_after(last))
    if filters.search.strip():
        values.update(parameters(filters.search.strip()))
    return {
        **values,
        "stopped_service": filters.service,
        "stopped_offence": _offence_pattern(filters),
    }


def _stops_query(asked: _StopsAsked) -> Select:
    """Plans stopped at the crime threshold that the filters `asked` let through, their values
    left to be given (_stops_parameters)."""
    query = select(Triage).where(Triage.outcome == Outcome.CANNOT_BE_AUTHORISED)
    if asked.period:
        between = Triage.completed_at.between(bindparam("stopped_from"), bindparam("stopped_to"))
        query = query.where(between)
    if asked.search:
        query = query.where(
            or_(
                contains_text(Triage.title, asked.search),
                contains_text(Triage.reference, asked.search),
            )
        )
    if asked.none:
        query = query.where(Triage.id.is_(None))
    if asked.service:
        services = select(User.id).where(User.service == bindparam("stopped_service"))
        query = query.where(Triage.officer_id.in_(services))
    if asked.offence:
        query = query.where(_names_offence(Triage.offence_codes, bindparam("stopped_offence")))
    return query


def threshold_stops_query(filters: Filters) -> Select:
    """Plans stopped at the crime threshold: no application could be made, but they are kept."""
    return _stops_query(_StopsAsked.of(filters)).params(_stops_parameters(filters))


def with_history(query: Select) -> Select:
    """Load what a record entry shows in a few queries per batch, not a few per entry.

    Decisions, hearings and the rest keep the names they need in their own columns, so the
    users behind them are not loaded; nor is the triage, which the entry does not show.
    """
    history = (
        Application.subjects,
        Application.decisions,
        Application.hearings,
        Application.renewals,
        Application.reviews,
        Application.cancellation,
        Application.destruction,
    )
    return query.options(
        lazyload(Application.triage),
        joinedload(Application.officer).lazyload(User.roles),
        *(selectinload(relationship).lazyload("*") for relationship in history),
    )


#: The orders the register can be put in, by the name its links use: each has an index
#: (Application's table args), so a page of a large register is read in order, never sorted.
SORTS = {
    "submitted": Application.submitted_at,
    "urn": Application.urn,
    "last-day": Application.last_day,
}


@dataclass(frozen=True)
class Order:
    by: str = "submitted"
    descending: bool = True

    def clauses(self):
        column = SORTS[self.by]
        if self.descending:
            return column.desc(), Application.id.desc()
        return column.asc(), Application.id.asc()


#: How many matches the search box looks up ahead, and counts: a search matching more is read
#: in the register's order (broad_condition), and its page says "more than" this many.
FOUND_AHEAD = 1000


class Found(NamedTuple):
    """What the search box's look-ahead found (found())."""

    #: The ids of the entries matched, when there are no more than FOUND_AHEAD; else None.
    ids: list[int] | None
    #: More than FOUND_AHEAD entries match on their URN or investigation alone: no count can
    #: say more than that (listing.page then counts nothing without another filter).
    beyond: bool = False


def found(session: Session, filters: Filters) -> Found:
    """The ids a text search matches, looked up once, when there are few: the page and its
    count then find them by id instead of searching the register twice (listing.page)."""
    text = filters.search.strip()
    if not text or URN_SHAPE.fullmatch(text):
        return Found(None)
    dialect = session.get_bind().dialect.name
    look_ahead = _look_ahead(dialect, Terms.of(text).shape(), FOUND_AHEAD + 1)
    count, entries, ids = session.execute(look_ahead, parameters(text)).one()
    if count <= FOUND_AHEAD:
        return Found(list(dict.fromkeys(int(id_) for id_ in ids.split(","))) if ids else [])
    # A subject's match may be a draft's, or repeat an entry's: only the entries' own are sure
    # (each entry is matched once on its own text, so they are as many as their rows).
    return Found(None, beyond=entries > FOUND_AHEAD)


@lru_cache(maxsize=SHAPES_KEPT)
def _look_ahead(dialect: str, terms: Terms, most: int) -> Select:
    """found()'s statement, for one database and one shape of text: its count of the first
    `most` matches, how many of them matched on the entry itself, and their ids."""
    drafts = Application.urn.is_(None)
    on_entry = rows_containing(
        Application.id, _ENTRY_TEXT, terms, dialect, folded=Application.searched, without=drafts
    )
    on_subject = rows_containing(Subject.application_id, [Subject.name], terms, dialect)
    # UNION ALL stops at the limit; UNION would find every match first, to drop repeats.
    matched = (
        union_all(
            on_entry.add_columns(literal(1).label("entry")),
            on_subject.add_columns(literal(0).label("entry")),
        )
        .limit(most)
        .subquery()
    )
    # Told as one row, the ids joined by commas: 1,001 rows each made into a Python row cost
    # more than the database's reading them.
    return select(
        func.count(),
        func.coalesce(func.sum(matched.c.entry), 0),
        func.aggregate_strings(cast(matched.c.id, Text), ","),
    )


def iter_applications(
    session: Session, filters: Filters, batch: int = 500
) -> Iterator[Application]:
    """Every application on the record in URN order, a batch at a time, in constant memory."""
    query = with_history(applications_query(filters)).order_by(Application.id)
    result = session.execute(query.execution_options(yield_per=batch)).scalars()
    for application in result:
        yield application
        # Drop each entry once written, so a 100,000-entry extract does not pile up in memory.
        session.expunge(application)


def iter_threshold_stops(
    session: Session, filters: Filters, offences: Mapping[str, Offence], batch: int = 500
) -> Iterator[NotMade]:
    query = threshold_stops_query(filters).order_by(Triage.id)
    for triage in session.execute(query.execution_options(yield_per=batch)).scalars():
        yield NotMade(triage, offences)
        session.expunge(triage)


@dataclass
class NotMade:
    """A plan stopped at the crime threshold, as the central record shows it."""

    #: The plan, or a row of the columns read here (threshold_stops, for the register page).
    triage: Triage
    offences: Mapping[str, Offence]

    @property
    def reference(self) -> str:
        """ "Not made: RIPA/2026/NM0001" (NOT_MADE_REFERENCES)."""
        return f"Not made: {self.triage.reference or f'plan {self.triage.id}'}"

    @property
    def offence(self) -> str:
        """Each offence named, by its title and section as the offence register gives them."""
        named = []
        for code in self.triage.offence_codes or []:
            offence = self.offences.get(code)
            named.append(
                f"{offence.title} ({offence.citation})"
                if offence
                else f"{code} (no longer in the offence register)"
            )
        return "; ".join(named) or "No offence named"

    @property
    def why(self) -> str:
        """Why no application could be made, with where the rule is."""
        reason = self.triage.threshold_reason or " ".join(
            r.get("text", "") for r in self.triage.reasons or []
        )
        return f"{reason} ({THRESHOLD_SOURCE}.)"


# What an entry says ---------------------------------------------------------------------------


def grant_decision(application: Application) -> AuthorisingDecision | None:
    """The authorising officer's last decision on the application itself (not a renewal)."""
    decisions = [d for d in application.decisions if d.renewal_id is None]
    return decisions[-1] if decisions else None


def ended_on(application: Application) -> date | None:
    """The day the authorisation, or the application, came to an end; None while it goes on."""

    def day(moment: datetime | None) -> date | None:
        return moment.astimezone(LONDON).date() if moment else None

    decision = grant_decision(application)
    hearing = application.hearings[-1] if application.hearings else None
    return day_ended(
        application.status.value,
        application.cancelled_on,
        application.imported,
        refused_on=day(decision.decided_at) if decision else None,
        last_heard_on=day(hearing.decided_at) if hearing else None,
        updated_on=day(application.updated_at),
    )


def day_ended(
    status: str,
    cancelled_on: date | None,
    imported: Mapping | None,
    refused_on: date | None,
    last_heard_on: date | None,
    updated_on: date | None,
) -> date | None:
    """ended_on from plain values, as the extract's SQL rows give them: the cancellation,
    else the authorising officer's refusal (the last decision on the grant), the magistrate's
    last decision for a refusal or quashing, or the withdrawal (the last change)."""
    if cancelled_on:
        return cancelled_on
    if status == ApplicationStatus.ACTIVE:
        return None  # even when lapsed: it still has to be cancelled
    if imported:
        # From the council's earlier record: the day it ended, as its file gave it (it has no
        # decision or hearing here to read it from).
        ended = imported.get("ended_on")
        return date.fromisoformat(ended) if ended else None
    ends = {
        ApplicationStatus.REFUSED: refused_on,
        ApplicationStatus.COURT_REFUSED: last_heard_on,
        ApplicationStatus.QUASHED: last_heard_on,
        ApplicationStatus.WITHDRAWN: updated_on,
    }
    return ends.get(status)


def destroy_after(application: Application, years: int) -> date | None:
    """The last day the entry must be kept (periods.retention_until); None while it goes on."""
    end = ended_on(application)
    return periods.retention_until(end, years) if end else None


@dataclass
class Entry:
    """One row of the central record, in the words of the Code's list (DOMAIN.md §7)."""

    application: Application
    retention_years: int
    today: date
    extra: dict = field(default_factory=dict)

    @property
    def shown_status(self) -> Shown:
        """The status a person sees on the record's day (law.status, the one rule)."""
        return self.application.shown_status(self.today)

    @property
    def status(self) -> str:
        return self.shown_status.title

    @property
    def grant(self) -> AuthorisingDecision | None:
        return grant_decision(self.application)

    @property
    def approved_by(self) -> AuthorisingDecision | None:
        grant = self.grant
        return grant if grant and grant.decision == Decision.APPROVED else None

    @property
    def grant_hearing(self):
        hearings = [h for h in self.application.hearings if h.renewal_id is None]
        return hearings[-1] if hearings else None

    @property
    def approved_renewals(self):
        return [r for r in self.application.renewals if r.status == RenewalStatus.APPROVED]

    def renewal_decision(self, renewal) -> AuthorisingDecision | None:
        decisions = [d for d in self.application.decisions if d.renewal_id == renewal.id]
        return decisions[-1] if decisions else None

    def renewal_hearing(self, renewal):
        hearings = [h for h in self.application.hearings if h.renewal_id == renewal.id]
        return hearings[-1] if hearings else None

    @property
    def destroy_after(self) -> date | None:
        return destroy_after(self.application, self.retention_years)

    @property
    def imported_note(self) -> str:
        """ "Imported from <file> on <date>" for an entry of the council's earlier record."""
        a = self.application
        if not a.imported_from:
            return ""
        day = a.imported_at.astimezone(LONDON).date() if a.imported_at else None
        return f"Imported from {a.imported_from}" + (f" on {periods.long_date(day)}" if day else "")

    @property
    def imported_items(self) -> dict[str, str]:
        """The Code's items as the council's earlier record gave them, by extract header."""
        return dict((self.application.imported or {}).get("items") or {})

    @property
    def may_be_destroyed(self) -> bool:
        after = self.destroy_after
        return after is not None and self.today > after


def threshold_stops(session: Session, filters: Filters, register: dict, limit: int = 50) -> list:
    """The newest plans stopped at the crime threshold that the filters let through, each
    with the columns the register shows of it (rows, not plans with their answers)."""
    statement = _stops_page(_StopsAsked.of(filters), limit)
    found = session.execute(statement, _stops_parameters(filters)).all()
    return [NotMade(t, register) for t in found]


@lru_cache(maxsize=SHAPES_KEPT)
def _stops_page(asked: _StopsAsked, limit: int) -> Select:
    """threshold_stops' statement, built once for each set of filters asked (issue 19)."""
    officer_name = select(User.name).where(User.id == Triage.officer_id).scalar_subquery()
    service = select(User.service).where(User.id == Triage.officer_id).scalar_subquery()
    query = _stops_query(asked).with_only_columns(
        Triage.id,
        Triage.title,
        Triage.reference,
        Triage.offence_codes,
        Triage.threshold_reason,
        Triage.reasons,
        Triage.completed_at,
        officer_name.label("officer_name"),
        service.label("officer_service"),
    )
    return query.order_by(Triage.completed_at.desc()).limit(limit)


@dataclass(frozen=True)
class FilterChoices:
    """What the register's filter offers beside the statuses and the offences."""

    #: The council's services, by name.
    services: list[str]
    #: Everyone who has authorised an entry (rows of id and name), by id.
    authorisers: list


def filter_choices(session: Session) -> FilterChoices:
    """The services and the authorising officers for the register's filter, in one query.

    Distinct names in SQL: loading every user to list the services grew with the council.
    An authoriser is a user with an entry they authorised, found by walking the index on
    authorised_by_id (_authorisers): a DISTINCT over every entry's authoriser was a scan of the
    register on PostgreSQL (70 ms at 100,000 entries, against 2 ms).
    """
    rows = session.execute(_choices()).all()
    return FilterChoices(
        services=[r.service for r in rows if r.id is None],
        authorisers=[r for r in rows if r.id is not None],
    )


@cache
def _choices() -> Select:
    """filter_choices' statement: the same for every page, so built once (issue 19)."""
    # Typed NULLs: PostgreSQL reads a bare one under DISTINCT as text, then cannot match it.
    none_id, no_text = cast(null(), Integer), cast(null(), String)
    services = (
        select(User.service.label("service"), none_id.label("id"), no_text.label("name"))
        .where(User.service != "")
        .distinct()
    )
    walk = _authorisers()
    authorisers = select(no_text, User.id, User.name).join(walk, walk.c.id == User.id)
    both = union_all(services, authorisers).subquery()
    return select(both).order_by(both.c.service, both.c.id)


@cache
def _authorisers() -> CTE:
    """The id of each user who authorised an entry, walked from one to the next in the index
    on authorised_by_id (a recursive query of as many steps as there are authorisers, and it
    stops when no greater id is left), where asking the index of each user took a step for
    every user: with 1,000 users on PostgreSQL 0.6 ms, walked 0.3 (issue 19)."""
    walk = select(func.min(Application.authorised_by_id).label("id")).cte(
        "authorisers", recursive=True
    )
    step = walk.alias("step")
    following = (
        select(func.min(Application.authorised_by_id))
        .where(Application.authorised_by_id > step.c.id)
        .scalar_subquery()
    )
    return walk.union_all(select(following).where(step.c.id.is_not(None)))
