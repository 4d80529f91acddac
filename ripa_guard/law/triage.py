"""Triage of a planned piece of online research: no authorisation, directed surveillance, CHIS.

The officer answers the questions in forms/triage.toml (a RIPA coordinator may reword them; the
answer keys and choice values below are what this module reads, and a test checks the two agree).
``classify_activity`` classifies the activity alone; ``decide`` then applies the crime threshold
(threshold.py) to directed surveillance.

Sources (short names as in DOMAIN.md):

- RIPA: Regulation of Investigatory Powers Act 2000, Part II. s.26(2) defines directed
  surveillance; s.26(8) defines a covert human intelligence source (CHIS) and s.26(9) says when
  surveillance, and a relationship, is covert; s.28(3)(b) is the crime-and-disorder ground; s.48(2)
  says surveillance includes recording what is observed.
- Code: Covert Surveillance and Property Interference Revised Code of Practice (August 2018),
  "Online covert activity", paragraphs 3.10 to 3.17. The factors in ``FACTORS`` are the Code's
  list of what to weigh in deciding whether online research needs authorisation.
- CHIS Code: Covert Human Intelligence Sources Code of Practice (December 2022), which replaced the
  2018 CHIS Code. Its paragraph numbers on online activity and test purchases have not been
  confirmed, so it is cited without a number (``CHIS_CODE_ONLINE``).
- SI 2010/461: the Regulation of Investigatory Powers (Extension of Authorisation Provisions: Legal
  Consultations) Order 2010, made under RIPA s.47(1)(b) (articles 1 and 2 read; the article
  listing the premises was not).
- Order: SI 2010/521, article 7A(2): a council may authorise directed surveillance only to prevent
  or detect conduct that is a criminal offence.

The rules, in the order they are applied (the first that fits decides):

1. The council's ordinary functions, as any employer or contractor would have them (an
   employment or HR matter, a contract) -> OUTSIDE_RIPA. RIPA Part II concerns a public
   authority's core functions (DOMAIN.md §5, citing C v The Police, IPT/03/32/H, judgment not
   read). The research still interferes with privacy, so the council's non-RIPA procedure and
   register apply.
2. Surveillance of legal consultations on premises specified by SI 2010/461 -> CANNOT_BE_AUTHORISED.
   That Order, made under RIPA s.47(1)(b), treats it as intrusive surveillance, which a council
   can never authorise (RIPA s.32).
3. Someone else (a complainant, an employee) asked to use their own connection to pass on the
   person's posts, or messages, comments or any further interaction under a false or undisclosed
   identity -> CHIS (RIPA s.26(8), (9)(b) and (c); CHIS Code). A friend request, a "like" or
   "follow", or a single transaction on a business's site (a test purchase with no acquaintance
   made) is not a relationship on its own, so it is not CHIS by itself.
4. Getting past the person's privacy settings -> DIRECTED_SURVEILLANCE at least. The person has
   restricted that material, so viewing it covertly for an investigation is likely to obtain
   private information (RIPA s.26(2)(b)).
5. Public registers or databases only, such as Companies House -> NO_AUTHORISATION, unless the
   aim is to build up a profile of someone (then REFER).
6. General monitoring of trends or themes with no particular person in mind -> NO_AUTHORISATION,
   unless the aim is to build up a profile of someone (then REFER).
7. Directed at a person, and repeated or ongoing viewing, or (even on a single visit) an aim of
   recording identity, habits, associations or pattern of life -> DIRECTED_SURVEILLANCE
   (RIPA s.26(2); Code, Example 2's second half).
8. A first look at a profile to establish whether it is relevant, with no aim of building a
   picture of the person, nothing combined and nothing kept beyond a note that the profile exists
   and is relevant -> NO_AUTHORISATION (Code, Examples 1 and 2). That holds even where private
   information may be seen: the officer cannot know in advance what personal details a profile
   shows, and the Code's examples say such a first look is unlikely to need authorisation.
9. REFER only where the law is genuinely in doubt, naming the doubt:
   - a single look whose findings, including private information, will be kept ("extract
     information from it for retention in a record": Code, Example 1, says authorisation should
     then be considered);
   - a single look combined with other information about the person;
   - a follow or friend request that keeps the person's posts in front of the officer;
   - open contact as the council, unless the person has been told;
   - missing answers.

Then, whatever rule decided:

- A core function that is not crime (regulation, licensing compliance, safeguarding): what would
  be DIRECTED_SURVEILLANCE is CANNOT_BE_AUTHORISED, not OUTSIDE_RIPA: it is still directed
  surveillance, and a council's only ground is preventing or detecting crime (RIPA s.28(3)(b);
  Order art. 7A(2)).
- The person has been told in writing that the council may check their public social media: the
  checks may be regarded as overt (Code, paragraph not confirmed), but that is for an authorising
  officer to confirm, so what would need authorisation is REFER, not waved through; the non-RIPA
  procedure applies to it. Getting past privacy settings is never covered by such a notice.
- Legally privileged or other confidential material likely: NO_AUTHORISATION becomes REFER, and
  DIRECTED_SURVEILLANCE says who may authorise it (Code, Annex A: paragraph not confirmed).

"It's public": whether the profile is publicly visible never changes the outcome. It is asked on
purpose, so that a DIRECTED_SURVEILLANCE or REFER outcome can say that open privacy settings do
not remove the privacy interest (Code).

Missing or unknown answers never crash and never give NO_AUTHORISATION: that outcome needs every
question answered (except whether the profile is public, which never matters), and otherwise
becomes REFER. An unanswered question that could have made the plan CHIS turns directed
surveillance or no authorisation into REFER; an unanswered "who is it directed at" is read as "a
particular person"; an unanswered purpose is read as a criminal investigation (RIPA applies),
except that it cannot support NO_AUTHORISATION. Each assumption is listed among the reasons.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ripa_guard.law import threshold

# --- Citations ------------------------------------------------------------------------------
# Paragraph numbers: only the start of the Code's "Online covert activity" section (para 3.10) has
# been read and confirmed; the individual paragraphs within 3.10 to 3.17 are as DOMAIN.md gives
# them, so the whole range is cited rather than one paragraph. The CHIS Code of December 2022 is
# cited without a paragraph number: its numbering was not confirmed.
CODE_ONLINE = (
    "Covert Surveillance and Property Interference Revised Code of Practice (2018), "
    "paras 3.10 to 3.17"
)
CHIS_CODE_ONLINE = (
    "Covert Human Intelligence Sources Code of Practice (December 2022), online activity "
    "(paragraph not confirmed)"
)
#: Where the paragraph could not be read, the Code is cited without a guessed number.
CODE_UNCONFIRMED = "Code of Practice 2018 (paragraph not confirmed)"
CODE_CONFIDENTIAL = "Code of Practice 2018, Annex A (paragraph not confirmed)"
ORDINARY_FUNCTIONS = (
    "RIPA 2000, Part II (core functions only); C v The Police, IPT/03/32/H (judgment not read)"
)
LEGAL_CONSULTATIONS = (
    "SI 2010/461 (legal consultations on specified premises treated as intrusive surveillance, "
    "RIPA s.47(1)(b)); RIPA 2000, s.32"
)
RIPA_DIRECTED = "RIPA 2000, s.26(2)"
RIPA_COVERT = "RIPA 2000, s.26(9)(a)"
RIPA_CHIS = "RIPA 2000, s.26(8) and s.26(9)(b) and (c)"
RIPA_RECORDING = "RIPA 2000, s.48(2)(b)"
CRIME_PURPOSE = "RIPA 2000, s.28(3)(b); SI 2010/521, art. 7A(2)"

# --- Answer keys and the choice values this module compares against -------------------------
YES = "yes"
NO = "no"
NOT_SURE = "not_sure"

# criminal_investigation: the purpose of the research
CRIME = YES  # preventing or detecting a criminal offence
OTHER_CORE = "other_core"  # another core function: regulation, licensing compliance, safeguarding
ORDINARY = "ordinary"  # the council as any employer or contractor: HR, contracts
# recording
RELEVANCE_NOTE = "relevance_note"  # only a note that the profile exists and is relevant
# confidential
PRIVILEGED = "privileged"  # legally privileged material likely
CONFIDENTIAL = "confidential"  # other confidential material likely (journalistic, medical, MP)
LEGAL_CONSULTATION = "legal_consultation"  # legal consultations on SI 2010/461 premises
# directed_at
PERSON = "person"
GENERAL = "general"
REGISTERS = "registers"
# frequency
SINGLE = "single"
REPEATED = "repeated"
# interaction
NONE = "none"
MINIMAL = "minimal"  # only a friend request, a like or a follow
TEST_PURCHASE = "test_purchase"  # a single test purchase, no acquaintance made
FURTHER = "further"  # messages, comments or any further interaction
# identity
DISCLOSED = "disclosed"
UNDISCLOSED = "undisclosed"

#: Every question triage reads, with the choice values it compares against. The form must offer
#: exactly these values (tests/law/test_triage.py checks forms/triage.toml against this).
CHOICES: Mapping[str, frozenset[str]] = {
    "criminal_investigation": frozenset({CRIME, OTHER_CORE, ORDINARY}),
    "directed_at": frozenset({PERSON, GENERAL, REGISTERS}),
    "frequency": frozenset({SINGLE, REPEATED}),
    "profile_public": frozenset({YES, NO, NOT_SURE}),
    "overt_notice": frozenset({YES, NO}),
    "recording": frozenset({YES, RELEVANCE_NOTE, NO}),
    "profile_building": frozenset({YES, NO}),
    "combining": frozenset({YES, NO}),
    "private_information": frozenset({YES, NO, NOT_SURE}),
    "third_parties": frozenset({YES, NO, NOT_SURE}),
    "interaction": frozenset({NONE, MINIMAL, TEST_PURCHASE, FURTHER}),
    "identity": frozenset({DISCLOSED, UNDISCLOSED}),
    "someone_else": frozenset({YES, NO}),
    "bypass_privacy": frozenset({YES, NO}),
    "confidential": frozenset({NO, PRIVILEGED, CONFIDENTIAL, LEGAL_CONSULTATION}),
}

#: Offence answers (offence-register keys). ``classify_activity`` ignores them; the caller resolves them
#: against the register and passes the offences to ``decide``, which notes a named offence that
#: could not be resolved.
OFFENCE_NAMES: tuple[str, ...] = ("offence", "other_offence")
#: The answer to "offence" when the officer's offence is not in the register, and the question
#: where they describe it. The plan is then held for the RIPA coordinator, who adds the offence
#: to the register (or records why it cannot be) before the crime threshold is checked.
UNLISTED = "NOT-LISTED"
UNLISTED_DESCRIPTION = "unlisted_offence"

#: The answer keys triage reads; forms/triage.toml must define exactly these questions.
QUESTION_NAMES: frozenset[str] = (
    frozenset(CHOICES) | frozenset(OFFENCE_NAMES) | frozenset({UNLISTED_DESCRIPTION})
)

#: Short wording of each question, used to list unanswered ones in reasons.
_ASKED = {
    "criminal_investigation": "what the research is for",
    "directed_at": "who the research is directed at",
    "frequency": "how often you will look",
    "overt_notice": "whether the person has been told in writing",
    "recording": "whether you will record or keep anything",
    "profile_building": "whether the aim is to build up a picture of the person",
    "combining": "whether you will combine it with other information",
    "private_information": "whether private information is likely",
    "third_parties": "whether other people's information is likely",
    "interaction": "whether you will interact with anyone",
    "identity": "whether you will use a false or undisclosed identity",
    "someone_else": "whether you will ask someone else to pass on posts",
    "bypass_privacy": "whether you will get past privacy settings",
    "profile_public": "whether the profile is publicly visible",
    "confidential": "whether confidential or legally privileged material is likely",
}


class Outcome(enum.StrEnum):
    """What triage concludes. ``title`` and ``next_steps`` are what the officer is shown."""

    NO_AUTHORISATION = "no_authorisation"
    DIRECTED_SURVEILLANCE = "directed_surveillance"
    CANNOT_BE_AUTHORISED = "cannot_be_authorised"
    CHIS = "chis"
    OUTSIDE_RIPA = "outside_ripa"
    REFER = "refer"

    @property
    def title(self) -> str:  # shadows str.title on purpose
        return _TITLES[self]

    @property
    def next_steps(self) -> str:
        return _NEXT_STEPS[self]


_TITLES = {
    Outcome.NO_AUTHORISATION: "No authorisation needed",
    Outcome.DIRECTED_SURVEILLANCE: "Directed surveillance: you need an authorisation",
    Outcome.CANNOT_BE_AUTHORISED: "Directed surveillance that cannot be authorised",
    Outcome.CHIS: "Covert human intelligence source (CHIS): stop",
    Outcome.OUTSIDE_RIPA: "Outside RIPA: use the non-RIPA procedure",
    Outcome.REFER: "Refer to an authorising officer",
}

_NEXT_STEPS = {
    Outcome.NO_AUTHORISATION: (
        "You can go ahead as planned. Log the viewing in ripa_guard: the date, what you looked "
        "at and why. Use one of the council's research profiles, never your personal account. "
        "If the plan changes (you look again, start keeping what you see, or contact anyone), "
        "triage it again before you do."
    ),
    Outcome.DIRECTED_SURVEILLANCE: (
        "Do not start yet. Apply for a directed surveillance authorisation. An authorising "
        "officer must approve it and then a magistrate must approve it: it has no effect, and "
        "you must not start, until the magistrate has approved it."
    ),
    Outcome.CANNOT_BE_AUTHORISED: (
        "This would be surveillance that the council cannot authorise, for the reasons below. "
        "It must not take place covertly. Consider overt methods instead, such as telling the "
        "person in writing that the council may check their public social media, or other "
        "lines of enquiry. Talk to your RIPA coordinator if you are unsure."
    ),
    Outcome.CHIS: (
        "Stop. This would make you, or the person helping you, a covert human intelligence "
        "source. ripa_guard does not authorise that. Do not contact the person, and do not ask "
        "anyone to pass on their posts, until you have spoken to your RIPA coordinator."
    ),
    Outcome.OUTSIDE_RIPA: (
        "RIPA does not apply because this is not a criminal investigation, but looking at "
        "someone's social media still intrudes on their privacy. Follow the council's non-RIPA "
        "procedure: record why the research is necessary and proportionate, have it approved "
        "before you start, and make sure it is entered in the non-RIPA register."
    ),
    Outcome.REFER: (
        "Do not start yet. The law leaves room for doubt about this plan, for the reasons "
        "below: an authorising officer must decide whether it needs authorisation. Send it to "
        "them with these reasons; their decision and reasons are recorded."
    ),
}


@dataclass(frozen=True)
class Reason:
    text: str
    citation: str


@dataclass(frozen=True)
class TriageResult:
    outcome: Outcome
    reasons: tuple[Reason, ...]
    threshold: threshold.ThresholdVerdict | None = None


#: The Code's factors for deciding whether online research needs a directed surveillance
#: authorisation, as the reason given when each is present (DOMAIN.md §5; Code).
FACTORS = {
    "directed": "The research is directed at a particular person or organisation.",
    "private": "It is likely to obtain private information about the person.",
    "profile": (
        "The aim is to build up a picture of the person, such as their identity, habits, "
        "associations or pattern of life. That can be directed surveillance even on a single "
        "visit."
    ),
    "recorded": "What you see will be recorded and kept.",
    "combined": "It will be combined with other information about the person.",
    "repeated": "It is ongoing work with repeated viewing of the person.",
    "third_parties": (
        "It is likely to capture information about other people, such as friends, family or "
        "people who comment (collateral intrusion)."
    ),
}


def _normalise(answers: Mapping) -> dict[str, str | None]:
    """Each question's answer if it is one of its known choice values, otherwise None."""
    out: dict[str, str | None] = {}
    for name, allowed in CHOICES.items():
        value = answers.get(name)
        if isinstance(value, str):
            value = value.strip().lower()
        out[name] = value if isinstance(value, str) and value in allowed else None
    return out


