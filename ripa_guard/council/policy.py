"""The council's own policy, as settings: each with its value and its effect in plain words.

ripa_guard follows the council's policy as well as the law. What the law fixes is in law/; what
the council chooses is a setting (config.py), listed here for the coordinator and the SRO.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ripa_guard.accounts.models import User
from ripa_guard.core import audit
from ripa_guard.core.models import AuditEvent
from ripa_guard.council import details
from ripa_guard.law import periods

#: Where an officer reads what monitoring outside RIPA the council allows.
NON_RIPA_FORBIDDEN = (
    "The council's policy does not allow monitoring of social media outside RIPA. Do not carry "
    "out this research. Speak to the RIPA coordinator if you think it is needed."
)


def non_ripa_monitoring_allowed() -> bool:
    """Whether the council's policy allows monitoring outside RIPA through the non-RIPA
    register (NON_RIPA_MONITORING_ALLOWED); some councils' social media policies forbid it."""
    return bool(current_app.config.get("NON_RIPA_MONITORING_ALLOWED", True))


@dataclass(frozen=True)
class PolicySetting:
    name: str
    title: str
    value: str
    effect: str


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _days(value) -> str:
    return "For ever" if value in (None, "") else f"{value} day{'' if value == 1 else 's'}"


#: The settings that are on or off: (name, title, default, words for on and off, effect when on,
#: effect when off).
SWITCHES = (
    (
        "NON_RIPA_MONITORING_ALLOWED",
        "Monitoring outside RIPA",
        True,
        ("Allowed", "Not allowed"),
        "Research that triage finds outside RIPA (an employment investigation, say) may be "
        "recorded in the non-RIPA register and approved there.",
        "Research that triage finds outside RIPA is refused: the officer is told the council's "
        "policy forbids it, the attempt is recorded for the SRO, and no non-RIPA route is "
        "offered.",
    ),
    (
        "REQUIRE_TRAINING",
        "Authorising officers must be trained",
        True,
        ("Yes", "No"),
        "An authorising officer whose training is out of date cannot approve.",
        "An authorising officer whose training is out of date is warned, but may approve.",
    ),
    (
        "REQUIRE_OFFICER_TRAINING",
        "Officers must be trained to log viewings",
        True,
        ("Yes", "No"),
        "An officer whose online research training is out of date, or not recorded, cannot log "
        "a viewing.",
        "Officers may log viewings whatever their training record says.",
    ),
    (
        "REQUIRE_TOTP_FOR_DECIDERS",
        "A second step for authorising officers and the SRO",
        False,
        ("Yes", "No"),
        "Authorising officers and the SRO must set up an authenticator app before they can do "
        "anything else.",
        "A second step is offered to everyone but required of no one.",
    ),
)


def _switch(c, name, title, default, words, when_on, when_off) -> PolicySetting:
    on = bool(c.get(name, default))
    return PolicySetting(name, title, words[0] if on else words[1], when_on if on else when_off)


def policy_settings(config=None) -> list[PolicySetting]:
    """Every setting that is the council's policy rather than the law, as in force now."""
    c = config if config is not None else current_app.config
    training_years = c.get("TRAINING_LIMIT_YEARS", 3)
    return [
        *(_switch(c, *switch) for switch in SWITCHES),
        PolicySetting(
            "DEFAULT_REVIEW_INTERVAL_DAYS",
            "Review interval offered",
            _days(c.get("DEFAULT_REVIEW_INTERVAL_DAYS")),
            "The interval between reviews offered to an authorising officer when they approve; "
            "they may set it shorter or longer for each authorisation.",
        ),
        PolicySetting(
            "RETENTION_YEARS",
            "Keeping the central record",
            f"{c.get('RETENTION_YEARS')} years",
            "How long an entry is kept after its authorisation ends before the SRO may destroy "
            "its details. The Code's minimum is 3 years.",
        ),
        PolicySetting(
            "CAPTURE_REVIEW_MONTHS",
            "Reviewing captured material",
            f"{c.get('CAPTURE_REVIEW_MONTHS', 6)} months",
            "A capture (a screenshot, a PDF, a saved page) is reviewed this long after it is "
            "made: kept, with a reason, until a new date, or destroyed (Code of Practice 2018 "
            "ch. 9; DPA 2018 s.39(2), periodic review).",
        ),
        PolicySetting(
            "CAPTURE_KEEP_MONTHS",
            "Keeping captured material",
            f"{c.get('CAPTURE_KEEP_MONTHS', 12)} months",
            "The longest a capture is kept without a review keeping it, and the most one review "
            "may keep it for; after that it is due for destruction.",
        ),
        PolicySetting(
            "TRAINING_LIMIT_YEARS",
            "Training period",
            f"{training_years} years",
            f"Training older than {training_years} years is out of date. IPCO expects key staff "
            "to be trained and refreshed but sets no period.",
        ),
        PolicySetting(
            "REPEAT_VIEWING_WINDOW_DAYS",
            "Repeat viewing window",
            _days(c.get("REPEAT_VIEWING_WINDOW_DAYS")),
            "An earlier look at a profile within this time makes a further look, without an "
            "authorisation, a repeat, which is blocked.",
        ),
        PolicySetting(
            "RENEWAL_COURT_POLICY",
            "A renewal's approval by the magistrate",
            "By the last day of the period it renews",
            periods.RENEWAL_COURT_POLICY,
        ),
    ]


#: The audit action of research that triage found outside RIPA while the policy forbids it.
REFUSED_BY_POLICY = "triage.outside_ripa_refused_by_policy"


def record_refusal_by_policy(session: Session, actor: User | None, triage_id: int) -> None:
    """Where the policy forbids monitoring outside RIPA, an outside-RIPA outcome is an attempt
    the SRO must see: recorded in the caller's transaction, with the policy's link."""
    if has_app_context() and not non_ripa_monitoring_allowed():
        policy_url = details.current(session).policy_url
        audit.record(session, actor, REFUSED_BY_POLICY, "triage", triage_id, policy=policy_url)


def refused_by_policy(session: Session, limit: int = 50) -> tuple[list[AuditEvent], int]:
    """The newest attempts refused by the policy, for the SRO, and how many there are in all."""
    query = select(AuditEvent).where(AuditEvent.action == REFUSED_BY_POLICY)
    events = session.scalars(query.order_by(AuditEvent.seq.desc()).limit(limit)).all()
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    return list(events), total or 0
