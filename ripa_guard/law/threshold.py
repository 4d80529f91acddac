"""The crime threshold for a council's directed surveillance.

Source: the Regulation of Investigatory Powers (Directed Surveillance and Covert Human
Intelligence Sources) Order 2010 (SI 2010/521), article 7A, inserted by SI 2012/1500
article 2(4) from 1 November 2012 and extended by SI 2015/937 from 1 October 2015.

Pure: imports neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

CITATION = (
    "SI 2010/521, article 7A, as inserted by SI 2012/1500 (from 1 November 2012) "
    "and extended by SI 2015/937 (from 1 October 2015)"
)

#: Art. 7A(3)(a): "punishable ... by a maximum term of at least 6 months of imprisonment".
MINIMUM_CUSTODIAL_MONTHS = 6


@dataclass(frozen=True)
class ListedOffence:
    """An offence on art. 7A(3)(b)'s closed list, with the days it is listed (inclusive)."""

    act: str
    section: str
    in_force_from: date
    #: The last day it is listed, once an amendment of art. 7A or a repeal takes it off; None
    #: while it is listed. A repealed offence stays in the register for conduct before repeal.
    in_force_until: date | None = None
    source: str = ""

    def listed_on(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )


_SI_2012 = "SI 2012/1500, art. 2(4), inserting art. 7A(3)(b)(i) to (iv)"
_SI_2015 = "SI 2015/937, inserting art. 7A(3)(b)(v) and (vi)"

#: Art. 7A(3)(b): the closed list of underage-sale offences that qualify whatever their penalty.
#: It changes only when art. 7A is amended. The Tobacco and Vapes Act 2026 (c. 18) creates new
#: underage-sale offences (s.1: sale of tobacco to anyone born on or after 1 January 2009) and
#: repeals CYPA 1933 s.7 and CFA 2014 s.92 in stages; no amendment of art. 7A listing its
#: offences, and no commencement date for the repeals, had been found when this was written
#: (legal research notes, 2026). When they are made, give the repealed offences their
#: ``in_force_until`` and add the new ones with their ``in_force_from``: nothing else changes.
EXCEPTIONS: tuple[ListedOffence, ...] = (
    ListedOffence("Licensing Act 2003", "146", date(2012, 11, 1), source=_SI_2012),
    ListedOffence("Licensing Act 2003", "147", date(2012, 11, 1), source=_SI_2012),
    ListedOffence("Licensing Act 2003", "147A", date(2012, 11, 1), source=_SI_2012),
    ListedOffence("Children and Young Persons Act 1933", "7", date(2012, 11, 1), source=_SI_2012),
    ListedOffence("Children and Families Act 2014", "91", date(2015, 10, 1), source=_SI_2015),
    ListedOffence("Children and Families Act 2014", "92", date(2015, 10, 1), source=_SI_2015),
)

#: Every (act, section) that is, or has been, on the list: what the register's flag marks.
EXCEPTION_OFFENCES: frozenset[tuple[str, str]] = frozenset((e.act, e.section) for e in EXCEPTIONS)


def listed_on(act: str, section: str, day: date) -> bool:
    """Whether art. 7A(3)(b) lists the offence on `day`."""
    return any(e.act == act and e.section == section and e.listed_on(day) for e in EXCEPTIONS)


CUSTODIAL_TERM = "custodial term"
EXCEPTION = "underage-sale exception"


class Offence(Protocol):
    """What the threshold reads of an offence; registers/offences.csv supplies it."""

    max_custodial_months: int | None
    threshold_exception: bool


@dataclass(frozen=True)
class ThresholdVerdict:
    """Whether an offence meets the crime threshold, on which basis, and why."""

    met: bool
    basis: str | None
    reason: str
    citation: str = CITATION


