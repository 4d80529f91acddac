"""The extract's rows built in SQL: one query per sheet returns each row as the extract writes
it (dates as text, names and grades joined, an entry's reviews, renewals, hearings and subjects
each joined into one value), streamed a batch at a time (a server-side cursor on PostgreSQL).

Python adds only what a rule of the law decides: the status a person sees (law.status), whether
an authorisation lapsed, how long the entry is kept (Code para 8.1, periods.retention_until),
and, for an entry imported from the council's earlier record, the items as its file gave them.
The rows are the same as extract_columns.authorisation_row's (the tests compare them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from sqlalchemy import (
    String,
    Text,
    case,
    cast,
    exists,
    func,
    literal,
    not_,
    select,
)
from sqlalchemy.orm import Session, aliased, outerjoin

from ripa_guard.accounts.models import User
from ripa_guard.applications.models import (
    Application,
    AuthorisingDecision,
    Cancellation,
    CourtHearing,
    CourtOutcome,
    Decision,
    Destruction,
    Renewal,
    RenewalStatus,
    Review,
    Subject,
)
from ripa_guard.law import periods
from ripa_guard.law.decision_rules import ELEMENTS
from ripa_guard.law.status import Shown, shown_status
from ripa_guard.law.threshold import describe_maximum
from ripa_guard.register import central_record
from ripa_guard.register.central_record import TYPE_OF_AUTHORISATION, Filters
from ripa_guard.register.extract_columns import (
    _OURS_FOR_IMPORTED,
    AUTHORISATION_COLUMNS,
    IMPORTED,
    WHY_NOT_MADE,
)
from ripa_guard.register.extract_sql import (
    acting_for,
    blank_if_none,
    has_offence_list,
    iso_day,
    joined,
    last_id,
    london_minute,
    name_and_grade,
    number_text,
    offences_named,
    titles,
    yes_no,
)

#: Rows read from the database at a time: memory grows with this, not with the register.
BATCH = 2000

OUTCOME = {o.value: o.title for o in CourtOutcome}
OUTCOME_LOWER = {o.value: o.title.lower() for o in CourtOutcome}
RENEWAL_STATUS = {s.value: s.title for s in RenewalStatus}
RENEWAL_STATUS_LOWER = {s.value: s.title.lower() for s in RenewalStatus}
PENDING = (RenewalStatus.REQUESTED.value, RenewalStatus.AWAITING_COURT.value)


def _renewals(dialect: str):
    """extract_columns._renewals in SQL: each renewal, its decision and its hearing (item 7)."""
    r, d, h = aliased(Renewal), aliased(AuthorisingDecision), aliased(CourtHearing)
    text = (
        "Renewal "
        + cast(r.number, String)
        + ": "
        + titles(r.status, RENEWAL_STATUS_LOWER)
        + case(
            (d.id.is_(None), ""),
            else_="; authorising officer "
            + d.decided_by_name
            + ", "
            + d.decided_by_grade
            + " on "
            + london_minute(d.decided_at),
        )
        + case(
            (h.id.is_(None), ""),
            else_="; "
            + h.court
            + ", "
            + h.magistrate
            + ", "
            + titles(h.outcome, OUTCOME_LOWER)
            + " at "
            + london_minute(h.decided_at),
        )
        + case(
            (
                r.status == RenewalStatus.APPROVED.value,
                "; period " + iso_day(r.starts_on) + " to " + iso_day(r.ends_on),
            ),
            else_="",
        )
    )
    table = outerjoin(
        outerjoin(
            r, d, d.id == last_id(AuthorisingDecision, AuthorisingDecision.renewal_id == r.id)
        ),
        h,
        h.id == last_id(CourtHearing, CourtHearing.renewal_id == r.id),
    )
    return joined(
        dialect, table, text, " | ", r.application_id == Application.id, r.id, Application
    )


def _hearings(dialect: str):
    """extract_columns._hearings in SQL: every attendance at court (item 11)."""
    h = aliased(CourtHearing)
    text = (
        case((h.renewal_id.is_(None), "Grant"), else_="Renewal")
        + ": "
        + h.court
        + ", heard "
        + iso_day(h.hearing_date)
        + ", "
        + h.magistrate
        + ", "
        + titles(h.outcome, OUTCOME_LOWER)
        + " at "
        + london_minute(h.decided_at)
    )
    return joined(dialect, h, text, " | ", h.application_id == Application.id, h.id, Application)


def _reviews(dialect: str):
    """extract_columns._reviews in SQL: each review's date, result and reviewer (item 6)."""
    r = aliased(Review)
    text = iso_day(r.reviewed_on) + ": " + cast(r.outcome, String) + " (" + r.reviewed_by_name + ")"
    return joined(dialect, r, text, "; ", r.application_id == Application.id, r.id, Application)


def _subjects(dialect: str):
    s = aliased(Subject)
    return joined(dialect, s, s.name, "; ", s.application_id == Application.id, s.id, Application)


