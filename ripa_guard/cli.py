"""The `ripa-guard` command line."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import func, select

from ripa_guard.accounts import second_step
from ripa_guard.accounts import users as accounts
from ripa_guard.accounts.models import Role, User
from ripa_guard.core import audit, db
from ripa_guard.dashboard.remind import remind
from ripa_guard.notifications.commands import send
from ripa_guard.oversight.reconcile_command import reconcile
from ripa_guard.register.import_command import import_register
from ripa_guard.viewing.capture_commands import verify_captures
from ripa_guard.viewing.extension_package import extension

FIRST_EMAIL = "sro@example.gov.uk"


#: Commands take as long as their work does (an extract of a large register, verify-audit):
#: the bounds on database waits are for requests, which a worker timeout would kill.
UNBOUNDED = {
    "DB_LOCK_TIMEOUT_MS": None,
    "DB_STATEMENT_TIMEOUT_MS": None,
    "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS": None,
}


def command_app(config: dict | None = None) -> Flask:
    """The app as the `ripa-guard` command makes it: no bound on its database waits."""
    from ripa_guard import create_app

    return create_app({**UNBOUNDED, **(config or {})})


def main() -> None:
    cli = FlaskGroup(create_app=command_app, add_default_commands=True, help=__doc__)
    cli.main(prog_name="ripa-guard")


def register(app: Flask) -> None:
    for command in (
        serve,
        upgrade,
        create_user,
        reset_password,
        reset_two_step,
        demo,
        extract,
        verify_audit,
        verify_captures,
        check_tallies,
        restart_audit_head,
        remind,
        send,
        backup,
        migration_report,
        import_register,
        extension,
        reconcile,
    ):
        app.cli.add_command(command)


def ensure_first_account() -> tuple[str, str] | None:
    """On an empty database, an SRO account with a one-time password; None if users exist."""
    s = db.session()
    if s.scalar(select(func.count()).select_from(User)):
        return None
    user, password = accounts.create_user(
        s,
        None,
        FIRST_EMAIL,
        "First SRO",
        "Senior responsible officer",
        "Legal Services",
        [Role.SRO, Role.COORDINATOR],
    )
    return user.email, password


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Upgrade the database, make the first account if there is none, and serve the app."""
    first = ensure_first_account()
    click.echo(f"ripa_guard for {current_app.config['COUNCIL_NAME']}: http://{host}:{port}/")
    click.echo(f"Database: {db.engine().url.render_as_string(hide_password=True)}")
    if first:
        email, password = first
        click.echo("")
        click.echo(
            "First sign-in (shown once; you will be asked to choose a new password, then to "
            "set up a second step with an authenticator app on your phone):"
        )
        click.echo(f"  email:    {email}")
        click.echo(f"  password: {password}")
        click.echo("")
    from werkzeug.serving import run_simple

    run_simple(host, port, current_app._get_current_object(), threaded=True)


@click.command()
@with_appcontext
def upgrade() -> None:
    """Bring the database schema up to date (Alembic migrations)."""
    from ripa_guard.core.migrate import upgrade as run_upgrade

    run_upgrade(current_app.config["DATABASE_URL"], totp_key=current_app.config["TOTP_KEY"])
    click.echo("Database schema is up to date.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--grade", default="", help="Job title and grade, as on the central record")
@click.option("--service", default="")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="May be given several times",
)
@click.option("--can-authorise-confidential", is_flag=True, help="Head of paid service, or deputy")
@with_appcontext
def create_user(email, name, grade, service, roles, can_authorise_confidential) -> None:
    """Create an account and print its one-time password."""
    try:
        user, password = accounts.create_user(
            db.session(),
            None,
            email,
            name,
            grade,
            service,
            [Role(r) for r in roles],
            can_authorise_confidential,
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Created {user.email}. One-time password (must be changed at first sign-in): {password}"
    )


@click.command("reset-password")
@click.argument("email", required=False)
@click.option("--email", "email_option", help="The same as EMAIL (the older form)")
@with_appcontext
def reset_password(email, email_option) -> None:
    """Give an account a new one-time password, e.g. the first SRO's after it stopped working.
    For IT when the SRO is locked out; audited."""
    user = _account(email or email_option)
    password = accounts.reset_password(db.session(), None, user, by="ripa-guard reset-password")
    click.echo(
        f"New one-time password for {user.email} (must be changed at first sign-in; it works "
        f"for {current_app.config['ONE_TIME_PASSWORD_DAYS']} days): {password}"
    )


@click.command("reset-two-step")
@click.argument("email")
@with_appcontext
def reset_two_step(email) -> None:
    """Remove an account's second step and recovery codes, e.g. the SRO's after losing their
    phone: they set it up again at their next sign-in. For IT; audited."""
    user = _account(email)
    second_step.remove_second_step(user, actor=None, by="ripa-guard reset-two-step")
    click.echo(
        f"The second step of {user.email} has been removed, with its recovery codes; every "
        "session of the account has ended. They set up a new one when they next sign in."
    )


def _account(email: str | None) -> User:
    if not email:
        raise click.UsageError("Give the account's email address: ripa-guard COMMAND EMAIL")
    user = db.session().scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"There is no account with the email address {email}")
    return user


