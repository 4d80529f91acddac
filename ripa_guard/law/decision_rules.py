"""What an authorising officer must say, in their own words, before granting an authorisation.

Sources:
- RIPA 2000 s.28(2): a person shall not grant an authorisation for directed surveillance unless
  they *believe* it necessary on grounds within s.28(3) and proportionate to what is sought to
  be achieved; for a council the only ground is preventing or detecting crime (s.28(3)(b), as
  limited by SI 2010/521 article 7A).
- Covert Surveillance and Property Interference Code of Practice (2018), proportionality's four
  elements and collateral intrusion (DOMAIN.md §6; the paragraph, around 4.7, is not confirmed:
  /work/notes/legal_findings.md, b).
- IPCO finds "formulaic necessity and proportionality" at councils (DOMAIN.md §8): a bare
  agreement with the application shows no belief of the authorising officer's own.

What counts as "bare" is ripa_guard's policy, not the Code's words: the Code asks for the
officer's own consideration, and a text too short to say why, or the applicant's answer copied
word for word, cannot show it.

Pure: imports neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

NECESSITY_CITATION = "RIPA s.28(2)(a) and (3)(b)"
# The Code's paragraph numbers for these were not confirmed (legal_findings.md, b), so the
# citations name the Code's heading only.
PROPORTIONALITY_CITATION = (
    "RIPA s.28(2)(b); Covert Surveillance Code of Practice 2018, proportionality"
)
COLLATERAL_CITATION = "Covert Surveillance Code of Practice 2018, collateral intrusion"

#: A statement shorter than this, in characters or in words, cannot say what the officer is
#: satisfied of and why (ripa_guard's policy, see the module's docstring).
MIN_CHARACTERS = 40
MIN_WORDS = 8

#: Phrases that agree with or point at someone else's words without giving a reason. They are
#: taken out before a statement is measured, so padding them together does not pass.
BARE_PHRASES: tuple[str, ...] = (
    "as per the application",
    "as per application",
    "as stated in the application",
    "see the application",
    "see application",
    "same as the application",
    "same as application",
    "as set out in the application",
    "as set out above",
    "as stated above",
    "as stated",
    "as above",
    "see above",
    "i agree",
    "i concur",
    "agreed",
    "agree",
    "concur",
    "noted",
    "approved",
    "not applicable",
    "n/a",
    "none",
    "yes",
    "ok",
)

_BARE = re.compile(
    r"\b(?:" + "|".join(re.escape(p) for p in BARE_PHRASES) + r")(?=\W|$)", re.IGNORECASE
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Element:
    """One thing the authorising officer must be satisfied of, and what to say about it."""

    name: str
    #: What the statement is about, as a heading on the record and the court papers.
    title: str
    #: The question put to the authorising officer.
    question: str
    #: What is needed, as the message beside a bare answer.
    needed: str
    citation: str
    #: The application's questions (forms/application.toml) this statement answers: copying
    #: the applicant's answer is not the authorising officer's own words.
    answers: tuple[str, ...] = ()


ELEMENTS: tuple[Element, ...] = (
    Element(
        "necessity",
        "Necessity",
        "Why are you satisfied the surveillance is necessary to prevent or detect this crime?",
        "Say in your own words why the surveillance is necessary to prevent or detect this "
        "crime, and why the investigation cannot go on without it",
        NECESSITY_CITATION,
        ("necessity",),
    ),
    Element(
        "proportionality_balance",
        "Proportionality: the balance against the gravity of the crime",
        "How does its size and scope balance against the gravity and extent of the crime?",
        "Say in your own words how the size and scope of the surveillance balance against "
        "the gravity and extent of the crime",
        PROPORTIONALITY_CITATION,
        ("proportionality_balance",),
    ),
    Element(
        "proportionality_least_intrusive",
        "Proportionality: the least intrusive method",
        "Why are you satisfied the method is the least intrusive?",
        "Say in your own words why this method causes the least possible intrusion on the "
        "subject and others",
        PROPORTIONALITY_CITATION,
        ("proportionality_least_intrusive",),
    ),
    Element(
        "proportionality_appropriate",
        "Proportionality: an appropriate use of the law",
        "Why is it an appropriate use of the law, having considered all reasonable alternatives?",
        "Say in your own words why this is an appropriate use of the law, and a reasonable "
        "way of getting what is needed",
        PROPORTIONALITY_CITATION,
        ("proportionality_appropriate",),
    ),
    Element(
        "proportionality_alternatives",
        "Proportionality: other methods considered",
        "Which other methods were considered or tried, and why are you satisfied they would not do?",
        "Say in your own words which other methods were considered or tried, and why they "
        "were not used",
        PROPORTIONALITY_CITATION,
        ("proportionality_alternatives",),
    ),
    Element(
        "collateral_intrusion",
        "Collateral intrusion",
        "What collateral intrusion do you accept, and why are you satisfied it is kept to a minimum?",
        "Say in your own words whose private information, other than the subject's, may be "
        "obtained, and why you are satisfied the intrusion is kept to a minimum",
        COLLATERAL_CITATION,
        ("collateral_intrusion", "collateral_minimise"),
    ),
)


@dataclass(frozen=True)
class Statements:
    """The authorising officer's own statements on a grant or renewal, one per Element."""

    necessity: str = ""
    proportionality_balance: str = ""
    proportionality_least_intrusive: str = ""
    proportionality_appropriate: str = ""
    proportionality_alternatives: str = ""
    collateral_intrusion: str = ""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.names()}


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


