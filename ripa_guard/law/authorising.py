"""Who may authorise: rules about the authorising officer, each with its source.

Pure: the caller passes what it knows of the person and the application.
"""

from __future__ import annotations

ANNEX_A = "Covert Surveillance and Property Interference Code of Practice 2018, Annex A"

CONFIDENTIAL_NEEDS_HEAD_OF_PAID_SERVICE = (
    "Confidential or legally privileged information is likely, so only the head of paid "
    f"service, or whoever acts for them in their absence, can approve this ({ANNEX_A})."
)


def confidential_authority_problem(confidential_likely: bool, may_authorise_confidential: bool):
    """Where confidential or legally privileged information is likely to be obtained, a council
    authorisation needs the head of paid service, or whoever acts for them in their absence
    (Code of Practice 2018, Annex A): the reason this person may not approve, or None."""
    if confidential_likely and not may_authorise_confidential:
        return CONFIDENTIAL_NEEDS_HEAD_OF_PAID_SERVICE
    return None
