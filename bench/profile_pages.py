"""Where a page's time goes, in process: cProfile, the queries it runs, and its time (issue 19).

    python bench/profile_pages.py URL [--requests 30] [--pages dashboard_sro,register,...]
                                      [--top 12] [--queries] [--json out.json]
    python bench/profile_pages.py --compare before.json after.json

URL is the SQLAlchemy URL of a database filled by bench/seed.py. Each page is asked for by
Flask's test client as the person who would open it (signed in the way the app signs people
in: the session's user, generation and times), first a few times to warm up, then --requests
times under cProfile. For each page it prints:

- the median time of one request without the profiler, and the queries one request runs;
- the share of the profiled time in each step every signed-in page takes (loading the user,
  the session's times, the unread count, the read log, CSRF, the council's details) and in the
  page's own view, its template and the database driver;
- the functions with the most time of their own (tottime).

Needs nothing beyond the app: no gunicorn, no wrk, so it is the measure to trust on a machine
that others are loading.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seed import COORDINATOR_EMAIL, SRO_EMAIL  # noqa: E402

#: Steps of every signed-in page, by the function that does each: (file ending, function).
STEPS = {
    "load the user (Flask-Login)": [("accounts/auth.py", "_load_user")],
    "session times (idle, absolute, last seen)": [
        ("accounts/sign_in.py", "_enforce_session_times")
    ],
    "second step required?": [("accounts/sign_in.py", "_require_two_step")],
    "unread count (navigation)": [("notifications/views.py", "_count_unread")],
    "navigation items": [("ripa_guard/web.py", "navigation_items")],
    "council details": [("ripa_guard/web.py", "council_details")],
    "read log insert": [("core/read_log.py", "_write_noted")],
    "CSRF token": [("flask_wtf/csrf.py", "generate_csrf")],
    "security headers": [("ripa_guard/web_security.py", "_headers")],
    "render_template (whole page)": [("flask/templating.py", "render_template")],
    "database driver (execute)": [
        ("~", "<method 'execute' of 'sqlite3.Cursor' objects>"),
        ("psycopg/cursor.py", "execute"),
    ],
    "whole request": [("flask/app.py", "full_dispatch_request")],
}


@dataclass
class Page:
    name: str
    path: str
    who: str  # an email, or "officer" / "authoriser" / "owner": picked from the database


PAGES = [
    Page("dashboard_sro", "/dashboard", SRO_EMAIL),
    Page("dashboard_coordinator", "/dashboard", COORDINATOR_EMAIL),
    Page("dashboard_authoriser", "/dashboard", "authoriser"),
    Page("dashboard_officer", "/dashboard", "owner"),
    Page("register", "/register/", SRO_EMAIL),
    Page("register_status", "/register/?status=active", SRO_EMAIL),
    Page("register_urn", "/register/?q={record_urn}", SRO_EMAIL),
    Page("register_subject", "/register/?q={record_subject}", SRO_EMAIL),
    Page("register_word", "/register/?q=fraud", SRO_EMAIL),
    Page("register_year", "/register/?year=2025", SRO_EMAIL),
    Page("record", "/register/{record}", SRO_EMAIL),
    Page("decisions", "/authorisations/decisions", "authoriser"),
    Page("application", "/applications/{record}", "owner"),
    Page("investigations", "/investigations/", "owner"),
    Page("about", "/about", SRO_EMAIL),
]


def make_app(url: str):
    from ripa_guard import create_app
    from ripa_guard.accounts.sealing import new_key

    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-profile",
            "AUDIT_KEY": "bench-profile-audit-key",
            "TOTP_KEY": new_key(),
            "AUTO_MIGRATE": False,
            "RATELIMIT_ENABLED": False,
            "REQUIRE_TOTP_FOR_DECIDERS": False,
        }
    )


def people(app) -> dict:
    """The record page's application (active, with effect today), its officer, its URN and
    subject's name (quoted for a query string), and an authorising officer, as bench/run.py
    picks them."""
    from urllib.parse import quote_plus

    from sqlalchemy import select

    from ripa_guard.accounts.models import Role, User, UserRole
    from ripa_guard.applications.models import Application, ApplicationStatus, Subject
    from ripa_guard.core import clock, db

    today = clock.today()
    with app.app_context():
        s = db.session()
        record = s.execute(
            select(Application.id, Application.urn, User.email)
            .join(User, User.id == Application.officer_id)
            .where(
                Application.status == ApplicationStatus.ACTIVE,
                Application.takes_effect <= today,
                Application.last_day >= today,
                Application.cancelled_on.is_(None),
            )
            .order_by(Application.id)
            .limit(1)
        ).one()
        authoriser = s.scalar(
            select(User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.AUTHORISING_OFFICER, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
        subject = s.scalar(select(Subject.name).where(Subject.application_id == record.id).limit(1))
    return {
        "record": record.id,
        "record_urn": quote_plus(record.urn),
        "record_subject": quote_plus(subject),
        "owner": record.email,
        "authoriser": authoriser,
    }


def signed_in_client(app, email: str):
    """A test client whose session is signed in as `email`, as sign_in.complete() leaves it."""
    from sqlalchemy import select

    from ripa_guard.accounts.models import User
    from ripa_guard.accounts.sessions import GENERATION
    from ripa_guard.core import clock, db

    with app.app_context():
        user = db.session().scalar(select(User).where(User.email == email))
        user_id, generation = user.id, user.session_generation
    client = app.test_client()
    now = clock.now().timestamp()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session[GENERATION] = generation
        session["signed_in_at"] = session["last_seen"] = now
    return client


def count_queries(app):
    from sqlalchemy import event

    engine = app.extensions["ripa_guard.engine"]
    statements: list[str] = []

    def after(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "PRAGMA")):
            statements.append(statement)

    event.listen(engine, "after_cursor_execute", after)
    return statements, lambda: event.remove(engine, "after_cursor_execute", after)


def query_times(app, client, path: str, requests: int) -> list[tuple[float, str]]:
    """Each statement one request runs, with its median ms over `requests` requests."""
    from sqlalchemy import event

    engine = app.extensions["ripa_guard.engine"]
    runs: list[list[tuple[float, str]]] = []

    def before(conn, _cursor, _statement, *_args):
        conn.info["query_started"] = time.perf_counter()

    def after(conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "PRAGMA")):
            ms = (time.perf_counter() - conn.info.pop("query_started")) * 1000
            runs[-1].append((ms, statement))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(requests):
            runs.append([])
            client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return [
        (statistics.median(run[i][0] for run in runs), runs[0][i][1])
        for i in range(min(len(run) for run in runs))
    ]


def step_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds in each step, from the profile's own table."""
    found = {}
    for step, functions in STEPS.items():
        total = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            for ending, wanted in functions:
                if name == wanted and filename.endswith(ending):
                    total += ct
        found[step] = total
    return found


