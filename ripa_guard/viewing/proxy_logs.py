"""Reading a web proxy's access log, one line at a time, never the whole file.

Two formats are read:

- **Squid's native format** (the built-in ``squid`` logformat), one request a line, fields apart
  by spaces: ``time.ms elapsed client code/status bytes method URL user hierarchy/peer type``,
  i.e. ``%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`` (Squid configuration
  directive logformat, https://www.squid-cache.org/Doc/config/logformat/, "The format
  definitions squid, common, combined, referrer, useragent are built in"; written by
  Log::Format::SquidNative, squid-cache/squid src/log/FormatSquidNative.cc). The time is when
  Squid logged the request, at its end, in seconds since the epoch; ``elapsed`` is how long it
  took in milliseconds, so the request began at time minus elapsed, which is the moment used
  here. The user name is URL-encoded by Squid, and "-" when there is none. An HTTPS request
  through a proxy that does not decrypt it is one ``CONNECT host:443`` line, which shows the
  host only.
- **CSV** with a header row naming the columns ``time``, ``user`` and ``address`` (other
  columns are ignored). Times are ISO 8601 (without an offset: the council's local time in
  England and Wales) or seconds since the epoch.

Each line read is a `Request`; a line that cannot be read is counted in `ReadReport`, with its
number and why, and skipped.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import unquote
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
FORMATS = ("squid", "csv")
#: How many malformed lines are kept as examples; the rest are only counted.
EXAMPLES = 20
#: Squid's native format has ten fields; the user is the eighth.
_SQUID_FIELDS = 8
#: Times outside these years are a misread line, not a request.
_EARLIEST, _LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
_EARLIEST_TS, _LATEST_TS = _EARLIEST.timestamp(), _LATEST.timestamp()
#: "host:443" with no scheme and no path: a tunnel, which names the host only.
_HOST_AND_PORT = re.compile(r"^[^/\s]+:\d+$")
_LONGEST_LINE = 64 * 1024


class LogProblem(ValueError):
    """The file as a whole cannot be read as a proxy log; the message says why."""


@dataclass(slots=True)
class Request:
    """One request the proxy logged."""

    line: int
    #: When the request began, in UTC.
    at: datetime
    #: The user name as logged (decoded), or "" when the log has none.
    user: str
    method: str
    #: The address requested; for a tunnel (CONNECT), "host:port".
    address: str
    #: Squid's result code and the HTTP status, e.g. "TCP_MISS" and 200; "" and 0 when unknown.
    result: str = ""
    status: int = 0
    #: The MIME type of the reply, "" when unknown.
    content_type: str = ""
    #: A tunnel (HTTPS through the proxy), which shows the host but no page.
    host_only: bool = False


def _is_tunnel(method: str, address: str) -> bool:
    return method == "CONNECT" or ("/" not in address and bool(_HOST_AND_PORT.match(address)))


@dataclass
class ReadReport:
    """What reading the file found: lines read, and those that could not be read."""

    lines: int = 0
    blank: int = 0
    malformed: int = 0
    #: (line number, why, the line's first 200 characters), the first EXAMPLES of them.
    examples: list[tuple[int, str, str]] = field(default_factory=list)
    first_at: datetime | None = None
    last_at: datetime | None = None

    def bad(self, number: int, why: str, text: str) -> None:
        self.malformed += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append((number, why, text[:200]))

    def seen(self, moment: datetime) -> None:
        if self.first_at is None or moment < self.first_at:
            self.first_at = moment
        if self.last_at is None or moment > self.last_at:
            self.last_at = moment

    @property
    def read(self) -> int:
        return self.lines - self.blank - self.malformed


class HashedFile(io.RawIOBase):
    """A binary file read once, its SHA-256 taken as it goes."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.sha256.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


def text_lines(raw: BinaryIO) -> tuple[HashedFile, Iterator[str]]:
    """The file's lines as text (UTF-8, a broken byte replaced), gzip opened if it is one;
    with the HashedFile that has the SHA-256 of the bytes as given once they are all read."""
    hashed = HashedFile(raw)
    buffered = io.BufferedReader(hashed, buffer_size=1024 * 1024)
    source: BinaryIO = (
        gzip.GzipFile(fileobj=buffered) if buffered.peek(2)[:2] == b"\x1f\x8b" else buffered
    )

    def lines() -> Iterator[str]:
        try:
            for raw_line in source:
                yield raw_line.decode("utf-8", errors="replace").rstrip("\r\n")
        except (OSError, EOFError) as exc:  # a broken gzip stream
            raise LogProblem("The file is compressed but cannot be opened: " + str(exc)) from exc
        # What follows a broken stream is hashed too, so the hash is the whole file's.
        while buffered.read(1024 * 1024):
            pass

    return hashed, lines()


