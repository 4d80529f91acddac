"""What a hand-written sheet XML would cost for the workbook's rows: the CSV files a dump
wrote, each written as a worksheet of escaped inline strings into a zip, with nothing else (no
styles, no workbook parts). An experiment to set beside bench/openpyxl_floor.py, not a writer.

    python bench/xml_floor.py OUT.zip DUMP.csv [DUMP.csv ...]
"""

from __future__ import annotations

import csv
import sys
import time
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def main(argv: list[str]) -> int:
    target, *files = argv
    started = time.process_time()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, name in enumerate(files, start=1):
            with (
                archive.open(f"xl/worksheets/sheet{number}.xml", "w") as out,
                open(name, newline="", encoding="utf-8") as f,
            ):
                out.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
                for row_number, row in enumerate(csv.reader(f), start=1):
                    cells = "".join(
                        f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in row if v
                    )
                    out.write(f'<row r="{row_number}">{cells}</row>'.encode())
                out.write(b"</sheetData></worksheet>")
    print(f"CPU seconds: {time.process_time() - started:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
