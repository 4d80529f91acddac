"""May this viewing happen? The gate in front of every look at a person's profile. Pure.

Sources (short names as in DOMAIN.md and triage.py):

- RIPA s.26(2): surveillance is directed when it is covert, for a specific investigation, and
  likely to obtain private information about a person. Code paras 3.10 to 3.17: a first look at
  a profile, to see whether it is relevant, is unlikely to need an authorisation; deciding to
  monitor it, or repeated viewing as part of ongoing work, is likely to be directed surveillance,
  and open privacy settings do not remove the privacy interest.
- RIPA s.27(1): conduct is lawful when an authorisation entitles the person to it and the conduct
  is in accordance with the authorisation. s.28(4): the conduct authorised is surveillance of the
  description specified in the authorisation, for the investigation it describes (the wording was
  read in the parallel Scottish provision, RIP(S)A s.10(4); check the England and Wales text).
- RIPA s.32A(2): a council's authorisation has no effect until a justice of the peace approves it.
- RIPA s.43(3)(c): it ceases to have effect at the end of three months beginning with the day it
  (or its latest renewal) takes effect: it has effect until 23:59:59 on its last day, in England
  and Wales (periods.py). s.43(9)(b) and (c): a renewal takes effect on the later of the old
  last day and the day a JP approves it; the days between are covered by neither period.
- RIPA s.45(1): the authorisation must be cancelled once no longer necessary or proportionate; a
  cancelled authorisation is treated as having no effect for the whole of the day of cancellation
  (periods.has_effect_on), the safe side.

The rules, in the order they are applied (the first that fits decides). "The investigation" is
the one the officer names; "the profile" includes every address of it (profile_identity) and
every profile the council has recorded as the same account (``tied_identities``).

1. An authorisation for the investigation covers the profile and has effect now -> AUTHORISED,
   logged against its URN (s.27(1), s.32A(2), s.43(3)(c)).
2. An authorisation for the investigation covers the profile but has no effect now: it awaits
   the magistrate, the magistrate refused it, the day it takes effect has not come, its last day
   has passed, it was cancelled, or the day falls between its last day and a renewal the
   magistrate approved later (s.43(9)(c)) -> REFUSED, saying which.
3. An authorisation for the investigation has effect now but does not cover the profile ->
   REFUSED: viewing outside what was authorised is not protected by it (s.27(1), s.28(4)).
4. A triage of a plan under the investigation found directed surveillance (for example a single
   visit to record and build up a profile of the person: the Code's Example 2, second half), or
   directed surveillance that cannot be authorised, and no authorisation has effect now ->
   REFUSED with the triage's reasons. A viewing the plan itself says needs an authorisation is not
   "initial research", even the first one (s.26(2); Code).
5. Nobody has viewed the profile, or another profile of the same subject, for the investigation
   (within the council's window, if it sets one) -> INITIAL_RESEARCH (Code).
6. Otherwise it is a further viewing without authority -> BLOCKED: repeated viewing directed at a
   person is likely to be directed surveillance (s.26(2); Code), whoever looked before.

7. A first look for the investigation (rule 5) at a profile, or a subject, that the council has
   already looked at under another investigation within the window -> HELD until the RIPA
   coordinator rules (``across_investigations``). "Same matter": the earlier looks count for
   this investigation, so rule 6 blocks it as a repeat. "Separate matter", with the reason: it
   goes ahead as initial research. Repeated viewing directed at a person is likely to be directed
   surveillance whoever does it and under whatever reference (s.26(2) and (10); Code paras 3.10
   to 3.17); whether two investigations are one matter is a judgment for a person, so the gate
   neither lets it through nor blocks it alone.

Coverage is only ever what the authorising officer approved: the profiles listed for the
authorisation's subjects. A tie between a numeric id and a handle makes a repeat easier to find;
it never widens what an authorisation covers.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ripa_guard.law import periods
from ripa_guard.law.triage import CODE_ONLINE

LONDON = ZoneInfo("Europe/London")

RIPA_DIRECTED = "RIPA 2000, s.26(2)"
RIPA_AUTHORISED = "RIPA 2000, s.27(1), s.32A(2) and s.43(3)(c)"
RIPA_SCOPE = "RIPA 2000, s.27(1) and s.28(4)"
RIPA_JP = "RIPA 2000, s.32A(2)"
RIPA_EXPIRY = "RIPA 2000, s.43(3)(c)"
RIPA_RENEWAL = "RIPA 2000, s.43(3)(c) and s.43(9)(c)"
RIPA_CANCELLATION = "RIPA 2000, s.45(1)"
RIPA_ANY_INVESTIGATION = "RIPA 2000, s.26(2) and s.26(10)"


class Verdict(enum.StrEnum):
    INITIAL_RESEARCH = "initial_research"
    AUTHORISED = "authorised"
    BLOCKED = "blocked"
    REFUSED = "refused"
    #: Looked at under another investigation: waits for the RIPA coordinator (rule 7).
    HELD = "held"

    @property
    def allowed(self) -> bool:
        return self in (Verdict.INITIAL_RESEARCH, Verdict.AUTHORISED)

    @property
    def title(self) -> str:
        return VERDICT_TITLES[self]


VERDICT_TITLES = {
    Verdict.INITIAL_RESEARCH: "Initial research",
    Verdict.AUTHORISED: "Under authorisation",
    Verdict.BLOCKED: "Blocked: repeat without authorisation",
    Verdict.REFUSED: "Refused: outside the authorisation",
    Verdict.HELD: "Held: the RIPA coordinator must confirm",
}


class Basis(enum.StrEnum):
    """On what footing a viewing took place (the allowed Verdicts); stored on each viewing."""

    INITIAL_RESEARCH = "initial_research"
    AUTHORISED = "authorised"

    @property
    def title(self) -> str:
        return {"initial_research": "Initial research", "authorised": "Under authorisation"}[
            self.value
        ]


class Stop(enum.StrEnum):
    """Why an attempt to view was stopped (the stopped Verdicts); stored on each attempt."""

    BLOCKED = "blocked"
    REFUSED = "refused"

    @property
    def title(self) -> str:
        return {
            "blocked": "Blocked: repeat without authorisation",
            "refused": "Refused: outside the authorisation",
        }[self.value]


class Refusal(enum.StrEnum):
    """Why a viewing is outside an authorisation."""

    AWAITING_COURT = "awaiting_court"
    COURT_REFUSED = "court_refused"
    BEFORE_EFFECT = "before_effect"
    AFTER_LAST_DAY = "after_last_day"
    BETWEEN_PERIODS = "between_periods"
    CANCELLED = "cancelled"
    NOT_COVERED = "not_covered"
    TRIAGE_DIRECTED = "triage_directed"


#: Application states that bear on viewing: approved by an authorising officer, at least.
AWAITING_COURT = "awaiting_court"
ACTIVE = "active"
CANCELLED = "cancelled"
COURT_REFUSED = "court_refused"
QUASHED = "quashed"


@dataclass(frozen=True)
class EarlierViewing:
    """A viewing already logged for the investigation."""

    identity: str
    subject: str  # subject_key
    viewed_at: datetime
    officer: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Authorisation:
    """The facts of an authorisation (an approved application) that the gate reads."""

    urn: str
    status: str  # one of the application states above
    takes_effect: date | None
    last_day: date | None
    cancelled_on: date | None
    #: The identities of the profiles listed for its subjects.
    covered: frozenset[str]
    application_id: int | None = None
    #: The (first day, last day) of the grant and of each renewal a JP approved, where known.
    #: Empty means one period, `takes_effect` to `last_day`. A renewal the JP approved after
    #: the old last day leaves days covered by neither (periods.uncovered_days).
    periods: tuple[tuple[date, date], ...] = ()

    def has_effect_on(self, day: date) -> bool:
        if self.status not in (ACTIVE, CANCELLED) or not (self.takes_effect and self.last_day):
            return False
        if not periods.has_effect_on(day, self.takes_effect, self.last_day, self.cancelled_on):
            return False
        return not self.periods or periods.covered_by(day, self.periods)

    def gap_around(self, day: date) -> tuple[date, date] | None:
        """The periods before and after `day` when it falls between two of them: (the earlier
        period's last day, the later period's first day)."""
        if not self.periods or periods.covered_by(day, self.periods):
            return None
        before = [last for _, last in self.periods if last < day]
        after = [first for first, _ in self.periods if first > day]
        return (max(before), min(after)) if before and after else None


#: Triage outcomes (triage.Outcome values) that mean the plan needs an authorisation it lacks.
DIRECTED_SURVEILLANCE = "directed_surveillance"
CANNOT_BE_AUTHORISED = "cannot_be_authorised"


@dataclass(frozen=True)
class TriageFinding:
    """A completed triage of a plan under the investigation that found directed surveillance."""

    title: str
    outcome: str  # DIRECTED_SURVEILLANCE or CANNOT_BE_AUTHORISED
    reasons: tuple[str, ...] = ()
    triage_id: int | None = None


@dataclass(frozen=True)
class Request:
    identity: str
    subject: str  # subject_key
    now: datetime  # aware
    earlier: Sequence[EarlierViewing] = ()
    authorisations: Sequence[Authorisation] = ()
    #: Identities the council has recorded as the same account as this one.
    tied: frozenset[str] = frozenset()
    #: Earlier viewings count for this many days (today and the days before); None: ever.
    window_days: int | None = None
    #: Triages of plans under the investigation that found directed surveillance.
    triages: Sequence[TriageFinding] = ()


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: str
    citation: str
    authorisation: Authorisation | None = None
    refusal: Refusal | None = None
    #: The earlier viewings that make this one a repeat.
    repeats: tuple[EarlierViewing, ...] = field(default=())

    @property
    def allowed(self) -> bool:
        return self.verdict.allowed

    @property
    def urn(self) -> str | None:
        return self.authorisation.urn if self.authorisation else None


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def reads_earlier(identity: str, authorisations: Sequence[Authorisation], today: date) -> bool:
    """Whether `decide` looks at earlier viewings and ties: only when no authorisation of the
    investigation covers the profile or has effect today. Otherwise the authorisation decides,
    and the log of an investigation under authority, however long, need not be read."""
    return not any(identity in a.covered or a.has_effect_on(today) for a in authorisations)


def decide(request: Request) -> Decision:
    """Apply the rules of the module docstring, in order."""
    if request.window_days is not None and request.window_days < 1:
        raise ValueError(
            f"the repeat-viewing window must be at least 1 day, not {request.window_days}"
        )
    today = local_date(request.now)
    profile = request.tied | {request.identity}
    # Coverage is the address's own identity only: a tie never widens what was authorised.
    covering = [a for a in request.authorisations if request.identity in a.covered]
    in_effect = [a for a in covering if a.has_effect_on(today)]
    if in_effect:
        current = max(in_effect, key=lambda a: a.takes_effect)
        return Decision(
            Verdict.AUTHORISED,
            f"This profile is covered by authorisation {current.urn}, which "
            f"{periods.describe_last_day(current.last_day)}. The viewing is logged against it.",
            RIPA_AUTHORISED,
            authorisation=current,
        )
    if covering:
        return _outside(_most_relevant(covering), today)
    effective = [a for a in request.authorisations if a.has_effect_on(today)]
    if effective:
        current = max(effective, key=lambda a: a.takes_effect)
        return Decision(
            Verdict.REFUSED,
            f"Authorisation {current.urn} has effect for this investigation, and this profile is "
            "not one of the profiles it covers. Viewing outside what was authorised is not "
            "protected by the authorisation. If you need to view this profile, ask your "
            "authorising officer: a new authorisation that covers it may be needed.",
            RIPA_SCOPE,
            authorisation=current,
            refusal=Refusal.NOT_COVERED,
        )
    directed = [
        t for t in request.triages if t.outcome in (DIRECTED_SURVEILLANCE, CANNOT_BE_AUTHORISED)
    ]
    if directed:
        return Decision(
            Verdict.REFUSED,
            _triage_reason(directed[-1]),
            f"{RIPA_DIRECTED}; {CODE_ONLINE}",
            refusal=Refusal.TRIAGE_DIRECTED,
        )
    # Every viewing already in the log is earlier, whatever its time says: two requests a moment
    # apart take turns, and the second may have read the clock before the first was logged.
    repeats = tuple(
        v
        for v in request.earlier
        if _within(v.viewed_at, today, request.window_days)
        and (v.identity in profile or (request.subject and v.subject == request.subject))
    )
    if not repeats:
        return Decision(
            Verdict.INITIAL_RESEARCH,
            "Nobody has viewed this profile, or its subject, for this investigation"
            + _window_words(request.window_days)
            + ", so this viewing is logged as initial research. A first look to see whether a "
            "profile is relevant is unlikely to need an authorisation. Looking again, or recording "
            "what you see to build up a picture of the person, is likely to be directed "
            "surveillance and needs one.",
            CODE_ONLINE,
        )
    return Decision(
        Verdict.BLOCKED,
        _repeat_reason(repeats, profile, request.window_days),
        f"{RIPA_DIRECTED}; {CODE_ONLINE}",
        repeats=repeats,
    )


class Ruling(enum.StrEnum):
    """The RIPA coordinator's ruling on a look held under rule 7."""

    SAME_MATTER = "same_matter"
    SEPARATE_MATTER = "separate_matter"


