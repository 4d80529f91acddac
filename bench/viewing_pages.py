"""Every page that reads the viewing log, timed in process at the size of the seeded database.

    python bench/viewing_pages.py URL [--repeat 20] [--code DIR] [--json FILE]

URL is a database seeded by bench/seed.py (with its SRO, coordinator and officers). Each page
is fetched through Flask's test client, signed in as a person who may see it (the session
written as signing in writes it), twice to warm up and then --repeat times; the median, p95,
the median CPU time of this process (SQLite's work included, a PostgreSQL server's not) and the
number of SQL statements of one request are printed. No server and no load generator:
on a shared machine this is the steadiest measure of what a page itself costs.

--code DIR runs another checkout's ripa_guard (an exported earlier commit), to measure the
same pages before a change; the database is not migrated (AUTO_MIGRATE is off).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("url")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--code", help="a checkout whose ripa_guard to run (default: this one)")
    p.add_argument("--json", help="write the figures here too")
    p.add_argument("--only", help="comma-separated page names")
    p.add_argument("--slowest", type=int, default=0, help="print each page's N slowest statements")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    root = Path(args.code).resolve() if args.code else Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from sqlalchemy import event, select, text

    from ripa_guard import create_app
    from ripa_guard.accounts.models import User
    from ripa_guard.core import db

    instance = Path(tempfile.mkdtemp(prefix="viewing-pages-"))
    app = create_app(
        {
            "SECRET_KEY": "bench only",
            "AUDIT_KEY": "bench audit key",
            "TOTP_KEY": "dGVzdCBvbmx5OiBzZWFscyBzZWNvbmQtc3RlcCBrZXk=",
            "REQUIRE_TOTP_FOR_DECIDERS": False,
            "AUDIT_HEAD_FILE": str(instance / "audit-head.log"),
            "DATABASE_URL": args.url,
            "AUTO_MIGRATE": False,
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        s = db.session()
        middle = s.execute(
            text(
                "SELECT identity, subject_key, officer_id, investigation_id, research_profile_id"
                " FROM viewings ORDER BY id LIMIT 1 OFFSET"
                " (SELECT count(*) / 2 FROM viewings)"
            )
        ).one()
        identity, subject_key, officer_id, investigation_id, profile_id = middle
        sro = s.scalar(select(User.id).where(User.email == "bench-sro@example.gov.uk"))
        counts = {
            "viewings": s.execute(text("SELECT count(*) FROM viewings")).scalar(),
            "of the profile": s.execute(
                text("SELECT count(*) FROM viewings WHERE identity = :i"), {"i": identity}
            ).scalar(),
            "of the officer": s.execute(
                text("SELECT count(*) FROM viewings WHERE officer_id = :o"), {"o": officer_id}
            ).scalar(),
            "from the research profile": s.execute(
                text("SELECT count(*) FROM viewings WHERE research_profile_id = :p"),
                {"p": profile_id},
            ).scalar(),
        }
        generations = {uid: s.get(User, uid).session_generation for uid in (sro, officer_id)}
    pages = [
        ("about (reads no viewings)", sro, "/about"),
        ("viewings oversight", sro, "/viewings/oversight"),
        ("profile history", sro, f"/viewings/oversight/profile?identity={identity}"),
        ("subject history", sro, f"/viewings/oversight/subject?key={subject_key}"),
        ("research profile", sro, f"/viewings/research-profiles/{profile_id}"),
        ("oversight hub", sro, "/oversight/"),
        ("inspection", sro, "/oversight/inspection"),
        ("errors", sro, "/oversight/errors"),
        ("dashboard (SRO)", sro, "/dashboard"),
        ("officer's viewing log", officer_id, "/viewings/"),
        ("investigation", officer_id, f"/investigations/{investigation_id}"),
        ("dashboard (officer)", officer_id, "/dashboard"),
    ]
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p[0] in wanted]
    engine = app.extensions["ripa_guard.engine"]
    statements: list[str] = []
    took: list[tuple[float, str]] = []
    started_at: list[float] = []
    event.listen(engine, "before_cursor_execute", lambda *a: started_at.append(time.perf_counter()))
    event.listen(
        engine,
        "after_cursor_execute",
        lambda *a: (
            statements.append(a[2]),
            took.append(((time.perf_counter() - started_at.pop()) * 1000, a[2])),
        ),
    )
    results = []
    print(f"Database: {engine.dialect.name}; " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"Code: {root}; {args.repeat} requests a page after 2 to warm up, one at a time")
    print(
        "| Page | Status | Median ms | p95 ms | CPU ms (median) | Queries"
        " | of which read the viewing log"
        " | their ms (last request) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, user_id, path in pages:
        client = app.test_client()
        timings = []
        cpu = []
        status = None
        for n in range(args.repeat + 2):
            with client.session_transaction() as session:
                session["_user_id"] = str(user_id)
                session["_generation"] = generations[user_id]
                session["_fresh"] = True
                session["signed_in_at"] = session["last_seen"] = time.time()
            statements.clear()
            took.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            response.get_data()
            elapsed = (time.perf_counter() - started) * 1000
            elapsed_cpu = (time.process_time() - started_cpu) * 1000
            response.close()
            status = response.status_code if status in (None, response.status_code) else "mixed"
            if n >= 2:
                timings.append(elapsed)
                cpu.append(elapsed_cpu)
        queries = len(statements)
        of_the_log = sum(
            1
            for sql in statements
            if any(
                f" {t}" in sql
                for t in ("viewings", "viewing_attempts", "viewing_tallies", "held_looks")
            )
        )
        log_ms = sum(
            ms
            for ms, sql in took
            if any(
                f" {t}" in sql
                for t in ("viewings", "viewing_attempts", "viewing_tallies", "held_looks")
            )
        )
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        row = dict(
            page=name,
            path=path,
            status=status,
            median_ms=statistics.median(timings),
            p95_ms=p95,
            cpu_ms=statistics.median(cpu),
            queries=queries,
            log_queries=of_the_log,
            log_ms_last=log_ms,
        )
        results.append(row)
        print(
            f"| {name} | {status} | {row['median_ms']:.1f} | {p95:.1f} | {row['cpu_ms']:.1f}"
            f" | {queries}"
            f" | {of_the_log} | {log_ms:.1f} |",
            flush=True,
        )
        for ms, sql in sorted(took, reverse=True)[: args.slowest]:
            print(f"    {ms:8.1f} ms  {' '.join(sql.split())[:300]}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"database": engine.dialect.name, "counts": counts, "pages": results}, indent=1
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
