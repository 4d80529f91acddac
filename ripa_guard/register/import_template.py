"""The spreadsheet a council fills in to import its earlier central record: the extract's
headers (import_file.ITEMS), one invented example row to delete, and how to fill in each column.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from ripa_guard.register.import_file import (
    AUTHORISED_BY,
    CANCELLED_ON,
    CONFIDENTIAL,
    COURT_DECIDED,
    DATE_AUTHORISED,
    DATES,
    DESCRIPTION,
    DIRECTLY_INVOLVED,
    HEARING_DATE,
    ITEMS,
    KNOWN_STATUSES,
    LAST_DAY,
    REVIEW_DAYS,
    STATUS,
    SUBJECTS,
    SUBMITTED,
    TITLE,
    TOOK_EFFECT,
    TYPE,
    URN,
    YES_NO,
)

_EXAMPLE_ROW = {
    URN: "EXAMPLE/2025/0001 (delete this row)",
    TYPE: "Directed surveillance (RIPA 2000 s.28)",
    STATUS: "Cancelled",
    TITLE: "Counterfeit goods sold online from Ambridge (invented example)",
    DESCRIPTION: "Repeated viewing of a seller's public marketplace listings",
    SUBJECTS: "The seller using the name 'Borchester Bargains'",
    SUBMITTED: "2025-03-03",
    DATE_AUTHORISED: "2025-03-05",
    AUTHORISED_BY: "Pat Example, Head of Trading Standards",
    DIRECTLY_INVOLVED: "No",
    CONFIDENTIAL: "No",
    HEARING_DATE: "2025-03-07",
    COURT_DECIDED: "2025-03-07 10:30",
    TOOK_EFFECT: "2025-03-07",
    LAST_DAY: "2025-06-06",
    REVIEW_DAYS: "28",
    CANCELLED_ON: "2025-05-02",
}


def write_template(target) -> None:
    """An empty record with the extract's headers, one invented example row, and how to fill
    each column in on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Authorisations"
    sheet.append(list(ITEMS))
    sheet.append([_EXAMPLE_ROW.get(item, "") for item in ITEMS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="B10E1E")
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("How to fill it in")
    notes.append(["Column", "What to enter"])
    for item in ITEMS:
        notes.append([item, _how(item)])
    workbook.save(target)


def _how(item: str) -> str:
    if item == URN:
        return "Required. The council's own reference, kept as it is. Row 2 is an invented example: delete it."
    if item == STATUS:
        return f"Required. One of: {KNOWN_STATUSES}."
    if item == TITLE:
        return "Required."
    if item in DATES:
        return "A date: 2026-01-31 or 31/01/2026 (a date and time: 2026-01-31 14:05)."
    if item in YES_NO:
        return "Yes or No."
    if item == SUBJECTS:
        return "Names of the subjects if known, separated by ;"
    if item == REVIEW_DAYS:
        return "Days between reviews, a whole number."
    return "Text, as the council recorded it."
