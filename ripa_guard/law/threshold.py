"""The crime threshold for a council's directed surveillance.

Source: the Regulation of Investigatory Powers (Directed Surveillance and Covert Human
Intelligence Sources) Order 2010 (SI 2010/521), article 7A, inserted by SI 2012/1500
article 2(4) from 1 November 2012 and extended by SI 2015/937 from 1 October 2015.

Pure: imports neither Flask nor SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

CITATION = (
    "SI 2010/521, article 7A, as inserted by SI 2012/1500 (from 1 November 2012) "
    "and extended by SI 2015/937 (from 1 October 2015)"
)

#: Art. 7A(3)(a): "punishable ... by a maximum term of at least 6 months of imprisonment".
MINIMUM_CUSTODIAL_MONTHS = 6

#: Art. 7A(3)(b): the closed list of underage-sale offences that qualify whatever their
#: penalty, as (act, section). No other offence qualifies by exception.
EXCEPTION_OFFENCES: frozenset[tuple[str, str]] = frozenset(
    {
        ("Licensing Act 2003", "146"),
        ("Licensing Act 2003", "147"),
        ("Licensing Act 2003", "147A"),
        ("Children and Young Persons Act 1933", "7"),
        ("Children and Families Act 2014", "91"),
        ("Children and Families Act 2014", "92"),
    }
)

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


def assess(offence: Offence) -> ThresholdVerdict:
    """Decide art. 7A(3) for one offence from its longest custodial term and exception flag.

    The term is the higher of the summary and indictment maxima (art. 7A(3)(a): "whether on
    summary conviction or on indictment"); exactly six months meets it ("at least").
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
    if offence.threshold_exception:
        return ThresholdVerdict(
            met=True,
            basis=EXCEPTION,
            reason=(
                "The offence is one of the underage-sale offences that meet the crime "
                "threshold whatever their penalty (article 7A(3)(b))."
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


def assess_any(offences: list[Offence]) -> ThresholdVerdict:
    """Art. 7A(3) is met if any one of the offences under investigation meets it."""
    verdicts = [assess(o) for o in offences]
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