@click.command()
@with_appcontext
def demo() -> None:
    """Fill an empty database with invented people, cases and applications."""
    from ripa_guard.demo import fill

    try:
        lines = fill(db.session(), current_app)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    for line in lines:
        click.echo(line)


@click.command()
@click.option(
    "--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="First day, e.g. 2026-01-01"
)
@click.option(
    "--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Last day, e.g. 2026-12-31"
)
@click.option(
    "--format", "kind", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def extract(date_from, date_to, kind, output) -> None:
    """Write an extract of the central record for the commissioners."""
    from ripa_guard.core import clock
    from ripa_guard.register import extracts
    from ripa_guard.register.central_record import Filters

    filters = Filters(
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
    years, today = current_app.config["RETENTION_YEARS"], clock.today()
    offences = current_app.extensions["ripa_guard.offences"]
    session = db.session()
    audit.record(
        session,
        None,
        f"register.extract_{kind}",
        "register",
        None,
        period=[str(d) for d in (filters.period or ())],
        output=str(output),
    )
    session.commit()
    if kind == "csv":
        with open(output, "w", encoding="utf-8-sig", newline="") as f:
            for chunk in extracts.csv_chunks(session, filters, years, today, offences):
                f.write(chunk)
    else:
        extracts.write_xlsx(output, session, filters, years, today, offences=offences)
    click.echo(f"Extract written to {output}.")


@click.command("migration-report")
@with_appcontext
def migration_report() -> None:
    """Print what data migrations merged: the typed references made into investigations (0017)."""
    from ripa_guard.viewing.investigations import migration_reports

    reports = migration_reports(db.session())
    if not reports:
        click.echo("No migration has merged anything in this database.")
    for report in reports:
        click.echo(f"{report.revision} ({report.written_at:%Y-%m-%d %H:%M} UTC)\n{report.text}\n")


@click.command("verify-audit")
@with_appcontext
def verify_audit() -> None:
    """Check the audit trail's keyed chain against its head outside the database, then that
    each application's status and each authorising decision are what their events say."""
    from ripa_guard.applications import trail_check

    session = db.session()
    report = audit.verify(session)
    if not report.intact:
        raise click.ClickException(
            f"Audit trail broken at event {report.broken_at}: {report.problem}"
        )
    click.echo(f"Audit trail intact: {report.events} events.")
    if report.unkeyed:
        click.echo(
            f"Events 1 to {report.unkeyed} were written before the trail had a key: they are "
            "checked by plain SHA-256, which someone able to write to the database could redo."
        )
    found = trail_check.disagreements(session)
    if found:
        raise click.ClickException(
            "Records that do not match their audit trail:\n" + "\n".join(f"- {f}" for f in found)
        )
    click.echo("Applications' status and authorising decisions match their audit trail.")
    _verify_reads(session)


@click.command("check-tallies")
@with_appcontext
def check_tallies() -> None:
    """Recount the viewing log and check the tallies kept as it is written (viewing.tallies)."""
    from ripa_guard.viewing import tallies

    found = tallies.differences(db.session())
    if found:
        raise click.ClickException(
            "Tallies that do not match the viewing log:\n" + "\n".join(f"- {f}" for f in found)
        )
    click.echo("The viewing tallies match the viewing log.")


def _verify_reads(session) -> None:
    """The log of reads (DPA 2018 s.62): each row's HMAC under AUDIT_KEY."""
    from ripa_guard.core import read_log

    reads = read_log.verify(session)
    if not reads.intact:
        shown = ", ".join(str(n) for n in reads.changed[:20])
        raise click.ClickException(
            f"Rows of the log of reads changed after they were written: {len(reads.changed)} "
            f"(ids {shown})"
        )
    click.echo(f"Log of reads intact: {reads.rows} reads.")
    if reads.gaps:
        click.echo(
            f"{reads.gaps} ids are missing from the log of reads: rows deleted, or writes that "
            "failed. Compare with a backup."
        )


@click.command("restart-audit-head")
@with_appcontext
def restart_audit_head() -> None:
    """After restoring the database from a copy: set the old head file aside, start a new one."""
    aside = audit.restart_head(db.session())
    if aside:
        click.echo(f"The old head file is kept as {aside}. Keep it: it shows what was lost.")
    click.echo(f"New head file: {audit.head_file()}")


@click.command()
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False), help="A new file for the copy"
)
@with_appcontext
def backup(output) -> None:
    """Write a consistent copy of the SQLite database while the app runs (PostgreSQL: pg_dump)."""
    from ripa_guard.core import backup as copies

    url = current_app.config["DATABASE_URL"]
    if not copies.is_sqlite(url):
        click.echo(copies.pg_dump_advice(url))
        raise SystemExit(1)
    session = db.session()
    recorded = False
    try:
        # Refused before the event below: a backup not taken is not recorded as taken.
        copies.check_target(url, output)
        # In the copy too: who took a copy of the records of covert surveillance, and where to.
        audit.record(session, None, "database.backup", "database", None, output=str(output))
        session.commit()
        recorded = True
        path = copies.backup_sqlite(url, output)
    except (copies.BackupError, OSError) as error:
        if recorded:
            # The event is committed and is never taken back: say that the copy failed.
            audit.record(
                session, None, "database.backup_failed", "database", None, reason=str(error)
            )
            session.commit()
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path}. Keep it as securely as the database itself.")
