"""Measure the app's main pages, its write paths and the floor, with gunicorn and wrk.

    python bench/run.py URL [--duration 10] [--connections 4] [--threads 2] [--workers N]
                            [--sessions 4] [--json results.json] [--pages dashboard,record,...]

URL is the SQLAlchemy URL of a database filled by bench/seed.py (see its docstring).

Each page is measured against a fresh gunicorn (sync workers, on 127.0.0.1, a free port)
serving ripa_guard:create_app(), so a slow request left running by one page cannot slow the
next. The floor, bench/floor.py (a bare constant Flask view), is served by the same gunicorn
settings. The server runs with RIPA_GUARD_AUTO_MIGRATE=false and RIPA_GUARD_RATELIMIT_ENABLED=
false (Flask-Limiter's switch: every client signs in from 127.0.0.1).

wrk drives each page with bench/lua/sessions.lua: --sessions clients, each signed in as a
different user (or, for the API, with a different officer's token), are shared out over wrk's
threads and connections. Readers are the seeded SRO, the RIPA coordinator and authorising
officers (for /authorisations/decisions, without the coordinator, who does not decide); the
officers' own pages (dashboard_officer, investigations) are read by the writers below.
Writers are distinct officers, each with an active application that has effect today: each
logs viewings of its own subject's profile under its own case reference, which the app allows
("authorised"), using the web form (with the CSRF token of its own session) or POST
/api/v1/viewings with its own token. A response is counted a success only if it is what a
working client expects: 200 for a page (not a redirect to sign-in), a redirect to the new
viewing for the form, 201 for the API. Blocked or refused viewings (a redirect to the stopped
attempt, or 403) are counted apart. Every client's request is made once before the run and
once after, and must succeed.

Needs gunicorn (pip install -e '.[bench]') and wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seed import COMMON_WORD, COORDINATOR_EMAIL, PASSWORD, SRO_EMAIL, bench_token  # noqa: E402

SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105
LUA_SCRIPT = ROOT / "bench" / "lua" / "sessions.lua"
#: The pages, in the order they are run: (name, what the table calls it).
PAGES = {
    "dashboard": "`GET /dashboard`",
    "register": "`GET /register/`",
    "register_status": "`GET /register/?status=active`",
    "register_urn": "`GET /register/?q=<URN>`",
    "register_subject": "`GET /register/?q=<subject name>`",
    "register_word": "`GET /register/?q=fraud` (13% of titles)",
    "register_year": "`GET /register/?year=<last year>`",
    "record": "`GET /register/<id>` (active)",
    "decisions": "`GET /authorisations/decisions`",
    "application": "`GET /applications/<id>` (active)",
    "about": "`GET /about`",
    "dashboard_officer": "`GET /dashboard` (officers)",
    "investigations": "`GET /investigations/` (officers)",
    "viewing_web": "`POST /viewings/new` (web form)",
    "viewing_api": "`POST /api/v1/viewings` (API token)",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The database: who signs in, and what they ask for ---------------------------------------------


@dataclass
class Writer:
    officer_id: int
    email: str
    application_id: int
    reference: str
    subject: str
    url: str
    research_profile_id: int


@dataclass
class Plan:
    dialect: str
    applications: int
    viewings: int
    users: int
    readers: list[str]
    record_id: int
    record_urn: str
    record_subject: str
    writers: list[Writer] = field(default_factory=list)


def plan(url: str, sessions: int) -> Plan:
    from sqlalchemy import create_engine, func, select

    from ripa_guard.accounts.models import Role, User, UserRole
    from ripa_guard.applications.models import Application, ApplicationStatus, Subject
    from ripa_guard.core import clock
    from ripa_guard.viewing.models import ApiToken, ResearchProfileUser, Viewing
    from ripa_guard.viewing.tokens import token_hash

    today = clock.today()
    engine = create_engine(url)
    with engine.connect() as conn:

        def count(model):
            return conn.scalar(select(func.count()).select_from(model.__table__))

        aos = conn.scalars(
            select(User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.AUTHORISING_OFFICER, User.active.is_(True))
            .order_by(User.id)
        ).all()
        readers = [SRO_EMAIL, COORDINATOR_EMAIL, *aos][: max(sessions, 1)]
        in_effect = conn.execute(
            select(
                Application.id,
                Application.urn,
                Application.case_reference,
                Application.officer_id,
                User.email,
            )
            .join(User, User.id == Application.officer_id)
            .where(
                Application.status == ApplicationStatus.ACTIVE,
                Application.takes_effect <= today,
                Application.last_day >= today,
                Application.cancelled_on.is_(None),
            )
            .order_by(Application.id)
        ).all()
        if len(in_effect) < 2:
            raise SystemExit(
                "Too few active applications with effect today: seed again "
                "(bench/seed.py makes them relative to the day it runs)"
            )
        record = in_effect[0]
        subjects = dict(
            conn.execute(
                select(Subject.application_id, Subject.name).where(
                    Subject.application_id.in_([a.id for a in in_effect])
                )
            ).all()
        )
        found = Plan(
            dialect=engine.dialect.name,
            applications=count(Application),
            viewings=count(Viewing),
            users=count(User),
            readers=readers,
            record_id=record.id,
            record_urn=record.urn,
            record_subject=subjects[record.id],
        )
        seen = {record.officer_id}
        for app in in_effect[1:]:
            if app.officer_id in seen:
                continue
            seen.add(app.officer_id)
            profile = conn.scalar(
                select(ResearchProfileUser.research_profile_id)
                .where(
                    ResearchProfileUser.user_id == app.officer_id,
                    ResearchProfileUser.removed_at.is_(None),
                )
                .order_by(ResearchProfileUser.id)
            )
            token = conn.scalar(
                select(ApiToken.id).where(
                    ApiToken.token_hash == token_hash(bench_token(app.officer_id))
                )
            )
            if profile is None or token is None:
                raise SystemExit(
                    f"Officer {app.email} has no research profile or bench token: "
                    "seed the database with bench/seed.py"
                )
            found.writers.append(
                Writer(
                    officer_id=app.officer_id,
                    email=app.email,
                    application_id=app.id,
                    reference=app.case_reference,
                    subject=subjects[app.id],
                    url=conn.scalar(
                        select(Subject.profiles).where(Subject.application_id == app.id)
                    )[0]["url"],
                    research_profile_id=profile,
                )
            )
            if len(found.writers) == sessions:
                break
    engine.dispose()
    return found


# The server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app: str, workers: int, timeout: int, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [
        str(gunicorn),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "5",
        app,
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn {app} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, f"http://127.0.0.1:{port}"
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


# Clients -----------------------------------------------------------------------------------------


@dataclass
class Client:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None

    def lua(self) -> dict:
        return {
            "method": self.method,
            "path": self.path,
            "headers": self.headers,
            "body": self.body,
        }


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(page: str, where: str) -> str:
    m = CSRF.search(page)
    if not m:
        raise SystemExit(f"No CSRF token on {where}")
    return m.group(1) or m.group(2)


def signed_in(
    base: str, email: str
) -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    """Sign in as `email`; the opener and its cookie jar keep the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{base}/sign-in", timeout=60) as r:
        token = csrf_token(r.read().decode(), "/sign-in")
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
    try:
        opener.open(f"{base}/sign-in", data=data.encode(), timeout=60)
        raise SystemExit(f"Signing in as {email} did not redirect: wrong password or form error")
    except urllib.error.HTTPError as e:
        if e.code not in (302, 303):
            raise SystemExit(f"Signing in as {email} answered {e.code}") from e
        where = e.headers.get("Location", "")
        if "sign-in" in where or "password" in where or "two-step" in where:
            raise SystemExit(f"Signing in as {email} redirected to {where}") from None
    return opener, jar