HELD_REASON = (
    "This profile, or its subject, may already be part of other council work. The RIPA "
    "coordinator must confirm whether this is the same matter before you look. Do not open the "
    "profile or page. Your request has been recorded and the coordinator has been asked; you "
    "will be able to log the viewing again once they have decided."
)


def across_investigations(
    first_look: Decision,
    elsewhere: Sequence[EarlierViewing],
    ruling: Ruling | None,
    today: date,
    window_days: int | None = None,
) -> Decision:
    """Rule 7: a first look (`first_look`, INITIAL_RESEARCH under rules 1 to 6) at a profile or
    subject already looked at under another investigation (`elsewhere`: those looks, already
    matched to the profile and subject) is HELD until the coordinator rules; a "separate matter"
    lets it go ahead; "same matter" is decided by rule 6 with the earlier looks counted, which the
    caller does. Nothing of the other investigation is said (RIPA s.26(2) and (10); Code paras
    3.10 to 3.17: repeated viewing is what matters, whoever does it)."""
    if first_look.verdict != Verdict.INITIAL_RESEARCH or ruling == Ruling.SEPARATE_MATTER:
        return first_look
    counted = tuple(v for v in elsewhere if _within(v.viewed_at, today, window_days))
    if not counted:
        return first_look
    return Decision(
        Verdict.HELD,
        HELD_REASON,
        f"{RIPA_ANY_INVESTIGATION}; {CODE_ONLINE}",
        repeats=counted,
    )


