"""Extracts of the central record for the commissioners: CSV, XLSX and the rows behind them.

Each column names the Code of Practice item it answers (Code para 8.1; DOMAIN.md §7), so an
inspector can see that every item is there. The work is split by job:

- extract_columns.py: the columns and their headers, and an entry's row worked out in Python
  (the printed extract, the import's headers, and the reference the SQL rows are tested on);
- extract_sql.py, extract_rows.py, extract_sheets.py, extract_looks.py: each sheet's rows built
  in SQL as the extract writes them, streamed in constant memory;
- extract_csv.py and extract_xlsx.py: the two files.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.core import audit
from ripa_guard.core.changes import commit
from ripa_guard.register.central_record import Filters
from ripa_guard.register.extract_columns import (  # noqa: F401 (the extract's public names)
    AUTHORISATION_COLUMNS,
    CANCELLATION_HEADERS,
    HEARING_HEADERS,
    IMPORTED,
    RENEWAL_HEADERS,
    REVIEW_HEADERS,
    WHY_NOT_MADE,
    Column,
    authorisation_row,
    entries,
    threshold_stop_row,
)
from ripa_guard.register.extract_csv import csv_chunks  # noqa: F401
from ripa_guard.register.extract_looks import VIEWING_HEADERS, viewing_rows  # noqa: F401
from ripa_guard.register.extract_xlsx import (  # noqa: F401
    DATE_HEADERS,
    _header,
    record_sheets,
    write_xlsx,
)


def record_extract_taken(session: Session, actor: User, kind: str, filters: Filters) -> None:
    """Who took which extract is itself part of the record of oversight: an audit event."""
    audit.record(
        session,
        actor,
        f"register.extract_{kind}",
        "register",
        None,
        period=[str(d) for d in (filters.period or ())],
        search=filters.search,
    )
    commit(session)
