"""The central record's extract columns, each naming the Code of Practice item it answers
(Code para 8.1; DOMAIN.md §7), and an entry's row worked out in Python from its objects.

The CSV and the workbook build the same rows in SQL (extract_rows.py); this module is what the
printed extract shows, what the import reads its headers from, and what the tests compare the
SQL rows against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from ripa_guard.core.clock import LONDON
from ripa_guard.law.decision_rules import ELEMENTS
from ripa_guard.register import central_record
from ripa_guard.register.central_record import (
    NOT_MADE,
    TYPE_OF_AUTHORISATION,
    Entry,
    Filters,
    NotMade,
)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _dt(value: datetime | None) -> str:
    return value.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: ""}[value]


def _person(decision) -> str:
    return f"{decision.decided_by_name}, {decision.decided_by_grade}" if decision else ""


def _reviews(e: Entry) -> str:
    return "; ".join(
        f"{_d(r.reviewed_on)}: {r.outcome.value} ({r.reviewed_by_name})"
        for r in e.application.reviews
    )


def _renewals(e: Entry) -> str:
    parts = []
    for r in e.application.renewals:
        decision, hearing = e.renewal_decision(r), e.renewal_hearing(r)
        text = f"Renewal {r.number}: {r.status.title.lower()}"
        if decision:
            text += f"; authorising officer {_person(decision)} on {_dt(decision.decided_at)}"
        if hearing:
            text += f"; {hearing.court}, {hearing.magistrate}, {hearing.outcome.title.lower()} at {_dt(hearing.decided_at)}"
        if r.status.value == "approved":
            text += f"; period {_d(r.starts_on)} to {_d(r.ends_on)}"
        parts.append(text)
    return " | ".join(parts)


def _acting(c) -> str:
    """Whom the canceller acted for, and why, when it was not the grantor (RIPA s.45(4))."""
    if c is None or not c.acting_for_name:
        return ""
    return f"Acting for {c.acting_for_name}, no longer available: {c.acting_reason}"


def _cancelled_by(c) -> str:
    if c is None:
        return ""
    acting = _acting(c)
    return f"{c.cancelled_by_name}, {c.cancelled_by_grade}" + (f". {acting}" if acting else "")


def _hearings(e: Entry) -> str:
    return " | ".join(
        f"{'Renewal' if h.renewal_id else 'Grant'}: {h.court}, heard {_d(h.hearing_date)}, "
        f"{h.magistrate}, {h.outcome.title.lower()} at {_dt(h.decided_at)}"
        for h in e.application.hearings
    )


def _subjects(e: Entry) -> str:
    return "; ".join(s.name for s in e.application.subjects)


def _offence(e: Entry) -> str:
    """Every offence named, with its section and maximum, and whether it meets the crime
    threshold: one that does suffices (SI 2010/521 art. 7A(2)-(3))."""
    parts = []
    for o in e.application.offences_named:
        text = f"{o.get('title', '')} ({o.get('citation', '')})"
        if o.get("maximum"):
            text += f", maximum: {o['maximum'][0].lower()}{o['maximum'][1:]}"
        verdict = "meets the crime threshold" if o.get("meets") else "does not meet it"
        parts.append(f"{text}: {verdict}")
    return " | ".join(parts)


#: Filled only for a plan stopped at the crime threshold (central_record.NotMade.why).
WHY_NOT_MADE = "Why no application could be made"
#: Filled only for an entry imported from the council's earlier record (register/importing.py).
IMPORTED = "Imported from (file, date)"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Entry], str]
    width: int = 18


#: One row per authorisation; the numbers are the items of the Code's list (DOMAIN.md §7).
AUTHORISATION_COLUMNS: tuple[Column, ...] = (
    Column("URN (item 4)", lambda e: e.application.urn or "", 16),
    Column("Type of authorisation (item 1)", lambda e: TYPE_OF_AUTHORISATION, 26),
    Column("Status", lambda e: e.status, 16),
    Column("Title of the investigation (item 5)", lambda e: e.application.investigation_title, 36),
    Column("Brief description (item 5)", lambda e: e.application.answers.get("summary", ""), 50),
    Column("Subjects (item 5)", _subjects, 30),
    Column("Offence", _offence, 36),
    Column(
        "Crime threshold basis",
        lambda e: (e.application.offence_snapshot or {}).get("threshold_basis") or "",
        20,
    ),
    Column(WHY_NOT_MADE, lambda e: "", 50),
    Column(
        "Applicant", lambda e: f"{e.application.officer.name}, {e.application.officer.grade}", 26
    ),
    Column("Service", lambda e: e.application.officer.service, 20),
    Column("Submitted", lambda e: _dt(e.application.submitted_at), 17),
    Column(
        "Authorising officer's decision", lambda e: e.grant.decision.value if e.grant else "", 14
    ),
    Column(
        "Date authorised (item 2)",
        lambda e: _dt(e.approved_by.decided_at) if e.approved_by else "",
        17,
    ),
    Column(
        "Authorising officer, name and grade (item 3)",
        lambda e: _person(e.approved_by or e.grant),
        30,
    ),
    Column(
        "Authorising officer directly involved (item 9)",
        lambda e: _yes(e.grant.directly_involved) if e.grant else "",
        14,
    ),
    *(
        Column(
            f"Authorising officer's own words: {element.title}",
            lambda e, name=element.name: getattr(e.approved_by, name) if e.approved_by else "",
            50,
        )
        for element in ELEMENTS
    ),
    Column(
        "Confidential or privileged information likely (item 8)",
        lambda e: _yes(e.application.confidential_likely),
        14,
    ),
    Column(
        "Court: hearing date (item 11)",
        lambda e: _d(e.grant_hearing.hearing_date) if e.grant_hearing else "",
        14,
    ),
    Column(
        "Court: court (item 11)", lambda e: e.grant_hearing.court if e.grant_hearing else "", 24
    ),
    Column(
        "Court: magistrate (item 11)",
        lambda e: e.grant_hearing.magistrate if e.grant_hearing else "",
        20,
    ),
    Column(
        "Court: decision (item 11)",
        lambda e: e.grant_hearing.outcome.title if e.grant_hearing else "",
        18,
    ),
    Column(
        "Court: date and time of decision (item 11)",
        lambda e: _dt(e.grant_hearing.decided_at) if e.grant_hearing else "",
        17,
    ),
    Column("Took effect", lambda e: _d(e.application.takes_effect), 12),
    Column("Last day", lambda e: _d(e.application.last_day), 12),
    Column(
        "Review frequency in days (item 6)",
        lambda e: str(e.application.review_interval_days or ""),
        12,
    ),
    Column("Reviews: date and result (item 6)", _reviews, 40),
    Column("Renewals: when, who, court (item 7)", _renewals, 50),
    Column("All court attendances (item 11)", _hearings, 50),
    Column("Date of cancellation (item 10)", lambda e: _d(e.application.cancelled_on), 14),
    Column(
        "Reason for cancellation",
        lambda e: e.application.cancellation.reason if e.application.cancellation else "",
        40,
    ),
    Column(
        "Cancelled by, acting for the grantor (RIPA s.45(4))",
        lambda e: _cancelled_by(e.application.cancellation),
        40,
    ),
    Column(
        "Lapsed before cancellation",
        lambda e: (
            _yes(e.application.cancellation.after_lapse)
            if e.application.cancellation
            else ("Yes" if e.application.is_lapsed(e.today) else "")
        ),
        12,
    ),
    Column("Record kept until at least", lambda e: _d(e.destroy_after), 14),
    Column("Details destroyed (when, by whom)", lambda e: _destroyed(e), 20),
    Column(IMPORTED, lambda e: e.imported_note, 30),
)

#: Worked out by ripa_guard even for an imported entry, whatever the file said.
_OURS_FOR_IMPORTED = {"URN (item 4)", "Status", IMPORTED}


def _destroyed(e: Entry) -> str:
    d = e.application.destruction
    return f"{_dt(d.destroyed_at)}, {d.destroyed_by_name}" if d else ""


def authorisation_row(entry: Entry) -> list[str]:
    """An entry's row. An imported entry's decisions, hearings, reviews and cancellation are kept
    only as the council's file gave them, so those items come from the file."""
    row = [c.value(entry) for c in AUTHORISATION_COLUMNS]
    if not entry.application.imported_from:
        return row
    items = entry.imported_items
    return [
        value if c.header in _OURS_FOR_IMPORTED else (items.get(c.header) or value)
        for c, value in zip(AUTHORISATION_COLUMNS, row, strict=True)
    ]


