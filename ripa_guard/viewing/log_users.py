"""Who a proxy log's user is: the council account its user name stands for.

How a log user is matched is the council's setting, RECONCILE_USER_MATCH:

- "email": the log's user is the account's e-mail address (a proxy that signs users in with
  the council's single sign-on);
- "local-part": the log's user is the part of the e-mail address before "@" ("olive.officer"
  for olive.officer@borsetshire.gov.uk), with a Windows domain ("BORSETSHIRE\\olive.officer")
  or Kerberos realm ("olive.officer@BORSETSHIRE.LOCAL") dropped;
- "username-map": only the mapping the SRO gives.

A mapping (log user to e-mail) given with the log, or in RECONCILE_USER_MAP, is used first in
every mode. A user matched by no account, or by more than one, is unknown: listed, never
dropped silently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.core.changes import InputProblem

MODES = ("email", "local-part", "username-map")
#: The most distinct unknown users listed; the rest are counted.
LISTED = 200


@dataclass(frozen=True)
class Officer:
    id: int
    name: str
    service: str


@dataclass
class LogUsers:
    """Log user names to accounts, remembered as they are looked up."""

    mode: str
    by_email: dict[str, Officer]
    mapping: dict[str, str] = field(default_factory=dict)
    by_local_part: dict[str, Officer | None] = field(default_factory=dict)
    _known: dict[str, Officer | None] = field(default_factory=dict)
    #: Log user -> requests to profiles that could not be checked because the user is unknown.
    unknown: dict[str, int] = field(default_factory=dict)
    unknown_requests: int = 0

    @property
    def by_id(self) -> dict[int, Officer]:
        return {o.id: o for o in self.by_email.values()}

    def officer(self, log_user: str) -> Officer | None:
        if log_user not in self._known:
            self._known[log_user] = self._match(log_user)
        return self._known[log_user]

    def _match(self, log_user: str) -> Officer | None:
        key = normal(log_user)
        if key in self.mapping:
            return self.by_email.get(self.mapping[key])
        if self.mode == "email":
            return self.by_email.get(key)
        if self.mode == "local-part":
            return self.by_local_part.get(key.split("@", 1)[0])
        return None

    def note_unknown(self, log_user: str) -> None:
        self.unknown_requests += 1
        name = log_user or "(no user name in the log)"
        if name in self.unknown or len(self.unknown) < LISTED:
            self.unknown[name] = self.unknown.get(name, 0) + 1


def normal(log_user: str) -> str:
    """A log user as compared: lower case, without a Windows domain before a backslash."""
    return log_user.strip().rsplit("\\", 1)[-1].lower()


def log_users(session: Session, mode: str, mapping: dict[str, str]) -> LogUsers:
    """The matcher for `mode`, with every account (a disabled account's looks still count)."""
    if mode not in MODES:
        raise ValueError(f"RECONCILE_USER_MATCH must be one of {', '.join(MODES)}, not {mode!r}")
    by_email: dict[str, Officer] = {}
    by_local: dict[str, Officer | None] = {}
    for user_id, email, name, service in session.execute(
        select(User.id, User.email, User.name, User.service)
    ):
        officer = Officer(user_id, name, service or "")
        by_email[email.lower()] = officer
        local = email.lower().split("@", 1)[0]
        # Two accounts with one local part cannot be told apart: neither is matched by it.
        by_local[local] = None if local in by_local else officer
    mapping = {normal(k): v.strip().lower() for k, v in mapping.items()}
    unknown_emails = sorted({e for e in mapping.values() if e not in by_email})
    if unknown_emails:
        raise InputProblem(
            "users",
            "The users file names e-mail addresses that are not accounts here: "
            + ", ".join(unknown_emails[:5]),
        )
    return LogUsers(mode, by_email, mapping, by_local)


def read_mapping(lines: Iterable[str]) -> dict[str, str]:
    """A users file: CSV rows of log user and e-mail address, with or without a header row."""
    mapping: dict[str, str] = {}
    for number, row in enumerate(csv.reader(lines), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or "@" not in cells[1]:
            if number == 1 and len(cells) >= 2:
                continue  # a header row
            raise InputProblem(
                "users",
                f"Line {number} of the users file must be a log user name, a comma, and the "
                "person's e-mail address",
            )
        mapping[normal(cells[0])] = cells[1].lower()
    if not mapping:
        raise InputProblem("users", "The users file is empty")
    return mapping


def mapping_from_bytes(data: bytes) -> dict[str, str]:
    text = data.decode("utf-8-sig", errors="replace")
    return read_mapping(io.StringIO(text, newline=""))
