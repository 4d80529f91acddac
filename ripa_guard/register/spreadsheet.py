"""Reading a spreadsheet a council gives: CSV (UTF-8) or an Excel workbook (.xlsx), as its
header row and rows, with a clear message for any file that cannot be read, never an error.
No database, and nothing worked out: a formula stays its text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl import load_workbook

from ripa_guard.core.fields import clean_text

# Limits: a file larger than these is refused with a message, never read into memory whole.
MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200


class FileProblem(Exception):
    """The file cannot be read at all; the message says why and what to do."""


@dataclass
class Table:
    headers: list[str]
    #: Each row with its number in the spreadsheet (the header row is 1).
    rows: list[tuple[int, list]]


def read_table(data: bytes, filename: str = "") -> Table:
    """The file's header row and rows, from CSV (UTF-8) or an Excel workbook (.xlsx)."""
    if not data.strip():
        raise FileProblem("The file is empty.")
    if len(data) > MAX_BYTES:
        raise FileProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV."
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileProblem("The file is called .xlsx but is not an Excel workbook.")
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096]:
        raise FileProblem("The file is not a spreadsheet: upload a CSV or an Excel (.xlsx) file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            "The file is not UTF-8 text. In your spreadsheet, save it as "
            '"CSV UTF-8 (comma delimited)", or as an Excel workbook (.xlsx), and upload that.'
        ) from error
    # The header row tells the separator: a comma, or the semicolon or tab some spreadsheets
    # save with. csv.Sniffer guesses quoting too, and guessed wrong on cells with line breaks.
    first = text.partition("\n")[0]
    delimiter = max(",;\t", key=first.count)
    try:
        return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileProblem(f"The file could not be read as CSV: {error}.") from error


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile as error:
        raise FileProblem("The file could not be read as an Excel workbook.") from error
    if "xl/workbook.xml" not in names:
        raise FileProblem("The file is not an Excel workbook: upload a .xlsx or a CSV file.")
    if unzipped > MAX_UNZIPPED_BYTES:
        raise FileProblem("The workbook is too large once opened: split it.")
    try:
        # Formulas are read as their text, never worked out: a cell "=HYPERLINK(...)" is that.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileProblem("The file could not be read as an Excel workbook.") from error
    try:
        sheet = (
            workbook["Authorisations"]
            if "Authorisations" in workbook.sheetnames
            else workbook.worksheets[0]
        )
        if (sheet.max_row or 0) > 2 * MAX_ROWS:
            raise FileProblem(f"The sheet has more than {MAX_ROWS:,} rows: split it.")
        # No more columns than an import reads: a sheet can claim 16,384 of them.
        return _table(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except FileProblem:
        raise
    except Exception as error:
        raise FileProblem("The workbook's first sheet could not be read.") from error
    finally:
        workbook.close()


def _table(rows: Iterable) -> Table:
    headers: list[str] | None = None
    found: list[tuple[int, list]] = []
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        if not any(_blank(c) is False for c in cells):
            continue
        if headers is None:
            headers = [_header(c) for c in cells[:MAX_COLUMNS]]
            continue
        if len(found) >= MAX_ROWS:
            raise FileProblem(f"The file has more than {MAX_ROWS:,} rows: split it.")
        found.append((number, cells[: len(headers)]))
    if headers is None:
        raise FileProblem("The file has no header row.")
    return Table(headers, found)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header(value) -> str:
    return " ".join(text_of(value).split())


def text_of(value) -> str:
    """A cell as text, as the council wrote it. A formula stays its text; the quote an
    extract puts before = + - @ (extracts._safe) is taken off again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time.min else _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str | int | float):
        value = getattr(value, "text", None) or str(value)  # an array formula and the like
    text = clean_text(str(value))
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")
