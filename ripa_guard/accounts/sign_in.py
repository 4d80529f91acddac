"""Sign-in security: throttling, lock-out after repeated failures, session time-outs, and the
second factor (TOTP) that authorising officers and the SRO can be made to use.

Throttling is Flask-Limiter's, counted in RATELIMIT_STORAGE_URI (Redis when several app servers
run). The lock-out of a known account is kept in the database (user_security), so every server
sees it; failures for an unknown email address are counted by the limiter instead, so that a
locked-out address looks the same whether or not it has an account.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from limits import parse
from sqlalchemy import select

from ripa_guard.accounts import totp
from ripa_guard.accounts.models import User, UserSecurity
from ripa_guard.accounts.sessions import GENERATION, end_sessions, keep_this_session
from ripa_guard.core import audit, clock, db

LOCKED = (
    "There have been too many attempts to sign in with this email address. Wait "
    "{minutes} minutes, then try again. If you have forgotten your password, ask your senior "
    "responsible officer to reset it."
)
THROTTLED = "There have been too many attempts to sign in. Wait a minute, then try again."
IDLE = "You have been signed out because you had not used the service for {minutes} minutes"
TOO_LONG = "You have been signed out because you signed in more than {hours} hours ago"
#: Pages a signed-in person may reach before setting up a second factor they must have.
_BEFORE_TWO_STEP = {
    "auth.two_step",
    "auth.change_password",
    "auth.sign_out",
    "govuk_assets",
    "static",
}
#: How long the second step of sign-in waits for its code.
PENDING_SECONDS = 300


def init_app(app: Flask) -> None:
    limiter = Limiter(key_func=get_remote_address, app=app, headers_enabled=False)
    app.extensions["ripa_guard.limiter"] = limiter
    app.register_error_handler(429, _too_many)
    app.before_request(_enforce_session_times)
    app.before_request(_require_two_step)


def limiter() -> Limiter:
    return current_app.extensions["ripa_guard.limiter"]


def throttle(app: Flask, endpoint: str, account=None, scope: str = "sign-in") -> None:
    """Limit POSTs to `endpoint` per client address and per account: the email address typed,
    or what `account()` names (the signed-in person, when they change their password)."""
    account = account or _email_typed
    limits = app.extensions["ripa_guard.limiter"]
    view = app.view_functions[endpoint]
    view = limits.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
        key_func=account,
        # Without an email address the form fails anyway, and there is nothing to count by.
        exempt_when=lambda: not account(),
        methods=["POST"],
        scope=f"{scope}-account",
    )(view)
    view = limits.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_IP"], methods=["POST"], scope=f"{scope}-ip"
    )(view)
    app.view_functions[endpoint] = view


def signed_in_account() -> str:
    return f"user-{current_user.id}" if current_user.is_authenticated else ""


def _email_typed() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _too_many(error):
    return render_template(
        "errors/error.html", code=429, title="Too many attempts", detail=THROTTLED
    ), 429


# Lock-out --------------------------------------------------------------------------------------


def _failure_limit():
    config = current_app.config
    return parse(f"{config['LOCKOUT_FAILURES']} per {config['LOCKOUT_WINDOW_MINUTES']} minutes")


def _security(user: User) -> UserSecurity:
    s = db.session()
    row = s.get(UserSecurity, user.id)
    if row is None:
        row = UserSecurity(user_id=user.id, failed_sign_ins=0)
        s.add(row)
    return row


def security_of(user: User) -> UserSecurity | None:
    return db.session().get(UserSecurity, user.id)


def _aware(moment: datetime | None) -> datetime | None:
    from datetime import UTC

    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def user_by_email(email: str) -> User | None:
    return db.session().scalar(select(User).where(User.email == email.strip().lower()))


def locked_message(email: str) -> str | None:
    """The lock-out message if this email address may not try to sign in now, else None."""
    user = user_by_email(email)
    minutes = current_app.config["LOCKOUT_MINUTES"]
    if user is not None:
        row = security_of(user)
        until = _aware(row.locked_until) if row else None
        if until is not None and until > clock.now():
            audit.record(db.session(), None, "user.sign_in_refused_locked", "user", user.id)
            db.session().commit()
            return LOCKED.format(minutes=minutes)
        return None
    if not limiter().limiter.test(_failure_limit(), "sign-in-failures", _key(email)):
        return LOCKED.format(minutes=minutes)
    return None


def _key(email: str) -> str:
    return email.strip().lower()[:254]


def record_failure(email: str, user: User | None = None) -> None:
    """Count a failed sign-in; lock the account once there are too many within the window."""
    user = user or user_by_email(email)
    s = db.session()
    if user is None:
        limiter().limiter.hit(_failure_limit(), "sign-in-failures", _key(email))
        audit.record(s, None, "user.sign_in_failed", "user", None)
        s.commit()
        return
    config = current_app.config
    now = clock.now()
    row = _security(user)
    first = _aware(row.first_failed_at)
    if first is None or now - first > timedelta(minutes=config["LOCKOUT_WINDOW_MINUTES"]):
        row.failed_sign_ins, row.first_failed_at = 0, now
    row.failed_sign_ins += 1
    audit.record(s, None, "user.sign_in_failed", "user", user.id, failures=row.failed_sign_ins)
    if row.failed_sign_ins >= config["LOCKOUT_FAILURES"]:
        row.locked_until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
        row.failed_sign_ins, row.first_failed_at = 0, None
        audit.record(
            s, None, "user.locked_out", "user", user.id, until=row.locked_until.isoformat()
        )
    s.commit()


def is_locked(user: User) -> bool:
    row = security_of(user)
    until = _aware(row.locked_until) if row else None
    return until is not None and until > clock.now()


def _clear_failures(user: User) -> None:
    row = security_of(user)
    if row is not None:
        row.failed_sign_ins, row.first_failed_at, row.locked_until = 0, None, None


# Signing in ------------------------------------------------------------------------------------


def password_accepted(user: User, next_url: str):
    """After the password: straight in, or on to the second step when the account has one."""
    row = security_of(user)
    if row is not None and row.has_totp:
        session.clear()
        session["pending_user_id"] = user.id
        session["pending_generation"] = user.session_generation
        session["pending_since"] = clock.now().timestamp()
        session["pending_next"] = next_url
        return redirect(url_for("auth.second_step"))
    return complete(user, next_url)


def complete(user: User, next_url: str, second_factor: bool = False):
    """Start the session: a fresh one, with the times its time-outs count from."""
    _clear_failures(user)
    session.clear()
    login_user(user)
    session[GENERATION] = user.session_generation
    moment = clock.now().timestamp()
    session["signed_in_at"] = session["last_seen"] = moment
    audit.record(db.session(), user, "user.signed_in", "user", user.id, second_factor=second_factor)
    db.session().commit()
    return redirect(next_url)


def pending_user() -> User | None:
    """The person between their password and their code, while the second step waits."""
    user_id, since = session.get("pending_user_id"), session.get("pending_since")
    if user_id is None or since is None:
        return None
    if clock.now().timestamp() - since > PENDING_SECONDS:
        session.clear()
        return None
    user = db.session().get(User, user_id)
    if user is None or not user.active:
        return None
    return user if session.get("pending_generation") == user.session_generation else None


def check_code(user: User, code: str, secret: str | None = None) -> bool:
    """A code from the person's app, never one already used."""
    row = _security(user)
    secret = secret or row.totp_secret
    if not secret:
        return False
    step = totp.matching_step(secret, code, clock.now().timestamp())
    if step is None or (row.totp_last_step is not None and step <= row.totp_last_step):
        return False
    row.totp_last_step = step
    return True


