"""Time the whole register's extract (CSV and XLSX), and its peak memory, beside a plain dump.

    python bench/extract.py URL [--json extract.json] [--keep DIR] [--repeat 3]

URL is the SQLAlchemy URL of a database filled by bench/seed.py. Each step runs as a child
process, timed from start to exit; its peak memory is the child's own maximum resident set
size (os.wait4's ru_maxrss), so the steps do not mix.

- `ripa-guard extract --format csv` and `--format xlsx`, with no period: every application on
  the register (every one with a URN), as an inspector's extract of the whole record.
- the database's own client dumping the same rows as CSV: `sqlite3 -csv` or psql's `\\copy`,
  running the extract's own queries (register/extract_rows.py and the sheets' queries, compiled
  for the database with their values inlined), so the dump writes the very rows the extract
  writes: for the CSV the Authorisations rows, for the XLSX every sheet's rows too.
- for comparison with earlier runs, the plain dump of the register's columns (`register_sql`:
  the columns and history joined, but nothing formatted), as BENCHMARKS.md used before.

Each step runs --repeat times (default 3) and the median is shown, with its CPU seconds (user
and system, of the child and what it waited for: GNU time's %U and %S). On PostgreSQL most of a
dump's work is the server's, which no child's CPU counts: read the wall time there.

Each extract is compared with its dump: "× dump" is the extract's time over the dump's, and
"work × dump" the same after taking off the start-up that every command pays before its work
(the first row, `ripa-guard routes`: Python, the imports, create_app()).
The CLI records an audit event for each extract, as it always does.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
#: GNU time, to read a child's peak memory (apt-get install time).
TIME = shutil.which("time", path="/usr/bin:/bin")
SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105


def register_sql(dialect: str) -> str:
    """One row per application on the register, with what the extract's columns hold."""
    agg = (
        "group_concat({expr}, ' | ')"
        if dialect == "sqlite"
        else "string_agg(({expr})::text, ' | ')"
    )

    def joined(table: str, expr: str) -> str:
        return f"(SELECT {agg.format(expr=expr)} FROM {table} t WHERE t.application_id = a.id)"

    return f"""
SELECT a.urn, a.status, a.investigation_title, a.case_reference, a.offence_code,
       a.offence_snapshot, a.answers, a.confidential_likely, a.submitted_at, a.takes_effect,
       a.last_day, a.cancelled_on,
       u.name AS officer, u.grade AS officer_grade, u.service AS officer_service,
       {joined("subjects", "t.name")} AS subjects,
       {
        joined(
            "authorising_decisions",
            "t.decision || ' ' || t.decided_by_name || ' ' || t.decided_by_grade || ' ' || "
            "t.decided_at || ' ' || t.directly_involved",
        )
    } AS decisions,
       {
        joined(
            "court_hearings",
            "t.court || ' ' || t.hearing_date || ' ' || t.magistrate || ' ' || t.outcome || "
            "' ' || t.decided_at",
        )
    } AS hearings,
       {joined("renewals", "t.number || ' ' || t.status || ' ' || t.starts_on || ' ' || t.ends_on")}
           AS renewals,
       {joined("reviews", "t.reviewed_on || ' ' || t.outcome || ' ' || t.reviewed_by_name")}
           AS reviews,
       c.cancelled_by_name, c.cancelled_on AS cancellation_day, c.reason, c.obtained,
       c.handling, c.after_lapse
FROM applications a
JOIN users u ON u.id = a.officer_id
LEFT JOIN cancellations c ON c.application_id = a.id
WHERE a.urn IS NOT NULL
ORDER BY a.id"""


ON_REGISTER = "application_id IN (SELECT id FROM applications WHERE urn IS NOT NULL)"
#: The XLSX's other sheets, as plain table dumps.
SHEETS = {
    "reviews": f"SELECT * FROM reviews WHERE {ON_REGISTER} ORDER BY application_id, id",
    "renewals": f"SELECT * FROM renewals WHERE {ON_REGISTER} ORDER BY application_id, id",
    "hearings": f"SELECT * FROM court_hearings WHERE {ON_REGISTER} ORDER BY application_id, id",
    "cancellations": f"SELECT * FROM cancellations WHERE {ON_REGISTER} ORDER BY application_id",
    "viewings": (
        f"SELECT urn, viewed_at, officer_name, officer_service, platform, url, subject, "
        f"purpose, captured FROM viewings WHERE {ON_REGISTER} "
        "ORDER BY application_id, viewed_at"
    ),
}


