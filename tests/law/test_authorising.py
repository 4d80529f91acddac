"""Who may authorise (law/authorising.py)."""

from ripa_guard.law.authorising import confidential_authority_problem


def test_confidential_information_needs_the_head_of_paid_service():
    problem = confidential_authority_problem(True, False)
    assert problem and "head of paid service" in problem and "Annex A" in problem


def test_the_head_of_paid_service_may_authorise_where_confidential_information_is_likely():
    assert confidential_authority_problem(True, True) is None


def test_any_authorising_officer_may_authorise_where_it_is_not_likely():
    assert confidential_authority_problem(False, False) is None
