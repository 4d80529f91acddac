"""What an authorising officer must say in their own words (law/decision_rules.py)."""

from __future__ import annotations

import dataclasses

import pytest

from ripa_guard.law import decision_rules
from ripa_guard.law.decision_rules import (
    ELEMENTS,
    EMPTY,
    MIN_CHARACTERS,
    MIN_WORDS,
    ONLY_AGREEMENT,
    TOO_SHORT,
    Statements,
    bare_reason,
    directly_involved_problem,
    statement_problems,
)

OWN_WORDS = (
    "The seller trades only online, so a test purchase cannot show how many counterfeit bags "
    "are sold; watching the listings over time is the only way to prove it."
)


@pytest.mark.parametrize(
    "text",
    [
        "I agree",
        "Agreed",
        "agreed.",
        "As above",
        "See application",
        "See the application.",
        "As per application",
        "N/A",
        "I agree. As above. See application.",
    ],
)
def test_a_bare_agreement_or_pointer_is_refused_as_only_agreement(text):
    assert bare_reason(text) == ONLY_AGREEMENT


@pytest.mark.parametrize("text", ["", "   ", "\n\n", None])
def test_nothing_written_is_empty(text):
    assert bare_reason(text) == EMPTY


def test_a_short_sentence_is_too_short():
    assert bare_reason("Necessary and proportionate.") == TOO_SHORT


def test_padding_agreement_around_a_few_words_does_not_pass():
    text = "I agree, as above, see application; agreed with the officer that it is needed."
    assert bare_reason(text) == TOO_SHORT


def test_seven_long_words_are_one_word_short():
    text = "Counterfeiting continues notwithstanding repeated warnings, so surveillance"
    assert len(text.split()) == MIN_WORDS - 1 and len(text) >= MIN_CHARACTERS
    assert bare_reason(text) == TOO_SHORT


def test_eight_short_words_under_the_character_minimum_are_too_short():
    text = "we do it as it is the way"
    assert len(text.split()) == MIN_WORDS and len(text) < MIN_CHARACTERS
    assert bare_reason(text) == TOO_SHORT


def test_eight_words_of_exactly_the_minimum_length_stand():
    text = "abcde abcd abcd abcd abcd abcd abcd abcd"
    assert len(text) == MIN_CHARACTERS and len(text.split()) == MIN_WORDS
    assert bare_reason(text) is None


def test_a_statement_in_the_officers_own_words_stands_even_if_it_says_i_agree():
    assert bare_reason(OWN_WORDS) is None
    assert bare_reason("I agree. " + OWN_WORDS) is None


def test_each_bare_statement_gets_a_message_saying_what_is_needed():
    problems = statement_problems(
        Statements(
            necessity="I agree",
            proportionality_balance="Proportionate.",
            proportionality_least_intrusive=OWN_WORDS,
            proportionality_appropriate=OWN_WORDS,
            proportionality_alternatives=OWN_WORDS,
            collateral_intrusion="",
        )
    )
    assert set(problems) == {"necessity", "proportionality_balance", "collateral_intrusion"}
    assert problems["necessity"].startswith(
        "Say in your own words why the surveillance is necessary"
    )
    assert (
        "Agreeing with the application, or pointing to it, is not enough" in (problems["necessity"])
    )
    assert problems["proportionality_balance"].endswith(f"in at least {MIN_WORDS} words")
    assert problems["collateral_intrusion"] == decision_rules.element("collateral_intrusion").needed


def test_full_statements_have_no_problems():
    assert statement_problems(Statements(*[OWN_WORDS] * len(ELEMENTS))) == {}


def test_there_is_one_statement_for_necessity_each_of_the_four_elements_and_collateral_intrusion():
    assert [f.name for f in dataclasses.fields(Statements)] == [e.name for e in ELEMENTS]
    proportionality = [e for e in ELEMENTS if e.name.startswith("proportionality_")]
    assert len(proportionality) == 4
    assert all(e.citation for e in ELEMENTS)
    assert decision_rules.element("necessity").citation == "RIPA s.28(2)(a) and (3)(b)"


def test_an_officer_not_directly_involved_need_not_say_why():
    assert directly_involved_problem(False, "") is None


@pytest.mark.parametrize("reason", ["", "  ", "N/A", "As above"])
def test_a_directly_involved_officer_must_say_why_it_cannot_be_avoided(reason):
    assert directly_involved_problem(True, reason) == (
        "Explain why you must authorise an investigation you are involved in"
    )


def test_a_directly_involved_officers_reason_stands():
    assert directly_involved_problem(True, "No one else available.") is None


def test_the_applicants_answer_copied_word_for_word_is_not_the_officers_own():
    applicant = {"necessity": OWN_WORDS, "collateral_minimise": OWN_WORDS}
    copied = Statements(*[OWN_WORDS] * len(ELEMENTS))
    problems = statement_problems(copied, applicant)
    assert set(problems) == {"necessity", "collateral_intrusion"}
    assert "Copying the applicant's answer is not enough" in problems["necessity"]
    # Case and punctuation do not hide a copy.
    shouted = Statements(necessity=OWN_WORDS.upper().replace(",", ""))
    assert "necessity" in statement_problems(shouted, applicant)
    assert decision_rules.COPIED


def test_an_approval_needs_a_yes_that_the_offences_are_genuinely_suspected():
    # SI 2010/521 art. 7A(2)-(3); DOMAIN.md §1: not named to clear the threshold.
    assert decision_rules.offences_genuine_problem(True) is None
    assert decision_rules.offences_genuine_problem(None) == decision_rules.OFFENCES_GENUINE_NEEDED
    refused = decision_rules.offences_genuine_problem(False)
    assert refused == decision_rules.OFFENCES_NOT_GENUINE
    assert "SI 2010/521, article 7A(2)-(3)" in refused
