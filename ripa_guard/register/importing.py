"""Importing the council's earlier central record: a dry run, then all of it or nothing.

Each entry keeps the council's own URN, is marked with the file it came from and when, has its
retention date worked out the usual way (central_record.destroy_after, from the day it ended),
and writes one "application.imported" event to the audit trail with the file's name, its
SHA-256 and the row (Code of Practice 2018 para 8.1: the record is kept centrally, for at least
three years from the end of each authorisation; DOMAIN.md §7).

An application needs a triage. An imported entry was never triaged here, so it gets one of its
own, marked imported in its reasons, rather than a schema in which any application may lack
one: every other page can go on relying on an application having its triage.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role, User
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    Subject,
    Triage,
    UrnSequence,
)
from ripa_guard.core import audit
from ripa_guard.core.changes import Refused, commit
from ripa_guard.core.clock import LONDON
from ripa_guard.core.columns import utcnow
from ripa_guard.core.private_files import private_file, private_folder
from ripa_guard.law import periods
from ripa_guard.law.triage import Outcome
from ripa_guard.register.import_file import (
    URN,
    Checked,
    EntryRow,
    Problem,
    check,
    default_mapping,
)
from ripa_guard.register.spreadsheet import FileProblem, Table, read_table

#: Who may import: the people who keep the central record.
IMPORTERS = (Role.COORDINATOR, Role.SRO)
#: Entries written at a time (see _write_batch).
_BATCH = 200
_KEY = re.compile(r"[0-9a-f]{64}")


@dataclass
class Upload:
    """A file the coordinator gave, and what it holds."""

    name: str
    sha256: str
    data: bytes

    def table(self) -> Table:
        return read_table(self.data, self.name)


def upload(name: str, data: bytes) -> Upload:
    return Upload(safe_name(name), hashlib.sha256(data).hexdigest(), data)


def safe_name(name: str) -> str:
    """The file's own name, without any folder, as the record will show it."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return base[:200] or "upload"


def may_import(actor: User) -> bool:
    return actor.is_active and actor.has_role(*IMPORTERS)


def in_register(session: Session, urns: list[str]) -> set[str]:
    """Those of `urns` (upper-cased) the register already holds, as an application's URN or a
    plan's not-made reference."""
    wanted = sorted({u.upper() for u in urns if u})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for column in (Application.urn, Triage.reference):
            found.update(
                u.upper()
                for u in session.scalars(select(column).where(func.upper(column).in_(chunk)))
            )
    return found


def dry_run(
    session: Session, file: Upload, mapping: dict[str, str] | None, today: date, prefix: str
) -> tuple[Checked, dict[str, str]]:
    """Every problem the file has, by row and column, with the mapping used. Writes nothing."""
    try:
        table = file.table()
    except FileProblem as problem:
        return Checked(problems=[Problem(None, "", str(problem))]), {}
    mapping = mapping if mapping is not None else default_mapping(table.headers)
    urn_at = table.headers.index(mapping[URN]) if mapping.get(URN) in table.headers else None
    urns = [
        str(cells[urn_at]).strip()
        for _, cells in table.rows
        if urn_at is not None and urn_at < len(cells) and cells[urn_at] is not None
    ]
    return check(table, mapping, in_register(session, urns), today, prefix), mapping


def import_register(
    session: Session,
    actor: User,
    file: Upload,
    mapping: dict[str, str] | None,
    *,
    today: date,
    prefix: str,
) -> list[int]:
    """Import every entry of the file in one transaction, or none: refused if the dry run
    finds any problem (warnings aside). Returns the new entries' ids."""
    if not may_import(actor):
        raise Refused("Only the RIPA coordinator or the senior responsible officer can import.")
    checked, _ = dry_run(session, file, mapping, today, prefix)
    if not checked.clean:
        raise Refused(
            f"The file has {len(checked.blocking)} problems. Nothing was imported: correct "
            "them and check the file again."
        )
    if not checked.entries:
        raise Refused("The file has no entries to import.")
    # The URN counters first, then the entries (whose triggers move the register's size on):
    # the order a submission takes the same two locks in, so neither waits on the other in a
    # circle (migration 0030).
    _keep_urn_sequences(session, prefix, [e.urn for e in checked.entries])
    moment = utcnow()
    made = []
    for start in range(0, len(checked.entries), _BATCH):
        made += _write_batch(session, actor, file, checked.entries[start : start + _BATCH], moment)
    commit(session)
    return made


def _write_batch(
    session: Session, actor: User, file: Upload, entries: list[EntryRow], moment: datetime
) -> list[int]:
    """Write a batch of entries and an audit event for each. Once written, each entry leaves
    the session: every audit event updates the chain's head through the ORM, whose cost grows
    with what the session holds, and a large file would make it quadratic."""
    made = [_make(session, actor, file, entry, moment) for entry in entries]
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise Refused("One of these URNs was added meanwhile. Check the file again.") from error
    for application, entry in zip(made, entries, strict=True):
        audit.record(
            session,
            actor,
            "application.imported",
            "application",
            application.id,
            urn=application.urn,
            status=application.status.value,
            file=file.name,
            sha256=file.sha256,
            row=entry.row,
        )
    ids = [application.id for application in made]
    for application in made:
        session.expunge(application.triage)
        session.expunge(application)
    return ids