def _missing(a: Mapping[str, str | None], names: Sequence[str]) -> list[str]:
    return [n for n in names if a[n] is None]


def _missing_reason(names: Sequence[str], consequence: str, citation: str = CODE_ONLINE) -> Reason:
    asked = "; ".join(_ASKED[n] for n in names)
    return Reason(f"Not answered: {asked}. {consequence}", citation)


def _surveillance_factors(a: Mapping[str, str | None]) -> dict[str, Reason]:
    """The Code's factors present in the answers, keyed as in ``FACTORS``, each as a reason."""
    found: dict[str, Reason] = {}
    if a["directed_at"] in (PERSON, None):
        found["directed"] = Reason(FACTORS["directed"], RIPA_DIRECTED)
    if a["frequency"] == REPEATED:
        found["repeated"] = Reason(FACTORS["repeated"], CODE_ONLINE)
    if a["profile_building"] == YES:
        found["profile"] = Reason(FACTORS["profile"], CODE_ONLINE)
    if a["recording"] == YES:
        found["recorded"] = Reason(FACTORS["recorded"], f"{RIPA_RECORDING}; {CODE_ONLINE}")
    if a["combining"] == YES:
        found["combined"] = Reason(FACTORS["combined"], CODE_ONLINE)
    if a["private_information"] in (YES, NOT_SURE):
        text = FACTORS["private"]
        if a["private_information"] == NOT_SURE:
            text = (
                "You are not sure whether it will obtain private information about the "
                "person, so assume it may."
            )
        found["private"] = Reason(text, f"{RIPA_DIRECTED}(b); {CODE_ONLINE}")
    if a["third_parties"] in (YES, NOT_SURE):
        found["third_parties"] = Reason(FACTORS["third_parties"], CODE_ONLINE)
    return found