def cookie_header(jar: http.cookiejar.CookieJar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def reader_clients(base: str, readers: list[str], path: str) -> list[Client]:
    clients = []
    for email in readers:
        _opener, jar = signed_in(base, email)
        clients.append(Client("GET", path, {"Cookie": cookie_header(jar)}))
    return clients


def web_writer_clients(base: str, writers: list[Writer]) -> list[Client]:
    """Each officer signed in, with the CSRF token of their own session (reusable: Flask-WTF's
    token lasts as long as the session here, WTF_CSRF_TIME_LIMIT = None)."""
    clients = []
    for w in writers:
        opener, jar = signed_in(base, w.email)
        with opener.open(f"{base}/viewings/new", timeout=120) as r:
            token = csrf_token(r.read().decode(), "/viewings/new")
        body = viewing_form(w, token)
        clients.append(
            Client(
                "POST",
                "/viewings/new",
                {"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"},
                body,
            )
        )
    return clients


def viewing_form(w: Writer, token: str) -> str:
    """The web form's body for the writer's viewing, with the CSRF token of its session."""
    return urllib.parse.urlencode(
        {
            "csrf_token": token,
            "url": w.url,
            "investigation": str(w.application_id),
            "subject": w.subject,
            "research_profile": str(w.research_profile_id),
            "purpose": "Check for new listings",
            "captured": "no",
            "capture_location": "",
        }
    )


def api_writer_clients(writers: list[Writer], path: str = "/api/v1/viewings") -> list[Client]:
    """Each officer with their own token, asking about their own subject's profile under their
    own investigation (POST /api/v1/viewings, or the same body to /api/v1/checks)."""
    return [
        Client(
            "POST",
            path,
            {
                "Authorization": f"Bearer {bench_token(w.officer_id)}",
                "Content-Type": "application/json",
            },
            json.dumps(
                {
                    "url": w.url,
                    # bench/seed.py gives each application's investigation the same id.
                    "investigation": w.application_id,
                    "subject": w.subject,
                    "purpose": "Check for new listings",
                    "research_profile": w.research_profile_id,
                    "captured": False,
                }
            ),
        )
        for w in writers
    ]


@dataclass
class Expect:
    """What counts as success, and as a stopped viewing, for a page."""

    success: tuple[int, ...] = (200,)
    stopped: tuple[int, ...] = ()
    success_location: str | None = None  # a Lua pattern on the Location of a redirect
    stopped_location: str | None = None

    def outcome(self, status: int, location: str) -> str:
        if self.success_location:
            if 300 <= status < 400:
                if self.stopped_location and re.search(self.stopped_location, location):
                    return "stopped"
                if re.search(self.success_location.replace("%d", r"\d"), location):
                    return "success"
            return "failure"
        if status in self.success:
            return "success"
        return "stopped" if status in self.stopped else "failure"

    def lua(self) -> dict:
        found = {"success": list(self.success), "stopped": list(self.stopped)}
        if self.success_location:
            found["success_location"] = self.success_location
            found["stopped_location"] = self.stopped_location
        return found


PAGE = Expect()
#: Pages measured as the writers (officers) see them.
OFFICER_PAGES = {"dashboard_officer": "/dashboard", "investigations": "/investigations/"}
WEB_FORM = Expect(success_location="/viewings/%d+$", stopped_location="/viewings/stopped/")
API = Expect(success=(201,), stopped=(403,))


def probe(base: str, client: Client, timeout: float) -> tuple[int, str]:
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(
        base + client.path,
        method=client.method,
        headers=client.headers,
        data=client.body.encode() if client.body is not None else None,
    )
    try:
        with opener.open(req, timeout=timeout) as r:
            r.read()
            return r.status, r.headers.get("Location", "")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", "")
    except (TimeoutError, urllib.error.URLError) as e:
        raise SystemExit(
            f"{client.method} {client.path} got no answer within {timeout:.0f} s "
            f"({e}): raise --timeout"
        ) from None


def check(base: str, clients: list[Client], expect: Expect, when: str, timeout: float) -> None:
    """Every client's request once, all at once: each must succeed. They queue for the
    workers, so each may wait for all the others."""
    timeout *= len(clients)
    with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(lambda c: probe(base, c, timeout), clients))
    for client, (status, location) in zip(clients, answers, strict=True):
        if expect.outcome(status, location) != "success":
            raise SystemExit(
                f"{client.method} {client.path} answered {status} {location} {when} the run"
            )


