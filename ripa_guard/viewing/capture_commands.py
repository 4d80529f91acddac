"""`ripa-guard verify-captures`: recompute the SHA-256 of every file the server keeps for the
captured material register, and name each capture whose file is missing or changed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ripa_guard.core import db
from ripa_guard.viewing import capture_retention, captures


@click.command("verify-captures")
@with_appcontext
def verify_captures() -> None:
    """Check every capture kept on the server against its SHA-256; exit 1 on any problem."""
    session = db.session()
    checked, problems = capture_retention.verify_store(session, captures.Settings.from_app())
    for capture_id, problem in problems:
        click.echo(f"Capture {capture_id}: file {problem}", err=True)
    if problems:
        raise click.ClickException(
            f"{len(problems)} of {checked} captures kept on the server have a missing or "
            "changed file."
        )
    click.echo(f"Captured material intact: {checked} files match their SHA-256.")
