"""Plot bench/run.py's results against the size of the register: one PNG, saved to a file.

    python bench/plot.py RUN.json [RUN.json ...] [--extract EXTRACT.json ...]
                         [--output docs/bench/latency.png]

Each RUN.json is written by `bench/run.py URL --json RUN.json`, one per database and size.
The figure has one column per database (SQLite, PostgreSQL) and two rows: p95 latency and
requests per second, each against the number of applications, both axes logarithmic, one line
per page, the floor (bench/floor.py) dashed. With --extract (files written by
`bench/extract.py URL --json ...`), a third row shows the extracts' seconds against size.
Where several runs share a database and size, the last one given wins.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DB_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PAGE_NAMES = {
    "dashboard": "GET /dashboard",
    "register": "GET /register/",
    "register_status": "GET /register/?status=active",
    "register_urn": "GET /register/?q=URN",
    "register_subject": "GET /register/?q=subject",
    "record": "GET /register/<id>",
    "viewing_web": "POST /viewings/new (form)",
    "viewing_api": "POST /api/v1/viewings",
    "floor": "floor (bare Flask view)",
}
#: tab10 without its grey, which is the floor's.
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
]
EXTRACT_NAMES = {
    "extract_csv": "ripa-guard extract (CSV)",
    "extract_xlsx": "ripa-guard extract (XLSX)",
    "dump_register": "database client dump, register rows",
    "dump_all": "database client dump, every sheet's rows",
}


def load(paths: list[Path]) -> dict[str, dict[int, dict]]:
    """{dialect: {applications: run}}"""
    runs: dict[str, dict[int, dict]] = {}
    for path in paths:
        data = json.loads(path.read_text())
        meta = data["meta"]
        size = meta.get("applications") or next(
            r["rows"] for r in data["results"] if r["name"] == "extract_csv"
        )
        runs.setdefault(meta["dialect"], {})[size] = data
    return runs


def size_label(value: float, _pos=None) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def series(runs: dict[int, dict], name: str, key: str) -> tuple[list[int], list[float]]:
    xs, ys = [], []
    for size in sorted(runs):
        data = runs[size]
        found = (
            [data["floor"]]
            if name == "floor"
            else [r for r in data["results"] if r["name"] == name]
        )
        if found and found[0].get(key) and found[0]["requests"] > 0:
            xs.append(size)
            ys.append(found[0][key])
    return xs, ys


def plot(run_paths: list[Path], extract_paths: list[Path], output: Path) -> Path:
    runs = load(run_paths)
    extracts = load(extract_paths) if extract_paths else {}
    dialects = [d for d in DB_NAMES if d in runs or d in extracts] or sorted(runs)
    rows = 3 if extracts else 2
    fig, axes = plt.subplots(
        rows, len(dialects), figsize=(6.5 * len(dialects), 4.6 * rows), squeeze=False, sharex=True
    )
    for col, dialect in enumerate(dialects):
        by_size = runs.get(dialect, {})
        meta = next(iter(by_size.values()))["meta"] if by_size else {}
        for row, (key, ylabel) in enumerate(
            [("p95", "p95 latency (ms)"), ("rps", "requests per second")]
        ):
            ax = axes[row][col]
            for i, name in enumerate(PAGE_NAMES):
                xs, ys = series(by_size, name, key)
                if not xs:
                    continue
                floor = name == "floor"
                ax.plot(
                    xs,
                    ys,
                    marker="s" if name.startswith("viewing") else "o",
                    label=PAGE_NAMES[name],
                    color="grey" if floor else PALETTE[i],
                    linestyle="--" if floor else "-",
                )
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_ylabel(ylabel)
            ax.grid(True, which="both", alpha=0.3)
            title = DB_NAMES.get(dialect, dialect)
            if meta and row == 0:
                title += (
                    f": wrk {meta['duration']} s, {meta['connections']} connections, "
                    f"{meta['sessions']} clients; gunicorn {meta['workers']} workers"
                )
            ax.set_title(
                title if row == 0 else f"{DB_NAMES.get(dialect, dialect)}: throughput", fontsize=10
            )
        if extracts:
            ax = axes[2][col]
            by_size = extracts.get(dialect, {})
            for i, name in enumerate(EXTRACT_NAMES):
                xs, ys = [], []
                for size in sorted(by_size):
                    found = [r for r in by_size[size]["results"] if r["name"] == name]
                    if found:
                        xs.append(size)
                        ys.append(found[0]["seconds"])
                if xs:
                    ax.plot(
                        xs,
                        ys,
                        marker="s",
                        label=EXTRACT_NAMES[name],
                        color=PALETTE[i],
                        linestyle=":" if name.startswith("dump") else "-",
                    )
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_ylabel("seconds")
            ax.set_title(
                f"{DB_NAMES.get(dialect, dialect)}: extract of the whole register", fontsize=10
            )
            ax.grid(True, which="both", alpha=0.3)
        for row in range(rows):
            axes[row][col].xaxis.set_major_formatter(FuncFormatter(size_label))
        axes[rows - 1][col].set_xlabel("applications on the register")
    for row in range(rows):
        handles, labels = axes[row][0].get_legend_handles_labels()
        for col in range(1, len(dialects)):
            h, lab = axes[row][col].get_legend_handles_labels()
            for hh, ll in zip(h, lab, strict=True):
                if ll not in labels:
                    handles.append(hh)
                    labels.append(ll)
        if handles:
            axes[row][-1].legend(
                handles, labels, fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5)
            )
    fig.suptitle(
        "ripa_guard speed against the size of the register (bench/run.py, bench/extract.py)",
        fontsize=12,
    )
    fig.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return output


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("runs", nargs="+", type=Path, help="JSON files from bench/run.py --json")
    p.add_argument(
        "--extract",
        nargs="*",
        type=Path,
        default=[],
        help="JSON files from bench/extract.py --json",
    )
    p.add_argument("--output", type=Path, default=ROOT / "docs" / "bench" / "latency.png")
    args = p.parse_args(argv)
    print(f"Saved {plot(args.runs, args.extract, args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
