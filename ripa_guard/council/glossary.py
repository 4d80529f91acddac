"""The words of RIPA work, in plain English, each with the source DOMAIN.md gives for it.

Paragraph numbers marked *(check)* in DOMAIN.md (Code paras 4.47–4.48 and 5.7, para 8.1, the
CHIS Code's numbering) are cited as DOMAIN.md cites them: check them before relying on them.

Code: Covert Surveillance and Property Interference Revised Code of Practice, August 2018.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The Code of Practice on GOV.UK, linked wherever a question turns on it.
CODE_OF_PRACTICE = (
    "Covert Surveillance and Property Interference Revised Code of Practice (August 2018)",
    "https://www.gov.uk/government/publications/covert-surveillance-and-covert-human-"
    "intelligence-sources-codes-of-practice",
)


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    meaning: str
    source: str


TERMS = [
    Term(
        "authorising-officer",
        "Authorising officer",
        "A senior officer the council has designated to approve or refuse applications for "
        "directed surveillance (a director, head of service, service manager or equivalent). "
        "They never approve their own application, and should not approve one for an "
        "investigation they are directly involved in.",
        "SI 2010/521, Schedule; Code para 5.7",
    ),
    Term(
        "central-record",
        "Central record",
        "The council's record of every authorisation: granted, renewed, reviewed and "
        "cancelled, with each visit to the magistrates' court. IPCO inspects it.",
        "Code ch. 8, para 8.1",
    ),
    Term(
        "chis",
        "Covert human intelligence source (CHIS)",
        "Someone who establishes or keeps a relationship, without saying who they are or why, "
        "to obtain information covertly: online, messaging a seller under a false name. "
        "ripa_guard does not authorise CHIS: stop and refer.",
        "RIPA s.26(8); CHIS Code paras 4.10–4.16",
    ),
    Term(
        "collateral-intrusion",
        "Collateral intrusion",
        "Obtaining private information about people who are not the subject: online, their "
        "friends, family and others' posts. An application says how it will be kept to a "
        "minimum.",
        "Code paras 3.10–3.17, the eighth factor",
    ),
    Term(
        "crime-threshold",
        "Crime threshold",
        "A council may authorise directed surveillance only for an offence punishable by at "
        "least 6 months' imprisonment, or one of the listed underage-sale offences.",
        "SI 2010/521 art. 7A",
    ),
    Term(
        "directed-surveillance",
        "Directed surveillance",
        "Covert surveillance for a specific investigation, likely to obtain private "
        "information about a person. Repeated or systematic viewing of someone's social "
        "media to build a picture of them usually is.",
        "RIPA s.26(2); Code paras 3.10–3.17",
    ),
    Term(
        "initial-research",
        "Initial research",
        "A first look at a profile to decide whether it is relevant. It is unlikely to need "
        "an authorisation; looking again is a different matter.",
        "Code paras 3.10–3.17",
    ),
    Term(
        "magistrates-approval",
        "Magistrate's approval",
        "A council's authorisation, or its renewal, has no effect until a justice of the "
        "peace approves it. Its three months run from that day.",
        "RIPA ss.32A and 32B, s.43(3)(c)",
    ),
    Term(
        "non-ripa-register",
        "Non-RIPA register",
        "The council's record of research outside RIPA that still intrudes on privacy, such "
        "as an employment investigation, with its necessity and proportionality assessment.",
        "C v The Police, IPT/03/32/H; IPCO inspection findings",
    ),
    Term(
        "repeat-viewing",
        "Repeat viewing",
        "A further look at a profile, or at its subject, already viewed for an investigation. "
        "Without an authorisation in force it is blocked: monitoring is likely to be directed "
        "surveillance.",
        "RIPA s.26(2); Code paras 3.10–3.17",
    ),
    Term(
        "research-profile",
        "Research profile",
        "An account the council controls and registers, from which officers view social "
        "media. Officers must never use their personal accounts.",
        "IPCO inspection findings",
    ),
    Term(
        "sro",
        "Senior responsible officer (SRO)",
        "The member of the council's leadership team responsible for the integrity of the "
        "process: compliance, errors reported to IPCO, inspections and the standard of "
        "authorising officers.",
        "Code paras 4.47–4.48",
    ),
    Term(
        "urn",
        "Unique reference number (URN)",
        "The council's own reference for an authorisation, such as RIPA/2026/0001. It goes on "
        "the central record and on the court papers, and the court lists the application by "
        "it.",
        "Code ch. 8, para 8.1 (the central record)",
    ),
]