def authorisation_rows(entries: Iterable[Entry]) -> Iterator[list[str]]:
    for entry in entries:
        yield authorisation_row(entry)


def threshold_stop_row(stop: NotMade) -> list[str]:
    """A plan stopped at the threshold, laid out in the authorisation columns it can fill."""
    triage = stop.triage
    values = {
        "URN (item 4)": stop.reference,
        "Type of authorisation (item 1)": NOT_MADE,
        "Status": "Crime threshold not met",
        "Title of the investigation (item 5)": triage.title,
        "Offence": stop.offence,
        WHY_NOT_MADE: stop.why,
        "Applicant": f"{triage.officer.name}, {triage.officer.grade}",
        "Service": triage.officer.service,
        "Submitted": _dt(triage.completed_at),
    }
    return [values.get(c.header, "") for c in AUTHORISATION_COLUMNS]


REVIEW_HEADERS = (
    "URN",
    "Review date",
    "Due on",
    "Reviewed by",
    "Result",
    "Reasons",
    "Next review in days",
)
RENEWAL_HEADERS = (
    "URN",
    "Renewal",
    "Asked for",
    "Status",
    "Renewed period from",
    "Renewed period to",
    "Authorising officer, name and grade",
    "Date authorised",
    *(f"Authorising officer's own words: {element.title}" for element in ELEMENTS),
    "Court",
    "Magistrate",
    "Court decision",
    "Date and time of court decision",
)
CANCELLATION_HEADERS = (
    "URN",
    "Date of cancellation",
    "Cancelled by, name and grade",
    "Told to stop at",
    "Reason",
    "What was obtained",
    "What happens to it",
    "Lapsed before cancellation",
    "Acting for the grantor (RIPA s.45(4); SI 2000/2794 reg. 2)",
)
HEARING_HEADERS = (
    "URN",
    "For",
    "Court",
    "Hearing date",
    "Magistrate",
    "Decision",
    "Date and time of decision",
)


def entries(
    session: Session, filters: Filters, retention_years: int, today: date
) -> Iterator[Entry]:
    for application in central_record.iter_applications(session, filters):
        yield Entry(application, retention_years, today)


def _safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
