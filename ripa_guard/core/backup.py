"""A consistent copy of the database while the app runs.

SQLite: the online backup API (sqlite3.Connection.backup), which copies the database page by
page and starts again if a writer changes it meanwhile, so the copy is always one committed
state, whatever the app is doing. PostgreSQL: pg_dump, run by the council's DBA (README).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from ripa_guard.core.private_files import private_file

PG_DUMP_ADVICE = """\
This database is PostgreSQL: back it up with pg_dump, which takes a consistent snapshot while
the app runs, for example:

    pg_dump --format=custom --file=ripa_guard-$(date +%F).dump "{url}"

and restore it into an empty database with:

    pg_restore --dbname=postgresql://USER@HOST/NEW_DATABASE --no-owner ripa_guard-DATE.dump

Then check the restored audit trail with `ripa-guard verify-audit`."""


class BackupError(RuntimeError):
    pass


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def check_target(url: str, output: str | os.PathLike) -> Path:
    """The file to write, or BackupError before anything is written or recorded."""
    source_path = make_url(url).database
    if not source_path or source_path == ":memory:":
        raise BackupError("Only a SQLite database in a file can be backed up.")
    target = Path(output)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name.")
    return target


def backup_sqlite(url: str, output: str | os.PathLike) -> Path:
    """Copy the SQLite database at `url` to `output`, which must not exist yet."""
    target = check_target(url, output)
    source_path = make_url(url).database
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    private_file(partial)  # 0600 before SQLite writes a page of the records into it
    source = sqlite3.connect(source_path, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            # In one step: under WAL the copy reads one snapshot while writers carry on, where
            # a copy in several steps would start again each time a writer commits.
            source.backup(copy)
            # The copy stands alone: one file, no write-ahead log beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            problem = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        source.close()
    if problem != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {problem}")
    partial.replace(target)
    return target


def pg_dump_advice(url: str) -> str:
    safe = make_url(url).render_as_string(hide_password=True)
    return PG_DUMP_ADVICE.format(url=safe)
