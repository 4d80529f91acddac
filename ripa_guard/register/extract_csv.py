"""The extract as CSV: the Authorisations rows (extract_rows.py, built in SQL), then the plans
stopped at the crime threshold, streamed as text for a response or a file. Every column names
the Code of Practice item it answers (Code para 8.1); a cell that a spreadsheet would read as a
formula is made text (extract_columns._safe)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import date

from sqlalchemy.orm import Session

from ripa_guard.applications.offences import Offence
from ripa_guard.register import central_record, extract_rows
from ripa_guard.register.central_record import Filters
from ripa_guard.register.extract_columns import AUTHORISATION_COLUMNS, threshold_stop_row

#: Rows written before the text is handed on: a chunk per row cost more than the row.
ROWS_PER_CHUNK = 200

#: What a spreadsheet would read as the start of a formula (CSV injection).
UNSAFE = frozenset("=+-@\t\r")


def csv_chunks(
    session: Session,
    filters: Filters,
    retention_years: int,
    today: date,
    offences: Mapping[str, Offence] | None = None,
) -> Iterator[str]:
    """The extract as CSV text, a few rows at a time, for a streamed response or a file.

    The session is closed when the rows run out or the reader stops early: a streamed
    response outlives the request, and an open transaction would hold its locks.
    """
    try:
        yield from _csv_rows(session, filters, retention_years, today, offences or {})
    finally:
        session.close()


def _csv_rows(
    session: Session,
    filters: Filters,
    retention_years: int,
    today: date,
    offences: Mapping[str, Offence],
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([c.header for c in AUTHORISATION_COLUMNS])
    yield flush()
    written = 0
    for row in extract_rows.authorisation_rows(session, filters, retention_years, today):
        writer.writerow([("'" + v) if v and v[0] in UNSAFE else v for v in row])
        written += 1
        if written % ROWS_PER_CHUNK == 0:
            yield flush()
    for stop in central_record.iter_threshold_stops(session, filters, offences):
        writer.writerow(
            [("'" + v) if v and v[0] in UNSAFE else v for v in threshold_stop_row(stop)]
        )
    yield flush()
