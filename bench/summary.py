"""One table of every run: each page's p95 and requests/s by size and database, and extracts.

    python bench/summary.py docs/bench/pages-*.json docs/bench/extract-*.json

Reads the JSON that bench/run.py and bench/extract.py write (--json) and prints markdown for
BENCHMARKS.md, so the growth with size can be read across one row.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DB_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _size(meta: dict, results: list[dict]) -> int:
    return meta.get("applications") or next(
        r["rows"] for r in results if r["name"] == "extract_csv"
    )


def load(paths: list[Path]) -> tuple[dict, dict]:
    pages, extracts = {}, {}
    for path in paths:
        data = json.loads(path.read_text())
        key = (data["meta"]["dialect"], _size(data["meta"], data["results"]))
        (pages if "floor" in data else extracts)[key] = data
    return pages, extracts


def _labels(pages: dict, keys: list) -> list[str]:
    """Every page's label in the order the runs list them, the floors last."""
    labels: list[str] = []
    for key in keys:
        for r in pages[key]["results"]:
            if r["label"] not in labels:
                labels.append(r["label"])
    return labels


def _found(run: dict, label: str) -> dict | None:
    return next((r for r in run["results"] if r["label"] == label), None)


def page_table(pages: dict) -> list[str]:
    """p95 and requests/s of each page, by database and size, with both floors."""
    keys = sorted(pages, key=lambda k: (list(DB_NAMES).index(k[0]), k[1]))
    head = [f"{DB_NAMES[d]} {n:,}" for d, n in keys]
    lines = [
        "| Page, p95 ms (requests/s) | " + " | ".join(head) + " |",
        "|---|" + "---:|" * len(keys),
    ]
    floors = [("fair_floor", "fair floor (`bench/fair_floor.py`)"), ("floor", "floor")]
    for label in [*_labels(pages, keys), *(f for _, f in floors)]:
        cells = []
        for key in keys:
            run = pages[key]
            kind = next((k for k, f in floors if f == label), None)
            found = run.get(kind) if kind else _found(run, label)
            if not found:
                cells.append("–")
                continue
            p95 = "–" if found["p95"] is None else f"{found['p95']:.1f}"
            cells.append(f"{p95} ({found['rps']:.0f})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def share_table(pages: dict) -> list[str]:
    """Each page's requests/s as a share of the fair floor's in the same run (issue 19: at
    least half), by database and size."""
    keys = sorted(pages, key=lambda k: (list(DB_NAMES).index(k[0]), k[1]))
    head = [f"{DB_NAMES[d]} {n:,}" for d, n in keys]
    lines = [
        "| Page, % of the fair floor | " + " | ".join(head) + " |",
        "|---|" + "---:|" * len(keys),
    ]
    for label in _labels(pages, keys):
        cells = []
        for key in keys:
            run, found = pages[key], _found(pages[key], label)
            fair = (run.get("fair_floor") or {}).get("rps")
            cells.append(f"{100 * found['rps'] / fair:.0f}%" if found and fair else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def extract_table(extracts: dict) -> list[str]:
    lines = [
        "| Database | Applications | Rows (CSV / XLSX) | CSV s | dump s | × dump | XLSX s "
        "| dump s | × dump | Peak MB (CSV / XLSX) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (dialect, size), data in sorted(
        extracts.items(), key=lambda kv: (list(DB_NAMES).index(kv[0][0]), kv[0][1])
    ):
        r = {x["name"]: x for x in data["results"]}
        csv_, xlsx = r["extract_csv"], r["extract_xlsx"]
        dump, dump_all = r["dump_register"], r["dump_all"]
        lines.append(
            f"| {DB_NAMES[dialect]} | {size:,} | {csv_['rows']:,} / {xlsx['rows']:,} "
            f"| {csv_['seconds']:.1f} | {dump['seconds']:.2f} "
            f"| {csv_['seconds'] / dump['seconds']:.0f}× | {xlsx['seconds']:.1f} "
            f"| {dump_all['seconds']:.2f} | {xlsx['seconds'] / dump_all['seconds']:.0f}× "
            f"| {csv_['peak_mb']:.0f} / {xlsx['peak_mb']:.0f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("files", nargs="+", type=Path)
    args = p.parse_args(argv)
    pages, extracts = load(args.files)
    if pages:
        print("\n".join(page_table(pages)))
        print()
        print("\n".join(share_table(pages)))
    if extracts:
        print()
        print("\n".join(extract_table(extracts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
