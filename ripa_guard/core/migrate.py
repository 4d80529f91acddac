"""Schema changes through Alembic, run by `ripa-guard upgrade` or at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # A "%" in a password would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head", totp_key: str | None = None) -> None:
    """Upgrade to `revision`; `totp_key` seals second-step secrets kept in plain text (0018)."""
    config = alembic_config(url)
    config.attributes["totp_key"] = totp_key
    command.upgrade(config, revision)


def revision(url: str, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
