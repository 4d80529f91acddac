"""The extract as a workbook: a sheet for each part of the central record (Code para 8.1),
with real dates, a filter on each header row and the header row frozen.

The rows come from SQL (extract_rows.py, extract_sheets.py, extract_looks.py) as the extract
writes them; here they only become cells. openpyxl's write-only mode streams each sheet to
disk, so memory stays flat with the size of the register.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from itertools import chain

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from sqlalchemy.orm import Session

from ripa_guard.applications.offences import Offence
from ripa_guard.register import central_record, extract_looks, extract_rows, extract_sheets
from ripa_guard.register.central_record import Filters
from ripa_guard.register.extract_columns import (
    AUTHORISATION_COLUMNS,
    CANCELLATION_HEADERS,
    HEARING_HEADERS,
    RENEWAL_HEADERS,
    REVIEW_HEADERS,
    threshold_stop_row,
)
from ripa_guard.viewing import capture_extract

#: What a spreadsheet would read as the start of a formula (extract_columns._safe).
UNSAFE = frozenset("=+-@\t\r")


def record_sheets(
    session: Session,
    filters: Filters,
    retention_years: int,
    today: date,
    offences: Mapping[str, Offence] | None = None,
) -> list[tuple[str, tuple[str, ...], Iterable[list], list[int] | None]]:
    """The central record's sheets, in the order the workbook has them: each a title, its
    headers, its rows (read only when the sheet is written) and its column widths (None for
    widths from the headers). A part of the record with a sheet of its own goes here."""
    stops = (
        threshold_stop_row(stop)
        for stop in central_record.iter_threshold_stops(session, filters, offences or {})
    )
    return [
        (
            "Authorisations",
            tuple(c.header for c in AUTHORISATION_COLUMNS),
            chain(extract_rows.authorisation_rows(session, filters, retention_years, today), stops),
            [c.width for c in AUTHORISATION_COLUMNS],
        ),
        ("Reviews", REVIEW_HEADERS, extract_sheets.review_rows(session, filters), None),
        ("Renewals", RENEWAL_HEADERS, extract_sheets.renewal_rows(session, filters), None),
        ("Court hearings", HEARING_HEADERS, extract_sheets.hearing_rows(session, filters), None),
        (
            "Cancellations",
            CANCELLATION_HEADERS,
            extract_sheets.cancellation_rows(session, filters),
            None,
        ),
        (
            "Viewing log",
            extract_looks.VIEWING_HEADERS,
            extract_looks.viewing_rows(session, filters),
            extract_looks.VIEWING_WIDTHS,
        ),
        # The captured material register (issue 16): its own module keeps its rows.
        (
            capture_extract.SHEET,
            capture_extract.HEADERS,
            capture_extract.rows(session, filters.period, today),
            None,
        ),
    ]


def write_xlsx(
    target,
    session: Session,
    filters: Filters,
    retention_years: int,
    today: date,
    extra_sheets=(),
    offences: Mapping[str, Offence] | None = None,
) -> None:
    """The extract as a workbook: the record's sheets (record_sheets), then `extra_sheets`,
    each (title, headers, rows), such as the annual return. Each sheet's query runs only when
    the sheet before it is written, as a write-only workbook is written a sheet at a time."""
    workbook = Workbook(write_only=True)
    sheets = record_sheets(session, filters, retention_years, today, offences)
    for title, headers, rows, widths in sheets:
        _sheets(workbook, title, headers, rows, widths)
    for title, headers, rows in extra_sheets:
        _sheets(workbook, title, headers, rows)
    workbook.save(target)


#: Rows a worksheet holds in Excel and LibreOffice, less the header row.
SHEET_ROWS = 1_048_576 - 1

#: Columns of dates and times, on every sheet: in the workbook they are real dates a
#: spreadsheet sorts and filters, shown the GOV.UK way; the CSV keeps them as ISO text.
DATE_HEADERS = frozenset(
    {
        "Submitted",
        "Date authorised (item 2)",
        "Court: hearing date (item 11)",
        "Court: date and time of decision (item 11)",
        "Took effect",
        "Last day",
        "Date of cancellation (item 10)",
        "Record kept until at least",
        "Review date",
        "Due on",
        "Asked for",
        "Renewed period from",
        "Renewed period to",
        "Date authorised",
        "Date and time of court decision",
        "Date of cancellation",
        "Told to stop at",
        "Hearing date",
        "Date and time of decision",
        "When",
    }
)
DAY_FORMAT = "d mmm yyyy"
MOMENT_FORMAT = "d mmm yyyy hh:mm"


def _when(value):
    """A date (_d) or a London time to the minute (_dt) as the extract writes them, with its
    format, or None for anything else: an imported entry keeps dates as the council's file
    gave them."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value), DAY_FORMAT
        if len(value) == 16 and value[10] == " ":
            return datetime.fromisoformat(value), MOMENT_FORMAT
    except ValueError:
        return None
    return None


class _Styles:
    """The two date formats, made once per workbook: a cell then takes a copy of one, instead
    of looking its number format up cell by cell."""

    def __init__(self, sheet):
        self.arrays = {}
        for number_format in (DAY_FORMAT, MOMENT_FORMAT):
            cell = WriteOnlyCell(sheet)
            cell.number_format = number_format
            self.arrays[number_format] = cell._style


def _cells(sheet, styles: _Styles, dated: list[bool], row: list) -> list:
    """A row for the workbook: dates in date columns as real dates, text made safe, and
    nothing at all for an empty cell (openpyxl writes no element for None)."""
    cells = []
    for is_date, value in zip(dated, row, strict=False):
        if value is None or value == "":
            cells.append(None)
        elif not isinstance(value, str):
            cells.append(value)
        elif is_date and (when := _when(value)) is not None:
            cells.append(Cell(sheet, 1, 1, when[0], styles.arrays[when[1]]))
        elif value[0] in UNSAFE:
            cells.append("'" + value)
        else:
            cells.append(value)
    return cells


def _filter_header(sheet, headers: list[str], rows: int) -> None:
    """A filter on the header row over every row written, so each column can be sorted and
    filtered in the spreadsheet; the header row is frozen (_header)."""
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{rows + 1}"


def _sheets(workbook, title, headers, rows: Iterable[list], widths=None) -> None:
    """Write `rows` under `headers` on a sheet called `title`, going on to "title (2)" and so on
    whenever a sheet is full: a large council's viewing log has more rows than one sheet holds,
    and a spreadsheet program would drop the rest without a word."""
    headers = list(headers)
    widths = widths or [max(12, min(40, len(h) + 2)) for h in headers]
    dated = [h in DATE_HEADERS for h in headers]
    sheet, used, number, styles = None, SHEET_ROWS, 0, None
    for row in rows:
        if used == SHEET_ROWS:
            if sheet is not None:
                _filter_header(sheet, headers, used)
            number += 1
            sheet = workbook.create_sheet(title if number == 1 else f"{title} ({number})")
            _header(sheet, headers, widths)
            styles, used = _Styles(sheet), 0
        sheet.append(_cells(sheet, styles, dated, row))
        used += 1
    if sheet is None:
        sheet, used = workbook.create_sheet(title), 0
        _header(sheet, headers, widths)
    _filter_header(sheet, headers, used)


def _header(sheet, headers: list[str], widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    sheet.append(cells)