PUBLIC_PROFILE_REASON = Reason(
    "The profile being publicly visible does not change this. Open privacy settings do not "
    "remove a person's privacy interest: people do not post so that the council can monitor "
    'them, and "it\'s public" is no answer to repeated or systematic viewing.',
    CODE_ONLINE,
)

OVERT_NOTICE_REASON = Reason(
    "The person has been told in writing that the council may check their public social media, "
    "so the checks may be regarded as overt rather than covert surveillance. Whether they are "
    "is for an authorising officer to confirm, so this is referred rather than waved through. "
    "Overt checks still interfere with privacy: the council's non-RIPA procedure applies, and "
    "they go in the non-RIPA register.",
    f"{RIPA_COVERT}; {CODE_UNCONFIRMED}",
)


def classify_activity(answers: Mapping[str, str]) -> TriageResult:
    """Classify the planned activity alone: no authorisation, directed surveillance, cannot be
    authorised, CHIS, outside RIPA or refer. See the module docstring for the rules."""
    a = _normalise(answers if isinstance(answers, Mapping) else {})
    reasons: list[Reason] = []

    # Rule 1: the council's ordinary functions.
    if a["criminal_investigation"] == ORDINARY:
        reasons.append(
            Reason(
                "The research concerns the council's ordinary business as an employer or "
                "contractor, such as an employment, HR or contract matter, not one of its core "
                "functions, so RIPA does not apply. It still interferes with privacy, so the "
                "council's non-RIPA procedure applies and it goes in the non-RIPA register.",
                ORDINARY_FUNCTIONS,
            )
        )
        if a["someone_else"] == YES or (a["interaction"] == FURTHER and a["identity"] != DISCLOSED):
            reasons.append(
                Reason(
                    "The plan involves a covert relationship (interaction under a false or "
                    "undisclosed identity, or someone passing on posts). That would be a CHIS "
                    "in a criminal investigation; the non-RIPA approval must weigh it with "
                    "particular care.",
                    RIPA_CHIS,
                )
            )
        return TriageResult(Outcome.OUTSIDE_RIPA, tuple(reasons))

    if a["criminal_investigation"] is None:
        reasons.append(
            _missing_reason(
                ["criminal_investigation"],
                "It has been treated as a criminal investigation, so RIPA applies.",
                CRIME_PURPOSE,
            )
        )

    # Rule 2: legal consultations on specified premises.
    if a["confidential"] == LEGAL_CONSULTATION:
        reasons.append(
            Reason(
                "The research would observe legal consultations on premises such as a lawyer's "
                "office, a court, a prison or a police station. Surveillance of legal "
                "consultations on the premises specified by SI 2010/461 is treated as intrusive "
                "surveillance, which a council can never authorise.",
                LEGAL_CONSULTATIONS,
            )
        )
        return TriageResult(Outcome.CANNOT_BE_AUTHORISED, tuple(reasons))

    # Rule 3: CHIS.
    chis: list[Reason] = []
    if a["someone_else"] == YES:
        chis.append(
            Reason(
                "You will ask someone else, such as a complainant or an employee, to use their "
                "own connection with the person to pass on their posts. They would be using a "
                "relationship covertly to obtain and pass on information: a covert human "
                "intelligence source.",
                f"{RIPA_CHIS}; {CHIS_CODE_ONLINE}",
            )
        )
    if a["interaction"] == FURTHER and a["identity"] == UNDISCLOSED:
        chis.append(
            Reason(
                "You will message, comment or otherwise interact with the person under a false "
                "or undisclosed identity. That establishes or keeps up a relationship for a "
                "covert purpose: a covert human intelligence source.",
                f"{RIPA_CHIS}; {CHIS_CODE_ONLINE}",
            )
        )
    if chis:
        return TriageResult(Outcome.CHIS, tuple(reasons + chis))

    # CHIS cannot be ruled out while any of these is unanswered.
    chis_unknown = _missing(a, ["someone_else", "interaction"])
    if a["interaction"] == FURTHER and a["identity"] is None:
        chis_unknown.append("identity")
    open_interaction = a["interaction"] == FURTHER and a["identity"] == DISCLOSED
    if a["interaction"] == MINIMAL:
        reasons.append(
            Reason(
                "A friend request, a like or a follow is not on its own a relationship that "
                "makes you a covert human intelligence source. Anything further would be.",
                f"{RIPA_CHIS}; {CHIS_CODE_ONLINE}",
            )
        )
    if a["interaction"] == TEST_PURCHASE:
        reasons.append(
            Reason(
                "A single transaction on a business's website, such as one test purchase with "
                "no acquaintance made, is not a relationship, so it does not make you a covert "
                "human intelligence source. Getting to know the seller, or going back for more, "
                "would need triage again.",
                f"{RIPA_CHIS}; {CHIS_CODE_ONLINE}",
            )
        )

    outcome, found = _surveillance(a)
    reasons.extend(found)

    if chis_unknown and outcome is not Outcome.REFER:
        reasons.append(
            _missing_reason(
                chis_unknown,
                "Without it a covert human intelligence source cannot be ruled out, so an "
                "authorising officer must decide.",
                RIPA_CHIS,
            )
        )
        outcome = Outcome.REFER
    elif chis_unknown:
        reasons.append(
            _missing_reason(
                chis_unknown, "A covert human intelligence source is not ruled out.", RIPA_CHIS
            )
        )
    if open_interaction and outcome is Outcome.NO_AUTHORISATION:
        reasons.append(
            Reason(
                "You will message or interact with the person openly as the council. That avoids "
                "a covert relationship only if they know who you are and why you are in "
                "contact; an authorising officer must confirm that before you start.",
                f"{RIPA_CHIS}; {CHIS_CODE_ONLINE}",
            )
        )
        outcome = Outcome.REFER

    outcome = _overlays(a, outcome, reasons)

    if outcome is Outcome.NO_AUTHORISATION:
        # Never no authorisation on missing data: every question except the profile's
        # visibility (which never matters) must have been answered.
        unanswered = [n for n in CHOICES if a[n] is None and n != "profile_public"]
        if unanswered:
            outcome = Outcome.REFER
            reasons.append(
                _missing_reason(
                    unanswered,
                    "ripa_guard says no authorisation is needed only when every question "
                    "has been answered, so an authorising officer must decide.",
                )
            )

    if outcome in (Outcome.DIRECTED_SURVEILLANCE, Outcome.REFER) and a["profile_public"] == YES:
        reasons.append(PUBLIC_PROFILE_REASON)
    return TriageResult(outcome, tuple(reasons))


