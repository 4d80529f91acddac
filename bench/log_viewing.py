"""What logging one viewing costs, in process: statements, CPU, commit and write-lock time.

    python bench/log_viewing.py URL [--requests 40] [--channel web,api] [--writers 4]
                                    [--queries] [--profile 15] [--fair-floor]

URL is the SQLAlchemy URL of a database filled by bench/seed.py. The writers are those
bench/run.py picks (officers, each with an active authorisation that has effect today, logging
their own subject's profile under their own investigation), and each request is the one
bench/run.py sends: the web form `POST /viewings/new` with the CSRF token of the officer's
session, or `POST /api/v1/viewings` with the officer's bench token. The writers take turns, one
request at a time, through Flask's test client, after a few to warm up. It prints, per channel,
the median and p95 wall ms and CPU ms of one request, its statements by kind, the ms spent in
the database's COMMIT, and the ms from the first write statement to the end of the COMMIT (the
time the write lock is held: on SQLite, every other writer waits that long). With --fair-floor
it then measures the fair floor (bench/fair_floor.py) in the same process, and gives each
channel's CPU as a share of it: the issue asks for 50% or more (CPU at most twice the floor's).

Each request logs a viewing: run it on a copy of the seeded database.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from profile_pages import make_app, signed_in_client  # noqa: E402
from run import api_writer_clients, csrf_token, plan, viewing_form  # noqa: E402

KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


class Meter:
    """Statements, COMMIT time and write-lock time of the requests made between reset()s."""

    def __init__(self, app):
        from sqlalchemy import event

        self.engine = app.extensions["ripa_guard.engine"]
        self.reset()
        event.listen(self.engine, "after_cursor_execute", self._statement)
        dialect = self.engine.dialect
        plain_commit = dialect.do_commit

        def timed_commit(dbapi_connection):
            started = time.perf_counter()
            plain_commit(dbapi_connection)
            ended = time.perf_counter()
            self.commit_s += ended - started
            self.commits += 1
            if self.first_write is not None:
                self.locked_s += ended - self.first_write
                self.first_write = None

        dialect.do_commit = timed_commit

    def reset(self) -> None:
        self.statements: list[str] = []
        self.commit_s = 0.0
        self.commits = 0
        self.locked_s = 0.0
        self.first_write: float | None = None

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        text = statement.lstrip()
        word = text.split(None, 1)[0].upper() if text else ""
        if word in ("SAVEPOINT", "RELEASE", "PRAGMA", "ROLLBACK"):
            return
        self.statements.append(statement)
        if word in ("INSERT", "UPDATE", "DELETE") and self.first_write is None:
            self.first_write = time.perf_counter()

    def kinds(self) -> Counter:
        return Counter(
            k for k in (s.lstrip().split(None, 1)[0].upper() for s in self.statements) if k in KINDS
        )


def web_clients(app, writers):
    """(client, request) for each writer: signed in, with the CSRF token of its session."""
    found = []
    for w in writers:
        client = signed_in_client(app, w.email)
        page = client.get("/viewings/new")
        assert page.status_code == 200, page.status_code
        token = csrf_token(page.get_data(as_text=True), "/viewings/new")
        found.append(
            (
                client,
                dict(
                    data=viewing_form(w, token),
                    content_type="application/x-www-form-urlencoded",
                ),
            )
        )
    return found


def web_post(client, asked):
    response = client.post("/viewings/new", **asked)
    location = response.headers.get("Location", "")
    assert response.status_code in (302, 303) and "/viewings/stopped/" not in location, (
        response.status_code,
        location,
    )
    return response


def api_clients(app, writers):
    """(client, request) for each writer: its bench token, and bench/run.py's body."""
    return [
        (app.test_client(), dict(headers=c.headers, data=c.body))
        for c in api_writer_clients(writers)
    ]


def api_post(client, asked):
    response = client.post("/api/v1/viewings", **asked)
    assert response.status_code == 201, (response.status_code, response.get_data(as_text=True))
    return response


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def measure(app, meter, name, clients, post, requests: int, show_queries: bool, top: int):
    for i in range(3 * len(clients)):
        client, body = clients[i % len(clients)]
        post(client, body)
    wall, cpu, commit, locked, counts, commits = [], [], [], [], [], []
    for i in range(requests):
        client, body = clients[i % len(clients)]
        meter.reset()
        started, started_cpu = time.perf_counter(), time.process_time()
        post(client, body)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        commit.append(meter.commit_s * 1000)
        locked.append(meter.locked_s * 1000)
        counts.append(meter.kinds())
        commits.append(meter.commits)
    last = counts[-1]
    print(
        f"{name}: {requests} requests, {len(clients)} writers in turn\n"
        f"  wall ms   median {statistics.median(wall):6.1f}  p95 {p95(wall):6.1f}\n"
        f"  CPU ms    median {statistics.median(cpu):6.1f}  p95 {p95(cpu):6.1f}\n"
        f"  COMMIT ms median {statistics.median(commit):6.2f}  ({commits[-1]} commit(s))\n"
        f"  write lock held ms median {statistics.median(locked):6.2f}  p95 {p95(locked):6.2f}\n"
        f"  statements {sum(last.values())}: "
        + ", ".join(f"{k} {last[k]}" for k in KINDS if last[k])
    )
    if show_queries:
        for statement in meter.statements:
            print("    ", " ".join(statement.split())[:160])
    if top:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(requests):
            client, body = clients[i % len(clients)]
            post(client, body)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(top)
    return statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--channel", default="web,api")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--queries", action="store_true", help="print one request's statements")
    parser.add_argument("--profile", type=int, default=0, help="print the N top functions")
    parser.add_argument(
        "--fair-floor", action="store_true", help="measure the fair floor after, in this process"
    )
    args = parser.parse_args(argv)

    found = plan(args.url, args.writers)
    app = make_app(args.url)
    app.config["AUDIT_HEAD_FILE"] = str(Path(tempfile.mkdtemp()) / "audit-head.log")
    meter = Meter(app)
    print(
        f"Database: {found.dialect}, {found.applications:,} applications, "
        f"{found.viewings:,} viewings"
    )
    cpu = {}
    for channel in args.channel.split(","):
        if channel == "web":
            clients, post = web_clients(app, found.writers), web_post
            name = "POST /viewings/new (web form)"
        else:
            clients, post = api_clients(app, found.writers), api_post
            name = "POST /api/v1/viewings (API token)"
        cpu[name] = measure(
            app, meter, name, clients, post, args.requests, args.queries, args.profile
        )
    if args.fair_floor:
        from profile_pages import fair_floor

        floor = fair_floor(args.url, args.requests)["cpu_ms"]
        print(f"fair floor: CPU ms median {floor:6.1f}")
        for name, ms in cpu.items():
            print(f"  {name}: {100 * floor / ms:.0f}% of the fair floor (CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
