"""The extract as a workbook: a sheet for each part of the central record (Code para 8.1),
with real dates, a filter on each header row and the header row frozen.

The rows come from SQL (extract_rows.py, extract_sheets.py, extract_looks.py) as the extract
writes them, and go as rows of SpreadsheetML straight into the workbook's zip (sheet_xml.py),
so memory stays flat with the size of the register. openpyxl writes everything else: each
sheet's header, widths and filter, the styles, the workbook's sheet list.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain, islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from ripa_guard.applications.offences import Offence
from ripa_guard.register import (
    central_record,
    extract_looks,
    extract_rows,
    extract_sheets,
    sheet_xml,
)
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
    the sheet before it is written, and its rows go straight into the zip (sheet_xml), so
    memory stays flat however large the register."""
    sheets = record_sheets(session, filters, retention_years, today, offences)
    sheets += [(title, headers, rows, None) for title, headers, rows in extra_sheets]
    written: list[Written] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as archive:
        for title, headers, rows, widths in sheets:
            headers = list(headers)
            widths = widths or [max(12, min(40, len(h) + 2)) for h in headers]
            _write_sheets(archive, written, _Template(headers, widths), title, iter(rows))
        _write_package(archive, written)


#: Rows a worksheet holds in Excel and LibreOffice, less the header row.
SHEET_ROWS = 1_048_576 - 1

#: zlib's level 1: the workbook is about a quarter larger than at the default level 6, and
#: written in a third of the time; what a spreadsheet program reads is the same.
COMPRESSION = 1

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


@dataclass(frozen=True)
class Written:
    """A worksheet in the zip: its title, headers, widths and how many rows it has."""

    title: str
    headers: list[str]
    widths: list[int]
    rows: int
    styles: dict[str, int]


class _Styles:
    """The two date formats, registered in the workbook once, after the header's style, so
    that each has the same style id in every workbook this module makes (_Template, and the
    package written last)."""

    def __init__(self, sheet):
        self.ids = {}
        for number_format in (DAY_FORMAT, MOMENT_FORMAT):
            cell = WriteOnlyCell(sheet)
            cell.number_format = number_format
            self.ids[number_format] = cell.style_id


def _header_sheet(workbook, title: str, headers: list[str], widths: list[int], rows: int):
    """A sheet with only its header row, as openpyxl writes it: widths, the frozen header row,
    the filter over `rows` rows below it, and the date styles."""
    sheet = workbook.create_sheet(title)
    _header(sheet, headers, widths)
    styles = _Styles(sheet)
    _filter_header(sheet, headers, rows)
    return styles


class _Template:
    """A sheet's markup before and after its rows, cut from the one openpyxl writes for the
    header alone: the rows go between (sheet_xml.RowWriter), and the filter's range is set
    once the number of rows is known."""

    def __init__(self, headers: list[str], widths: list[int]):
        workbook = Workbook(write_only=True)
        styles = _header_sheet(workbook, "Sheet", headers, widths, 0)
        self.styles = styles.ids
        buffer = io.BytesIO()
        workbook.save(buffer)
        with zipfile.ZipFile(buffer) as made:
            xml = made.read("xl/worksheets/sheet1.xml").decode()
        end = xml.index("</sheetData>")
        self.head, self._tail = xml[:end].encode(), xml[end:]
        # The filter's range, wherever and however the serialiser (lxml or et_xmlfile) put it.
        self._before, self._after = _FILTER_REF.split(self._tail, maxsplit=1)
        self.headers, self.widths = headers, widths
        self.rows = sheet_xml.RowWriter(
            [h in DATE_HEADERS for h in headers],
            self.styles[DAY_FORMAT],
            self.styles[MOMENT_FORMAT],
        )

    def tail(self, rows: int) -> bytes:
        return (self._before + _filter_ref(self.headers, rows) + self._after).encode()


#: The value of the filter's range in a sheet's markup.
_FILTER_REF = re.compile(r'(?<=<autoFilter ref=")[^"]*')


def _write_sheets(archive, written: list[Written], template: _Template, title: str, rows):
    """Write `rows` on a sheet called `title`, going on to "title (2)" and so on whenever a
    sheet is full: a large council's viewing log has more rows than one sheet holds, and a
    spreadsheet program would drop the rest without a word."""
    number = 0
    while True:
        number += 1
        name = f"xl/worksheets/sheet{len(written) + 1}.xml"
        with archive.open(name, "w") as out:
            out.write(template.head)
            count = _write_rows(out, template.rows, islice(rows, SHEET_ROWS))
            out.write(template.tail(count))
        sheet_title = title if number == 1 else f"{title} ({number})"
        written.append(
            Written(sheet_title, template.headers, template.widths, count, template.styles)
        )
        if count < SHEET_ROWS or (following := next(rows, None)) is None:
            return
        rows = chain([following], rows)


def _write_rows(out, writer: sheet_xml.RowWriter, rows, batch: int = 500) -> int:
    """Each row below the header (row 2 onwards), `batch` rows to a write; how many."""
    count, pending = 0, []
    for count, row in enumerate(rows, start=1):
        pending.append(writer.row(count + 1, row))
        if len(pending) == batch:
            out.write("".join(pending).encode())
            pending = []
    if pending:
        out.write("".join(pending).encode())
    return count


def _write_package(archive, written: list[Written]) -> None:
    """Every part of the workbook but the sheets' rows, as openpyxl writes them for sheets of
    the same titles, headers and row counts: the workbook and its sheet list, the styles, the
    filters' defined names, the document properties."""
    workbook = Workbook(write_only=True)
    for sheet in written:
        styles = _header_sheet(workbook, sheet.title, sheet.headers, sheet.widths, sheet.rows)
        if styles.ids != sheet.styles:  # the rows' date cells name these ids
            raise RuntimeError(f"openpyxl gave the date styles other ids: {styles.ids}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheets = {f"xl/worksheets/sheet{n}.xml" for n in range(1, len(written) + 1)}
    with zipfile.ZipFile(buffer) as made:
        names = made.namelist()
        if sheets - set(names):
            raise RuntimeError("openpyxl named the worksheets differently from the rows written")
        for name in names:
            if name not in sheets:
                archive.writestr(made.getinfo(name), made.read(name))


def _filter_ref(headers: list[str], rows: int) -> str:
    return f"A1:{get_column_letter(len(headers))}{rows + 1}"


def _filter_header(sheet, headers: list[str], rows: int) -> None:
    """A filter on the header row over every row written, so each column can be sorted and
    filtered in the spreadsheet; the header row is frozen (_header)."""
    sheet.auto_filter.ref = _filter_ref(headers, rows)


def _header(sheet, headers: list[str], widths: list[int]) -> None:
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