def _triage_reason(finding: TriageFinding) -> str:
    if finding.outcome == CANNOT_BE_AUTHORISED:
        found = "directed surveillance that the council cannot authorise"
        then = "It must not take place covertly, so this viewing is refused."
    else:
        found = "directed surveillance"
        then = (
            "No authorisation has effect for this investigation, so this viewing is refused: it "
            "is not initial research, even the first time. Apply for an authorisation first."
        )
    why = " ".join(finding.reasons)
    return f'The triage of "{finding.title}" for this investigation found {found}. {then}' + (
        f" The triage's reasons: {why}" if why else ""
    )


def _within(viewed_at: datetime, today: date, window_days: int | None) -> bool:
    return window_days is None or (today - local_date(viewed_at)).days < window_days


def _window_words(window_days: int | None) -> str:
    if window_days is None:
        return ""
    return f" in the last {window_days} day{'' if window_days == 1 else 's'}"


def _repeat_reason(
    repeats: tuple[EarlierViewing, ...], profile: frozenset[str], window_days: int | None
) -> str:
    same_profile = [v for v in repeats if v.identity in profile]
    latest = max(repeats, key=lambda v: v.viewed_at)
    times = len(repeats)
    what = "This profile" if same_profile else "Another profile of the same subject"
    who = f" by {latest.officer}" if latest.officer else ""
    return (
        f"{what} has already been viewed for this investigation{_window_words(window_days)}: "
        f"{times} time{'' if times == 1 else 's'}, most recently{who} on "
        f"{periods.long_date(local_date(latest.viewed_at))}, with no authorisation. Viewing it "
        "again is repeated viewing directed at a person, which is likely to be directed "
        "surveillance and needs an authorisation first, whoever looked before. Start the triage "
        "to find out whether one can be given."
    )


