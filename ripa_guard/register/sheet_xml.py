"""The rows of a worksheet as SpreadsheetML, written straight to the workbook's zip.

openpyxl makes every other part of the workbook (extract_xlsx.py): the styles, the workbook,
each sheet's frozen header row, column widths and filter. Only the rows are written here,
because openpyxl builds, checks and serialises an object for every cell, and at 15 times the
database's own dump it could not write a large council's register within the 5 times that
issue 19 asks (BENCHMARKS.md, "Extracts built in SQL"). The markup is what openpyxl writes for
the same cells (ECMA-376 Part 1, 18.3.1.4 c, 18.3.1.73 row): inline strings, numbers, and dates
as serial numbers with the style of their format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

#: What a spreadsheet would read as the start of a formula (extract_columns._safe).
UNSAFE = frozenset("=+-@\t\r")

#: Characters XML 1.0 cannot carry (openpyxl refuses them with IllegalCharacterError). A
#: vertical tab pasted from a word processor into a note must not stop the extract: they are
#: dropped, as a spreadsheet program would not show them anyway.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _when(value: str) -> date | datetime | None:
    """A date (_d) or a London time to the minute (_dt) as the extract writes them, or None for
    anything else: an imported entry keeps dates as the council's file gave them."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        if len(value) == 16 and value[10] == " ":
            return datetime.fromisoformat(value)
    except ValueError:
        return None
    return None


def _text(ref: str, value: str) -> str:
    if value[0] in UNSAFE:
        # Shown as typed, never run: a leading apostrophe is what a spreadsheet shows as text.
        value = "'" + value
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


class RowWriter:
    """Turns a sheet's rows into `<row>` elements: text as inline strings made formula-safe,
    numbers as numbers, and in the date columns ISO dates and London times as real dates with
    `day_style` or `moment_style` (the openpyxl style ids of the two formats)."""

    def __init__(self, dated: list[bool], day_style: int, moment_style: int):
        self.dated = dated
        self.letters = [get_column_letter(i) for i in range(1, len(dated) + 1)]
        self.day = f'" s="{day_style}" t="n"><v>'
        self.moment = f'" s="{moment_style}" t="n"><v>'

    def row(self, number: int, values: Iterable) -> str:
        cells = []
        for letter, is_date, value in zip(self.letters, self.dated, values, strict=False):
            if value is None or value == "":
                continue  # an empty cell is no element at all, as openpyxl writes it
            ref = f"{letter}{number}"
            if isinstance(value, str):
                when = _when(value) if is_date else None
                if when is None:
                    cells.append(_text(ref, value))
                else:
                    style = self.day if type(when) is date else self.moment
                    cells.append(f'<c r="{ref}{style}{to_excel(when)}</v></c>')
            else:
                cells.append(self._other(ref, value))
        xml = f'<row r="{number}">{"".join(cells)}</row>'
        return ILLEGAL.sub("", xml) if ILLEGAL.search(xml) else xml

    def _other(self, ref: str, value) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}" t="n"><v>{value}</v></c>'
        if isinstance(value, datetime | date):
            style = self.moment if isinstance(value, datetime) else self.day
            return f'<c r="{ref}{style}{to_excel(value)}</v></c>'
        return _text(ref, str(value))
