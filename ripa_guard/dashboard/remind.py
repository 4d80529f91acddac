"""`ripa-guard remind`: queue each person's reminder of what is due (due.py), for a daily cron
job; `ripa-guard send` delivers the outbox (notifications/).

The e-mail leaves the council's system, so it carries only URNs, investigation titles, dates
and links: never subjects' names, profiles or officers' reasons. Whoever opens a link signs in
to see the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ripa_guard.accounts.models import User
from ripa_guard.core import clock, db
from ripa_guard.dashboard.digest import queue_digest
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
from ripa_guard.notifications import messages, outbox

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
    if due.captures and due.captures.count:
        n = due.captures.count
        parts.append(f"{n} capture{'' if n == 1 else 's'} to review or destroy")
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


def _capture_lines(due: Due, capture_link: Callable[[int], str]) -> list[str]:
    """The SRO's captures past their review or destroy-by date: investigation, capture and
    date, never the page captured (the e-mail carries references and dates only)."""
    if not due.captures or not due.captures.count:
        return []
    lines = [
        "",
        f"CAPTURED MATERIAL TO REVIEW OR DESTROY ({due.captures.count})",
        "Material is kept only while it is needed (Covert Surveillance Code of Practice 2018, "
        "ch. 9; DPA 2018 s.39).",
    ]
    for capture in due.captures.destructions:
        lines += [
            "",
            f"- {capture.reference}: {capture.kind.title} {capture.id}",
            f"  Destroy by {periods.long_date(capture.destroy_by)}",
            f"  {capture_link(capture.id)}",
        ]
    for capture in due.captures.reviews:
        lines += [
            "",
            f"- {capture.reference}: {capture.kind.title} {capture.id}",
            f"  Review by {periods.long_date(capture.review_on)}",
            f"  {capture_link(capture.id)}",
        ]
    return lines


def body(
    due: Due,
    link: Callable[[DueItem], str],
    council: str,
    service_name: str,
    held_link: Callable[[int], str] | None = None,
    capture_link: Callable[[int], str] | None = None,
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
    if capture_link is not None:
        lines += _capture_lines(due, capture_link)
    lines += [
        "",
        "--",
        "This e-mail gives reference numbers, titles and dates only. Sign in to see the rest.",
        f"It is sent each day by {service_name} while anything is due for you.",
    ]
    return "\n".join(lines) + "\n"


def compose(app: Flask, due: Due) -> messages.Message:
    """One person's reminder: its subject, its text, and what a Notify template is given."""
    config = app.config
    base = config["SERVICE_URL"].rstrip("/")
    urls = app.url_map.bind("localhost")

    def link(item: DueItem) -> str:
        return base + urls.build("applications.show", item.url_args)

    def held_link(held_id: int) -> str:
        return base + urls.build("investigations.held_look", {"held_id": held_id})

    def capture_link(capture_id: int) -> str:
        return base + urls.build("captures.show", {"capture_id": capture_id})

    subject = subject_line(config["SERVICE_NAME"], due)
    text = body(due, link, config["COUNCIL_NAME"], config["SERVICE_NAME"], held_link, capture_link)
    dashboard = base + outbox.path_for("main.dashboard")
    return messages.Message(
        subject=subject,
        body=text,
        personalisation=messages.personalisation(subject, text, "", "", dashboard),
    )


def queue_reminders(session: Session, app: Flask, day: date) -> list[tuple[User, str]]:
    """Queue each active person's reminder for `day`, once however often this runs that day;
    returns who was reminded, and of what. Does not commit."""
    queued = []
    people = select(User).where(User.active).order_by(User.id).options(selectinload(User.roles))
    for user in session.scalars(people):
        due = what_is_due(session, user, day)
        key = f"{messages.REMINDER}:{day.isoformat()}:{user.id}"
        if due.is_empty or outbox.already_queued(session, key):
            continue
        message = compose(app, due)
        summary = message.subject.partition(": ")[2]
        outbox.add(
            session,
            messages.REMINDER,
            user,
            message,
            headline=f"Due on {periods.long_date(day)}: {summary}",
            title="",
            link=outbox.path_for("main.dashboard"),
            dedupe_key=key,
        )
        queued.append((user, summary))
    return queued


@click.command()
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to remind for, as YYYY-MM-DD. Defaults to today in England and Wales.",
)
@with_appcontext
def remind(today: datetime | None) -> None:
    """Queue each active user's reminder of what is due, and the SRO's digest of the looks
    stopped the day before; `ripa-guard send` delivers them."""
    day: date = today.date() if today else clock.today()
    app = current_app._get_current_object()
    session = db.session()
    queued = queue_reminders(session, app, day)
    digests = queue_digest(session, day - timedelta(days=1), app.config)
    session.commit()
    for user, summary in queued:
        click.echo(f"Queued for {user.email}: {summary}")
    if digests:
        click.echo(
            f"Queued the digest of stopped looks for {digests} SRO{'' if digests == 1 else 's'}."
        )
    if not queued:
        click.echo(
            f"No reminders queued for {periods.long_date(day)}: nothing is due, or each "
            "person's was queued by an earlier run that day."
        )
        return
    n = len(queued)
    click.echo(
        f"{n} reminder{'' if n == 1 else 's'} queued for {periods.long_date(day)}: "
        "`ripa-guard send` delivers them."
    )