def _most_relevant(covering: list[Authorisation]) -> Authorisation:
    """The authorisation an officer would think of: one awaiting the magistrate, else the one
    that took effect last, else one the magistrate refused."""
    waiting = [a for a in covering if a.status == AWAITING_COURT]
    if waiting:
        return waiting[-1]
    dated = [a for a in covering if a.takes_effect is not None]
    if dated:
        return max(dated, key=lambda a: a.takes_effect)
    return covering[-1]


def _outside(a: Authorisation, today: date) -> Decision:
    def refused(refusal: Refusal, reason: str, citation: str) -> Decision:
        return Decision(Verdict.REFUSED, reason, citation, authorisation=a, refusal=refusal)

    if a.status == AWAITING_COURT:
        return refused(
            Refusal.AWAITING_COURT,
            f"Authorisation {a.urn} covers this profile but has no effect until a magistrate "
            "approves it. Do not view the profile until the magistrate's approval is recorded.",
            RIPA_JP,
        )
    if a.status in (COURT_REFUSED, QUASHED) or not (a.takes_effect and a.last_day):
        return refused(
            Refusal.COURT_REFUSED,
            f"The magistrate did not approve authorisation {a.urn}, so it never had effect. "
            "This profile cannot be viewed under it.",
            RIPA_JP,
        )
    if a.cancelled_on is not None and today >= a.cancelled_on:
        return refused(
            Refusal.CANCELLED,
            f"Authorisation {a.urn} was cancelled on {periods.long_date(a.cancelled_on)}. "
            "Surveillance must stop once an authorisation is cancelled, so this profile cannot "
            "be viewed under it.",
            RIPA_CANCELLATION,
        )
    gap = a.gap_around(today)
    if gap is not None:
        return refused(
            Refusal.BETWEEN_PERIODS,
            f"Authorisation {a.urn} ceased to have effect at the end of "
            f"{periods.long_date(gap[0])} (23:59), and its renewal took effect only on "
            f"{periods.long_date(gap[1])}, the day the magistrate approved it. Nothing "
            "authorised surveillance on the days between, so this profile cannot be viewed "
            "under it on this day.",
            RIPA_RENEWAL,
        )
    if today < a.takes_effect:
        return refused(
            Refusal.BEFORE_EFFECT,
            f"Authorisation {a.urn} takes effect on {periods.long_date(a.takes_effect)}, the day "
            "the magistrate approved it. It does not cover a viewing before that day.",
            RIPA_JP,
        )
    return refused(
        Refusal.AFTER_LAST_DAY,
        f"Authorisation {a.urn} ceased to have effect at the end of "
        f"{periods.long_date(a.last_day)} (23:59). It cannot be renewed now: a fresh application "
        "is needed, and the old one must be cancelled if it has not been.",
        RIPA_EXPIRY,
    )