def _make(
    session: Session, actor: User, file: Upload, entry: EntryRow, moment: datetime
) -> Application:
    submitted_at = _submitted_at(entry)
    # Dated with the entry, not the import: the newest triage outcomes stay the council's
    # own, not hundreds of imported entries at once. Complete, so that nobody can edit it.
    triage = Triage(
        officer_id=actor.id,
        title=entry.title,
        answers={},
        started_at=submitted_at or moment,
        completed_at=submitted_at or moment,
        outcome=Outcome.DIRECTED_SURVEILLANCE,
        reasons=[
            {
                "text": f"Imported from {file.name}, row {entry.row}: the council's earlier "
                "central record. It was not triaged in ripa_guard.",
                "citation": "",
            }
        ],
        offence_codes=[],
    )
    application = Application(
        urn=entry.urn,
        triage=triage,
        officer_id=actor.id,
        status=ApplicationStatus(entry.status),
        investigation_title=entry.title,
        answers={"summary": entry.description} if entry.description else {},
        confidential_likely=entry.confidential_likely,
        directly_involved=entry.directly_involved,
        created_at=moment,
        updated_at=moment,
        submitted_at=submitted_at,
        takes_effect=entry.takes_effect,
        last_day=entry.last_day,
        review_interval_days=entry.review_interval_days,
        next_review_on=_next_review(entry),
        cancelled_on=entry.cancelled_on,
        imported_from=file.name,
        imported_at=moment,
        imported={
            "sha256": file.sha256,
            "row": entry.row,
            "ended_on": entry.ended_on.isoformat() if entry.ended_on else None,
            "items": entry.items,
        },
        subjects=[Subject(name=name, profiles=[]) for name in entry.subjects],
    )
    session.add(application)
    return application


def _submitted_at(entry: EntryRow) -> datetime | None:
    """When it was submitted, or else its earliest known day: the register lists by it."""
    value = entry.submitted
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=LONDON)
    day = value or min(
        (d for d in (entry.takes_effect, entry.cancelled_on, entry.ended_on) if d), default=None
    )
    return datetime.combine(day, time(), tzinfo=LONDON) if day else None


def _next_review(entry: EntryRow) -> date | None:
    """The next review of an authorisation still in force, counted from the day it took effect:
    the reviews in the file are the council's text, so the next one is due from the start."""
    if entry.status != ApplicationStatus.ACTIVE or not entry.review_interval_days:
        return None
    if entry.takes_effect is None or entry.last_day is None:
        return None
    return periods.next_review(entry.takes_effect, [], entry.review_interval_days, entry.last_day)


def _keep_urn_sequences(session: Session, prefix: str, urns: list[str]) -> None:
    """Move the URN counter past the council's own numbers in ripa_guard's shape, so that a URN
    allocated later (applications.urn) never repeats an imported one."""
    shape = re.compile(rf"{re.escape(prefix)}/(\d{{4}})/(\d+)", re.IGNORECASE)
    highest: dict[int, int] = {}
    for urn in urns:
        match = shape.fullmatch(urn)
        if match:
            year, number = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), number)
    for year, number in highest.items():
        moved = session.execute(
            update(UrnSequence)
            .where(UrnSequence.prefix == prefix, UrnSequence.year == year)
            .values(
                last_number=case(
                    (UrnSequence.last_number < number, number), else_=UrnSequence.last_number
                )
            )
        ).rowcount
        if not moved:
            session.execute(
                insert(UrnSequence).values(prefix=prefix, year=year, last_number=number)
            )


# The uploaded file, kept until the import, under the instance folder ---------------------------


#: How long an uploaded file waits to be imported before the next upload removes it.
KEPT_FOR = timedelta(days=1)


def keep_upload(folder: str | os.PathLike, file: Upload, now: datetime) -> str:
    """Keep the file in a private temporary file named by its SHA-256; return that key. Files
    left more than KEPT_FOR go: a record of covert surveillance is not kept lying about."""
    folder = private_folder(folder)
    for old in folder.iterdir():
        modified = datetime.fromtimestamp(old.stat().st_mtime, tz=UTC)
        if _KEY.fullmatch(old.name) and now - modified > KEPT_FOR:
            old.unlink(missing_ok=True)
    path = private_file(folder / file.sha256)
    path.write_bytes(file.data)
    return file.sha256


def kept_upload(folder: str | os.PathLike, key: str, name: str) -> Upload | None:
    """The file kept under `key`, if it is still there and still has that hash."""
    if not _KEY.fullmatch(key or ""):
        return None
    path = Path(folder) / key
    if not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != key:
        return None
    return Upload(safe_name(name), key, data)


def forget_upload(folder: str | os.PathLike, key: str) -> None:
    if _KEY.fullmatch(key or ""):
        (Path(folder) / key).unlink(missing_ok=True)
