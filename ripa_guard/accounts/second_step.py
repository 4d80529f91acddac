"""The second step of signing in: a code from an authenticator app (TOTP, RFC 6238), its
secret sealed at rest (sealing.py), who must have one, setting it up and removing it.

Issue 17; OWASP ASVS 5.0 V6.3.3 (multi-factor authentication at Level 2), V6.5.1 (a TOTP is
usable once), V6.5.3 (seeds from a CSPRNG). Sign-in itself, its counts and lock-out are in
sign_in.py.
"""

from __future__ import annotations

from flask import current_app

from ripa_guard.accounts import recovery_codes, sealing, totp
from ripa_guard.accounts.models import Role, User, UserSecurity
from ripa_guard.accounts.sessions import end_sessions, keep_this_session
from ripa_guard.core import audit, clock, db

#: The roles that must use a second step while REQUIRE_TOTP_FOR_DECIDERS is on (issue 17).
SECOND_STEP_ROLES = (Role.AUTHORISING_OFFICER, Role.SRO, Role.COORDINATOR, Role.INSPECTOR)


def security_of(user: User) -> UserSecurity | None:
    return db.session().get(UserSecurity, user.id)


def _security(user: User) -> UserSecurity:
    row = security_of(user)
    if row is None:
        row = UserSecurity(user_id=user.id)
        db.session().add(row)
    return row


def has_second_step(user: User | None) -> bool:
    row = security_of(user) if user is not None else None
    return row is not None and row.has_totp


def check_code(user: User, code: str, sealed: str | None = None) -> bool:
    """A code from the person's app, never one already used."""
    row = _security(user)
    sealed = sealed or row.totp_secret
    if not sealed:
        return False
    step = totp.matching_step(sealing.unseal(sealed), code, clock.now().timestamp())
    if step is None or (row.totp_last_step is not None and step <= row.totp_last_step):
        return False
    row.totp_last_step = step
    return True


def start_enrolment(user: User) -> str:
    """A new secret for the set-up page, kept (sealed) until a code from the app confirms it."""
    row = _security(user)
    if row.totp_pending_secret is None:
        row.totp_pending_secret = sealing.seal(totp.new_secret())
        db.session().commit()
    return sealing.unseal(row.totp_pending_secret)


def confirm_enrolment(user: User, code: str) -> bool:
    """The new secret replaces any earlier one once the app shows it a right code."""
    row = _security(user)
    if row.totp_pending_secret is None or not check_code(user, code, row.totp_pending_secret):
        db.session().commit()  # what the check recorded is kept, though the code was wrong
        return False
    replaced = row.totp_secret is not None
    row.totp_secret, row.totp_pending_secret = row.totp_pending_secret, None
    row.totp_enrolled_at = clock.now()
    action = "user.two_step_changed" if replaced else "user.two_step_set_up"
    audit.record(db.session(), user, action, "user", user.id)
    end_sessions(db.session(), user)
    db.session().commit()
    keep_this_session(user)
    return True


def must_use_second_step(user: User) -> bool:
    """Whether this person's roles need a second step (issue 17; ASVS 5.0 V6.3.3, multi-factor
    authentication at Level 2), unless the council's single sign-on does that instead."""
    return bool(current_app.config["REQUIRE_TOTP_FOR_DECIDERS"]) and user.has_role(
        *SECOND_STEP_ROLES
    )


def must_set_up_two_step(user: User) -> bool:
    return must_use_second_step(user) and not has_second_step(user)


def remove_second_step(user: User, actor: User | None, **detail) -> None:
    """The person's own second step removed (their role allowing), or by the SRO (or IT, with
    `ripa-guard reset-two-step`: no actor) for someone who has lost their phone; its recovery
    codes go with it, and every other session of the account ends."""
    row = _security(user)
    row.totp_secret = row.totp_pending_secret = row.totp_last_step = None
    row.totp_enrolled_at = None
    recovery_codes.remove_codes(db.session(), user)
    audit.record(db.session(), actor, "user.two_step_removed", "user", user.id, **detail)
    end_sessions(db.session(), user)
    db.session().commit()
    if actor is not None and actor.id == user.id:
        keep_this_session(user)