# Naming the investigation, the subject and the profile ------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def reference_key(reference: str) -> str:
    """A case reference as compared: letters and digits only, in capitals, so "ts/2026/0412",
    "TS-2026-0412" and "TS 2026 0412" name one investigation."""
    text = unicodedata.normalize("NFKC", reference or "")
    return _NOT_ALNUM.sub("", text).upper()


def subject_key(name: str) -> str:
    """A subject's name as compared: case, punctuation and spacing do not matter."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def tied_identities(identity: str, groups: Iterable[Iterable[str]]) -> frozenset[str]:
    """Every identity the council has recorded as the same subject's as `identity`: the union of
    each group (a subject's listed profiles, or the profiles viewed under one subject's name)
    that contains it. Only the council's own records tie a numeric id to a handle."""
    tied = {identity}
    for group in groups:
        members = set(group)
        if identity in members:
            tied |= members
    return frozenset(tied)


def monitoring_signs(officers: int, investigations: int, unauthorised_viewings: int) -> list[str]:
    """What makes viewings of one profile look like monitoring, for the SRO's oversight: several
    officers, or several investigations, each looking without an authorisation (Code paras 3.10
    to 3.17: repeated viewing is what matters, whoever does it)."""
    signs = []
    if unauthorised_viewings > 1 and officers > 1:
        signs.append(f"Viewed without authorisation by {officers} officers")
    if unauthorised_viewings > 1 and investigations > 1:
        signs.append(f"Viewed without authorisation for {investigations} investigations")
    return signs


def window_start(today: date, window_days: int | None) -> date | None:
    """The first day whose viewings still count, or None when they count for ever."""
    if window_days is None:
        return None
    return today - timedelta(days=window_days - 1)
