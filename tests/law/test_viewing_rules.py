"""The gate's rules (viewing_rules), with every boundary of an authorisation's life."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ripa_guard.law.viewing_rules import (
    Authorisation,
    EarlierViewing,
    Refusal,
    Request,
    Ruling,
    TriageFinding,
    Verdict,
    across_investigations,
    decide,
    monitoring_signs,
    reads_earlier,
    reference_key,
    subject_key,
    tied_identities,
    window_start,
)

LONDON = ZoneInfo("Europe/London")
PROFILE = "facebook:bargainbagsexample"
INSTAGRAM = "instagram:bargainbags.example"
NUMBER = "facebook:id:100012345678901"
SUBJECT = "bargain bags"


def at(year, month, day, hour=10, minute=0, second=0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def looked(when: datetime, identity=PROFILE, subject=SUBJECT, officer="Olive Officer", id=1):
    return EarlierViewing(identity, subject, when, officer, id)


#: Approved by the magistrate on Thursday 5 March 2026: last day Thursday 4 June 2026.
ACTIVE = Authorisation(
    urn="RIPA/2026/0001",
    status="active",
    takes_effect=date(2026, 3, 5),
    last_day=date(2026, 6, 4),
    cancelled_on=None,
    covered=frozenset({PROFILE, INSTAGRAM}),
    application_id=7,
)


def ask(now, identity=PROFILE, subject=SUBJECT, earlier=(), authorisations=(), **kwargs):
    return decide(Request(identity, subject, now, list(earlier), list(authorisations), **kwargs))


# Without an authorisation ----------------------------------------------------------------------


def test_a_first_viewing_is_initial_research():
    decision = ask(at(2026, 3, 1))
    assert decision.verdict == Verdict.INITIAL_RESEARCH and decision.allowed
    assert "initial research" in decision.reason
    assert "paras 3.10 to 3.17" in decision.citation


SURVEILLANCE_PLAN = TriageFinding(
    "Market Street seller",
    "directed_surveillance",
    ("The aim is to build up a picture of the person.",),
    triage_id=3,
)


def test_a_first_viewing_under_a_plan_found_to_be_directed_surveillance_is_refused():
    decision = ask(at(2026, 3, 1), triages=[SURVEILLANCE_PLAN])
    assert decision.verdict == Verdict.REFUSED and not decision.allowed
    assert decision.refusal == Refusal.TRIAGE_DIRECTED
    assert '"Market Street seller"' in decision.reason
    assert "The aim is to build up a picture of the person." in decision.reason
    assert "RIPA 2000, s.26(2)" in decision.citation


def test_a_plan_that_cannot_be_authorised_refuses_every_viewing_and_says_so():
    finding = TriageFinding("Sub-letting", "cannot_be_authorised", ("Fine only.",))
    decision = ask(at(2026, 3, 1), triages=[finding])
    assert decision.refusal == Refusal.TRIAGE_DIRECTED
    assert "must not take place covertly" in decision.reason


def test_a_plan_triaged_as_no_authorisation_leaves_a_first_look_as_initial_research():
    finding = TriageFinding("First look", "no_authorisation")
    assert ask(at(2026, 3, 1), triages=[finding]).verdict == Verdict.INITIAL_RESEARCH


def test_an_authorisation_in_force_decides_before_the_triage():
    decision = ask(at(2026, 3, 5, 17), authorisations=[ACTIVE], triages=[SURVEILLANCE_PLAN])
    assert decision.verdict == Verdict.AUTHORISED


def test_a_second_viewing_of_the_same_profile_is_blocked():
    earlier = looked(at(2026, 3, 1))
    decision = ask(at(2026, 3, 2), earlier=[earlier])
    assert decision.verdict == Verdict.BLOCKED and not decision.allowed
    assert decision.repeats == (earlier,)
    assert "RIPA 2000, s.26(2)" in decision.citation
    assert "needs an authorisation" in decision.reason


def test_a_look_by_another_officer_counts_and_is_named():
    decision = ask(at(2026, 3, 2), earlier=[looked(at(2026, 3, 1), officer="Oscar Other")])
    assert decision.verdict == Verdict.BLOCKED
    assert "by Oscar Other on Sunday 1 March 2026" in decision.reason


def test_another_profile_of_the_same_subject_is_blocked():
    decision = ask(at(2026, 3, 2), identity=INSTAGRAM, earlier=[looked(at(2026, 3, 1))])
    assert decision.verdict == Verdict.BLOCKED
    assert decision.reason.startswith("Another profile of the same subject")


def test_another_subjects_profile_is_a_first_look():
    decision = ask(
        at(2026, 3, 2),
        identity="facebook:someoneelse",
        subject="someone else",
        earlier=[looked(at(2026, 3, 1))],
    )
    assert decision.verdict == Verdict.INITIAL_RESEARCH


def test_a_numeric_id_tied_by_the_councils_records_is_the_same_profile():
    earlier = [looked(at(2026, 3, 1), subject="the seller")]
    untied = ask(at(2026, 3, 2), identity=NUMBER, subject="unknown", earlier=earlier)
    tied = ask(
        at(2026, 3, 2),
        identity=NUMBER,
        subject="unknown",
        earlier=earlier,
        tied=tied_identities(NUMBER, [{PROFILE, NUMBER}]),
    )
    assert untied.verdict == Verdict.INITIAL_RESEARCH
    assert tied.verdict == Verdict.BLOCKED


def test_every_viewing_already_logged_counts_whatever_its_clock_says():
    # The second of two requests a moment apart may have read the clock before the first was
    # logged: the log's order decides, not the timestamps.
    earlier = looked(at(2026, 3, 1, 10, 0, 1))
    assert ask(at(2026, 3, 1, 10, 0, 0), earlier=[earlier]).verdict == Verdict.BLOCKED


def test_by_default_an_earlier_viewing_counts_for_ever():
    decision = ask(at(2029, 3, 1), earlier=[looked(at(2026, 3, 1))])
    assert decision.verdict == Verdict.BLOCKED


@pytest.mark.parametrize(
    "days_before, verdict",
    [(0, Verdict.BLOCKED), (27, Verdict.BLOCKED), (28, Verdict.INITIAL_RESEARCH)],
)
def test_the_councils_window_counts_days_today_included(days_before, verdict):
    now = at(2026, 4, 30, 9)
    earlier = looked(at(2026, 4, 30, 8) - timedelta(days=days_before))
    decision = ask(now, earlier=[earlier], window_days=28)
    assert decision.verdict == verdict
    if verdict == Verdict.BLOCKED:
        assert "in the last 28 days" in decision.reason


def test_a_one_day_window_blocks_only_the_same_day():
    earlier = [looked(at(2026, 4, 29, 23, 59))]
    assert (
        ask(at(2026, 4, 30, 0, 0), earlier=earlier, window_days=1).verdict
        == Verdict.INITIAL_RESEARCH
    )
    assert (
        ask(at(2026, 4, 29, 23, 59, 30), earlier=earlier, window_days=1).verdict == Verdict.BLOCKED
    )


def test_a_window_shorter_than_a_day_is_a_mistake():
    with pytest.raises(ValueError, match="at least 1 day"):
        ask(at(2026, 4, 30), window_days=0)


def test_window_start():
    assert window_start(date(2026, 4, 30), 28) == date(2026, 4, 3)
    assert window_start(date(2026, 4, 30), None) is None


# With an authorisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "now, verdict, refusal",
    [
        (at(2026, 3, 4, 23, 59, 59), Verdict.REFUSED, Refusal.BEFORE_EFFECT),
        (at(2026, 3, 5, 0, 0, 0), Verdict.AUTHORISED, None),
        (at(2026, 4, 20), Verdict.AUTHORISED, None),
        (at(2026, 6, 4, 23, 59, 59), Verdict.AUTHORISED, None),
        (at(2026, 6, 5, 0, 0, 0), Verdict.REFUSED, Refusal.AFTER_LAST_DAY),
        (at(2026, 9, 1), Verdict.REFUSED, Refusal.AFTER_LAST_DAY),
    ],
)
def test_an_authorisation_has_effect_from_its_first_day_to_the_end_of_its_last(
    now, verdict, refusal
):
    decision = ask(now, earlier=[looked(at(2026, 3, 1))], authorisations=[ACTIVE])
    assert decision.verdict == verdict
    assert decision.refusal == refusal
    assert decision.urn == "RIPA/2026/0001"


def test_the_last_day_ends_at_midnight_in_london_not_in_utc():
    # 4 June is in British Summer Time: 23:59:59 there is 22:59:59 UTC.
    inside = datetime(2026, 6, 4, 22, 59, 59, tzinfo=UTC)
    outside = datetime(2026, 6, 4, 23, 0, 0, tzinfo=UTC)
    assert ask(inside, authorisations=[ACTIVE]).verdict == Verdict.AUTHORISED
    assert ask(outside, authorisations=[ACTIVE]).refusal == Refusal.AFTER_LAST_DAY


def test_allowed_under_an_authorisation_says_until_when_and_why():
    decision = ask(at(2026, 4, 20), authorisations=[ACTIVE])
    assert "covered by authorisation RIPA/2026/0001" in decision.reason
    assert "has effect until 23:59 on Thursday 4 June 2026" in decision.reason
    assert decision.citation == "RIPA 2000, s.27(1), s.32A(2) and s.43(3)(c)"
    assert decision.authorisation.application_id == 7


def test_after_the_last_day_the_refusal_cites_section_43():
    decision = ask(at(2026, 6, 5, 0, 0), authorisations=[ACTIVE])
    assert decision.citation == "RIPA 2000, s.43(3)(c)"
    assert "ceased to have effect at the end of Thursday 4 June 2026" in decision.reason


def test_before_it_takes_effect_the_refusal_cites_section_32a():
    decision = ask(at(2026, 3, 4, 23, 59, 59), authorisations=[ACTIVE])
    assert decision.citation == "RIPA 2000, s.32A(2)"
    assert "takes effect on Thursday 5 March 2026" in decision.reason


CANCELLED = Authorisation(
    "RIPA/2026/0001",
    "cancelled",
    date(2026, 3, 5),
    date(2026, 6, 4),
    date(2026, 4, 10),
    frozenset({PROFILE}),
)


@pytest.mark.parametrize(
    "now, verdict",
    [
        (at(2026, 4, 9, 23, 59, 59), Verdict.AUTHORISED),
        (at(2026, 4, 10, 0, 0, 0), Verdict.REFUSED),
        (at(2026, 4, 10, 17, 0), Verdict.REFUSED),
        (at(2026, 5, 1), Verdict.REFUSED),
    ],
)
def test_no_viewing_under_it_on_or_after_the_day_of_cancellation(now, verdict):
    decision = ask(now, authorisations=[CANCELLED])
    assert decision.verdict == verdict
    if verdict == Verdict.REFUSED:
        assert decision.refusal == Refusal.CANCELLED
        assert decision.citation == "RIPA 2000, s.45(1)"
        assert "cancelled on Friday 10 April 2026" in decision.reason


def test_a_profile_it_does_not_cover_is_refused_while_it_has_effect():
    decision = ask(
        at(2026, 4, 20),
        identity="facebook:someoneelse",
        subject="someone else",
        authorisations=[ACTIVE],
    )
    assert decision.verdict == Verdict.REFUSED and decision.refusal == Refusal.NOT_COVERED
    assert decision.citation == "RIPA 2000, s.27(1) and s.28(4)"
    assert "not one of the profiles it covers" in decision.reason


def test_a_tie_never_widens_what_an_authorisation_covers():
    decision = ask(
        at(2026, 4, 20),
        identity=NUMBER,
        tied=frozenset({NUMBER, "facebook:other"}),
        authorisations=[ACTIVE],
    )
    assert decision.refusal == Refusal.NOT_COVERED
    # Not even a tie to a covered profile: only what the authorising officer approved is covered.
    tied = ask(
        at(2026, 4, 20), identity=NUMBER, tied=frozenset({NUMBER, PROFILE}), authorisations=[ACTIVE]
    )
    assert tied.refusal == Refusal.NOT_COVERED


def test_awaiting_the_magistrate_a_covered_profile_is_refused_even_on_a_first_look():
    waiting = Authorisation(
        "RIPA/2026/0002", "awaiting_court", None, None, None, frozenset({PROFILE})
    )
    decision = ask(at(2026, 3, 3), authorisations=[waiting])
    assert decision.refusal == Refusal.AWAITING_COURT
    assert "no effect until a magistrate approves it" in decision.reason
    assert decision.citation == "RIPA 2000, s.32A(2)"


@pytest.mark.parametrize("status", ["court_refused", "quashed"])
def test_an_authorisation_the_magistrate_did_not_approve_covers_nothing(status):
    refused = Authorisation("RIPA/2026/0003", status, None, None, None, frozenset({PROFILE}))
    decision = ask(at(2026, 3, 3), authorisations=[refused])
    assert decision.refusal == Refusal.COURT_REFUSED


def test_a_new_authorisation_covers_what_an_ended_one_did():
    renewed_by_fresh_application = Authorisation(
        "RIPA/2026/0009", "active", date(2026, 6, 10), date(2026, 9, 9), None, frozenset({PROFILE})
    )
    decision = ask(at(2026, 6, 11), authorisations=[ACTIVE, renewed_by_fresh_application])
    assert decision.verdict == Verdict.AUTHORISED and decision.urn == "RIPA/2026/0009"


def test_between_two_authorisations_the_covered_profile_is_refused():
    later = Authorisation(
        "RIPA/2026/0009", "active", date(2026, 6, 10), date(2026, 9, 9), None, frozenset({PROFILE})
    )
    decision = ask(at(2026, 6, 7), authorisations=[ACTIVE, later])
    assert decision.verdict == Verdict.REFUSED and decision.urn == "RIPA/2026/0009"
    assert decision.refusal == Refusal.BEFORE_EFFECT


def test_after_an_authorisation_ends_an_uncovered_profile_follows_the_rules_without_one():
    first = ask(
        at(2026, 7, 1), identity="facebook:supplier", subject="supplier", authorisations=[ACTIVE]
    )
    again = ask(
        at(2026, 7, 2),
        identity="facebook:supplier",
        subject="supplier",
        authorisations=[ACTIVE],
        earlier=[looked(at(2026, 7, 1), identity="facebook:supplier", subject="supplier")],
    )
    assert first.verdict == Verdict.INITIAL_RESEARCH
    assert again.verdict == Verdict.BLOCKED


# Naming things ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["TS/2026/0412", "ts 2026 0412", "TS-2026-0412", " ts_2026.0412 "]
)
def test_case_references_are_compared_without_case_or_punctuation(typed):
    assert reference_key(typed) == "TS20260412"


def test_subjects_are_compared_without_case_punctuation_or_spacing():
    assert subject_key("Bargain  Bags (trading name)") == subject_key("bargain bags: trading-name")
    assert subject_key("Bargain Bags") != subject_key("Bargain Bag")


def test_ties_join_the_groups_a_profile_is_in():
    groups = [{PROFILE, NUMBER}, {INSTAGRAM}, {NUMBER, "x:bargainbags"}]
    assert tied_identities(NUMBER, groups) == {PROFILE, NUMBER, "x:bargainbags"}
    assert tied_identities("tiktok:other", groups) == {"tiktok:other"}


@pytest.mark.parametrize(
    "officers, investigations, unauthorised, signs",
    [
        (1, 1, 1, []),
        (3, 1, 3, ["Viewed without authorisation by 3 officers"]),
        (1, 2, 2, ["Viewed without authorisation for 2 investigations"]),
        (2, 2, 1, []),
    ],
)
def test_signs_of_monitoring(officers, investigations, unauthorised, signs):
    assert monitoring_signs(officers, investigations, unauthorised) == signs


# What the gate needs to read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identity", "day", "reads"),
    [
        (PROFILE, date(2026, 3, 10), False),  # covered and in effect: authorised
        (PROFILE, date(2026, 6, 5), False),  # covered, ended: refused as outside it
        ("x:someoneelse", date(2026, 3, 10), False),  # another profile while it has effect
        ("x:someoneelse", date(2026, 6, 5), True),  # no authorisation bears on it: repeats
    ],
)
def test_the_earlier_log_is_read_only_when_no_authorisation_decides(identity, day, reads):
    earlier = [looked(at(2026, 3, 1), identity=identity)]
    now = at(day.year, day.month, day.day)
    assert reads_earlier(identity, [ACTIVE], day) is reads
    if not reads:
        assert ask(now, identity, earlier=earlier, authorisations=[ACTIVE]) == ask(
            now, identity, earlier=[], authorisations=[ACTIVE]
        )
    else:
        assert (
            ask(now, identity, earlier=earlier, authorisations=[ACTIVE]).verdict == Verdict.BLOCKED
        )


# Renewals (RIPA s.43(9)(b) and (c)) --------------------------------------------------------------

#: Granted 5 March 2026 (last day 4 June); renewed, the JP approving on 28 May, so the renewal
#: takes effect on 4 June itself and runs to 3 September 2026.
RENEWED_IN_TIME = Authorisation(
    "RIPA/2026/0001",
    "active",
    date(2026, 3, 5),
    date(2026, 9, 3),
    None,
    frozenset({PROFILE}),
    periods=((date(2026, 3, 5), date(2026, 6, 4)), (date(2026, 6, 4), date(2026, 9, 3))),
)

#: The same, but the JP approved the renewal only on 10 June: it runs 10 June to 9 September.
RENEWED_LATE = Authorisation(
    "RIPA/2026/0001",
    "active",
    date(2026, 3, 5),
    date(2026, 9, 9),
    None,
    frozenset({PROFILE}),
    periods=((date(2026, 3, 5), date(2026, 6, 4)), (date(2026, 6, 10), date(2026, 9, 9))),
)


@pytest.mark.parametrize(
    "now, verdict",
    [
        (at(2026, 6, 4, 12), Verdict.AUTHORISED),
        (at(2026, 9, 3, 23, 59, 59), Verdict.AUTHORISED),
        # The renewal began with 4 June, so it ends on 3 September, not 4 September.
        (at(2026, 9, 4, 0, 0, 0), Verdict.REFUSED),
    ],
)
def test_a_renewal_ends_three_months_from_the_last_day_it_renewed(now, verdict):
    decision = ask(now, authorisations=[RENEWED_IN_TIME])
    assert decision.verdict == verdict
    if verdict == Verdict.REFUSED:
        assert decision.refusal == Refusal.AFTER_LAST_DAY


@pytest.mark.parametrize("day", [date(2026, 6, 5), date(2026, 6, 7), date(2026, 6, 9)])
def test_days_between_the_last_day_and_a_late_court_approval_are_refused(day):
    decision = ask(at(day.year, day.month, day.day, 12), authorisations=[RENEWED_LATE])
    assert decision.verdict == Verdict.REFUSED
    assert decision.refusal == Refusal.BETWEEN_PERIODS
    assert decision.citation == "RIPA 2000, s.43(3)(c) and s.43(9)(c)"
    assert "ceased to have effect at the end of Thursday 4 June 2026" in decision.reason
    assert "took effect only on Wednesday 10 June 2026" in decision.reason


@pytest.mark.parametrize("day", [date(2026, 6, 4), date(2026, 6, 10), date(2026, 9, 9)])
def test_either_side_of_the_gap_the_viewing_is_authorised(day):
    decision = ask(at(day.year, day.month, day.day, 12), authorisations=[RENEWED_LATE])
    assert decision.verdict == Verdict.AUTHORISED


# Rule 7: a look already taken under another investigation -------------------------------------


def _first_look(now: datetime):
    decision = decide(Request(identity=PROFILE, subject=SUBJECT, now=now))
    assert decision.verdict == Verdict.INITIAL_RESEARCH
    return decision


def test_a_first_look_at_a_profile_seen_under_another_investigation_is_held():
    now = at(2026, 3, 2)
    held = across_investigations(_first_look(now), [looked(at(2026, 3, 1))], None, now.date())
    assert held.verdict == Verdict.HELD and not held.allowed
    assert "coordinator must confirm" in held.reason
    assert "Olive Officer" not in held.reason  # nothing of the other investigation
    assert "s.26(2) and s.26(10)" in held.citation and "3.10 to 3.17" in held.citation


def test_a_separate_matter_goes_ahead_as_initial_research():
    now = at(2026, 3, 2)
    first = _first_look(now)
    ruled = across_investigations(
        first, [looked(at(2026, 3, 1))], Ruling.SEPARATE_MATTER, now.date()
    )
    assert ruled is first


def test_a_look_elsewhere_outside_the_window_does_not_hold():
    now = at(2026, 3, 31)
    first = _first_look(now)
    old = [looked(at(2026, 3, 1))]
    assert across_investigations(first, old, None, now.date(), window_days=30) is first
    assert across_investigations(first, old, None, now.date(), window_days=31).verdict == (
        Verdict.HELD
    )


def test_only_a_first_look_can_be_held_a_blocked_or_authorised_one_is_decided_already():
    now = at(2026, 3, 2)
    blocked = decide(
        Request(identity=PROFILE, subject=SUBJECT, now=now, earlier=[looked(at(2026, 3, 1))])
    )
    assert across_investigations(blocked, [looked(at(2026, 3, 1))], None, now.date()) is blocked
