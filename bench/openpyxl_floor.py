"""What openpyxl alone costs for the workbook's rows: the CSV files a dump wrote, written into
an openpyxl write-only workbook as plain text (no dates, no styles, no database), one sheet per
file. This is the least any extract written with openpyxl can take for those rows.

    python bench/openpyxl_floor.py OUT.xlsx DUMP.csv [DUMP.csv ...]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from openpyxl import Workbook


def main(argv: list[str]) -> int:
    target, *files = argv
    workbook = Workbook(write_only=True)
    for name in files:
        sheet = workbook.create_sheet(Path(name).stem[:31])
        with open(name, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                sheet.append([value or None for value in row])
    workbook.save(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
