"""Reconciling a proxy log with the viewing log: which looks at profiles went round the gate.

Every look at a profile is to be checked and logged before it happens, because repeated viewing
of a person's profile is what turns research into directed surveillance (Covert Surveillance and
Property Interference Code of Practice 2018, paras 3.10 to 3.17). A proxy log shows the looks
that were made; each look at a profile on a listed platform, by an officer, is matched here to a
viewing that officer logged of the same profile identity (profile_identity.identify, the gate's
own) within RECONCILE_MATCH_MINUTES either side. What is left is a look the viewing log does
not show.

It streams: requests come one at a time from the reader, a burst of requests of one profile (its
page, images and scripts, the same identity within RECONCILE_BURST_SECONDS of each other) is
folded into one visit, and visits are matched in batches, each batch fetching only the viewings
and stopped attempts of its officers and profiles within its own span of time.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.law.profile_identity import identify_or_none, platform_name_of_host
from ripa_guard.viewing.log_users import LogUsers
from ripa_guard.viewing.models import Viewing, ViewingAttempt
from ripa_guard.viewing.proxy_logs import Request

#: Visits matched in one batch: its officers and profiles are one query's parameters.
BATCH = 400
#: Replies that are a page rather than its parts (images, scripts, data).
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Tally:
    """What the requests were, beside the visits to profiles."""

    requests: int = 0
    #: Tunnels (CONNECT host:443): the host is known, never the page, so no profile is named.
    host_only: int = 0
    #: Of those, tunnels to a listed platform.
    host_only_platforms: int = 0
    other_sites: int = 0
    #: Pages of a listed platform that name no profile: its home page, search, a short link,
    #: a page the gate's identity cannot tie to a profile ("page:...").
    platform_pages: int = 0
    #: Requests that were not a page loaded: refused by the proxy, not GET, not HTML.
    not_pages: int = 0
    #: Requests of profiles by known officers, before bursts are folded.
    profile_requests: int = 0


@dataclass
class Visit:
    """One look at one profile by one officer: a burst of requests folded together."""

    officer_id: int
    log_user: str
    identity: str
    platform: str
    #: The first page requested.
    address: str
    line: int
    first_at: datetime
    last_at: datetime
    requests: int = 1


@dataclass
class Matched:
    visit: Visit
    #: The viewing it matched; None: the viewing log does not show it.
    viewing_id: int | None
    #: A look the gate stopped (blocked or refused) near it, when no viewing matched.
    attempt_id: int | None = None


@dataclass
class Settings:
    match_window: timedelta = timedelta(minutes=10)
    burst_gap: timedelta = timedelta(seconds=120)
    batch: int = BATCH
    #: Called after each batch is matched: to end its read transaction.
    after_batch: Callable[[], None] | None = None


def profile_requests(
    requests: Iterable[Request], users: LogUsers, tally: Tally
) -> Iterator[tuple[Request, int, str, str]]:
    """(request, officer id, identity, platform) for each page of a profile, by an officer."""
    for request in requests:
        tally.requests += 1
        if request.host_only:
            tally.host_only += 1
            if _platform(host_of(request.address)) is not None:
                tally.host_only_platforms += 1
            continue
        if not _is_page(request):
            tally.not_pages += 1
            continue
        if _platform(host_of(request.address)) is None:
            # Read quickly, and never a profile: identify() would name it by its host anyway.
            tally.other_sites += 1
            continue
        identity = identify_or_none(request.address)
        if identity is not None and not identity.known_platform:
            tally.other_sites += 1
            continue
        if identity is None or not identity.names_a_profile:
            # Its home page, search, a short link, or a page the gate cannot tie to a profile:
            # the same rule lets the browser extension open it unlogged.
            tally.platform_pages += 1
            continue
        officer = users.officer(request.user) if request.user else None
        if officer is None:
            users.note_unknown(request.user)
            continue
        tally.profile_requests += 1
        yield request, officer.id, identity.text, identity.platform


def _is_page(request: Request) -> bool:
    if request.method not in ("GET", "HEAD") or request.result.endswith("DENIED"):
        return False
    if request.status in (401, 403, 407):
        return False
    return not request.content_type or request.content_type.startswith(_PAGE_TYPES)


def host_of(address: str) -> str:
    """The host of an address or of "host:port", lower case: read by hand, as most lines of a
    log are other sites and urlsplit would cost more than the rest of the line."""
    rest = address.partition("://")[2] if "://" in address[:12] else address
    for stop in "/?#":
        rest = rest.partition(stop)[0]
    rest = rest.rpartition("@")[2]
    if rest.startswith("["):
        return rest.partition("]")[0] + "]"
    return rest.partition(":")[0].rstrip(".").lower()


@functools.lru_cache(maxsize=65536)
def _platform(host: str) -> str | None:
    return platform_name_of_host(host) if host else None


def fold_bursts(hits: Iterable[tuple[Request, int, str, str]], gap: timedelta) -> Iterator[Visit]:
    """Visits from profile requests: requests of one profile by one officer, each within `gap`
    of the one before, are one visit. Holds only the bursts still open."""
    open_: dict[tuple[int, str], Visit] = {}
    swept = None
    for request, officer_id, identity, platform in hits:
        key = (officer_id, identity)
        visit = open_.get(key)
        if visit and visit.first_at - gap <= request.at <= visit.last_at + gap:
            visit.requests += 1
            visit.first_at = min(visit.first_at, request.at)
            visit.last_at = max(visit.last_at, request.at)
        else:
            if visit:
                yield visit
            open_[key] = Visit(
                officer_id,
                request.user,
                identity,
                platform,
                request.address,
                request.line,
                request.at,
                request.at,
            )
        if swept is None or abs(request.at - swept) >= gap:
            swept = request.at
            for key, visit in list(open_.items()):
                if visit.last_at + gap < request.at:
                    yield open_.pop(key)
    yield from sorted(open_.values(), key=lambda v: v.first_at)


def match_visits(
    session: Session, visits: Iterable[Visit], settings: Settings
) -> Iterator[Matched]:
    """Each visit with the viewing that logged it, or None; in batches of settings.batch."""
    batch: list[Visit] = []
    for visit in visits:
        batch.append(visit)
        if len(batch) >= settings.batch:
            yield from _match_batch(session, batch, settings)
            batch = []
    if batch:
        yield from _match_batch(session, batch, settings)


def _match_batch(session: Session, batch: list[Visit], settings: Settings) -> Iterator[Matched]:
    window = settings.match_window
    earliest = min(v.first_at for v in batch) - window
    latest = max(v.last_at for v in batch) + window
    officers = sorted({v.officer_id for v in batch})
    identities = sorted({v.identity for v in batch})
    viewings = _moments(
        session,
        select(Viewing.officer_id, Viewing.identity, Viewing.viewed_at, Viewing.id).where(
            Viewing.viewed_at.between(earliest, latest),
            Viewing.officer_id.in_(officers),
            Viewing.identity.in_(identities),
        ),
    )
    attempts = _moments(
        session,
        select(
            ViewingAttempt.officer_id,
            ViewingAttempt.identity,
            ViewingAttempt.attempted_at,
            ViewingAttempt.id,
        ).where(
            ViewingAttempt.attempted_at.between(earliest, latest),
            ViewingAttempt.officer_id.in_(officers),
            ViewingAttempt.identity.in_(identities),
        ),
    )
    if settings.after_batch is not None:
        settings.after_batch()
    for visit in batch:
        key = (visit.officer_id, visit.identity)
        low, high = visit.first_at - window, visit.last_at + window
        viewing_id = _within(viewings.get(key), low, high)
        attempt_id = None if viewing_id else _within(attempts.get(key), low, high)
        yield Matched(visit, viewing_id, attempt_id)


@dataclass
class _Moments:
    at: list[datetime] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


def _moments(session: Session, query) -> dict[tuple[int, str], _Moments]:
    found: dict[tuple[int, str], list[tuple[datetime, int]]] = {}
    for officer_id, identity, at, row_id in session.execute(query):
        found.setdefault((officer_id, identity), []).append((at, row_id))
    moments = {}
    for key, rows in found.items():
        rows.sort()
        moments[key] = _Moments([r[0] for r in rows], [r[1] for r in rows])
    return moments


def _within(moments: _Moments | None, low: datetime, high: datetime) -> int | None:
    if moments is None:
        return None
    i = bisect.bisect_left(moments.at, low)
    return moments.ids[i] if i < len(moments.at) and moments.at[i] <= high else None
