"""`ripa-guard import-register FILE`: the council's earlier central record, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ripa_guard.accounts.models import User
from ripa_guard.core import clock, db
from ripa_guard.core.changes import Refused
from ripa_guard.register import importing
from ripa_guard.register.import_file import Checked
from ripa_guard.register.spreadsheet import MAX_BYTES, FileProblem


@click.command("import-register")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    help='JSON: each Code item\'s header to the file\'s column, e.g. {"URN (item 4)": "Ref"}. '
    "Items left out are read from the column of the same name.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and write nothing.")
@click.option(
    "--by", "by_email", required=True, help="E-mail of the coordinator or SRO importing it"
)
@with_appcontext
def import_register(file: Path, mapping: str | None, dry_run: bool, by_email: str) -> None:
    """Import the council's earlier central record (CSV or XLSX, the extract's headers)."""
    session = db.session()
    actor = session.scalar(select(User).where(func.lower(User.email) == by_email.strip().lower()))
    if actor is None or not importing.may_import(actor):
        raise click.ClickException(
            f"{by_email} is not an active RIPA coordinator or senior responsible officer account."
        )
    if file.stat().st_size > MAX_BYTES:
        raise click.ClickException(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    upload = importing.upload(file.name, file.read_bytes())
    today, prefix = clock.today(), current_app.config["URN_PREFIX"]
    checked, used = importing.dry_run(session, upload, _mapping(mapping, upload), today, prefix)
    _report(checked)
    if not checked.clean:
        raise click.ClickException("Nothing was imported: correct the problems and try again.")
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    try:
        made = importing.import_register(session, actor, upload, used, today=today, prefix=prefix)
    except Refused as refused:
        raise click.ClickException(str(refused)) from refused
    click.echo(f"Imported {len(made)} entries from {upload.name} (SHA-256 {upload.sha256}).")


def _mapping(text: str | None, upload: importing.Upload) -> dict[str, str] | None:
    """The default mapping, with the items the JSON names taken from the columns it gives."""
    if not text:
        return None
    try:
        given = json.loads(text)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="--mapping") from error
    if not isinstance(given, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in given.items()
    ):
        raise click.BadParameter(
            'give a JSON object of text, e.g. {"URN (item 4)": "Ref"}', param_hint="--mapping"
        )
    try:
        headers = upload.table().headers
    except FileProblem:
        return given
    return {**importing.default_mapping(headers), **given}


def _report(checked: Checked) -> None:
    for p in checked.problems:
        where = f"Row {p.row}" if p.row else "File"
        column = f", {p.column}" if p.column else ""
        kind = "" if p.blocking else " (warning)"
        click.echo(f"{where}{column}{kind}: {p.message}")
    click.echo(
        f"{checked.rows_read} rows read: {len(checked.entries)} entries to import, "
        f"{len(checked.blocking)} problems, {len(checked.warnings)} warnings, "
        f"{checked.skipped} left out."
    )
