"""The workbook's rows, written as SpreadsheetML without openpyxl's cell objects: what a
spreadsheet program reads back must be what openpyxl would have written."""

import io
from datetime import date, datetime

import openpyxl

from ripa_guard.register.extract_xlsx import (
    DAY_FORMAT,
    MOMENT_FORMAT,
    _Template,
    _write_package,
    _write_sheets,
)

HEADERS = ["Case reference", "Date authorised", "Told to stop at", "Viewings", "Note"]


def _workbook(rows, headers=HEADERS):
    import zipfile

    buffer = io.BytesIO()
    written = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_sheets(
            archive, written, _Template(headers, [20] * len(headers)), "Sheet", iter(rows)
        )
        _write_package(archive, written)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)["Sheet"]


def test_dates_in_date_columns_are_real_dates_in_the_gov_uk_format():
    sheet = _workbook([["ABC/1", "2026-03-04", "2026-03-04 09:15", 3, "x"]])
    day, moment = sheet.cell(2, 2), sheet.cell(2, 3)
    assert day.value == datetime(2026, 3, 4) and day.number_format == DAY_FORMAT
    assert moment.value == datetime(2026, 3, 4, 9, 15) and moment.number_format == MOMENT_FORMAT
    assert sheet.cell(2, 4).value == 3


def test_a_date_outside_a_date_column_or_as_a_council_wrote_it_stays_text():
    sheet = _workbook([["2026-03-04", "4th March 2026", "2026-13-40", None, None]])
    assert [sheet.cell(2, c).value for c in (1, 2, 3)] == [
        "2026-03-04",
        "4th March 2026",
        "2026-13-40",
    ]


def test_text_a_spreadsheet_would_run_as_a_formula_is_shown_as_typed():
    sheet = _workbook([['=HYPERLINK("http://x")', None, None, None, "+44 20 7946 0000"]])
    assert sheet.cell(2, 1).value == '\'=HYPERLINK("http://x")'
    assert sheet.cell(2, 5).value == "'+44 20 7946 0000"
    assert sheet.cell(2, 1).data_type == "s"


def test_markup_characters_and_spaces_survive_and_characters_xml_cannot_carry_are_dropped():
    note = "  Tom & Jerry's <b>page</b> \x0b pasted\x01 from a document "
    sheet = _workbook([["A/1", None, None, None, note]])
    assert sheet.cell(2, 5).value == "  Tom & Jerry's <b>page</b>  pasted from a document "


def test_empty_cells_leave_the_rest_of_the_row_in_its_columns():
    sheet = _workbook([["A/1", "", None, 0, "last"]])
    assert [sheet.cell(2, c).value for c in range(1, 6)] == ["A/1", None, None, 0, "last"]


def test_numbers_booleans_and_python_dates_keep_their_types():
    sheet = _workbook([[1.5, date(2026, 1, 2), datetime(2026, 1, 2, 8, 30), True, 12]])
    assert sheet.cell(2, 1).value == 1.5
    assert sheet.cell(2, 2).value == datetime(2026, 1, 2)
    assert sheet.cell(2, 3).value == datetime(2026, 1, 2, 8, 30)
    assert sheet.cell(2, 4).value is True


def test_the_header_is_bold_frozen_and_filters_every_row_written():
    sheet = _workbook([["A/1", None, None, 1, None]] * 3)
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.cell(1, 1).font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    assert sheet.column_dimensions["A"].width == 20


def test_a_sheet_with_no_rows_still_has_its_header():
    sheet = _workbook([])
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:E1"
