"""Measure the check endpoint, POST /api/v1/checks, with N concurrent clients, beside the floor.

    python bench/check.py URL [--connections 32] [--duration 10] [--workers N] [--sessions 8]

URL is a database filled by bench/seed.py. Each of --sessions officers (one API token each, an
active authorisation each) asks "may I view my subject's profile now, in my investigation?":
the answer is "authorised" (200), so a success is a 200. wrk holds --connections connections
open at once. The same gunicorn settings serve bench/floor.py, the bare Flask floor. Prints
p50 and p95 for both. Uses bench/run.py's gunicorn, wrk and probe functions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402
    SECRET_KEY,
    Expect,
    api_writer_clients,
    check,
    measure_floor,
    ms,
    plan,
    start_gunicorn,
    stop,
    wrk,
)

CHECK = Expect(success=(200,), stopped=(403,))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("url")
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    p.add_argument("--sessions", type=int, default=8, help="officers asking, one token each")
    p.add_argument("--timeout", type=int, default=60)
    args = p.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    env = {
        **os.environ,
        "RIPA_GUARD_DATABASE_URL": args.url,
        "RIPA_GUARD_SECRET_KEY": SECRET_KEY,
        "RIPA_GUARD_AUTO_MIGRATE": "false",
        "RIPA_GUARD_RATELIMIT_ENABLED": "false",
    }
    found = plan(args.url, args.sessions)
    if not found.writers:
        raise SystemExit("No officer has an active application besides the record's: seed again")
    floor = measure_floor(args, env)
    proc, base = start_gunicorn("ripa_guard:create_app()", args.workers, args.timeout, env)
    try:
        clients = api_writer_clients(found.writers, "/api/v1/checks")
        check(base, clients, CHECK, "before", args.timeout)
        result = wrk(base, clients, CHECK, args)
        check(base, clients, CHECK, "after", args.timeout)
    finally:
        stop(proc)
    print(
        f"\n{found.applications:,} applications, {found.viewings:,} viewings, {found.dialect}; "
        f"{args.connections} connections, {len(clients)} officers, {args.workers} gunicorn "
        f"workers, {args.duration} s\n"
    )
    print("| | requests/s | p50 | p95 | errors |")
    print("| --- | --- | --- | --- | --- |")
    for name, r in (("floor (`bench/floor.py`)", floor), ("`POST /api/v1/checks`", result)):
        print(f"| {name} | {r['rps']:.0f} | {ms(r['p50'])} | {ms(r['p95'])} | {r['errors']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