# wrk -----------------------------------------------------------------------------------------


def lua_literal(value) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # ASCII with \" \\ \n \uXXXX escapes...
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua_literal(v) for v in value) + "}"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(
                f"[{json.dumps(str(k))}] = {lua_literal(v)}"
                for k, v in value.items()
                if v is not None
            )
            + "}"
        )
    raise TypeError(value)


def wrk(base: str, clients: list[Client], expect: Expect, args) -> dict:
    config = {"clients": [c.lua() for c in clients], **expect.lua()}
    text = "return " + lua_literal(config) + "\n"
    if "\\u" in text:
        raise SystemExit("Non-ASCII text in a request: wrk's Lua cannot read \\u escapes")
    threads = min(args.threads, args.connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(text)
    try:
        env = {**os.environ, "BENCH_WRK_CONFIG": f.name, "BENCH_WRK_THREADS": str(threads)}
        cmd = [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(args.connections),
            "-d",
            f"{args.duration}s",
            "--timeout",
            f"{args.timeout}s",
            "-s",
            str(LUA_SCRIPT),
            base + clients[0].path,
        ]
        out = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=args.duration + args.timeout + 60,
        ).stdout
    finally:
        os.unlink(f.name)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    seconds = raw["duration_us"] / 1e6
    lat = {k: (v / 1000 if v >= 0 else None) for k, v in raw["latency_us"].items()}
    sockets = sum(raw["socket_errors"].values())
    outcomes = raw["outcomes"]
    answered = sum(outcomes.values())
    return {
        "requests": raw["requests"],
        "seconds": seconds,
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50": lat["p50"],
        "p90": lat["p90"],
        "p95": lat["p95"],
        "p99": lat["p99"],
        "max": lat["max"],
        "mean": lat["mean"],
        "errors": outcomes.get("failure", 0) + sockets,
        "socket_errors": raw["socket_errors"],
        "statuses": {str(k): v for k, v in sorted(raw["statuses"].items())},
        "outcomes": outcomes,
        "allowed_share": outcomes.get("success", 0) / answered if answered else None,
    }