def _overlays(a: Mapping[str, str | None], outcome: Outcome, reasons: list[Reason]) -> Outcome:
    """The rules that apply whatever decided the activity: overt notice, confidential material,
    and a core function that is not crime (module docstring, "Then, whatever rule decided")."""
    needs_authority = outcome in (Outcome.DIRECTED_SURVEILLANCE, Outcome.REFER)
    if a["overt_notice"] == YES and needs_authority and a["bypass_privacy"] == NO:
        reasons.append(OVERT_NOTICE_REASON)
        outcome = Outcome.REFER
    elif a["overt_notice"] == YES and a["bypass_privacy"] == YES:
        reasons.append(
            Reason(
                "The person was told that the council may check their public social media. "
                "That notice does not cover material they have restricted, so getting past "
                "their privacy settings is still covert.",
                f"{RIPA_COVERT}; {CODE_UNCONFIRMED}",
            )
        )
    elif a["overt_notice"] == YES and a["bypass_privacy"] is None and needs_authority:
        reasons.append(
            _missing_reason(
                ["bypass_privacy"],
                "The written notice covers public social media only, so an authorising "
                "officer must decide.",
            )
        )
        outcome = Outcome.REFER

    if a["confidential"] in (PRIVILEGED, CONFIDENTIAL):
        what = (
            "legally privileged material (communications between a lawyer and their client)"
            if a["confidential"] == PRIVILEGED
            else "confidential material (such as journalistic material, medical or spiritual "
            "matters, or communications between a Member of Parliament and a constituent)"
        )
        if outcome is Outcome.NO_AUTHORISATION:
            reasons.append(
                Reason(
                    f"You are likely to see {what}. The Code asks for particular care with "
                    "such material, so an authorising officer must decide before you start.",
                    CODE_CONFIDENTIAL,
                )
            )
            outcome = Outcome.REFER
        elif outcome in (Outcome.DIRECTED_SURVEILLANCE, Outcome.REFER):
            reasons.append(
                Reason(
                    f"You are likely to see {what}. Where that is likely, only the Head of Paid "
                    "Service (or whoever acts for them) may authorise the surveillance, and the "
                    "application must say so.",
                    CODE_CONFIDENTIAL,
                )
            )

    if a["criminal_investigation"] == OTHER_CORE:
        if outcome is Outcome.DIRECTED_SURVEILLANCE:
            reasons.append(
                Reason(
                    "The research is for one of the council's core functions that is not "
                    "preventing or detecting crime, such as regulation, licensing compliance or "
                    "safeguarding. It would still be directed surveillance, and a council may "
                    "authorise directed surveillance only to prevent or detect crime, so it "
                    "cannot be authorised. It is not outside RIPA.",
                    CRIME_PURPOSE,
                )
            )
            outcome = Outcome.CANNOT_BE_AUTHORISED
        elif outcome is Outcome.REFER:
            reasons.append(
                Reason(
                    "The research is for a core function that is not preventing or detecting "
                    "crime. If the authorising officer finds it is directed surveillance, it "
                    "cannot be authorised: a council's only ground is preventing or detecting "
                    "crime.",
                    CRIME_PURPOSE,
                )
            )
    return outcome