def read_log(lines: Iterable[str], kind: str, report: ReadReport) -> Iterator[Request]:
    """The requests of a log in `kind` ("squid" or "csv"), one at a time."""
    if kind == "csv":
        return read_csv(lines, report)
    if kind == "squid":
        return read_squid(lines, report)
    raise LogProblem(f"Choose the log's format: {' or '.join(FORMATS)}")


def read_squid(lines: Iterable[str], report: ReadReport) -> Iterator[Request]:
    """Requests from lines in Squid's native access.log format."""
    for number, line in enumerate(lines, start=1):
        report.lines += 1
        if not line.strip():
            report.blank += 1
            continue
        if len(line) > _LONGEST_LINE:
            report.bad(number, "The line is too long to be a log line", line)
            continue
        request = _squid_line(number, line)
        if isinstance(request, str):
            report.bad(number, request, line)
            continue
        report.seen(request.at)
        yield request


def _squid_line(number: int, line: str) -> Request | str:
    """The request, or why the line is not one."""
    fields = line.split()
    if len(fields) < _SQUID_FIELDS:
        return f"Expected at least {_SQUID_FIELDS} fields separated by spaces, found {len(fields)}"
    stamp, elapsed, _client, code, _size, method, address, user = fields[:_SQUID_FIELDS]
    try:
        began = float(stamp) - int(elapsed) / 1000
    except ValueError:
        return "The time or the elapsed time is not a number"
    if not _EARLIEST_TS <= began < _LATEST_TS or elapsed.startswith("-"):
        return "The time is not a plausible time"
    result, _, status = code.partition("/")
    if not status.isdigit():
        return "The result code is not of the form CODE/STATUS"
    content_type = fields[9] if len(fields) > 9 else ""
    method = method.upper()
    if user == "-":
        user = ""
    elif "%" in user:
        user = unquote(user)
    return Request(
        number,
        datetime.fromtimestamp(began, UTC),
        user,
        method,
        address,
        result,
        int(status),
        "" if content_type == "-" else content_type.lower(),
        _is_tunnel(method, address),
    )


_COLUMNS = {
    "time": ("time", "timestamp", "date"),
    "user": ("user", "username", "user name"),
    "address": ("address", "url", "web address"),
}


def read_csv(lines: Iterable[str], report: ReadReport) -> Iterator[Request]:
    """Requests from a CSV log with a header row naming time, user and address."""
    columns: dict[str, int] | None = None
    for number, line in enumerate(lines, start=1):
        report.lines += 1
        if not line.strip():
            report.blank += 1
            continue
        try:
            cells = line.split(",") if '"' not in line else next(csv.reader([line]))
        except csv.Error:
            report.bad(number, "The line is not valid CSV", line)
            continue
        if columns is None:
            columns = _header(cells)
            report.blank += 1  # the header is not a request
            continue
        request = _csv_row(number, cells, columns)
        if isinstance(request, str):
            report.bad(number, request, line)
            continue
        report.seen(request.at)
        yield request


def _header(cells: list[str]) -> dict[str, int]:
    names = [c.strip().lstrip("\ufeff").lower() for c in cells]
    found = {}
    for column, aliases in _COLUMNS.items():
        matches = [i for i, name in enumerate(names) if name in aliases]
        if not matches:
            raise LogProblem(
                "The first row of a CSV log must name its columns: time, user and address"
                f" (it has no {column} column)"
            )
        found[column] = matches[0]
    return found


def _csv_row(number: int, cells: list[str], columns: dict[str, int]) -> Request | str:
    if len(cells) <= max(columns.values()):
        return "The row has fewer columns than the header"
    at = parse_time(cells[columns["time"]])
    if at is None:
        return "The time is not an ISO 8601 date and time or seconds since the epoch"
    address = cells[columns["address"]].strip()
    if not address:
        return "The address is empty"
    user = cells[columns["user"]].strip()
    tunnel = _is_tunnel("", address)
    return Request(
        line=number,
        at=at,
        user="" if user == "-" else user,
        method="CONNECT" if tunnel else "GET",
        address=address,
        host_only=tunnel,
    )


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 time (local time in England and Wales when it has no offset) or seconds
    since the epoch, in UTC; None if it is neither or not plausible."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d+(\.\d+)?", text):
            moment = datetime.fromtimestamp(float(text), UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=LONDON)
            moment = moment.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment if _EARLIEST <= moment < _LATEST else None


def guess_format(name: str) -> str:
    """The format a file's name suggests: CSV for .csv (or .csv.gz), else Squid's."""
    return "csv" if name.lower().removesuffix(".gz").endswith(".csv") else "squid"