# The run -----------------------------------------------------------------------------------------


def measure_page(name: str, p: Plan, args, env: dict) -> dict:
    proc, base = start_gunicorn("ripa_guard:create_app()", args.workers, args.timeout, env)
    try:
        if name == "viewing_web":
            clients, expect = web_writer_clients(base, p.writers), WEB_FORM
        elif name == "viewing_api":
            clients, expect = api_writer_clients(p.writers), API
        elif name in OFFICER_PAGES:
            # The writers are officers with an authorisation in force: their own home pages.
            path = OFFICER_PAGES[name]
            clients, expect = reader_clients(base, [w.email for w in p.writers], path), PAGE
        else:
            readers = p.readers
            if name == "decisions":
                # The RIPA coordinator does not decide: the SRO and authorising officers.
                readers = [r for r in p.readers if r != COORDINATOR_EMAIL]
            path = {
                "dashboard": "/dashboard",
                "register": "/register/",
                "register_status": "/register/?status=active",
                "register_urn": "/register/?" + urllib.parse.urlencode({"q": p.record_urn}),
                "register_subject": "/register/?" + urllib.parse.urlencode({"q": p.record_subject}),
                "register_word": "/register/?" + urllib.parse.urlencode({"q": COMMON_WORD}),
                "register_year": f"/register/?year={date.today().year - 1}",
                "record": f"/register/{p.record_id}",
                "decisions": "/authorisations/decisions",
                "application": f"/applications/{p.record_id}",
                "about": "/about",
            }[name]
            clients, expect = reader_clients(base, readers, path), PAGE
        check(base, clients, expect, "before", args.timeout)  # also warms the workers up
        result = wrk(base, clients, expect, args)
        check(base, clients, expect, "after", args.timeout)
    finally:
        stop(proc)
    result.update(
        name=name,
        label=PAGES[name],
        method=clients[0].method,
        path=clients[0].path,
        clients=len(clients),
    )
    return result


def measure_floor(args, env: dict) -> dict:
    proc, base = start_gunicorn("bench.floor:app", args.workers, args.timeout, env)
    try:
        clients = [Client("GET", "/", {})] * max(args.sessions, 1)
        check(base, clients, PAGE, "before", args.timeout)
        result = wrk(base, clients, PAGE, args)
    finally:
        stop(proc)
    result.update(
        name="floor", label="floor (`bench/floor.py`)", method="GET", path="/", clients=len(clients)
    )
    return result


def measure_fair_floor(p: Plan, args, env: dict) -> dict:
    """The signed-in floor (bench/fair_floor.py), with the same readers as the pages."""
    proc, base = start_gunicorn("bench.fair_floor:create_app()", args.workers, args.timeout, env)
    try:
        clients = reader_clients(base, p.readers, "/")
        check(base, clients, PAGE, "before", args.timeout)
        result = wrk(base, clients, PAGE, args)
    finally:
        stop(proc)
    result.update(
        name="fair_floor",
        label="fair floor (`bench/fair_floor.py`)",
        method="GET",
        path="/",
        clients=len(clients),
    )
    return result


def versions(p: Plan, url: str) -> dict:
    from importlib.metadata import version

    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        db = conn.scalar(
            text("SELECT sqlite_version()" if p.dialect == "sqlite" else "SHOW server_version")
        )
    engine.dispose()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "python": platform.python_version(),
        "gunicorn": version("gunicorn"),
        "sqlalchemy": version("sqlalchemy"),
        "database": f"{p.dialect} {db}",
        "wrk": wrk_version.split(" [")[0].strip(),
        "nproc": os.cpu_count(),
    }


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _share(r: dict, floor: dict | None) -> str:
    return f"{100 * r['rps'] / floor['rps']:.1f}%" if floor and floor["rps"] else "–"


