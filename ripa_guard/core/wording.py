"""Small pieces of English every page needs: plurals, "a" or "an", and sources cited once."""

from __future__ import annotations

#: Names read aloud with a vowel sound although they start with a consonant ("an X (Twitter)").
_VOWEL_SOUND = ("X ", "X(", "SMS", "MP ")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 recommendation', '2 recommendations', '0 entries' (given 'entries')."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def with_article(word: str) -> str:
    """'an Instagram', 'a Facebook', 'an eBay', 'an X (Twitter)'."""
    text = word.strip()
    vowel = text[:1].lower() in "aeiou" or text.startswith(_VOWEL_SOUND) or text == "X"
    return f"{'an' if vowel else 'a'} {text}"


def cited_once(reasons: list[dict]) -> list[dict]:
    """The reasons, each source cited once: after the last reason that relies on it, so a
    list where every reason shares one source ends with it instead of repeating it."""
    last = {r.get("citation"): n for n, r in enumerate(reasons) if r.get("citation")}
    return [
        {
            "text": r.get("text", ""),
            "citation": r.get("citation") if last.get(r.get("citation")) == n else "",
        }
        for n, r in enumerate(reasons)
    ]


#: What the audit trail's actions mean when the person recorded someone else's decision.
RECORDED = {
    "court.approved": "recorded the magistrate's approval",
    "court.refused": "recorded the magistrate's refusal to approve",
    "court.quashed": "recorded that the magistrate quashed the authorisation",
    "renewal.court_approved": "recorded the magistrate's approval of the renewal",
    "renewal.court_refused": "recorded the magistrate's refusal to approve the renewal",
    "renewal.court_quashed": "recorded that the magistrate quashed the renewal",
}


def event_words(action: str) -> str:
    """An audit action in words: the coordinator 'recorded' the court's decision; the rest
    from the action's name ('application.submitted': 'submitted')."""
    return RECORDED.get(action) or action.split(".")[-1].replace("_", " ")
