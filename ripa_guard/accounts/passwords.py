"""Rules for a password a person chooses, after the NCSC's password guidance: a minimum length,
a deny-list of the commonest passwords, and nothing else (no composition rules, no expiry).

Source: NCSC, "Password administration for system owners" (2018): "Encourage users to choose
long passwords ... do not impose complexity requirements ... use a deny list of the most common
password choices ... do not enforce regular password expiry."
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DENY_LIST = Path(__file__).parent / "data" / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = DENY_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _variants(password: str) -> set[str]:
    """The password as the deny-list is written: lower case, and without its spaces."""
    lowered = password.casefold().strip()
    return {lowered, re.sub(r"\s+", "", lowered), re.sub(r"\s+", " ", lowered)}


def problem(password: str, min_length: int, personal: tuple[str, ...] = ()) -> str | None:
    """Why this password must not be chosen, in GOV.UK words; None when it may."""
    if len(password) < min_length:
        return f"Enter a password of at least {min_length} characters"
    variants = _variants(password)
    if variants & common_passwords():
        return (
            "Choose a password that is harder to guess: this one is on a list of common passwords"
        )
    own = {p.casefold().strip() for p in personal if p and len(p.strip()) >= 4}
    if own & variants:
        return "Choose a password that is not your name or email address"
    return None
