"""The extract as it was built before its rows came from SQL: each entry loaded whole and every
column worked out in Python. Kept as the reference the SQL-built rows are compared with."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ripa_guard.law.decision_rules import ELEMENTS
from ripa_guard.register import central_record
from ripa_guard.register.central_record import Entry
from ripa_guard.register.extract_columns import (
    AUTHORISATION_COLUMNS,
    _acting,
    _d,
    _dt,
    _person,
    _safe,
    _yes,
    authorisation_row,
    entries,
    threshold_stop_row,
)


def review_rows(entry: Entry) -> Iterator[list[str]]:
    for r in entry.application.reviews:
        yield [
            entry.application.urn,
            _d(r.reviewed_on),
            _d(r.due_on),
            r.reviewed_by_name,
            r.outcome.value,
            r.reasons,
            str(r.next_interval_days or ""),
        ]


def renewal_rows(entry: Entry) -> Iterator[list[str]]:
    for r in entry.application.renewals:
        d, h = entry.renewal_decision(r), entry.renewal_hearing(r)
        yield [
            entry.application.urn,
            str(r.number),
            _dt(r.requested_at),
            r.status.title,
            _d(r.starts_on),
            _d(r.ends_on),
            _person(d),
            _dt(d.decided_at) if d else "",
            *(getattr(d, element.name) if d else "" for element in ELEMENTS),
            h.court if h else "",
            h.magistrate if h else "",
            h.outcome.title if h else "",
            _dt(h.decided_at) if h else "",
        ]


def cancellation_rows(entry: Entry) -> Iterator[list[str]]:
    c = entry.application.cancellation
    if c:
        yield [
            entry.application.urn,
            _d(c.cancelled_on),
            f"{c.cancelled_by_name}, {c.cancelled_by_grade}",
            _dt(c.stop_instructed_at),
            c.reason,
            c.obtained,
            c.handling,
            _yes(c.after_lapse),
            _acting(c),
        ]


def hearing_rows(entry: Entry) -> Iterator[list[str]]:
    for h in entry.application.hearings:
        renewal = next((r for r in entry.application.renewals if r.id == h.renewal_id), None)
        yield [
            entry.application.urn,
            f"Renewal {renewal.number}" if renewal else "Grant",
            h.court,
            _d(h.hearing_date),
            h.magistrate,
            h.outcome.title,
            _dt(h.decided_at),
        ]


def sheets(session, filters, retention_years, today) -> dict[str, list[list[str]]]:
    """Every sheet of the record built from whole entries, by the name of the SQL function."""
    found = {name: [] for name in ("authorisation", "review", "renewal", "hearing", "cancellation")}
    for entry in entries(session, filters, retention_years, today):
        found["authorisation"].append(authorisation_row(entry))
        found["review"] += review_rows(entry)
        found["renewal"] += renewal_rows(entry)
        found["hearing"] += hearing_rows(entry)
        found["cancellation"] += cancellation_rows(entry)
    return found


def csv_text(session, filters, retention_years, today, offences) -> str:
    """The whole CSV extract as the Python-built path wrote it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in AUTHORISATION_COLUMNS])
    for entry in entries(session, filters, retention_years, today):
        writer.writerow([_safe(v) for v in authorisation_row(entry)])
    for stop in central_record.iter_threshold_stops(session, filters, offences):
        writer.writerow([_safe(v) for v in threshold_stop_row(stop)])
    return out.getvalue()
