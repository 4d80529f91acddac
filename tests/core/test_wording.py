"""The small pieces of English pages share: plurals, "a" or "an", sources cited once."""

from __future__ import annotations

from ripa_guard.core.wording import cited_once, event_words, plural, with_article


def test_one_is_singular_and_every_other_number_plural():
    assert plural(1, "recommendation") == "1 recommendation"
    assert plural(0, "recommendation") == "0 recommendations"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"


def test_platform_names_take_the_article_they_are_read_with():
    assert with_article("Instagram") == "an Instagram"
    assert with_article("eBay") == "an eBay"
    assert with_article("X (Twitter)") == "an X (Twitter)"
    assert with_article("Facebook") == "a Facebook"
    assert with_article("YouTube") == "a YouTube"


def test_each_source_is_cited_once_after_the_last_reason_relying_on_it():
    reasons = [
        {"text": "Directed at a person.", "citation": "Code para 3.14"},
        {"text": "Repeated viewing.", "citation": "Code para 3.14"},
        {"text": "Private information.", "citation": "RIPA s.26(10)"},
    ]
    assert [r["citation"] for r in cited_once(reasons)] == ["", "Code para 3.14", "RIPA s.26(10)"]
    assert [r["text"] for r in cited_once(reasons)] == [r["text"] for r in reasons]


def test_the_coordinator_recorded_the_courts_decision_rather_than_approved_it():
    assert event_words("court.approved") == "recorded the magistrate's approval"
    assert event_words("renewal.court_refused").startswith("recorded")
    assert event_words("application.submitted") == "submitted"