#: What Python adds to each row, after the columns: see _finish.
_EXTRA = (
    "stored",
    "last_day",
    "pending",
    "destroyed",
    "cancelled",
    "after_lapse",
    "refused_on",
    "last_heard_on",
    "updated_on",
    "imported",
    "imported_from",
    "imported_on",
    "old_snapshot",
)


def authorisation_query(dialect: str, filters: Filters):
    """One row per entry on the record, in id order, with every column of
    AUTHORISATION_COLUMNS as the extract writes it, then what _finish needs (_EXTRA)."""
    found = (
        central_record.applications_query(filters)
        .with_only_columns(
            Application.id.label("id"),
            last_id(
                AuthorisingDecision,
                (AuthorisingDecision.application_id == Application.id)
                & AuthorisingDecision.renewal_id.is_(None),
            ).label("grant_id"),
            last_id(
                CourtHearing,
                (CourtHearing.application_id == Application.id) & CourtHearing.renewal_id.is_(None),
            ).label("grant_hearing_id"),
            last_id(CourtHearing, CourtHearing.application_id == Application.id).label(
                "last_hearing_id"
            ),
            maintain_column_froms=True,
        )
        .subquery("found")
    )
    a = Application
    g, gh, lh = aliased(AuthorisingDecision), aliased(CourtHearing), aliased(CourtHearing)
    approved = g.decision == Decision.APPROVED.value
    snapshot = a.offence_snapshot
    values = {
        "URN (item 4)": blank_if_none(a.urn),
        "Type of authorisation (item 1)": literal(""),
        "Status": literal(""),
        "Title of the investigation (item 5)": blank_if_none(a.investigation_title),
        "Brief description (item 5)": blank_if_none(a.answers["summary"].as_string()),
        "Subjects (item 5)": blank_if_none(_subjects(dialect)),
        "Offence": blank_if_none(offences_named(dialect)),
        "Crime threshold basis": blank_if_none(snapshot["threshold_basis"].as_string()),
        WHY_NOT_MADE: literal(""),
        "Applicant": User.name + ", " + User.grade,
        "Service": User.service,
        "Submitted": blank_if_none(london_minute(a.submitted_at)),
        "Authorising officer's decision": blank_if_none(cast(g.decision, String)),
        "Date authorised (item 2)": case((approved, london_minute(g.decided_at)), else_=""),
        "Authorising officer, name and grade (item 3)": name_and_grade(g),
        "Authorising officer directly involved (item 9)": case(
            (g.id.is_(None), ""), else_=yes_no(g.directly_involved)
        ),
        **{
            f"Authorising officer's own words: {element.title}": case(
                (approved, blank_if_none(getattr(g, element.name))), else_=""
            )
            for element in ELEMENTS
        },
        "Confidential or privileged information likely (item 8)": yes_no(a.confidential_likely),
        "Court: hearing date (item 11)": blank_if_none(iso_day(gh.hearing_date)),
        "Court: court (item 11)": blank_if_none(gh.court),
        "Court: magistrate (item 11)": blank_if_none(gh.magistrate),
        "Court: decision (item 11)": blank_if_none(titles(gh.outcome, OUTCOME)),
        "Court: date and time of decision (item 11)": blank_if_none(london_minute(gh.decided_at)),
        "Took effect": blank_if_none(iso_day(a.takes_effect)),
        "Last day": blank_if_none(iso_day(a.last_day)),
        "Review frequency in days (item 6)": number_text(a.review_interval_days),
        "Reviews: date and result (item 6)": blank_if_none(_reviews(dialect)),
        "Renewals: when, who, court (item 7)": blank_if_none(_renewals(dialect)),
        "All court attendances (item 11)": blank_if_none(_hearings(dialect)),
        "Date of cancellation (item 10)": blank_if_none(iso_day(a.cancelled_on)),
        "Reason for cancellation": blank_if_none(Cancellation.reason),
        "Cancelled by, acting for the grantor (RIPA s.45(4))": case(
            (Cancellation.id.is_(None), ""),
            else_=Cancellation.cancelled_by_name
            + ", "
            + Cancellation.cancelled_by_grade
            + case((acting_for(Cancellation) == "", ""), else_=". " + acting_for(Cancellation)),
        ),
        "Lapsed before cancellation": literal(""),
        "Record kept until at least": literal(""),
        "Details destroyed (when, by whom)": case(
            (Destruction.id.is_(None), ""),
            else_=london_minute(Destruction.destroyed_at) + ", " + Destruction.destroyed_by_name,
        ),
        IMPORTED: literal(""),
    }
    extra = (
        cast(a.status, String),
        a.last_day,
        exists()
        .where(Renewal.application_id == a.id, cast(Renewal.status, String).in_(PENDING))
        .correlate(Application),
        Destruction.id.is_not(None),
        Cancellation.id.is_not(None),
        Cancellation.after_lapse,
        func.substr(london_minute(g.decided_at), 1, 10),
        func.substr(london_minute(lh.decided_at), 1, 10),
        func.substr(london_minute(a.updated_at), 1, 10),
        case((a.imported_from.is_not(None), cast(a.imported, Text))),
        a.imported_from,
        func.substr(london_minute(a.imported_at), 1, 10),
        case((not_(has_offence_list(dialect)), cast(snapshot, Text))),
    )
    columns = [values[c.header].label(f"c{i}") for i, c in enumerate(AUTHORISATION_COLUMNS)]
    return (
        select(*columns, *(e.label(name) for e, name in zip(extra, _EXTRA, strict=True)))
        .select_from(found)
        .join(a, a.id == found.c.id)
        .join(User, User.id == a.officer_id)
        .outerjoin(g, g.id == found.c.grant_id)
        .outerjoin(gh, gh.id == found.c.grant_hearing_id)
        .outerjoin(lh, lh.id == found.c.last_hearing_id)
        .outerjoin(Cancellation, Cancellation.application_id == a.id)
        .outerjoin(Destruction, Destruction.application_id == a.id)
        .order_by(a.id)
    )


