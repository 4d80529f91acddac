"""`ripa-guard reconcile FILE`: a proxy log checked against the viewing log, from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ripa_guard.core import clock, db
from ripa_guard.core.changes import Refused
from ripa_guard.oversight import reconciliation
from ripa_guard.oversight.reconciliation_models import ReconciliationRun


@click.command("reconcile")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["squid", "csv"]),
    help="The log's format; by default CSV for a .csv file, else Squid's native access.log.",
)
@click.option(
    "--users",
    "users_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of log user name and e-mail address, for users the setting does not match.",
)
@with_appcontext
def reconcile(file: Path, file_format: str | None, users_file: Path | None) -> None:
    """Find the looks at profiles in a proxy log that the viewing log does not show."""
    session = db.session()
    try:
        users = (users_file.name, users_file.read_bytes()) if users_file else None
        with file.open("rb") as raw:
            run = reconciliation.reconcile_upload(
                session,
                None,
                raw,
                file_name=file.name,
                file_format=file_format,
                users=users,
                config=current_app.config,
                today=clock.today(),
            )
    except Refused as refused:
        raise click.ClickException(str(refused)) from refused
    for line in summary(run):
        click.echo(line)


def summary(run: ReconciliationRun) -> list[str]:
    """The run's figures, as the command prints them."""
    lines = [
        f"Reconciliation {run.id}: {run.file_name} (SHA-256 {run.file_sha256})",
        f"  lines read: {run.lines:,}, of which malformed (skipped): {run.malformed:,}",
        f"  visits to profiles by officers: {run.visits:,}",
        f"    matched to a logged viewing: {run.matched:,}",
        f"    not in the viewing log (proposed as errors): {run.unlogged:,}",
        f"  requests to other sites (ignored): {run.other_sites:,}",
        f"  pages of listed platforms that are no profile (home, search): {run.platform_pages:,}",
        f"  not pages (images, scripts, data, refused by the proxy): {run.not_pages:,}",
        f"  host only (HTTPS tunnels, CONNECT host:443; no profile can be named): "
        f"{run.host_only:,}, of which to listed platforms: {run.host_only_platforms:,}",
        f"  requests to profiles by log users matched to no account: {run.unknown_user_requests:,}",
    ]
    if run.host_only_platforms:
        lines.append(
            "  Tunnels to listed platforms cannot be checked: decrypt HTTPS at the proxy, or "
            "rely on the browser extension, to see which profiles they were."
        )
    for user, count in run.unknown_users:
        lines.append(f"    unknown user {user}: {count:,} requests")
    for number, why, _text in run.malformed_examples:
        lines.append(f"  line {number}: {why}")
    if run.malformed > len(run.malformed_examples):
        lines.append(
            f"  … and {run.malformed - len(run.malformed_examples):,} more malformed lines"
        )
    return lines
