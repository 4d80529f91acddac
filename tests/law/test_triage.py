"""Triage of planned online research (ripa_guard/triage.py) and forms/triage.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ripa_guard.law import threshold, triage
from ripa_guard.law.triage import Outcome

FORM = Path(__file__).resolve().parents[2] / "forms" / "triage.toml"


@dataclass(frozen=True)
class Offence:
    max_custodial_months: int | None
    threshold_exception: bool = False


FRAUD = Offence(max_custodial_months=120)  # Fraud Act 2006 s.1
HARASSMENT = Offence(max_custodial_months=6)  # Protection from Harassment Act 1997 s.2
SUBLETTING = Offence(max_custodial_months=None)  # Prevention of Social Housing Fraud Act s.1(1)
UNDERAGE_ALCOHOL = Offence(max_custodial_months=None, threshold_exception=True)  # LA 2003 s.146

#: A single look at a person's profile to see whether it is relevant: nothing recorded, no
#: interaction. Every other test changes one or two answers from here.
SINGLE_LOOK = {
    "criminal_investigation": "yes",
    "offence": "fraud-act-2006-s1",
    "directed_at": "person",
    "frequency": "single",
    "profile_public": "yes",
    "overt_notice": "no",
    "recording": "no",
    "profile_building": "no",
    "combining": "no",
    "private_information": "no",
    "third_parties": "no",
    "interaction": "none",
    "identity": "undisclosed",
    "someone_else": "no",
    "bypass_privacy": "no",
    "confidential": "no",
}
REPEATED_VIEWING = {**SINGLE_LOOK, "frequency": "repeated", "recording": "yes"}


def plan(base=SINGLE_LOOK, **changes):
    return {**base, **changes}


def without(base, name):
    return {k: v for k, v in base.items() if k != name}


def outcome(answers):
    return triage.classify_activity(answers).outcome


def texts(result):
    return " ".join(r.text for r in result.reasons)


# --- Rule 1: outside RIPA (ordinary functions only) -------------------------------------------


def test_hr_investigation_is_outside_ripa():
    result = triage.classify_activity(plan(REPEATED_VIEWING, criminal_investigation="ordinary"))
    assert result.outcome is Outcome.OUTSIDE_RIPA
    assert "non-RIPA" in texts(result)
    assert any("core functions" in r.citation for r in result.reasons)


def test_outside_ripa_wins_even_over_chis_like_conduct_but_says_so():
    result = triage.classify_activity(
        plan(criminal_investigation="ordinary", interaction="further")
    )
    assert result.outcome is Outcome.OUTSIDE_RIPA
    assert any("s.26(8)" in r.citation for r in result.reasons)


def test_outside_ripa_is_not_subject_to_the_threshold():
    result = triage.decide(plan(REPEATED_VIEWING, criminal_investigation="ordinary"), [])
    assert result.outcome is Outcome.OUTSIDE_RIPA
    assert result.threshold is None


def test_monitoring_for_a_core_function_that_is_not_crime_cannot_be_authorised():
    result = triage.decide(plan(REPEATED_VIEWING, criminal_investigation="other_core"), [])
    assert result.outcome is Outcome.CANNOT_BE_AUTHORISED
    assert "It is not outside RIPA" in texts(result)
    assert any("s.28(3)(b)" in r.citation for r in result.reasons)


def test_a_first_look_for_a_core_function_that_is_not_crime_needs_no_authorisation():
    assert outcome(plan(criminal_investigation="other_core")) is Outcome.NO_AUTHORISATION


def test_a_borderline_plan_for_a_core_function_says_it_could_not_be_authorised():
    result = triage.classify_activity(plan(criminal_investigation="other_core", combining="yes"))
    assert result.outcome is Outcome.REFER
    assert "cannot be authorised" in texts(result)


def test_an_old_no_answer_to_the_purpose_is_never_read_as_outside_ripa():
    result = triage.classify_activity(plan(REPEATED_VIEWING, criminal_investigation="no"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "treated as a criminal investigation" in texts(result)


# --- Rule 2: legal consultations; confidential material -------------------------------------


def test_observing_legal_consultations_can_never_be_authorised():
    for base in (SINGLE_LOOK, REPEATED_VIEWING):
        result = triage.decide(plan(base, confidential="legal_consultation"), [FRAUD])
        assert result.outcome is Outcome.CANNOT_BE_AUTHORISED
        assert "intrusive" in texts(result)
        assert any("SI 2010/461" in r.citation for r in result.reasons)


def test_a_first_look_likely_to_show_legally_privileged_material_is_referred():
    result = triage.classify_activity(plan(confidential="privileged"))
    assert result.outcome is Outcome.REFER
    assert "legally privileged" in texts(result)
    assert outcome(plan(confidential="confidential")) is Outcome.REFER


def test_directed_surveillance_with_privileged_material_says_who_may_authorise():
    result = triage.classify_activity(plan(REPEATED_VIEWING, confidential="privileged"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "Head of Paid Service" in texts(result)


# --- Rule 2: CHIS -----------------------------------------------------------------------------


def test_messaging_under_a_false_name_is_chis():
    result = triage.classify_activity(plan(interaction="further", identity="undisclosed"))
    assert result.outcome is Outcome.CHIS
    assert any("s.26(8)" in r.citation for r in result.reasons)


def test_asking_a_complainant_to_pass_on_posts_is_chis():
    assert outcome(plan(someone_else="yes")) is Outcome.CHIS


def test_friend_request_alone_is_not_chis():
    result = triage.classify_activity(plan(REPEATED_VIEWING, interaction="minimal"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "friend request" in texts(result)


def test_single_test_purchase_is_not_chis():
    result = triage.classify_activity(plan(interaction="test_purchase"))
    assert result.outcome is Outcome.NO_AUTHORISATION
    assert "single transaction on a business's website" in texts(result)
    assert any("December 2022" in r.citation for r in result.reasons)


def test_chis_comes_before_overt_notice():
    assert outcome(plan(overt_notice="yes", someone_else="yes")) is Outcome.CHIS


def test_chis_is_not_subject_to_the_threshold():
    result = triage.decide(plan(interaction="further"), [SUBLETTING])
    assert result.outcome is Outcome.CHIS
    assert result.threshold is None


def test_open_messaging_as_the_council_is_referred_not_waved_through():
    result = triage.classify_activity(plan(interaction="further", identity="disclosed"))
    assert result.outcome is Outcome.REFER
    assert "openly as the council" in texts(result)


def test_open_messaging_to_a_person_told_in_writing_is_referred():
    answers = plan(interaction="further", identity="disclosed", overt_notice="yes")
    assert outcome(answers) is Outcome.REFER


# --- Rule 3: privacy settings -----------------------------------------------------------------


def test_getting_past_privacy_settings_is_at_least_directed_surveillance():
    result = triage.classify_activity(plan(bypass_privacy="yes", interaction="minimal"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "privacy settings" in texts(result)


def test_getting_past_privacy_settings_and_messaging_under_a_false_name_is_chis():
    answers = plan(bypass_privacy="yes", interaction="further", identity="undisclosed")
    assert outcome(answers) is Outcome.CHIS


def test_overt_notice_does_not_cover_getting_past_privacy_settings():
    answers = plan(REPEATED_VIEWING, overt_notice="yes", bypass_privacy="yes")
    assert outcome(answers) is Outcome.DIRECTED_SURVEILLANCE


# --- Rule 4: overt ----------------------------------------------------------------------------


def test_repeated_checks_the_person_was_told_of_are_referred_not_waved_through():
    result = triage.classify_activity(plan(REPEATED_VIEWING, overt_notice="yes"))
    assert result.outcome is Outcome.REFER
    assert triage.OVERT_NOTICE_REASON in result.reasons
    assert "non-RIPA" in triage.OVERT_NOTICE_REASON.text
    assert "s.26(9)(a)" in triage.OVERT_NOTICE_REASON.citation


def test_a_first_look_at_a_person_told_in_writing_still_needs_no_authorisation():
    assert outcome(plan(overt_notice="yes")) is Outcome.NO_AUTHORISATION


# --- Rules 5 and 6: public registers; general monitoring --------------------------------------


def test_public_registers_only_need_no_authorisation():
    answers = plan(REPEATED_VIEWING, directed_at="registers", profile_public="no")
    assert outcome(answers) is Outcome.NO_AUTHORISATION


def test_general_monitoring_of_trends_needs_no_authorisation():
    result = triage.classify_activity(plan(REPEATED_VIEWING, directed_at="general"))
    assert result.outcome is Outcome.NO_AUTHORISATION
    assert "triage again" in texts(result)


def test_building_a_profile_from_public_registers_is_referred():
    answers = plan(directed_at="registers", profile_building="yes")
    assert outcome(answers) is Outcome.REFER


def test_general_monitoring_that_builds_a_profile_is_referred():
    answers = plan(directed_at="general", profile_building="yes")
    assert outcome(answers) is Outcome.REFER


# --- Rule 7: directed surveillance ------------------------------------------------------------


def test_repeated_viewing_of_a_person_is_directed_surveillance():
    result = triage.classify_activity(REPEATED_VIEWING)
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert any(r.citation.startswith("RIPA 2000, s.26(2)") for r in result.reasons)


def test_a_single_visit_to_record_pattern_of_life_is_directed_surveillance():
    # Code, Example 2, second half: even a single visit, to extract and record a profile.
    result = triage.classify_activity(plan(profile_building="yes", recording="yes"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "Even on a single visit" in texts(result)


def test_directed_surveillance_lists_every_factor_present():
    answers = plan(
        REPEATED_VIEWING,
        profile_building="yes",
        combining="yes",
        private_information="yes",
        third_parties="yes",
    )
    result = triage.classify_activity(answers)
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    reasons = {r.text for r in result.reasons}
    assert set(triage.FACTORS.values()) <= reasons


def test_not_expecting_private_information_does_not_avoid_directed_surveillance():
    result = triage.classify_activity(plan(REPEATED_VIEWING, private_information="no"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "likely to obtain it" in texts(result)


# --- Rule 8: a single look --------------------------------------------------------------------


def test_single_look_for_relevance_needs_no_authorisation():
    result = triage.classify_activity(SINGLE_LOOK)
    assert result.outcome is Outcome.NO_AUTHORISATION
    assert result.reasons


def test_single_look_that_sees_but_does_not_record_other_people_needs_no_authorisation():
    assert outcome(plan(third_parties="yes")) is Outcome.NO_AUTHORISATION


def test_a_first_look_at_a_personal_profile_that_may_show_private_details_needs_no_authorisation():
    # Code, Example 2, first half: the officer cannot know in advance what a profile shows.
    for private in ("yes", "not_sure"):
        result = triage.classify_activity(plan(private_information=private, profile_public="no"))
        assert result.outcome is Outcome.NO_AUTHORISATION, private
        assert "cannot know in advance" in texts(result)
        assert "Do not record or keep what you see" in texts(result)


def test_a_first_look_noting_only_that_the_profile_is_relevant_needs_no_authorisation():
    answers = plan(recording="relevance_note", private_information="not_sure")
    assert outcome(answers) is Outcome.NO_AUTHORISATION


def test_keeping_a_single_look_with_no_private_information_needs_no_authorisation():
    result = triage.classify_activity(plan(recording="yes"))
    assert result.outcome is Outcome.NO_AUTHORISATION
    assert "do not keep that part" in texts(result)


# --- Rule 9: referred only where the law is in doubt, naming the doubt -------------------------


def test_keeping_what_a_single_look_shows_when_it_may_be_private_is_referred_with_the_doubt():
    for private in ("yes", "not_sure"):
        result = triage.classify_activity(plan(recording="yes", private_information=private))
        assert result.outcome is Outcome.REFER
        assert "The doubt: you plan to keep what the profile shows" in texts(result)


def test_single_look_combined_with_other_information_is_referred_with_the_doubt():
    result = triage.classify_activity(plan(combining="yes"))
    assert result.outcome is Outcome.REFER
    assert "The doubt: you plan to combine" in texts(result)


def test_single_look_then_following_the_person_is_referred():
    result = triage.classify_activity(plan(interaction="minimal"))
    assert result.outcome is Outcome.REFER
    assert "ongoing viewing" in texts(result)


def test_keeping_other_peoples_information_from_a_single_look_is_referred():
    result = triage.classify_activity(plan(recording="yes", third_parties="yes"))
    assert result.outcome is Outcome.REFER
    assert "private information about other people" in texts(result)


def test_every_refer_outcome_from_a_single_look_names_its_doubt_or_what_is_missing():
    for answers in (
        plan(recording="yes", private_information="yes"),
        plan(combining="yes"),
        plan(interaction="minimal"),
        without(SINGLE_LOOK, "recording"),
    ):
        result = triage.classify_activity(answers)
        assert result.outcome is Outcome.REFER
        assert "The doubt:" in texts(result) or "Not answered:" in texts(result)


# --- "It's public" ----------------------------------------------------------------------------


def test_public_profile_does_not_avoid_authorisation():
    public = triage.classify_activity(plan(REPEATED_VIEWING, profile_public="yes"))
    private = triage.classify_activity(plan(REPEATED_VIEWING, profile_public="no"))
    assert public.outcome is private.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert triage.PUBLIC_PROFILE_REASON in public.reasons
    assert "privacy interest" in triage.PUBLIC_PROFILE_REASON.text


def test_public_profile_is_answered_in_a_refer_outcome_too():
    result = triage.classify_activity(
        plan(recording="yes", private_information="yes", profile_public="yes")
    )
    assert result.outcome is Outcome.REFER
    assert triage.PUBLIC_PROFILE_REASON in result.reasons


def test_profile_visibility_never_changes_the_outcome():
    bases = (
        SINGLE_LOOK,
        REPEATED_VIEWING,
        plan(recording="yes", private_information="yes"),
        plan(directed_at="general"),
    )
    for base in bases:
        outcomes = {outcome(plan(base, profile_public=v)) for v in ("yes", "no", "not_sure", "")}
        assert len(outcomes) == 1, base


# --- Missing answers --------------------------------------------------------------------------


def test_missing_answers_never_give_no_authorisation():
    assert outcome({}) is Outcome.REFER
    for name in triage.CHOICES:
        if name == "profile_public":
            continue  # asked only so that the outcome can say it makes no difference
        assert outcome(without(SINGLE_LOOK, name)) is not Outcome.NO_AUTHORISATION, name
        assert outcome(plan(**{name: "maybe"})) is not Outcome.NO_AUTHORISATION, name


def test_missing_answers_are_named_in_the_reasons():
    result = triage.classify_activity(without(SINGLE_LOOK, "recording"))
    assert result.outcome is Outcome.REFER
    assert "Not answered: whether you will record or keep anything" in texts(result)


def test_unanswered_chis_question_turns_directed_surveillance_into_refer():
    assert outcome(without(REPEATED_VIEWING, "someone_else")) is Outcome.REFER


def test_unanswered_identity_with_messaging_is_referred_not_waved_through():
    answers = plan(without(SINGLE_LOOK, "identity"), interaction="further")
    assert outcome(answers) is Outcome.REFER


def test_no_authorisation_needs_every_question_answered_even_ones_that_would_not_matter():
    result = triage.classify_activity(without(SINGLE_LOOK, "overt_notice"))
    assert result.outcome is Outcome.REFER
    assert "only when every question has been answered" in texts(result)


def test_profile_visibility_may_be_left_unanswered():
    assert outcome(without(SINGLE_LOOK, "profile_public")) is Outcome.NO_AUTHORISATION


def test_unanswered_audience_is_read_as_a_person():
    result = triage.classify_activity(without(REPEATED_VIEWING, "directed_at"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "treated as directed at a person" in texts(result)


def test_unanswered_criminal_investigation_is_read_as_ripa_applying():
    result = triage.classify_activity(without(REPEATED_VIEWING, "criminal_investigation"))
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert "treated as a criminal investigation" in texts(result)
    assert outcome(without(SINGLE_LOOK, "criminal_investigation")) is Outcome.REFER


def test_answers_are_trimmed_and_case_insensitive():
    assert outcome(plan(REPEATED_VIEWING, frequency=" Repeated ")) is Outcome.DIRECTED_SURVEILLANCE


def test_assess_survives_a_non_mapping():
    assert triage.classify_activity(None).outcome is Outcome.REFER  # type: ignore[arg-type]


# --- decide: the crime threshold --------------------------------------------------------------


def test_threshold_met_keeps_directed_surveillance_with_the_verdict():
    result = triage.decide(REPEATED_VIEWING, [FRAUD])
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert result.threshold is not None and result.threshold.met
    assert result.reasons[-1].citation == threshold.CITATION


def test_six_months_exactly_can_be_authorised():
    assert triage.decide(REPEATED_VIEWING, [HARASSMENT]).outcome is Outcome.DIRECTED_SURVEILLANCE


def test_threshold_not_met_cannot_be_authorised():
    result = triage.decide(REPEATED_VIEWING, [SUBLETTING])
    assert result.outcome is Outcome.CANNOT_BE_AUTHORISED
    assert result.threshold is not None and not result.threshold.met
    assert result.threshold.reason in texts(result)
    assert "must not take place" in texts(result)


def test_exception_offence_can_be_authorised():
    result = triage.decide(REPEATED_VIEWING, [UNDERAGE_ALCOHOL])
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE
    assert result.threshold.basis == threshold.EXCEPTION


def test_any_one_qualifying_offence_is_enough():
    result = triage.decide(REPEATED_VIEWING, [SUBLETTING, FRAUD])
    assert result.outcome is Outcome.DIRECTED_SURVEILLANCE


def test_no_offence_named_cannot_be_authorised():
    result = triage.decide(without(REPEATED_VIEWING, "offence"), [])
    assert result.outcome is Outcome.CANNOT_BE_AUTHORISED
    assert "7A(2)" in texts(result)
    assert "go back and choose it" in texts(result)


def test_offence_named_but_not_in_the_register_says_so():
    result = triage.decide(REPEATED_VIEWING, [])
    assert result.outcome is Outcome.CANNOT_BE_AUTHORISED
    assert "could not be found in the offence register" in texts(result)


def test_threshold_does_not_touch_a_single_look():
    result = triage.decide(SINGLE_LOOK, [SUBLETTING])
    assert result.outcome is Outcome.NO_AUTHORISATION
    assert result.threshold is None


def test_threshold_does_not_touch_refer():
    assert triage.decide(plan(combining="yes"), [SUBLETTING]).outcome is Outcome.REFER


# --- Outcomes ---------------------------------------------------------------------------------


def test_every_outcome_has_a_title_and_next_steps():
    for item in Outcome:
        assert item.title and item.title[0].isupper()
        assert len(item.next_steps) > 40
    assert Outcome.NO_AUTHORISATION.title == "No authorisation needed"
    assert Outcome("chis") is Outcome.CHIS


def test_every_reason_has_a_citation():
    for answers in (SINGLE_LOOK, REPEATED_VIEWING, {}, plan(someone_else="yes")):
        for reason in triage.decide(answers, [SUBLETTING]).reasons:
            assert reason.text and reason.citation


def test_triage_is_pure():
    source = Path(triage.__file__).read_text(encoding="utf-8").lower()
    assert "import flask" not in source and "from flask" not in source
    assert "sqlalchemy" not in source


# --- Properties -------------------------------------------------------------------------------

known_answers = st.fixed_dictionaries(
    {},
    optional={
        name: st.sampled_from([*sorted(values), "", "maybe"])
        for name, values in triage.CHOICES.items()
    },
)
junk = st.dictionaries(
    st.text(max_size=30),
    st.one_of(st.text(max_size=30), st.none(), st.integers(), st.booleans()),
    max_size=20,
)
mixed = st.tuples(known_answers, junk).map(lambda pair: {**pair[1], **pair[0]})


@given(st.one_of(known_answers, junk, mixed))
def test_assess_never_raises_and_always_gives_reasons(answers):
    result = triage.classify_activity(answers)
    assert isinstance(result.outcome, Outcome)
    assert result.reasons
    decided = triage.decide(answers, [SUBLETTING])
    assert decided.outcome is not Outcome.DIRECTED_SURVEILLANCE


@given(known_answers, st.sampled_from(["no", "", "maybe", None]))
def test_repeated_viewing_of_a_person_without_overt_notice_is_never_no_authorisation(
    answers, overt
):
    answers = {**answers, "directed_at": "person", "frequency": "repeated"}
    if overt is None:
        answers.pop("overt_notice", None)
    else:
        answers["overt_notice"] = overt
    assert triage.classify_activity(answers).outcome is not Outcome.NO_AUTHORISATION


@given(known_answers)
def test_profile_visibility_never_changes_the_outcome_property(answers):
    outcomes = {
        triage.classify_activity({**answers, "profile_public": v}).outcome
        for v in ("yes", "no", "not_sure")
    }
    assert len(outcomes) == 1


# --- forms/triage.toml ------------------------------------------------------------------------


def load_form():
    return tomllib.loads(FORM.read_text(encoding="utf-8"))


def form_questions():
    return [q for page in load_form()["pages"] for q in page.get("questions", [])]


def test_form_defines_exactly_the_questions_triage_reads():
    names = [q["name"] for q in form_questions()]
    assert len(names) == len(set(names)), "a question name is used twice"
    assert set(names) == triage.QUESTION_NAMES


def test_every_radios_question_offers_exactly_the_values_triage_reads():
    for q in form_questions():
        if q["kind"] == "radios":
            values = [c["value"] for c in q.get("choices", [])]
            assert len(values) >= 2, q["name"]
            assert len(values) == len(set(values)), q["name"]
            assert set(values) == triage.CHOICES[q["name"]], q["name"]
        else:
            assert q["name"] not in triage.CHOICES, q["name"]


def test_offence_questions_are_optional_offence_selects():
    by_name = {q["name"]: q for q in form_questions()}
    for name in triage.OFFENCE_NAMES:
        assert by_name[name]["kind"] == "offence"
        assert by_name[name]["required"] is False


def test_form_is_well_formed_for_the_form_machinery():
    form = load_form()
    assert form["id"] == "triage"
    assert form["title"] and form["source"]
    assert 3 <= len(form["pages"]) <= 5
    for page in form["pages"]:
        assert page["slug"] and page["title"]
        assert 1 <= len(page["questions"]) <= 5
        for q in page["questions"]:
            assert q["kind"] in {"text", "textarea", "radios", "offence"}
            assert q["label"].strip()
            if q.get("required", True):
                assert q.get("error", "").strip(), q["name"]
            for choice in q.get("choices", []):
                assert choice["value"] and choice["label"], q["name"]


# --- "My offence is not listed" ---------------------------------------------------------------


def test_directed_surveillance_for_an_unlisted_offence_waits_for_the_coordinator():
    assert triage.needs_coordinator(plan(REPEATED_VIEWING, offence=triage.UNLISTED))
    assert not triage.needs_coordinator(plan(SINGLE_LOOK, offence=triage.UNLISTED))
    assert not triage.needs_coordinator(REPEATED_VIEWING)


def test_an_unlisted_offence_never_meets_the_threshold_on_its_own():
    result = triage.decide(plan(REPEATED_VIEWING, offence=triage.UNLISTED), [])
    assert result.outcome is Outcome.CANNOT_BE_AUTHORISED
    assert "not in the offence register" in texts(result)