def _surveillance(a: Mapping[str, str | None]) -> tuple[Outcome, list[Reason]]:
    """Rules 4 to 9: whether the viewing itself needs authorisation."""
    factors = _surveillance_factors(a)

    # Rule 4: getting past privacy settings.
    if a["bypass_privacy"] == YES:
        reason = Reason(
            "You will get past the person's privacy settings, for example by having a friend "
            "request accepted or joining a closed group. The person has restricted that "
            "material, so viewing it covertly is likely to obtain private information: it "
            "needs at least a directed surveillance authorisation, and any further "
            "interaction under a false or undisclosed identity would make it a CHIS matter.",
            f"{RIPA_DIRECTED}(b); {CODE_ONLINE}",
        )
        return Outcome.DIRECTED_SURVEILLANCE, [reason, *factors.values()]

    directed_at = a["directed_at"]
    profile = a["profile_building"]

    # Rules 5 and 6: public registers only; general monitoring.
    if directed_at in (REGISTERS, GENERAL):
        if directed_at == REGISTERS:
            basis = Reason(
                "You will use public registers or databases only, such as Companies House or "
                "the telephone directory, which are commonly used and open to all. There is "
                "little expectation of privacy in them.",
                CODE_ONLINE,
            )
        else:
            basis = Reason(
                "This is general monitoring of trends or themes with no particular person in "
                "mind, which needs no authorisation. Once a person is identified and you plan "
                "to watch them, triage again: that will need one.",
                CODE_ONLINE,
            )
        if profile == NO and a["bypass_privacy"] == NO:
            return Outcome.NO_AUTHORISATION, [basis]
        if profile == YES:
            return Outcome.REFER, [
                basis,
                Reason(
                    "But the aim is to build up a picture of a person, which points to "
                    "directed surveillance; an authorising officer must decide.",
                    CODE_ONLINE,
                ),
                *(r for k, r in factors.items() if k != "profile"),
            ]
        missing = _missing(a, ["profile_building", "bypass_privacy"])
        return Outcome.REFER, [
            basis,
            _missing_reason(missing, "So it cannot be confirmed that no authorisation is needed."),
        ]

    # From here the research is directed at a person (or nobody said otherwise).
    found: list[Reason] = []
    if directed_at is None:
        found.append(
            _missing_reason(["directed_at"], "It has been treated as directed at a person.")
        )

    # Rule 7: repeated viewing, or an aim of building a profile -> directed surveillance.
    if a["frequency"] == REPEATED or profile == YES:
        found.extend(factors.values())
        if a["frequency"] != REPEATED:
            found.append(
                Reason(
                    "Even on a single visit, extracting and recording information to build up "
                    "a picture of the person (their identity, habits, associations or pattern "
                    "of life) is likely to be directed surveillance.",
                    CODE_ONLINE,
                )
            )
        if a["private_information"] == NO:
            found.append(
                Reason(
                    "You do not expect private information, but systematically collecting and "
                    "recording information about a particular person is likely to obtain it.",
                    f"{RIPA_DIRECTED}(b); {CODE_ONLINE}",
                )
            )
        return Outcome.DIRECTED_SURVEILLANCE, found

    # Rules 8 and 9: a single look. Only what is kept, combined or followed can put it in doubt.
    missing = _missing(a, ["frequency", "recording", "profile_building", "combining"])
    if a["recording"] == YES and a["private_information"] is None:
        missing.append("private_information")
    doubts: list[Reason] = []
    may_be_private = a["private_information"] in (YES, NOT_SURE)
    if a["recording"] == YES and (may_be_private or a["third_parties"] in (YES, NOT_SURE)):
        whose = "about the person" if may_be_private else "about other people"
        doubts.append(
            Reason(
                f"The doubt: you plan to keep what the profile shows, and it may include private "
                f"information {whose}. The Code says a first look is unlikely to need "
                "authorisation, but that once information is extracted for retention in a "
                "record, authorisation should be considered. Whether keeping it amounts to "
                "directed surveillance is for an authorising officer to decide.",
                f"{RIPA_RECORDING}; {CODE_ONLINE}",
            )
        )
    if a["combining"] == YES:
        doubts.append(
            Reason(
                "The doubt: you plan to combine what you see with other information about the "
                "person. Combining is one of the Code's factors pointing to directed "
                "surveillance even after a single look; an authorising officer must decide.",
                CODE_ONLINE,
            )
        )
    if a["interaction"] == MINIMAL:
        doubts.append(
            Reason(
                "The doubt: a follow or an accepted friend request keeps the person's posts in "
                "front of you, which can amount to ongoing viewing.",
                CODE_ONLINE,
            )
        )
    if directed_at is not None and not missing and not doubts:
        found = [
            Reason(
                "A first look at a profile to establish whether it is relevant, with nothing "
                "kept beyond a note that it exists and is relevant, is unlikely to need "
                "authorisation. Log the viewing; if you decide to look again or to keep what "
                "it shows, triage again first.",
                CODE_ONLINE,
            )
        ]
        if may_be_private:
            found.append(
                Reason(
                    "You may see private information. You cannot know in advance what personal "
                    "details a profile shows, and the Code's examples say a first look is still "
                    "unlikely to need authorisation. Do not record or keep what you see.",
                    CODE_ONLINE,
                )
            )
        if a["recording"] == YES:
            found.append(
                Reason(
                    "You plan to keep what you see, and expect no private information about "
                    "anyone in it. If it turns out to hold private information, do not keep "
                    "that part, and triage again before you look again.",
                    f"{RIPA_RECORDING}; {CODE_ONLINE}",
                )
            )
        return Outcome.NO_AUTHORISATION, found

    if "directed" in factors:
        found.append(factors["directed"])
    found.extend(doubts)
    if missing:
        found.append(
            _missing_reason(missing, "So it cannot be confirmed that no authorisation is needed.")
        )
    return Outcome.REFER, found


