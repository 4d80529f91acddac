"""Time and peak memory of reconciling a proxy log of 100,000 and 1,000,000 lines.

    python bench/reconcile.py [--database URL] [--lines 100000 1000000] [--applications 1000]

Without --database, a SQLite database is seeded in a temporary folder with bench/seed.py
(--applications applications, 10 viewings each, 200 users). With it, the database must be one
bench/seed.py filled. For each size, a Squid access.log is written in the temporary folder:

- about 90% requests to other sites, 3% HTTPS tunnels (CONNECT host:443), 0.5% malformed;
- every seeded viewing in the log's 30 days, with its officer's request of the profile a minute
  later, followed by a burst of the page's images and scripts (so matched);
- one profile visit with no viewing in every 2,000 lines (so unlogged, proposed as errors).

Each size runs in its own process, so that its peak memory is its own: the wall time and the
CPU time of reconcile_upload (the CPU time is steadier on a shared machine), the process's peak resident memory (ru_maxrss) before and after, and in a
second run the peak of Python's own allocations (tracemalloc, which slows the run down).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPAN = timedelta(days=30)
OTHER_HOSTS = [f"www.site{i}.example.com" for i in range(300)] + ["static.xx.fbcdn.net"]


def _viewings(url: str, end: datetime) -> list[tuple[float, str, str]]:
    """(time, log user, address) of every viewing in the log's 30 days, in time order."""
    from sqlalchemy import select

    from ripa_guard.accounts.models import User
    from ripa_guard.core.db import make_engine
    from ripa_guard.viewing.models import Viewing

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Viewing.viewed_at, User.email, Viewing.url)
            .join(User, User.id == Viewing.officer_id)
            .where(Viewing.viewed_at.between(end - SPAN, end))
            .order_by(Viewing.viewed_at)
        ).all()
        users = [e for (e,) in conn.execute(select(User.email))]
    engine.dispose()
    found = []
    for at, email, address in rows:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        found.append((at.timestamp(), email.split("@")[0], address))
    return found, [e.split("@")[0] for e in users]


def write_log(path: Path, lines: int, viewings, users, end: datetime, seed: int = 7) -> dict:
    """A Squid access.log of about `lines` lines, in time order; what it holds."""
    rng = random.Random(seed)
    start = (end - SPAN).timestamp()
    step = SPAN.total_seconds() / lines
    held = {"matched_bursts": 0, "unlogged": 0, "malformed": 0, "tunnels": 0}
    pending = [v for v in viewings if v[0] >= start]
    i = written = 0

    def line(ts, user, method, url, kind, code="TCP_MISS/200"):
        return f"{ts:.3f}    {rng.randint(5, 900)} 10.2.{rng.randint(0, 9)}.{rng.randint(1, 250)} {code} {rng.randint(200, 90000)} {method} {url} {user} HIER_DIRECT/192.0.2.1 {kind}\n"

    with path.open("w") as out:
        while written < lines:
            ts = start + written * step
            user = rng.choice(users)
            while i < len(pending) and pending[i][0] + 60 <= ts:
                at, who, address = pending[i]
                i += 1
                out.write(line(at + 60, who, "GET", address, "text/html"))
                for n in range(5):
                    kind = "image/jpeg" if n % 2 else "application/javascript"
                    out.write(line(at + 61 + n, who, "GET", f"{address}/asset{n}", kind))
                written += 6
                held["matched_bursts"] += 1
            roll = rng.random()
            if written % 2000 == 1999:
                handle = f"unlogged.seller{rng.randint(1, 5000)}"
                out.write(
                    line(ts, user, "GET", f"https://www.instagram.com/{handle}/", "text/html")
                )
                held["unlogged"] += 1
            elif roll < 0.005:
                out.write(f"{ts:.3f} garbage line {written}\n")
                held["malformed"] += 1
            elif roll < 0.035:
                out.write(
                    line(
                        ts, user, "CONNECT", f"{rng.choice(OTHER_HOSTS)}:443", "-", "TCP_TUNNEL/200"
                    )
                )
                held["tunnels"] += 1
            else:
                host = rng.choice(OTHER_HOSTS)
                path_ = f"/page/{rng.randint(1, 10**6)}"
                kind = rng.choice(["text/html", "image/png", "application/javascript"])
                out.write(line(ts, user, "GET", f"https://{host}{path_}", kind))
            written += 1
    held["lines"] = written
    held["bytes"] = path.stat().st_size
    return held


def run_one(url: str, log: Path, traced: bool) -> dict:
    """Reconcile `log` once in this process; its figures."""
    from ripa_guard import create_app
    from ripa_guard.core import clock, db
    from ripa_guard.oversight import reconciliation

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "AUDIT_KEY": "bench",
            "TOTP_KEY": "YmVuY2ggb25seTogYmVuY2ggb25seTogYmVuY2ggb25seTo=",
            "AUTO_MIGRATE": False,
            "DB_STATEMENT_TIMEOUT_MS": None,
            "RECONCILE_USER_MATCH": "local-part",
        }
    )
    with app.app_context():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if traced:
            tracemalloc.start()
        started, cpu = time.perf_counter(), time.process_time()
        with log.open("rb") as raw:
            found = reconciliation.reconcile_upload(
                db.session(),
                None,
                raw,
                file_name=log.name,
                file_format="squid",
                users=None,
                config=app.config,
                today=clock.today(),
            )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = tracemalloc.get_traced_memory()[1] if traced else None
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "maxrss_before_mb": round(before / 1024, 1),
            "maxrss_after_mb": round(after / 1024, 1),
            "tracemalloc_peak_mb": round(peak / 2**20, 1) if peak else None,
            "lines": found.lines,
            "visits": found.visits,
            "matched": found.matched,
            "unlogged": found.unlogged,
            "malformed": found.malformed,
            "host_only": found.host_only,
            "other_sites": found.other_sites,
            "not_pages": found.not_pages,
        }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database")
    p.add_argument("--lines", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--applications", type=int, default=1_000)
    p.add_argument("--no-tracemalloc", action="store_true", help="the plain run only")
    p.add_argument("--one", nargs=3, metavar=("URL", "LOG", "TRACED"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        url, log, traced = args.one
        print(json.dumps(run_one(url, Path(log), traced == "1")))
        return 0
    with tempfile.TemporaryDirectory(prefix="reconcile-bench-") as tmp:
        folder = Path(tmp)
        url = args.database
        if not url:
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "seed.py"),
                    url,
                    "--applications",
                    str(args.applications),
                    "--users",
                    "200",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(
                f"seeded {url} ({args.applications} applications) in {time.perf_counter() - started:.0f} s"
            )
        end = datetime.now(UTC)
        viewings, users = _viewings(url, end)
        print(f"{len(viewings)} viewings in the log's 30 days; {len(users)} users")
        for lines in args.lines:
            log = folder / f"access-{lines}.log"
            held = write_log(log, lines, viewings, users, end)
            print(f"\n{lines:,} lines: {log.name}, {held['bytes'] / 2**20:.0f} MB, {held}")
            for traced in ("0",) if args.no_tracemalloc else ("0", "1"):
                out = subprocess.run(
                    [sys.executable, __file__, "--one", url, str(log), traced],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                figures = json.loads(out.strip().splitlines()[-1])
                label = "with tracemalloc" if traced == "1" else "plain"
                print(f"  {label}: {json.dumps(figures)}")
            log.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
