"""Measure the speed of the main read pages against a seeded database, with gunicorn and wrk.

    python bench/run.py URL --size-label L [--duration 10] [--connections 4] [--threads 2]

URL is the SQLAlchemy URL of a database filled by bench/seed.py. The app (ripa_guard:create_app())
and a bare constant Flask view (bench/floor.py, the floor) are each served by gunicorn on
127.0.0.1 on a free port, with the same workers. One client signs in once, as the seeded SRO, and
wrk reuses its session cookie for every request. Each page is checked to answer 200 with that
cookie before and after its run, so a run that was only redirected to sign-in is not counted.

Needs gunicorn (pip install -e '.[bench]') and wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seed import PASSWORD, SRO_EMAIL  # noqa: E402

SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app: str, port: int, workers: int, env: dict, chdir: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
           "--worker-class", "sync", "--log-level", "warning", "--timeout", "60", app]
    proc = subprocess.Popen(cmd, env=env, cwd=chdir, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn {app} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"gunicorn {app} did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def sign_in(base: str) -> str:
    """Sign in once as the SRO; returns the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{base}/sign-in", timeout=30) as r:
        page = r.read().decode()
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    if not m:
        raise SystemExit("No CSRF token on /sign-in")
    data = urllib.parse.urlencode(
        {"csrf_token": m.group(1), "email": SRO_EMAIL, "password": PASSWORD}).encode()
    try:
        opener.open(f"{base}/sign-in", data=data, timeout=30)
        raise SystemExit("Sign-in did not redirect: wrong password or a form error")
    except urllib.error.HTTPError as e:
        if e.code not in (302, 303):
            raise SystemExit(f"Sign-in answered {e.code}") from e
        where = e.headers.get("Location", "")
        if "sign-in" in where or "password" in where:
            raise SystemExit(f"Sign-in redirected to {where}") from None
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def status_of(url: str, cookie: str | None) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(req, timeout=60) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    return float(m.group(1)) * UNITS[m.group(2)]


def wrk(url: str, cookie: str | None, duration: int, connections: int, threads: int) -> dict:
    cmd = ["wrk", "--latency", f"-d{duration}s", f"-c{connections}", f"-t{threads}",
           "--timeout", "30s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60,
                         check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "errors": 0}
    for pct in ("50", "75", "90", "99"):
        result[f"p{pct}"] = to_ms(re.search(rf"\s{pct}%\s+(\S+)", out).group(1))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["errors"] += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] += sum(int(g) for g in m.groups())
    return result


def record_id(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.scalar(text(
            "SELECT id FROM applications WHERE status = 'active' ORDER BY id LIMIT 1"
        )) or conn.scalar(text("SELECT MIN(id) FROM applications"))
    engine.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("url")
    p.add_argument("--size-label", required=True)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = p.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    env = {**os.environ, "RIPA_GUARD_DATABASE_URL": args.url,
           "RIPA_GUARD_SECRET_KEY": SECRET_KEY, "RIPA_GUARD_AUTO_MIGRATE": "false"}
    rid = record_id(args.url)
    paths = ["/dashboard", "/register/", "/register/?status=active",
             "/register/?q=BENCH/2026/00001", f"/register/{rid}"]
    results: list[tuple[str, dict]] = []
    procs = []
    try:
        port = free_port()
        procs.append(start_gunicorn("bench.floor:app", port, args.workers, env, ROOT))
        floor_url = f"http://127.0.0.1:{port}/"
        if status_of(floor_url, None) != 200:
            raise SystemExit("The floor did not answer 200")
        floor = wrk(floor_url, None, args.duration, args.connections, args.threads)
        stop(procs.pop())

        port = free_port()
        procs.append(start_gunicorn("ripa_guard:create_app()", port, args.workers, env, ROOT))
        base = f"http://127.0.0.1:{port}"
        cookie = sign_in(base)
        for path in paths:
            url = base + path
            before = status_of(url, cookie)
            if before != 200:
                raise SystemExit(f"{path} answered {before} before the run")
            r = wrk(url, cookie, args.duration, args.connections, args.threads)
            after = status_of(url, cookie)
            if after != 200:
                raise SystemExit(f"{path} answered {after} after the run")
            results.append((path, r))
    finally:
        for proc in procs:
            stop(proc)

    results.append(("floor (bench/floor.py)", floor))
    print(f"\nSize: {args.size_label}; wrk {args.duration} s, {args.connections} connections, "
          f"{args.threads} threads; gunicorn {args.workers} sync workers\n")
    print("| Page | Requests/s | p50 ms | p90 ms | p99 ms | Non-2xx/errors | % of floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path, r in results:
        print(f"| `{path}` | {r['rps']:.1f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
              f"| {r['errors']} | {100 * r['rps'] / floor['rps']:.1f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