def run(cmd: list[str], env: dict | None = None, stdin: str | None = None) -> dict:
    """Run a child to its end: wall seconds and its own peak resident memory.

    The memory is read by /usr/bin/time (GNU time's %M, the child's ru_maxrss): a child forked
    from this Python process directly would count this process's memory at the fork too.
    """
    with (
        tempfile.TemporaryFile() as err_file,
        tempfile.TemporaryFile() as in_file,
        tempfile.NamedTemporaryFile("r") as time_file,
    ):
        if stdin is not None:
            in_file.write(stdin.encode())
            in_file.seek(0)
        timed = [TIME, "-f", "%M %U %S", "-o", time_file.name, *cmd] if TIME else cmd
        t = time.monotonic()
        proc = subprocess.Popen(
            timed, env=env, stdin=in_file, stdout=subprocess.DEVNULL, stderr=err_file, cwd=ROOT
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - t
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
        reported = time_file.read().strip().splitlines()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    if TIME:
        kib, user, system = reported[-1].split()
        cpu = float(user) + float(system)
    else:
        kib, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime  # KiB
    return {"seconds": seconds, "cpu": cpu, "peak_mb": int(kib) / 1024}


def cli(url: str, *args: str) -> dict:
    env = {
        **os.environ,
        "RIPA_GUARD_DATABASE_URL": url,
        "RIPA_GUARD_SECRET_KEY": SECRET_KEY,
        "RIPA_GUARD_AUTO_MIGRATE": "false",
    }
    # From ROOT with -c, so that this checkout's ripa_guard is the one imported.
    command = "from ripa_guard.cli import main; main()"
    return run([sys.executable, "-c", command, *args], env)


def startup(url: str) -> dict:
    """What every command pays before it starts: Python, the imports and create_app()."""
    return {**cli(url, "routes"), "rows": 0, "bytes": 0}


def extract(url: str, kind: str, out: Path) -> dict:
    result = cli(url, "extract", "--format", kind, "--output", str(out))
    result["bytes"] = out.stat().st_size
    if kind == "csv":
        with out.open(encoding="utf-8-sig", newline="") as f:
            result["rows"] = sum(1 for _ in csv.reader(f)) - 1
    else:
        sheets = sheet_rows(out)
        result["rows"] = sum(sheets.values())
        result["sheets"] = sheets
    return result


def sheet_rows(path: Path) -> dict[str, int]:
    """Rows below the header on each sheet, counted from the sheet's XML as it streams out of
    the zip: openpyxl's reader took minutes for a million rows. The workbook lists its sheets
    in the order their parts are numbered (xl/worksheets/sheetN.xml), as openpyxl writes it."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as book:
        titles = re.findall(rb'<sheet [^>]*name="([^"]*)"', book.read("xl/workbook.xml"))
        sheets = {}
        for number, title in enumerate(titles, start=1):
            rows, tail = 0, b""
            with book.open(f"xl/worksheets/sheet{number}.xml") as part:
                while chunk := part.read(1 << 20):
                    rows += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
                    tail = chunk[-4:]
            sheets[title.decode()] = rows - 1
    return sheets


def dump(url: str, queries: dict[str, str], out_dir: Path) -> dict:
    """The database's own client writing each query's rows to a CSV file, in one process."""
    u = make_url(url)
    files = {name: out_dir / f"dump-{name}.csv" for name in queries}
    if u.get_backend_name() == "sqlite":
        script = "".join(f".once {files[name]}\n{sql.strip()};\n" for name, sql in queries.items())
        result = run(["sqlite3", "-batch", "-bail", "-csv", "-header", u.database], stdin=script)
    else:
        cmd = [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            u.host or "127.0.0.1",
            "-p",
            str(u.port or 5432),
            "-U",
            u.username or "postgres",
            "-d",
            u.database,
        ]
        for name, sql in queries.items():
            one_line = " ".join(sql.split())
            cmd += ["-c", f"\\copy ({one_line}) TO '{files[name]}' CSV HEADER"]
        env = {**os.environ, **({"PGPASSWORD": u.password} if u.password else {})}
        result = run(cmd, env)
    result["bytes"] = sum(f.stat().st_size for f in files.values())
    rows = 0
    for f in files.values():
        with f.open(encoding="utf-8", newline="") as fh:
            rows += sum(1 for _ in csv.reader(fh)) - 1
    result["rows"] = rows
    return result


def extract_sql(url: str) -> dict[str, str]:
    """The extract's own queries, compiled for the database with their values inlined: what
    the database's client runs for the dump of the same rows."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine

    from ripa_guard.register import extract_looks, extract_rows, extract_sheets
    from ripa_guard.register.central_record import Filters

    dialect = create_engine(url).dialect
    everything = Filters()
    queries = {
        "register": extract_rows.authorisation_query(dialect.name, everything),
        "reviews": extract_sheets.review_query(everything),
        "renewals": extract_sheets.renewal_query(everything),
        "hearings": extract_sheets.hearing_query(everything),
        "cancellations": extract_sheets.cancellation_query(everything),
        "viewings": extract_looks.looks_query(everything),
    }
    compiled = {}
    for name, query in queries.items():
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        compiled[name] = sql.replace("%%", "%") if dialect.name == "postgresql" else sql
    return compiled


def openpyxl_floor(out_dir: Path, queries: dict[str, str]) -> dict:
    """openpyxl writing the rows the last dump wrote, with nothing else to do."""
    files = [str(out_dir / f"dump-{name}.csv") for name in queries]
    target = out_dir / "openpyxl-floor.xlsx"
    result = run([sys.executable, str(ROOT / "bench" / "openpyxl_floor.py"), str(target), *files])
    result["bytes"] = target.stat().st_size
    result["rows"] = 0
    return result


def median(runs: list[dict]) -> dict:
    """The run with the median time, with every run's seconds beside it."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[len(ordered) // 2], "runs": [round(r["seconds"], 3) for r in runs]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("url")
    p.add_argument("--json", type=Path, help="also write the results here")
    p.add_argument("--keep", type=Path, help="keep the extracts and dumps in this directory")
    p.add_argument("--repeat", type=int, default=3, help="runs of each step (the median shown)")
    p.add_argument(
        "--no-openpyxl",
        action="store_true",
        help="skip openpyxl alone (minutes at 100,000; the workbook's rows no longer use it)",
    )
    args = p.parse_args(argv)
    dialect = make_url(args.url).get_backend_name()
    tool = {"sqlite": "sqlite3", "postgresql": "psql"}.get(dialect)
    if tool is None or not shutil.which(tool):
        raise SystemExit(f"Needs {tool or 'SQLite or PostgreSQL'} on the PATH")
    client = "`sqlite3 -csv`" if dialect == "sqlite" else "`psql \\copy ... CSV`"

    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        queries = extract_sql(args.url)
        register = {"register": queries["register"]}
        steps = [
            (
                "startup",
                "`ripa-guard routes` (start-up only: no extract)",
                lambda: startup(args.url),
            ),
            (
                "dump_plain",
                f"{client}, register columns unformatted (the dump used before)",
                lambda: dump(args.url, {"plain": register_sql(dialect)}, out),
            ),
            (
                "dump_register",
                f"{client}, the extract's Authorisations query",
                lambda: dump(args.url, register, out),
            ),
            (
                "extract_csv",
                "`ripa-guard extract --format csv`",
                lambda: extract(args.url, "csv", out / "extract.csv"),
            ),
            (
                "dump_all",
                f"{client}, the extract's query for every sheet",
                lambda: dump(args.url, queries, out),
            ),
            (
                "openpyxl_floor",
                "openpyxl alone: the dumped rows as plain text (bench/openpyxl_floor.py)",
                lambda: openpyxl_floor(out, queries),
            ),
            (
                "extract_xlsx",
                "`ripa-guard extract --format xlsx`",
                lambda: extract(args.url, "xlsx", out / "extract.xlsx"),
            ),
        ]
        if args.no_openpyxl:
            steps = [s for s in steps if s[0] != "openpyxl_floor"]
        results = {}
        for name, label, step in steps:
            print(f"... {name}", file=sys.stderr, flush=True)
            runs = [step() for _ in range(args.repeat)]
            results[name] = {"name": name, "label": label, **median(runs)}
    results["extract_csv"]["vs"] = "dump_register"
    results["extract_xlsx"]["vs"] = "dump_all"
    if "openpyxl_floor" in results:
        results["openpyxl_floor"]["vs"] = "dump_all"
    start = results["startup"]["seconds"]

    print(f"\nExtract of the whole register: {args.url} (median of {args.repeat} runs)\n")
    print("| What | Seconds (runs) | CPU s | Peak MB | Rows | Output MB | × dump | work × dump |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results.values():
        ratio = work = ""
        if "vs" in r:
            dumped = results[r["vs"]]["seconds"]
            ratio = f"{r['seconds'] / dumped:.1f}×"
            if r["name"].startswith("extract"):
                work = f"{(r['seconds'] - start) / dumped:.1f}×"
        rows, size = (
            (f"{r['rows']:,}", f"{r['bytes'] / 1e6:.1f}")
            if r["name"] not in ("startup", "openpyxl_floor")
            else ("–", "–")
        )
        runs = ", ".join(f"{x:.2f}" for x in r["runs"])
        print(
            f"| {r['label']} | {r['seconds']:.2f} ({runs}) | {r['cpu']:.2f} | {r['peak_mb']:.0f} "
            f"| {rows} | {size} | {ratio} | {work} |"
        )
    if "sheets" in results["extract_xlsx"]:
        print(
            "\nXLSX rows by sheet: "
            + ", ".join(f"{k} {v:,}" for k, v in results["extract_xlsx"]["sheets"].items())
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "url": make_url(args.url).render_as_string(hide_password=True),
            "dialect": dialect,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "applications": results["extract_csv"]["rows"],
            "repeat": args.repeat,
        }
        args.json.write_text(
            json.dumps({"meta": meta, "results": list(results.values())}, indent=2) + "\n"
        )
        print(f"Results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