def top_functions(stats: pstats.Stats, top: int) -> list[tuple[str, float, int]]:
    rows = []
    for (filename, line, name), (_cc, nc, tt, _ct, _callers) in stats.stats.items():
        short = filename
        for marker in ("site-packages/", "ripa_guard/", "lib/python3.11/"):
            if marker in filename:
                short = filename.split(marker, 1)[1]
                break
        rows.append((f"{short}:{line}({name})", tt, nc))
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows[:top]


def profile_page(app, page: Page, found: dict, requests: int, top: int) -> dict:
    email = found.get(page.who, page.who)
    path = page.path.format(**found)
    client = signed_in_client(app, email)
    for _ in range(3):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} as {email} answered {response.status_code}")
    statements, stop = count_queries(app)
    client.get(path)
    stop()
    queries = list(statements)
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    timed = query_times(app, client, path, max(3, requests // 3))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    steps = step_times(stats)
    whole = steps["whole request"] or 1.0
    return {
        "name": page.name,
        "path": page.path,
        "who": page.who if page.who in found else email,
        "median_ms": statistics.median(times),
        "cpu_ms": statistics.median(cpu),
        "queries": len(queries),
        "statements": queries,
        "query_ms": [ms for ms, _statement in timed],
        "steps_ms": {k: 1000 * v / requests for k, v in steps.items()},
        "steps_share": {k: v / whole for k, v in steps.items()},
        "top": [
            {
                "function": f,
                "ms_per_request": 1000 * tt / requests,
                "calls_per_request": nc / requests,
            }
            for f, tt, nc in top_functions(stats, top)
        ],
    }


def fair_floor(url: str, requests: int) -> dict:
    """The fair floor (bench/fair_floor.py) in the same process, signed in as the SRO: the
    least a signed-in page costs here, so that a page's CPU can be read as a share of it."""
    import os

    from fair_floor import create_app as floor_app

    os.environ["RIPA_GUARD_DATABASE_URL"] = url
    app = floor_app()
    app.config["WTF_CSRF_ENABLED"] = False  # the sign-in only: the page still makes its token
    client = app.test_client()
    client.post("/sign-in", data={"email": SRO_EMAIL})
    for _ in range(3):
        if client.get("/").status_code != 200:
            raise SystemExit("The fair floor did not answer 200 signed in")
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get("/")
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {"median_ms": statistics.median(times), "cpu_ms": statistics.median(cpu)}


def report(result: dict) -> list[str]:
    lines = [
        f"### {result['name']}: `GET {result['path']}` as {result['who']}",
        "",
        f"{result['median_ms']:.1f} ms a request, {result['cpu_ms']:.1f} ms of this process's CPU"
        f" (medians, no profiler), {result['queries']} queries.",
        "",
        "| Step | ms a request (profiled) | share |",
        "|---|---:|---:|",
    ]
    for step, ms in result["steps_ms"].items():
        lines.append(f"| {step} | {ms:.2f} | {100 * result['steps_share'][step]:.0f}% |")
    lines += ["", "| Function (own time) | ms a request | calls a request |", "|---|---:|---:|"]
    for row in result["top"]:
        lines.append(
            f"| `{row['function']}` | {row['ms_per_request']:.2f} | {row['calls_per_request']:.0f} |"
        )
    return [*lines, ""]


#: The steps shown side by side by --compare: the page's own and the per-request overhead.
COMPARED = [
    "load the user (Flask-Login)",
    "unread count (navigation)",
    "council details",
    "read log insert",
    "render_template (whole page)",
    "database driver (execute)",
]


def compare(before_file: Path, after_file: Path) -> list[str]:
    """Two --json runs side by side: queries, time, and each step's share of the request."""
    before = {r["name"]: r for r in json.loads(before_file.read_text())["results"]}
    after = {r["name"]: r for r in json.loads(after_file.read_text())["results"]}
    head = " | ".join(f"{step}, share" for step in COMPARED)
    lines = [
        f"| Page | queries | ms a request (median) | ms CPU (median) | {head} |",
        "|---|---:|---:|---:|" + "---:|" * len(COMPARED),
    ]
    for name, b in before.items():
        a = after.get(name)
        if a is None:
            continue
        shares = " | ".join(
            f"{100 * b['steps_share'][s]:.0f}% → {100 * a['steps_share'][s]:.0f}%" for s in COMPARED
        )
        cpu = f"{b.get('cpu_ms', 0):.1f} → {a.get('cpu_ms', 0):.1f}"
        lines.append(
            f"| {name} | {b['queries']} → {a['queries']} "
            f"| {b['median_ms']:.1f} → {a['median_ms']:.1f} | {cpu} | {shares} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--compare":
        before, after = (Path(a) for a in sys.argv[2:4])
        print("\n".join(compare(before, after)))
        return 0
    p.add_argument("url")
    p.add_argument("--requests", type=int, default=30)
    p.add_argument("--top", type=int, default=12)
    p.add_argument("--pages", default=",".join(pg.name for pg in PAGES))
    p.add_argument(
        "--queries",
        action="store_true",
        help="print each page's SQL statements, each with its median ms",
    )
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    wanted = [n.strip() for n in args.pages.split(",") if n.strip()]
    pages = {pg.name: pg for pg in PAGES}
    if unknown := [n for n in wanted if n not in pages]:
        raise SystemExit(f"Unknown pages: {', '.join(unknown)}")
    app = make_app(args.url)
    found = people(app)
    results = []
    for name in wanted:
        result = profile_page(app, pages[name], found, args.requests, args.top)
        results.append(result)
        print("\n".join(report(result)), flush=True)
        if args.queries:
            for ms, statement in zip(result["query_ms"], result["statements"], strict=False):
                print(f"    {ms:6.2f} ms  " + " ".join(statement.split())[:300])
            print()
    floor = fair_floor(args.url, args.requests)
    print(
        f"Fair floor (bench/fair_floor.py) in this process: {floor['median_ms']:.1f} ms a request,"
        f" {floor['cpu_ms']:.1f} ms CPU. A page's share is the floor's ms over the page's.\n"
    )
    print("| Page | ms a request (median) | ms CPU (median) | queries | share of the fair floor |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        share = 100 * floor["median_ms"] / r["median_ms"]
        print(
            f"| {r['name']} | {r['median_ms']:.1f} | {r['cpu_ms']:.1f} | {r['queries']}"
            f" | {share:.0f}% |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = {"url": args.url, "fair_floor": floor, "results": results}
        args.json.write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