_HEADERS = [c.header for c in AUTHORISATION_COLUMNS]
_AT = {header: i for i, header in enumerate(_HEADERS)}
_OURS = [h in _OURS_FOR_IMPORTED for h in _HEADERS]
_WIDTH = len(_HEADERS)
_TYPE, _STATUS, _OFFENCE = _AT["Type of authorisation (item 1)"], _AT["Status"], _AT["Offence"]
_LAPSED, _KEPT = _AT["Lapsed before cancellation"], _AT["Record kept until at least"]
_IMPORTED = _AT[IMPORTED]


class _Finish:
    """What Python adds to an SQL row: the rules of the law, with the same day asked once."""

    def __init__(self, retention_years: int, today: date):
        self.years, self.today = retention_years, today
        self.kept: dict[date, str] = {}
        self.days: dict[str, date] = {}

    def day(self, text: str | None) -> date | None:
        if not text:
            return None
        found = self.days.get(text)
        if found is None:
            found = self.days[text] = date.fromisoformat(text)
        return found

    def __call__(self, sql_row) -> list[str]:
        row = list(sql_row[:_WIDTH])
        (
            stored,
            last_day,
            pending,
            destroyed,
            cancelled,
            after_lapse,
            refused_on,
            last_heard_on,
            updated_on,
            imported,
            imported_from,
            imported_on,
            old_snapshot,
        ) = sql_row[_WIDTH:]
        last = self.day(last_day) if isinstance(last_day, str) else last_day
        row[_TYPE] = TYPE_OF_AUTHORISATION
        row[_STATUS] = shown_status(
            stored,
            self.today,
            last,
            renewal_pending=stored == "active" and bool(pending),
            destroyed=bool(destroyed),
        ).title
        if cancelled:
            row[_LAPSED] = "Yes" if after_lapse else "No"
        elif stored == "active" and shown_status(stored, self.today, last) == Shown.LAPSED:
            row[_LAPSED] = "Yes"
        items = json.loads(imported) if imported else None
        ended = central_record.day_ended(
            stored,
            self.day(row[_AT["Date of cancellation (item 10)"]]),
            items,
            self.day(refused_on),
            self.day(last_heard_on),
            self.day(updated_on),
        )
        if ended is not None:
            kept = self.kept.get(ended)
            if kept is None:
                kept = self.kept[ended] = periods.retention_until(ended, self.years).isoformat()
            row[_KEPT] = kept
        if old_snapshot:
            row[_OFFENCE] = _old_offence(json.loads(old_snapshot))
        if imported_from:
            row[_IMPORTED] = f"Imported from {imported_from}" + (
                f" on {periods.long_date(self.day(imported_on))}" if imported_on else ""
            )
            given = (items or {}).get("items") or {}
            row = [
                value if ours else (given.get(header) or value)
                for header, ours, value in zip(_HEADERS, _OURS, row, strict=True)
            ]
        return row


def _old_offence(snapshot: dict) -> str:
    """The one offence of a snapshot from before migration 0016 (Application.offences_named),
    as extract_columns._offence writes it."""
    if not snapshot:
        return ""
    text = f"{snapshot.get('title', '')} ({snapshot.get('citation', '')})"
    if "max_custodial_months" in snapshot:
        maximum = describe_maximum(snapshot["max_custodial_months"])
        if maximum:
            text += f", maximum: {maximum[0].lower()}{maximum[1:]}"
    return f"{text}: meets the crime threshold"


def authorisation_rows(
    session: Session, filters: Filters, retention_years: int, today: date
) -> Iterator[list[str]]:
    """Every entry's row of the Authorisations sheet (and of the CSV), in id order."""
    query = authorisation_query(session.get_bind().dialect.name, filters)
    finish = _Finish(retention_years, today)
    # Plain rows from the connection: no ORM entities, and a server-side cursor on PostgreSQL.
    rows = session.connection().execute(query.execution_options(yield_per=BATCH))
    for row in rows:
        yield finish(row)
