"""`ripa-guard send`: deliver the outbox, once (from cron) or over and over (a worker)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ripa_guard.core import clock, db
from ripa_guard.notifications import sending
from ripa_guard.notifications.backends import NotConfigured, backend_for


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def send_once() -> sending.Run:
    """One pass over the outbox with the configured backend, now."""
    config = current_app.config
    try:
        backend = backend_for(config)
    except NotConfigured as error:
        raise click.ClickException(f"{error} No e-mails were sent.") from error
    result = sending.run(db.session(), backend, clock.now, sending.Settings.from_config(config))
    for problem in result.problems:
        click.echo(f"Not sent: {problem}", err=True)
    click.echo(
        f"{_plural(result.sent, 'e-mail')} sent; {result.retrying} to try again later; "
        f"{result.failed} failed; {result.unconfirmed} unconfirmed."
    )
    return result


@click.command()
@click.option("--loop", is_flag=True, help="Keep running, sending what is due every so often.")
@click.option(
    "--every",
    default=30,
    show_default=True,
    type=click.IntRange(min=1),
    help="With --loop: seconds between passes.",
)
@with_appcontext
def send(loop: bool, every: int) -> None:
    """Send the e-mails waiting in the outbox, by SMTP or GOV.UK Notify (EMAIL_BACKEND)."""
    if not loop:
        result = send_once()
        if result.failed or result.retrying or result.unconfirmed:
            raise click.ClickException("Some e-mails were not sent: see above.")
        return
    while True:  # a worker: stopped by its supervisor (systemd, a container) with a signal
        send_once()
        db.session().close()
        time.sleep(every)
