"""The SRO's daily digest of looks stopped by the gate: how many were blocked and refused on
one day, with a link to the viewings page. Counts and a link only: no subject, profile, officer
or investigation leaves the council's system by e-mail.

The SRO is responsible for the integrity of the process and for compliance (Code 2018, around
paras 4.47-4.48 (check)); a stopped look is where an officer tried to go beyond what was
authorised, so the SRO hears of each day's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import Role
from ripa_guard.core import clock
from ripa_guard.law import periods
from ripa_guard.law.viewing_rules import Stop
from ripa_guard.notifications import messages, outbox
from ripa_guard.viewing.models import ViewingAttempt


def stopped_on(session: Session, day: date) -> dict[Stop, int]:
    """Looks blocked and refused on `day` in England and Wales."""
    start = datetime.combine(day, time.min, tzinfo=clock.LONDON).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=clock.LONDON).astimezone(UTC)
    rows = session.execute(
        select(ViewingAttempt.outcome, func.count())
        .where(ViewingAttempt.attempted_at >= start, ViewingAttempt.attempted_at < end)
        .group_by(ViewingAttempt.outcome)
    ).all()
    counts = dict.fromkeys(Stop, 0)
    counts.update(dict(rows))
    return counts


def _looks(n: int) -> str:
    return f"{n} look{'' if n == 1 else 's'}"


def compose(counts: dict[Stop, int], day: date, link: str, config) -> messages.Message:
    """The digest's words: the two counts, the day and the link."""
    blocked, refused = counts[Stop.BLOCKED], counts[Stop.REFUSED]
    line = (
        f"{blocked} blocked and {refused} refused "
        f"look{'' if blocked + refused == 1 else 's'} on {periods.long_date(day)}"
    )
    body = "\n".join(
        [
            f"{config['SERVICE_NAME']}, {config['COUNCIL_NAME']}",
            "",
            f"Looks the gate stopped on {periods.long_date(day)}:",
            f"- Blocked, a repeat without an authorisation: {_looks(blocked)}",
            f"- Refused, outside an authorisation: {_looks(refused)}",
            "",
            "Who, why and for which investigation are on the viewings page:",
            link,
            "",
            "--",
            messages.FOOTER,
        ]
    )
    subject = f"{config['SERVICE_NAME']}: {line}"
    return messages.Message(
        subject=subject,
        body=body + "\n",
        personalisation=messages.personalisation(line, body, "", "", link),
    )


def queue_digest(session: Session, day: date, config) -> int:
    """Queue the digest of `day` for each SRO, once, if any look was stopped that day; returns
    how many SROs it was queued for. Does not commit."""
    counts = stopped_on(session, day)
    if not any(counts.values()):
        return 0
    path = outbox.path_for("viewings.oversight")
    message = compose(counts, day, config["SERVICE_URL"].rstrip("/") + path, config)
    queued = 0
    for sro in outbox.people_with_role(session, Role.SRO):
        key = f"{messages.VIEWING_DIGEST}:{day.isoformat()}:{sro.id}"
        if outbox.already_queued(session, key):
            continue
        outbox.add(
            session,
            messages.VIEWING_DIGEST,
            sro,
            message,
            headline=message.personalisation["subject"],
            title="",
            link=path,
            dedupe_key=key,
        )
        queued += 1
    return queued
