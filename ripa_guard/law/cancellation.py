"""Who may cancel an authorisation. Pure.

Sources:
- RIPA s.45(1), as read (version of 28 February 2002): "The person who granted or, as the case
  may be, last renewed an authorisation under this Part shall cancel it if ..." the
  requirements of s.28(2)(a) and (b) are no longer satisfied.
- RIPA s.45(4) and (5), as read: the Secretary of State may by regulations provide for the
  person by whom the duty is to be performed "in a case in which it would otherwise fall on a
  person who is no longer available to perform it", and for that person to be "a person
  appointed in accordance with the regulations".
- Regulation of Investigatory Powers (Cancellation of Authorisations) Regulations 2000,
  SI 2000/2794, reg. 2, as read (as made, in force 6 November 2000): the duty falls to "(a) the
  person, if any, appointed for the purpose of these Regulations in accordance with paragraph
  (2); (b) where no such person has been appointed, the person, if any, who holds the same
  office, rank or position in the same public authority as was held by the person who is no
  longer available and who has taken over that person's responsibilities or most of them", and
  "(2) The person making an appointment ... and the person appointed, must each be a person
  holding the same office, rank or position (or a more senior one) in the same public authority
  as was held by the person who is no longer available."

ripa_guard keeps grades as free text, so it cannot compare ranks itself: the officer who acts for
an unavailable grantor confirms that they hold the same or a more senior rank in the council, and
says why the grantor is unavailable and how they came to act. Both go on the cancellation and the
central record.
"""

from __future__ import annotations

from dataclasses import dataclass

CITATION_GRANTOR = "RIPA 2000, s.45(1)"
CITATION_ACTING = "RIPA 2000, s.45(4); SI 2000/2794, reg. 2"


@dataclass(frozen=True)
class Problem:
    """What is wrong with a cancellation by someone other than the grantor, by the question."""

    field: str
    message: str


def acting_cancellation_problem(
    is_grantor: bool,
    grantor_name: str,
    acting_for_unavailable: bool,
    acting_reason: str,
    same_or_senior_rank: bool,
) -> Problem | None:
    """None when the canceller may cancel: they granted or last renewed it (s.45(1)), or they
    act for that person, who is no longer available, holding the same or a more senior rank in
    the council, and say why (s.45(4); SI 2000/2794 reg. 2)."""
    if is_grantor:
        return None
    if not acting_for_unavailable:
        return Problem(
            "acting_for_unavailable",
            f"Only {grantor_name}, who granted or last renewed this authorisation, cancels it "
            f"({CITATION_GRANTOR}). If they are no longer available, say that you act for them "
            f"({CITATION_ACTING}).",
        )
    if len(" ".join(acting_reason.split())) < 10:
        return Problem(
            "acting_reason",
            f"Say why {grantor_name} is no longer available and how you came to act for them",
        )
    if not same_or_senior_rank:
        return Problem(
            "same_or_senior_rank",
            f"Only an officer of the same rank as {grantor_name}, or a more senior one, in this "
            f"council can cancel in their place ({CITATION_ACTING}(2)).",
        )
    return None
