"""Schema changes through Alembic, run by `ripa-guard upgrade` or at start-up.

On the first start every gunicorn worker upgrades at once; without a lock they race to create
the same tables ("table alembic_version already exists"). One takes the lock and upgrades; the
others wait for it, then find the schema at head and do nothing.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, make_url, text

from ripa_guard.core.private_files import private_file

MIGRATIONS = Path(__file__).parent / "migrations"
#: The PostgreSQL advisory lock held while the schema is upgraded: any fixed number, the same
#: in every worker ("ripa" in ASCII).
UPGRADE_LOCK = 0x72697061


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # A "%" in a password would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head", totp_key: str | None = None) -> None:
    """Upgrade the schema to `revision`, one process at a time; `totp_key` seals second-step
    secrets kept in plain text (migration 0018)."""
    config = alembic_config(url)
    config.attributes["totp_key"] = totp_key
    with upgrade_lock(url):
        command.upgrade(config, revision)


@contextmanager
def upgrade_lock(url: str) -> Iterator[None]:
    """Held by one process at a time: a PostgreSQL advisory lock, or on SQLite a file lock on
    a file beside the database (SQLite's own locks do not span Alembic's several steps)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": UPGRADE_LOCK})
                connection.commit()  # the lock is the session's: it outlives the transaction
                try:
                    yield
                finally:
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": UPGRADE_LOCK}
                    )
                    connection.commit()
        finally:
            engine.dispose()
        return
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        yield  # a database in memory belongs to one process
        return
    with private_file(path + ".upgrade-lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def revision(url: str, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