def _months(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year" + ("s" if years != 1 else "")
    return f"{months} month" + ("s" if months != 1 else "")


def _excepted(offence: Offence, on: date | None) -> bool:
    """The register's flag, and, given a day and the offence's act and section, the list's dates."""
    if not offence.threshold_exception:
        return False
    act, section = getattr(offence, "act", None), getattr(offence, "section", None)
    if on is None or act is None or section is None:
        return True
    return listed_on(act, section, on)


def verdict_for_offence(offence: Offence, on: date | None = None) -> ThresholdVerdict:
    """Decide art. 7A(3) for one offence from its longest custodial term and exception flag.

    The term is the higher of the summary and indictment maxima (art. 7A(3)(a): "whether on
    summary conviction or on indictment"); exactly six months meets it ("at least"). Given
    `on`, an exception counts only while art. 7A(3)(b) lists the offence that day.
    """
    months = offence.max_custodial_months
    if months is not None and months >= MINIMUM_CUSTODIAL_MONTHS:
        return ThresholdVerdict(
            met=True,
            basis=CUSTODIAL_TERM,
            reason=(
                f"The offence carries up to {_months(months)} in prison, which is at least "
                "the 6 months the crime threshold requires (article 7A(3)(a))."
            ),
        )
    if _excepted(offence, on):
        return ThresholdVerdict(
            met=True,
            basis=EXCEPTION,
            reason=(
                "The offence is one of the underage-sale offences that meet the crime "
                "threshold whatever their penalty (article 7A(3)(b))."
            ),
        )
    if offence.threshold_exception:
        return ThresholdVerdict(
            met=False,
            basis=None,
            reason=(
                "The offence is not on the list of underage-sale offences in article 7A(3)(b) on "
                f"{on.day} {on:%B %Y}, and its penalty does not meet the crime threshold. This "
                "surveillance must not take place."
            ),
        )
    if months is None:
        penalty = "carries no prison sentence"
    else:
        penalty = f"carries at most {_months(months)} in prison"
    return ThresholdVerdict(
        met=False,
        basis=None,
        reason=(
            f"The offence {penalty}. A council may only authorise directed surveillance for "
            "an offence punishable by at least 6 months in prison, or one of the listed "
            "underage-sale offences (article 7A(3)). This surveillance must not take place."
        ),
    )


def assess_any(offences: list[Offence], on: date | None = None) -> ThresholdVerdict:
    """Art. 7A(3) is met if any one of the offences under investigation meets it."""
    verdicts = [verdict_for_offence(o, on) for o in offences]
    for verdict in verdicts:
        if verdict.met:
            return verdict
    if verdicts:
        return verdicts[0]
    return ThresholdVerdict(
        met=False,
        basis=None,
        reason="No offence was named. Directed surveillance needs a criminal offence "
        "(article 7A(2)).",
    )


#: Art. 7A(2)-(3): the conduct must constitute "the criminal offence or one of the criminal
#: offences": every offence the conduct is believed to constitute is named, and one suffices.
ANY_OFFENCE_CITATION = "SI 2010/521, article 7A(2)-(3)"


def describe_maximum(months: int | None) -> str:
    """A longest custodial term in words: "Up to 10 years in prison", or a fine only."""
    if months is None:
        return "A fine only: no prison sentence"
    return f"Up to {_months(months)} in prison"


def maximum(offence: Offence) -> str:
    """The offence's longest custodial term in words, as the register holds it."""
    return describe_maximum(offence.max_custodial_months)


def none_met_reason(named: list[tuple[str, Offence]], on: date | None = None) -> str:
    """Why no application can be made when none of the offences named meets art. 7A(3): each
    offence with its maximum. One offence keeps its own verdict's reason."""
    if len(named) == 1:
        return verdict_for_offence(named[0][1], on).reason
    listed = "; ".join(f"{name}: {maximum(offence).lower()}" for name, offence in named)
    return (
        "None of the offences named meets the crime threshold. It is met if any one of them is "
        "punishable by at least 6 months in prison or is one of the listed underage-sale "
        f"offences (article 7A(2)-(3)). {listed}. This surveillance must not take place."
    )
