"""The status a person sees for an application or authorisation: one rule, given "today". Pure.

What is stored (the application's state as its last change left it) is not what a person needs
to read: an authorisation approved by the magistrate is "in force" only until the end of its last
day (RIPA s.43(3)(c)); after that, until it is cancelled, it has "lapsed" (RIPA s.45(1): it must
still be cancelled; letting it lapse is poor practice, DOMAIN.md §4 "Cancellation"). Every page,
list, filter, extract and report shows `shown_status`, never the stored state.

Sources, by status:
- awaiting decision: RIPA s.28 (the authorising officer grants or refuses);
- awaiting the magistrate: RIPA s.32A(2) (no effect until a JP approves);
- in force: s.32A(2) and s.43(3)(c) (from the JP's approval to the end of the last day);
- renewal pending: s.43(4) (a renewal asked for or approved, before the authorisation ceases);
- lapsed: s.43(3)(c) (ceased at the end of its last day) and s.45(1) (still to be cancelled);
- cancelled: s.45(1);
- refused by the magistrate: s.32A(3)-(4); quashed: s.32B(3) (the power to quash) with the
  Criminal Procedure Rules 2020 r.47.52(2) (only after two business days for representations);
- details destroyed: Code of Practice 2018 para 8.1 (kept at least three years from the end).

Imports neither Flask nor SQLAlchemy, and never reads the clock.
"""

from __future__ import annotations

import enum
from datetime import date

#: The stored states, as applications.models.ApplicationStatus spells them (not imported: law
#: sits below the models).
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
REFUSED = "refused"
AWAITING_COURT = "awaiting_court"
ACTIVE = "active"
COURT_REFUSED = "court_refused"
QUASHED = "quashed"
CANCELLED = "cancelled"
WITHDRAWN = "withdrawn"


class Shown(enum.StrEnum):
    """What a person reads as an application's status."""

    DRAFT = "draft"
    RETURNED = "returned"
    AWAITING_DECISION = "submitted"
    REFUSED = "refused"
    AWAITING_COURT = "awaiting_court"
    IN_FORCE = "in_force"
    RENEWAL_PENDING = "renewal_pending"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"
    COURT_REFUSED = "court_refused"
    QUASHED = "quashed"
    WITHDRAWN = "withdrawn"
    DESTROYED = "destroyed"

    @property
    def title(self) -> str:
        return SHOWN_TITLES[self]

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour: red where something must be done now."""
        return TAG_COLOURS.get(self, "grey")


SHOWN_TITLES = {
    Shown.DRAFT: "Draft",
    Shown.RETURNED: "Returned for more information",
    Shown.AWAITING_DECISION: "Awaiting decision",
    Shown.REFUSED: "Refused by authorising officer",
    Shown.AWAITING_COURT: "Awaiting magistrate",
    Shown.IN_FORCE: "In force",
    Shown.RENEWAL_PENDING: "In force, renewal pending",
    Shown.LAPSED: "Lapsed (not cancelled)",
    Shown.CANCELLED: "Cancelled",
    Shown.COURT_REFUSED: "Refused by magistrate",
    Shown.QUASHED: "Quashed by magistrate",
    Shown.WITHDRAWN: "Withdrawn",
    Shown.DESTROYED: "Details destroyed",
}

TAG_COLOURS = {
    Shown.IN_FORCE: "green",
    Shown.RENEWAL_PENDING: "green",
    Shown.LAPSED: "red",
    Shown.AWAITING_DECISION: "blue",
    Shown.AWAITING_COURT: "blue",
    Shown.RETURNED: "yellow",
    Shown.REFUSED: "orange",
    Shown.COURT_REFUSED: "orange",
    Shown.QUASHED: "orange",
}

_STORED = {
    DRAFT: Shown.DRAFT,
    SUBMITTED: Shown.AWAITING_DECISION,
    RETURNED: Shown.RETURNED,
    REFUSED: Shown.REFUSED,
    AWAITING_COURT: Shown.AWAITING_COURT,
    COURT_REFUSED: Shown.COURT_REFUSED,
    QUASHED: Shown.QUASHED,
    CANCELLED: Shown.CANCELLED,
    WITHDRAWN: Shown.WITHDRAWN,
}


def shown_status(
    stored: str,
    today: date,
    last_day: date | None = None,
    renewal_pending: bool = False,
    destroyed: bool = False,
) -> Shown:
    """The status a person sees on `today`.

    An approved authorisation (stored "active") is in force to the end of `last_day`, the last
    day of its latest period (s.43(3)(c)), and lapsed from the next day until it is cancelled
    (s.45(1)). While in force with a renewal asked for or awaiting the magistrate, it is
    "in force, renewal pending"; once lapsed, a pending renewal no longer matters. An entry whose
    details were destroyed at the end of retention (Code para 8.1) shows that, whatever it was.
    """
    if destroyed:
        return Shown.DESTROYED
    if stored != ACTIVE:
        return _STORED[stored]
    if last_day is not None and today > last_day:
        return Shown.LAPSED
    return Shown.RENEWAL_PENDING if renewal_pending else Shown.IN_FORCE


def stored_states(shown: Shown) -> tuple[str, ...]:
    """The stored states an entry with this shown status can have: where a register filter by
    shown status starts, before the date conditions `shown_status` adds for "active"."""
    if shown == Shown.DESTROYED:
        return tuple(_STORED) + (ACTIVE,)
    if shown in (Shown.IN_FORCE, Shown.RENEWAL_PENDING, Shown.LAPSED):
        return (ACTIVE,)
    return tuple(stored for stored, s in _STORED.items() if s == shown)


#: What a person choosing "In force" in a filter means: renewal pending is in force too.
_INCLUDES = {Shown.IN_FORCE: frozenset({Shown.IN_FORCE, Shown.RENEWAL_PENDING})}


def included_in(wanted: Shown) -> frozenset[Shown]:
    """The shown statuses a filter for `wanted` lists: "In force" includes "In force, renewal
    pending" (s.43(4): a renewal is asked for while the authorisation is in force)."""
    return _INCLUDES.get(wanted, frozenset({wanted}))
