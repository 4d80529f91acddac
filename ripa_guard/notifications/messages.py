"""The words of each notification, from a reference, a title and a link only.

Pure: no Flask, no database. An e-mail leaves the council's system, so nothing here can carry a
subject's name, a profile or an officer's reasons: the caller has nothing else to give.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBMITTED = "application_submitted"
RENEWAL_REQUESTED = "renewal_requested"
APPROVED = "application_approved"
REFUSED = "application_refused"
RETURNED = "application_returned"
RENEWAL_APPROVED = "renewal_approved"
RENEWAL_REFUSED = "renewal_refused"
COURT_APPROVED = "court_approved"
COURT_REFUSED = "court_refused"
RENEWAL_COURT_APPROVED = "renewal_court_approved"
RENEWAL_COURT_REFUSED = "renewal_court_refused"
LOOK_HELD = "look_held"
VIEWING_DIGEST = "viewing_digest"
REMINDER = "reminder"

#: Each event's headline; {ref} is the URN or the investigation's reference.
HEADLINES = {
    SUBMITTED: "{ref} is waiting for an authorising officer's decision",
    RENEWAL_REQUESTED: "A renewal of {ref} is waiting for an authorising officer's decision",
    APPROVED: "{ref} was approved by an authorising officer: it needs a magistrate's approval "
    "before it has effect",
    REFUSED: "{ref} was refused by an authorising officer",
    RETURNED: "{ref} was returned to you for changes",
    RENEWAL_APPROVED: "The renewal of {ref} was approved by an authorising officer: it needs a "
    "magistrate's approval",
    RENEWAL_REFUSED: "The renewal of {ref} was refused by an authorising officer",
    COURT_APPROVED: "The magistrate approved {ref}: it has effect",
    COURT_REFUSED: "The magistrate refused to approve {ref}",
    RENEWAL_COURT_APPROVED: "The magistrate approved the renewal of {ref}",
    RENEWAL_COURT_REFUSED: "The magistrate refused to approve the renewal of {ref}",
    LOOK_HELD: "A look for {ref} is held until you say whether it is the same matter",
    VIEWING_DIGEST: "{ref}",
    REMINDER: "{ref}",
}

FOOTER = "This e-mail gives reference numbers, titles and links only. Sign in to see the rest."


@dataclass(frozen=True)
class Message:
    """One e-mail's words, and the fields a GOV.UK Notify template may use."""

    subject: str
    body: str
    personalisation: dict[str, str]


def headline(event: str, ref: str) -> str:
    return HEADLINES[event].format(ref=ref)


def compose(
    event: str, *, ref: str, title: str, link: str, service_name: str, council: str
) -> Message:
    """An e-mail about one record: what happened, its URN or reference, its title, a link."""
    line = headline(event, ref)
    body = "\n".join(
        [
            f"{service_name}, {council}",
            "",
            line + ".",
            "",
            f"{ref}: {title or 'Untitled'}",
            link,
            "",
            "--",
            FOOTER,
        ]
    )
    return Message(
        subject=f"{service_name}: {line}",
        body=body + "\n",
        personalisation=personalisation(line, body, ref, title, link),
    )


def personalisation(subject: str, body: str, ref: str, title: str, link: str) -> dict[str, str]:
    """What a Notify template is given: one template may use ((subject)) and ((body)), or one
    per event its own wording with ((reference)), ((title)) and ((link))."""
    return {"subject": subject, "body": body, "reference": ref, "title": title, "link": link}


def retry_delay(attempts: int, base_seconds: int, cap_seconds: int) -> int:
    """Seconds before the next attempt: doubling from `base_seconds` after each failure, never
    more than `cap_seconds`, so a server that is down is not hammered."""
    return min(base_seconds * 2 ** max(attempts - 1, 0), cap_seconds)