def decide(
    answers: Mapping[str, str], offences: Sequence[threshold.Offence], on: date | None = None
) -> TriageResult:
    """``classify_activity``, then the crime threshold for directed surveillance (Order art. 7A).

    Directed surveillance whose offences meet the threshold stays DIRECTED_SURVEILLANCE with the
    verdict attached; otherwise it is CANNOT_BE_AUTHORISED with the threshold's reason. With no
    offence at all the verdict is "not met" under art. 7A(2) (a council can only authorise it for
    a criminal offence), so the outcome is CANNOT_BE_AUTHORISED and the officer is told to name
    the offence if there is one. Other outcomes pass through unchanged: the threshold applies to
    directed surveillance only.
    """
    result = classify_activity(answers)
    if result.outcome is not Outcome.DIRECTED_SURVEILLANCE:
        return result
    verdict = threshold.assess_any(list(offences), on)
    reasons = [*result.reasons, Reason(verdict.reason, verdict.citation)]
    if verdict.met:
        return TriageResult(Outcome.DIRECTED_SURVEILLANCE, tuple(reasons), verdict)
    if not offences:
        named = _named_offences(answers)
        if names_unlisted(answers):
            text = (
                "The offence you described is not in the offence register, so the crime "
                "threshold cannot be checked against it."
            )
        elif named:
            text = (
                "The offence you chose could not be found in the offence register. Ask your "
                "RIPA coordinator to check the register, then triage again."
            )
        else:
            text = (
                "If you are investigating a criminal offence, go back and choose it: the "
                "crime threshold can only be checked against a named offence."
            )
        reasons.append(Reason(text, threshold.CITATION))
    return TriageResult(Outcome.CANNOT_BE_AUTHORISED, tuple(reasons), verdict)


def _named_offences(answers: Mapping) -> list[str]:
    named = []
    if not isinstance(answers, Mapping):
        return named
    for name in OFFENCE_NAMES:
        value = answers.get(name)
        if isinstance(value, str) and value.strip() and value.strip() != UNLISTED:
            named.append(value.strip())
    return named


def names_unlisted(answers: Mapping) -> bool:
    """Whether the officer said their offence is not in the register."""
    return isinstance(answers, Mapping) and any(
        answers.get(name) == UNLISTED for name in OFFENCE_NAMES
    )


def needs_coordinator(answers: Mapping) -> bool:
    """Whether the plan waits for the RIPA coordinator before the threshold is checked: an
    offence not in the register, for what would be directed surveillance (the only outcome the
    threshold decides)."""
    return (
        names_unlisted(answers)
        and classify_activity(answers).outcome is Outcome.DIRECTED_SURVEILLANCE
    )
