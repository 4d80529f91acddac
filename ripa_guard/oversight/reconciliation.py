"""The SRO's reconciliation of a proxy log: run it, keep what it found, propose the errors.

The SRO oversees compliance and reports relevant errors to IPCO (DOMAIN.md §2); a look at a
profile that went round the viewing log is one ripa_guard can find itself. Reading and matching
are the viewing log's (viewing/proxy_logs.py, viewing/reconcile.py); this keeps the run and its
unlogged visits, each written once, and has relevant_errors propose one error per officer,
profile and day.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import audit
from ripa_guard.core.changes import InputProblem, Refused, commit
from ripa_guard.core.clock import local_date
from ripa_guard.oversight import relevant_errors
from ripa_guard.oversight.models import RelevantError
from ripa_guard.oversight.reconciliation_models import ReconciliationRun, UnloggedVisit
from ripa_guard.viewing import log_users, proxy_logs, reconcile
from ripa_guard.viewing.proxy_logs import LogProblem, ReadReport

#: Unlogged visits written to the database at a time.
_WRITE_EVERY = 500


@dataclass(frozen=True)
class Options:
    """How to read and match, from the settings."""

    user_match: str = "local-part"
    mapping: dict[str, str] | None = None
    users_file: str = ""
    match_minutes: int = 10
    burst_seconds: int = 120

    @classmethod
    def from_config(cls, config, mapping=None, users_file: str = "") -> Options:
        return cls(
            user_match=config.get("RECONCILE_USER_MATCH", "local-part"),
            mapping={**(config.get("RECONCILE_USER_MAP") or {}), **(mapping or {})},
            users_file=users_file,
            match_minutes=int(config.get("RECONCILE_MATCH_MINUTES", 10)),
            burst_seconds=int(config.get("RECONCILE_BURST_SECONDS", 120)),
        )


def may_reconcile(actor: User | None) -> bool:
    return actor is None or actor.has_role(Role.SRO)


def proposal_key(officer_id: int, identity: str, visited_on) -> str:
    """One proposed error per officer, profile and day, whichever log shows it first."""
    digest = hashlib.sha256(identity.encode()).hexdigest()[:24]
    return f"unlogged_visit:{officer_id}:{visited_on.isoformat()}:{digest}"


def reconcile_log(
    session: Session,
    actor: User | None,
    raw: BinaryIO,
    *,
    file_name: str,
    file_format: str | None,
    options: Options,
    today,
) -> ReconciliationRun:
    """Read `raw` (a proxy log, plain or gzip) and match its visits to profiles with the
    viewing log; store the run and its unlogged visits, audited, and propose the errors.
    `actor` None is the command line. InputProblem("file", ...) when it is no log at all."""
    if not may_reconcile(actor):
        raise Refused("Only the senior responsible officer can reconcile proxy logs.")
    kind = file_format or proxy_logs.guess_format(file_name)
    users = log_users.log_users(session, options.user_match, options.mapping or {})
    settings = reconcile.Settings(
        match_window=timedelta(minutes=options.match_minutes),
        burst_gap=timedelta(seconds=options.burst_seconds),
    )
    # Nothing is written, and no transaction is held, while the log is read: each batch of
    # visits reads its viewings and ends its transaction (a request's transaction left idle
    # would be ended by the server). What was found waits in a spool file, then is written
    # in one short transaction.
    session.commit()
    settings.after_batch = session.commit
    report, tally = ReadReport(), reconcile.Tally()
    hashed, lines = proxy_logs.text_lines(raw)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+t") as spool:
        try:
            requests = proxy_logs.read_log(lines, kind, report)
            hits = reconcile.profile_requests(requests, users, tally)
            visits = reconcile.fold_bursts(hits, settings.burst_gap)
            matched = reconcile.match_visits(session, visits, settings)
            counts = _spool_unlogged(spool, matched)
            _check_read(report, kind)
        except LogProblem as problem:
            session.rollback()
            raise InputProblem("file", str(problem)) from problem
        except InputProblem:
            session.rollback()
            raise
        run = ReconciliationRun(
            run_by_id=actor.id if actor else None,
            file_name=file_name[:255] or "proxy log",
            file_format=kind,
            user_match=options.user_match,
            users_file=options.users_file[:255],
            match_minutes=options.match_minutes,
        )
        _fill(run, report, tally, users, counts, hashed)
        session.add(run)
        session.flush()
        spool.seek(0)
        _write_unlogged(session, run, spool, users)
    audit.record(
        session,
        actor,
        "reconciliation.run",
        "reconciliation",
        run.id,
        file_name=run.file_name,
        file_sha256=run.file_sha256,
        lines=run.lines,
        visits=run.visits,
        unlogged=run.unlogged,
    )
    relevant_errors.propose_errors(session, today)
    commit(session)
    return run


#: The most a users file may hold, in bytes: a line for each person who uses the proxy.
USERS_FILE_MAX = 1024 * 1024


def reconcile_upload(
    session: Session,
    actor: User | None,
    raw: BinaryIO,
    *,
    file_name: str,
    file_format: str | None,
    users: tuple[str, bytes] | None,
    config,
    today,
) -> ReconciliationRun:
    """reconcile_log with the settings in `config` and an optional users file (its name and
    bytes) of log user names to e-mail addresses."""
    mapping, users_name = None, ""
    if users is not None:
        users_name, data = users
        if len(data) > USERS_FILE_MAX:
            raise InputProblem("users", "The users file must be smaller than 1 MB")
        mapping = log_users.mapping_from_bytes(data)
    options = Options.from_config(config, mapping, users_name)
    return reconcile_log(
        session,
        actor,
        raw,
        file_name=file_name,
        file_format=file_format,
        options=options,
        today=today,
    )


def _spool_unlogged(spool, matched) -> tuple[int, int]:
    """Each unlogged visit as a line of JSON in `spool`; (visits, unlogged)."""
    visits = unlogged = 0
    for found in matched:
        visits += 1
        if found.viewing_id is not None:
            continue
        unlogged += 1
        v = found.visit
        row = [
            v.officer_id,
            v.log_user[:200],
            v.identity[:400],
            v.platform,
            v.address,
            v.line,
            v.first_at.isoformat(),
            v.last_at.isoformat(),
            v.requests,
            found.attempt_id,
        ]
        spool.write(json.dumps(row) + "\n")
    return visits, unlogged


def _write_unlogged(session: Session, run: ReconciliationRun, spool, users) -> None:
    rows, officers = [], users.by_id
    for text in spool:
        officer_id, log_user, identity, platform, address, line, first, last, requests, stop = (
            json.loads(text)
        )
        officer = officers[officer_id]
        first_at = datetime.fromisoformat(first)
        day = local_date(first_at)
        rows.append(
            dict(
                run_id=run.id,
                officer_id=officer_id,
                officer_name=officer.name,
                officer_service=officer.service,
                log_user=log_user,
                identity=identity,
                platform=platform,
                address=address,
                line=line,
                first_at=first_at,
                last_at=datetime.fromisoformat(last),
                visited_on=day,
                requests=requests,
                stopped_attempt_id=stop,
                proposal_key=proposal_key(officer_id, identity, day),
            )
        )
        if len(rows) >= _WRITE_EVERY:
            session.execute(insert(UnloggedVisit), rows)
            rows = []
    if rows:
        session.execute(insert(UnloggedVisit), rows)


def _check_read(report: ReadReport, kind: str) -> None:
    if report.lines == 0:
        raise InputProblem("file", "The file is empty")
    if report.lines == report.blank and report.malformed == 0:
        raise InputProblem("file", "The file has no log lines: it is blank, or a header alone")
    if report.read == 0 and report.malformed:
        other = "a CSV file" if kind == "squid" else "a Squid access.log"
        raise InputProblem(
            "file",
            f"No line of the file could be read as a {_FORMAT_NAMES[kind]}: is it {other}? "
            f"Line {report.examples[0][0]}: {report.examples[0][1]}",
        )


_FORMAT_NAMES = {"squid": "Squid access log", "csv": "CSV log (time, user, address)"}


def _fill(run, report, tally, users, counts, hashed) -> None:
    run.file_sha256 = hashed.sha256.hexdigest()
    run.file_bytes = hashed.size
    run.first_at, run.last_at = report.first_at, report.last_at
    run.lines, run.malformed = report.lines, report.malformed
    run.malformed_examples = [list(e) for e in report.examples]
    run.requests = tally.requests
    run.host_only, run.host_only_platforms = tally.host_only, tally.host_only_platforms
    run.other_sites, run.platform_pages = tally.other_sites, tally.platform_pages
    run.not_pages = tally.not_pages
    run.unknown_user_requests = users.unknown_requests
    run.unknown_users = sorted(([u, n] for u, n in users.unknown.items()), key=lambda r: -r[1])
    run.visits, run.unlogged = counts
    run.matched = run.visits - run.unlogged


# Reading what was found -------------------------------------------------------------------------


def runs(session: Session, limit: int = 50) -> list[ReconciliationRun]:
    query = select(ReconciliationRun).order_by(ReconciliationRun.id.desc()).limit(limit)
    return list(session.scalars(query))


@dataclass(frozen=True)
class UnloggedRow:
    """Unlogged visits of one officer to one profile on one day, with their proposed error."""

    service: str
    officer: str
    identity: str
    platform: str
    visited_on: object
    visits: int
    first_at: object
    stopped: bool
    error_id: int | None


def unlogged_by_service(session: Session, run: ReconciliationRun, limit: int = 500):
    """The run's unlogged visits, by service, officer, profile and day."""
    query = (
        select(
            UnloggedVisit.officer_service,
            UnloggedVisit.officer_name,
            UnloggedVisit.identity,
            UnloggedVisit.platform,
            UnloggedVisit.visited_on,
            func.count(),
            func.min(UnloggedVisit.first_at),
            func.max(UnloggedVisit.stopped_attempt_id),
            func.min(RelevantError.id),
        )
        .outerjoin(RelevantError, RelevantError.proposal_key == UnloggedVisit.proposal_key)
        .where(UnloggedVisit.run_id == run.id)
        .group_by(
            UnloggedVisit.officer_service,
            UnloggedVisit.officer_name,
            UnloggedVisit.identity,
            UnloggedVisit.platform,
            UnloggedVisit.visited_on,
        )
        .order_by(
            UnloggedVisit.officer_service, UnloggedVisit.officer_name, UnloggedVisit.visited_on
        )
        .limit(limit)
    )
    return [
        UnloggedRow(s, o, i, p, d, n, f, stopped is not None, e)
        for s, o, i, p, d, n, f, stopped, e in session.execute(query)
    ]


def totals_by_service(session: Session, run: ReconciliationRun) -> Iterator[tuple[str, str, int]]:
    """(service, officer, unlogged visits) for the run."""
    query = (
        select(UnloggedVisit.officer_service, UnloggedVisit.officer_name, func.count())
        .where(UnloggedVisit.run_id == run.id)
        .group_by(UnloggedVisit.officer_service, UnloggedVisit.officer_name)
        .order_by(UnloggedVisit.officer_service, UnloggedVisit.officer_name)
    )
    yield from session.execute(query)
