"""The crime threshold, SI 2010/521 article 7A(3), as decided by ripa_guard.threshold."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ripa_guard.law import threshold


@dataclass(frozen=True)
class Stub:
    """Just what threshold.assess reads of an offence."""

    max_custodial_months: int | None
    threshold_exception: bool = False


def test_exactly_six_months_meets_the_threshold():
    # Art. 7A(3)(a): "a maximum term of at least 6 months" includes exactly 6 months.
    verdict = threshold.verdict_for_offence(Stub(6))
    assert verdict.met is True
    assert verdict.basis == threshold.CUSTODIAL_TERM
    assert "6 months" in verdict.reason


def test_five_months_fails():
    verdict = threshold.verdict_for_offence(Stub(5))
    assert verdict.met is False
    assert verdict.basis is None
    assert "at most 5 months" in verdict.reason


def test_fine_only_offence_fails():
    verdict = threshold.verdict_for_offence(Stub(None))
    assert verdict.met is False
    assert verdict.basis is None
    assert "no prison sentence" in verdict.reason


def test_listed_underage_sale_offence_with_no_prison_meets_by_exception():
    verdict = threshold.verdict_for_offence(Stub(None, threshold_exception=True))
    assert verdict.met is True
    assert verdict.basis == threshold.EXCEPTION
    assert "7A(3)(b)" in verdict.reason


def test_exception_also_rescues_a_short_custodial_term():
    verdict = threshold.verdict_for_offence(Stub(3, threshold_exception=True))
    assert (verdict.met, verdict.basis) == (True, threshold.EXCEPTION)


def test_custodial_basis_is_reported_when_both_apply():
    verdict = threshold.verdict_for_offence(Stub(12, threshold_exception=True))
    assert (verdict.met, verdict.basis) == (True, threshold.CUSTODIAL_TERM)


def test_exception_list_is_the_closed_list_in_article_7A_3_b():
    # SI 2012/1500 listed the Licensing Act and 1933 Act offences; SI 2015/937 added ss.91-92.
    assert threshold.EXCEPTION_OFFENCES == {
        ("Licensing Act 2003", "146"),
        ("Licensing Act 2003", "147"),
        ("Licensing Act 2003", "147A"),
        ("Children and Young Persons Act 1933", "7"),
        ("Children and Families Act 2014", "91"),
        ("Children and Families Act 2014", "92"),
    }
    # Other underage or proxy-sale offences are not on it (e.g. alcohol proxy purchase).
    assert ("Licensing Act 2003", "149") not in threshold.EXCEPTION_OFFENCES


def test_higher_of_summary_and_indictment_maxima_is_what_counts():
    # Art. 7A(3)(a) reads "whether on summary conviction or on indictment", so the register
    # stores one figure: the longest term available in either court. An either-way offence
    # that is fine-only (or 3 months) summarily but 2 years on indictment is stored as 24
    # months and meets the threshold; the lower summary figure is never consulted.
    summary_months, indictment_months = 3, 24
    stored = max(summary_months, indictment_months)
    assert threshold.verdict_for_offence(Stub(stored)).met is True
    assert threshold.verdict_for_offence(Stub(summary_months)).met is False


@pytest.mark.parametrize(
    ("months", "words"),
    [(6, "6 months"), (12, "1 year"), (24, "2 years"), (120, "10 years")],
)
def test_reason_states_a_qualifying_term_in_plain_words(months, words):
    assert f"up to {words} in prison" in threshold.verdict_for_offence(Stub(months)).reason


@pytest.mark.parametrize(("months", "words"), [(1, "1 month"), (3, "3 months")])
def test_reason_states_a_short_term_in_plain_words(months, words):
    assert f"at most {words} in prison" in threshold.verdict_for_offence(Stub(months)).reason


def test_every_verdict_cites_the_order():
    for offence in (Stub(6), Stub(None), Stub(None, threshold_exception=True)):
        assert "SI 2010/521, article 7A" in threshold.verdict_for_offence(offence).citation


def test_assess_any_is_met_when_one_offence_among_several_qualifies():
    offences = [Stub(None), Stub(3), Stub(24), Stub(5)]
    verdict = threshold.assess_any(offences)
    assert verdict.met is True
    assert verdict == threshold.verdict_for_offence(Stub(24))


def test_assess_any_fails_when_none_qualifies_and_explains_the_first():
    verdict = threshold.assess_any([Stub(None), Stub(5)])
    assert verdict.met is False
    assert verdict == threshold.verdict_for_offence(Stub(None))


def test_assess_any_with_no_offence_fails_for_want_of_a_crime():
    verdict = threshold.assess_any([])
    assert verdict.met is False
    assert verdict.basis is None
    assert "7A(2)" in verdict.reason


# The exception list holds dates ------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """An offence as the register gives it, with its act and section."""

    act: str
    section: str
    max_custodial_months: int | None = None
    threshold_exception: bool = True


def test_each_exception_is_listed_from_the_day_its_amendment_came_into_force():
    from datetime import date

    nicotine = Listed("Children and Families Act 2014", "92")
    assert threshold.verdict_for_offence(nicotine, date(2015, 10, 1)).met  # SI 2015/937
    refused = threshold.verdict_for_offence(nicotine, date(2015, 9, 30))
    assert not refused.met
    assert "not on the list" in refused.reason and "30 September 2015" in refused.reason
    assert threshold.verdict_for_offence(Listed("Licensing Act 2003", "146"), date(2012, 11, 1)).met


def test_an_exception_taken_off_the_list_stops_counting_after_its_last_day(monkeypatch):
    from datetime import date

    repealed = threshold.ListedOffence(
        "Children and Young Persons Act 1933", "7", date(2012, 11, 1), date(2027, 12, 31)
    )
    monkeypatch.setattr(threshold, "EXCEPTIONS", (repealed,))
    tobacco = Listed("Children and Young Persons Act 1933", "7")
    assert threshold.verdict_for_offence(tobacco, date(2027, 12, 31)).met
    assert not threshold.verdict_for_offence(tobacco, date(2028, 1, 1)).met


def test_the_tobacco_and_vapes_act_2026_is_not_listed_until_article_7a_is_amended():
    assert not any(e.act.startswith("Tobacco and Vapes Act") for e in threshold.EXCEPTIONS)
    assert all(e.in_force_until is None for e in threshold.EXCEPTIONS)


def test_without_a_date_the_registers_flag_decides():
    assert threshold.verdict_for_offence(Listed("Licensing Act 2003", "146")).met


# Several offences named (art. 7A(2)-(3): "the criminal offence or one of the criminal offences")


def test_the_maximum_reads_in_words_and_a_fine_only_offence_says_so():
    assert threshold.describe_maximum(120) == "Up to 10 years in prison"
    assert threshold.describe_maximum(6) == "Up to 6 months in prison"
    assert threshold.maximum(Stub(None)) == "A fine only: no prison sentence"


def test_when_no_offence_of_several_qualifies_the_reason_names_each_with_its_maximum():
    reason = threshold.none_met_reason([("Sub-letting", Stub(None)), ("Litter", Stub(3))])
    assert reason.startswith("None of the offences named meets the crime threshold.")
    assert "Sub-letting: a fine only: no prison sentence; Litter: up to 3 months in prison." in (
        reason
    )
    assert "article 7A(2)-(3)" in reason


def test_one_offence_that_fails_keeps_its_own_reason():
    assert threshold.none_met_reason([("Sub-letting", Stub(None))]) == (
        threshold.verdict_for_offence(Stub(None)).reason
    )