#: Why a statement cannot stand (bare_reason).
EMPTY = "empty"
ONLY_AGREEMENT = "only agrees with, or points to, someone else's words"
TOO_SHORT = "too short to say what you are satisfied of and why"
COPIED = "copies the application's answer"


def bare_reason(text: str | None) -> str | None:
    """Why a statement says nothing of the officer's own (EMPTY, ONLY_AGREEMENT, TOO_SHORT),
    or None when it can stand.

    Policy (module docstring): phrases of agreement or reference ("I agree", "As above", "See
    application") are taken out, and what is left must be at least MIN_CHARACTERS characters
    and MIN_WORDS words.
    """
    text = (text or "").strip()
    if not text:
        return EMPTY
    own = _words(_BARE.sub(" ", text))
    if not own:
        return ONLY_AGREEMENT
    if len(" ".join(own)) < MIN_CHARACTERS or len(own) < MIN_WORDS:
        return TOO_SHORT
    return None


def element(name: str) -> Element:
    """The element a statement answers, by its name."""
    return next(e for e in ELEMENTS if e.name == name)


def _same_text(a: str, b: str) -> bool:
    return [w.lower() for w in _words(a)] == [w.lower() for w in _words(b)]


def statement_problems(
    statements: Statements, application_answers: Mapping[str, object] | None = None
) -> dict[str, str]:
    """Each statement that cannot stand, by name, with a message saying what is needed: bare
    (bare_reason), or a copy of the applicant's own answer to the same question."""
    answers = application_answers or {}
    problems = {}
    for element in ELEMENTS:
        text = getattr(statements, element.name)
        why = bare_reason(text)
        if why is None and any(
            isinstance(answers.get(q), str) and answers[q].strip() and _same_text(text, answers[q])
            for q in element.answers
        ):
            why = COPIED
        if why == EMPTY:
            problems[element.name] = element.needed
        elif why == ONLY_AGREEMENT:
            problems[element.name] = (
                f"{element.needed}. Agreeing with the application, or pointing to it, is not enough"
            )
        elif why == COPIED:
            problems[element.name] = (
                f"{element.needed}. Copying the applicant's answer is not enough: say what you "
                "are satisfied of, and why"
            )
        elif why == TOO_SHORT:
            problems[element.name] = f"{element.needed}, in at least {MIN_WORDS} words"
    return problems


def directly_involved_problem(directly_involved: bool, reason: str | None) -> str | None:
    """An authorising officer directly involved in the investigation must say why it cannot
    be avoided; it is highlighted on the central record (Code of Practice 2018, around para
    5.7, not confirmed; DOMAIN.md §2)."""
    if not directly_involved:
        return None
    text = (reason or "").strip()
    if not text or not _words(_BARE.sub(" ", text)):
        return "Explain why you must authorise an investigation you are involved in"
    return None


#: SI 2010/521 art. 7A(2)-(3): the conduct must constitute "the criminal offence or one of the
#: criminal offences" named. The same facts can be charged several ways (DOMAIN.md §1), so the
#: authorising officer confirms the elements are genuinely suspected, not chosen to clear it.
OFFENCES_GENUINE_CITATION = "SI 2010/521, article 7A(2)-(3)"
OFFENCES_GENUINE_QUESTION = (
    "Are you satisfied that the conduct is genuinely believed to constitute the offence(s) that "
    "meet the threshold, not named to clear it?"
)
OFFENCES_GENUINE_NEEDED = (
    "Select whether you are satisfied that the offences meeting the crime threshold are "
    "genuinely suspected"
)
OFFENCES_NOT_GENUINE = (
    "You cannot approve unless you are satisfied that the conduct is genuinely believed to "
    "constitute the offence(s) that meet the crime threshold, not named to clear it "
    f"({OFFENCES_GENUINE_CITATION}). Refuse the application, or return it for more information."
)


def offences_genuine_problem(answer: bool | None) -> str | None:
    """An approval needs the authorising officer's "yes": the offences that meet the crime
    threshold are genuinely suspected, not named to clear it (SI 2010/521 art. 7A(2)-(3))."""
    if answer is None:
        return OFFENCES_GENUINE_NEEDED
    if answer is False:
        return OFFENCES_NOT_GENUINE
    return None