def start_enrolment(user: User) -> str:
    """A new secret for the set-up page, kept until a code from the app confirms it."""
    row = _security(user)
    if row.totp_pending_secret is None:
        row.totp_pending_secret = totp.new_secret()
        db.session().commit()
    return row.totp_pending_secret


def confirm_enrolment(user: User, code: str) -> bool:
    row = _security(user)
    if row.totp_pending_secret is None or not check_code(user, code, row.totp_pending_secret):
        db.session().commit()  # what the check recorded is kept, though the code was wrong
        return False
    row.totp_secret, row.totp_pending_secret = row.totp_pending_secret, None
    row.totp_enrolled_at = clock.now()
    audit.record(db.session(), user, "user.two_step_set_up", "user", user.id)
    end_sessions(db.session(), user)
    db.session().commit()
    keep_this_session(user)
    return True


def must_set_up_two_step(user: User) -> bool:
    if not (current_app.config["REQUIRE_TOTP_FOR_DECIDERS"] and user.can_decide):
        return False
    row = security_of(user)
    return row is None or not row.has_totp


# Before each request ---------------------------------------------------------------------------


def _enforce_session_times():
    """Idle and absolute time-outs, from the times kept in the (signed) session."""
    if request.endpoint in {"static", "govuk_assets"} or request.blueprint == "api":
        return None
    if not current_user.is_authenticated:
        return None
    config = current_app.config
    now = clock.now().timestamp()
    started, seen = session.get("signed_in_at"), session.get("last_seen")
    problem = None
    if started is None or seen is None:
        problem = "Sign in to continue"
    elif now - started > config["SESSION_ABSOLUTE_MINUTES"] * 60:
        problem = TOO_LONG.format(hours=round(config["SESSION_ABSOLUTE_MINUTES"] / 60))
    elif now - seen > config["SESSION_IDLE_MINUTES"] * 60:
        problem = IDLE.format(minutes=config["SESSION_IDLE_MINUTES"])
    if problem is None:
        session["last_seen"] = now
        return None
    user = current_user._get_current_object()
    logout_user()
    session.clear()
    audit.record(db.session(), user, "user.session_timed_out", "user", user.id)
    db.session().commit()
    flash(problem, "info")
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=target.rstrip("?") if target else None))


def _require_two_step():
    if (
        current_user.is_authenticated
        and request.endpoint not in _BEFORE_TWO_STEP
        and request.blueprint != "api"
        and must_set_up_two_step(current_user)
    ):
        flash("Set up a second step for signing in before you continue", "info")
        return redirect(url_for("auth.two_step"))
    return None
