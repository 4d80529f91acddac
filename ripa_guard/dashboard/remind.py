"""`ripa-guard remind`: e-mail each person what is due (due.py), for a daily cron job.

The e-mail leaves the council's system, so it carries only URNs, investigation titles, dates
and links: never subjects' names, profiles or officers' reasons. Whoever opens a link signs in
to see the rest.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ripa_guard.accounts.models import User
from ripa_guard.core import clock, db
from ripa_guard.dashboard.due import (
    AWAITING_COURT,
    AWAITING_DECISION,
    ENDING_NOTICE_DAYS,
    ENDING_SOON,
    LAPSED,
    REVIEW_NOTICE_DAYS,
    REVIEWS_DUE,
    Due,
    DueItem,
    what_is_due,
)
from ripa_guard.law import periods

#: Seconds to wait for the SMTP server before giving up.
SMTP_TIMEOUT = 30

#: For each list: (singular, plural) for the subject line, then the heading and the line of
#: explanation in the body.
WORDING = {
    LAPSED: (
        ("lapsed authorisation", "lapsed authorisations"),
        "Lapsed: still needs cancelling",
        "These passed their last day without being cancelled. Surveillance must stop, and each "
        "still needs cancelling: a lapse is a compliance failure.",
    ),
    REVIEWS_DUE: (
        ("review due", "reviews due"),
        "Reviews due",
        f"Reviews overdue or due in the next {REVIEW_NOTICE_DAYS} days.",
    ),
    ENDING_SOON: (
        ("authorisation ending soon", "authorisations ending soon"),
        f"Authorisations ending in the next {ENDING_NOTICE_DAYS} days",
        "Renew before the last day if it is still needed (RIPA s.43(4)); otherwise cancel it.",
    ),
    AWAITING_DECISION: (
        ("awaiting decision", "awaiting decision"),
        "Awaiting an authorising officer's decision",
        "",
    ),
    AWAITING_COURT: (
        ("awaiting the magistrate", "awaiting the magistrate"),
        "Awaiting the magistrate",
        "Approved by an authorising officer, but with no effect until a magistrate approves "
        "(RIPA s.32A).",
    ),
}


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _when(kind: str, item: DueItem) -> str:
    """The line of dates under an item."""
    if kind == LAPSED:
        return f"Ceased at the end of {periods.long_date(item.day)}"
    if kind == REVIEWS_DUE:
        if item.overdue:
            state = f"overdue by {_days(-item.days_left)}"
        elif item.days_left == 0:
            state = "due today"
        else:
            state = f"in {_days(item.days_left)}"
        return f"Review due {periods.long_date(item.day)} ({state})"
    if kind == ENDING_SOON:
        line = f"It {periods.describe_last_day(item.day)} ({_days(item.days_left)} left)"
        return line + ("; a renewal is under way" if item.renewal_under_way else "")
    if kind == AWAITING_DECISION:
        if item.renewal_number:
            return (
                f"Renewal {item.renewal_number} requested {periods.long_date(item.day)}; it must "
                f"be granted and approved by a magistrate by the end of "
                f"{periods.long_date(item.deadline)}"
            )
        return f"Submitted {periods.long_date(item.day)}"
    if item.renewal_number:
        return (
            f"Renewal {item.renewal_number} approved by the authorising officer "
            f"{periods.long_date(item.day)}; the magistrate must approve it by the end of "
            f"{periods.long_date(item.deadline)}"
        )
    return f"Approved by the authorising officer {periods.long_date(item.day)}"


def subject_line(service_name: str, due: Due) -> str:
    """Like "RIPA guard: 1 lapsed authorisation, 2 reviews due"."""
    parts = []
    for kind, items in due.lists():
        if items:
            singular, plural = WORDING[kind][0]
            parts.append(f"{len(items)} {singular if len(items) == 1 else plural}")
    if due.held_looks:
        n = len(due.held_looks)
        parts.append(f"{n} held look{'' if n == 1 else 's'} to decide")
    return f"{service_name}: {', '.join(parts)}"


def _held_lines(due: Due, held_link: Callable[[int], str]) -> list[str]:
    """The coordinator's queue of held looks: investigation, officer and date, never the
    profile or subject (the e-mail carries references and dates only)."""
    if not due.held_looks:
        return []
    lines = [
        "",
        f"LOOKS HELD FOR YOUR DECISION ({len(due.held_looks)})",
        "Each waits until you say whether it is the same matter as earlier looks under another "
        "investigation.",
    ]
    for look in due.held_looks:
        lines += [
            "",
            f"- {look.investigation.reference}: {look.officer_name}",
            f"  Held {periods.long_date(clock.local_date(look.held_at))}",
            f"  {held_link(look.id)}",
        ]
    return lines


def body(
    due: Due,
    link: Callable[[DueItem], str],
    council: str,
    service_name: str,
    held_link: Callable[[int], str] | None = None,
) -> str:
    """The plain text of the e-mail: each list with its items, URN, title, dates and link."""
    lines = [
        f"{service_name}, {council}",
        "",
        f"What is due for you on {periods.long_date(due.today)}.",
    ]
    for kind, items in due.lists():
        if not items:
            continue
        _words, heading, explanation = WORDING[kind]
        lines += ["", f"{heading.upper()} ({len(items)})"]
        if explanation:
            lines.append(explanation)
        for item in items:
            lines += [
                "",
                f"- {item.urn}: {item.title or 'Untitled'}",
                f"  {_when(kind, item)}",
                f"  {link(item)}",
            ]
    if held_link is not None:
        lines += _held_lines(due, held_link)
    lines += [
        "",
        "--",
        "This e-mail gives reference numbers, titles and dates only. Sign in to see the rest.",
        f"It is sent each day by {service_name} while anything is due for you.",
    ]
    return "\n".join(lines) + "\n"


def compose(app: Flask, user: User, due: Due) -> EmailMessage:
    """One person's reminder, ready to send."""
    config = app.config
    base = config["SERVICE_URL"].rstrip("/")
    urls = app.url_map.bind("localhost")

    def link(item: DueItem) -> str:
        return base + urls.build("applications.show", item.url_args)

    def held_link(held_id: int) -> str:
        return base + urls.build("investigations.held_look", {"held_id": held_id})

    sender = config["MAIL_SENDER"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = user.email
    message["Subject"] = subject_line(config["SERVICE_NAME"], due)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid("ripa-guard", domain=domain)
    message.set_content(body(due, link, config["COUNCIL_NAME"], config["SERVICE_NAME"], held_link))
    return message


def connect(config) -> smtplib.SMTP:
    """An open, logged-in SMTP connection, or a ClickException saying what went wrong."""
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    try:
        if config["MAIL_USE_SSL"]:
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        try:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
    except (OSError, smtplib.SMTPException) as error:
        raise click.ClickException(
            f"Could not connect to the mail server {host}:{port}: {error or type(error).__name__}. "
            "Check MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USE_SSL and the credentials. "
            "No e-mails were sent."
        ) from error
    return smtp


@click.command()
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to remind for, as YYYY-MM-DD. Defaults to today in England and Wales.",
)
@with_appcontext
def remind(today: datetime | None) -> None:
    """E-mail each active user what is due: lapses, reviews, last days, decisions, hearings."""
    day: date = today.date() if today else clock.today()
    app = current_app._get_current_object()
    session = db.session()
    outbox = []
    for user in session.scalars(select(User).where(User.active).order_by(User.id)):
        due = what_is_due(session, user, day)
        if not due.is_empty:
            outbox.append((user, compose(app, user, due)))
    if not outbox:
        click.echo(f"Nothing is due on {periods.long_date(day)}: no e-mails sent.")
        return
    failures = []
    smtp = connect(app.config)
    try:
        for user, message in outbox:
            try:
                smtp.send_message(message)
            except (OSError, smtplib.SMTPException) as error:
                failures.append(f"{user.email}: {error}")
                click.echo(f"Not sent to {user.email}: {error}", err=True)
            else:
                summary = message["Subject"].partition(": ")[2]
                click.echo(f"Sent to {user.email}: {summary}")
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    sent = len(outbox) - len(failures)
    click.echo(f"{sent} e-mail{'' if sent == 1 else 's'} sent for {periods.long_date(day)}.")
    if failures:
        raise click.ClickException(
            f"{len(failures)} of {len(outbox)} e-mails could not be sent: " + "; ".join(failures)
        )