def table(results: list[dict], floor: dict, fair: dict | None = None) -> list[str]:
    """One line a page, with its throughput as a share of each floor (the fair floor's column
    is left out when it was not measured)."""
    fair_head = " Requests/s, % of fair floor |" if fair else ""
    lines = [
        "| Page | Requests/s | p50 ms | p95 ms | p99 ms | Errors | Allowed "
        f"|{fair_head} Requests/s, % of floor | p95, × floor |",
        "|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if fair else "") + "---:|---:|",
    ]
    for r in [*results, *([fair] if fair else []), floor]:
        allowed = (
            f"{100 * r['allowed_share']:.0f}%"
            if r["name"].startswith("viewing_") and r["allowed_share"] is not None
            else ""
        )
        times = f"{r['p95'] / floor['p95']:.0f}×" if r["p95"] is not None and floor["p95"] else "–"
        fair_cell = f" {_share(r, fair)} |" if fair else ""
        lines.append(
            f"| {r['label']} | {r['rps']:.1f} | {ms(r['p50'])} | {ms(r['p95'])} "
            f"| {ms(r['p99'])} | {r['errors']} | {allowed} |{fair_cell} {_share(r, floor)} "
            f"| {times} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("url")
    p.add_argument("--size-label", help="default: counted from the database")
    p.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    p.add_argument(
        "--sessions", type=int, default=4, help="signed-in users (or API tokens) per page"
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=120,
        help="seconds before wrk gives up on a response (and gunicorn's worker timeout)",
    )
    p.add_argument(
        "--pages", default=",".join(PAGES), help=f"comma-separated, from: {','.join(PAGES)}"
    )
    p.add_argument("--json", type=Path, help="also write the results here, for bench/plot.py")
    args = p.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    pages = [n.strip() for n in args.pages.split(",") if n.strip()]
    if unknown := [n for n in pages if n not in PAGES]:
        raise SystemExit(f"Unknown pages: {', '.join(unknown)}")

    env = {
        **os.environ,
        "RIPA_GUARD_DATABASE_URL": args.url,
        "RIPA_GUARD_SECRET_KEY": SECRET_KEY,
        "RIPA_GUARD_AUTO_MIGRATE": "false",
        "RIPA_GUARD_RATELIMIT_ENABLED": "false",
        "RIPA_GUARD_REQUIRE_TOTP_FOR_DECIDERS": "false",
    }
    found = plan(args.url, args.sessions)
    if any(n.startswith("viewing_") or n in OFFICER_PAGES for n in pages) and not found.writers:
        raise SystemExit("No officer has an active application besides the record's")
    db_name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(found.dialect, found.dialect)
    label = args.size_label or (
        f"{found.applications:,} applications, {found.viewings:,} "
        f"viewings, {found.users:,} users, {db_name}"
    )
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    floor = measure_floor(args, env)
    fair = measure_fair_floor(found, args, env)
    results = []
    for name in pages:
        print(f"... {name}", file=sys.stderr, flush=True)
        results.append(measure_page(name, found, args, env))

    threads = min(args.threads, args.connections)
    print(
        f"\nSize: {label}; wrk {args.duration} s per page, {args.connections} connections, "
        f"{threads} threads, {args.sessions} signed-in clients; gunicorn {args.workers} sync "
        f"workers\n"
    )
    print("\n".join(table(results, floor, fair)))
    if few := [r["label"] for r in results if r["requests"] < 10]:
        print(
            f"\nFewer than 10 responses in {args.duration} s, too few for percentiles: "
            f"{', '.join(few)}. Lengthen --duration (and --timeout if a response takes "
            "longer than it)."
        )
    print(
        f"\nRecord page: application {found.record_id} ({found.record_urn}); subject search: "
        f"{found.record_subject!r}. Readers: {', '.join(found.readers)}. Writers: "
        + ", ".join(f"{w.email} on {w.reference}" for w in found.writers)
    )
    if args.json:
        meta = {
            "label": label,
            "started": started,
            "dialect": found.dialect,
            "applications": found.applications,
            "viewings": found.viewings,
            "users": found.users,
            "duration": args.duration,
            "connections": args.connections,
            "threads": threads,
            "workers": args.workers,
            "sessions": args.sessions,
            "readers": found.readers,
            "writers": [w.email for w in found.writers],
            "record_id": found.record_id,
            "versions": versions(found, args.url),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"meta": meta, "floor": floor, "fair_floor": fair, "results": results}, indent=2
            )
            + "\n"
        )
        print(f"Results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
