"""Sign-in security: throttling, lock-out after repeated failures, session time-outs, and the
second factor (TOTP) that authorising officers and the SRO can be made to use.

Throttling of requests is Flask-Limiter's, counted in RATELIMIT_STORAGE_URI (Redis when
several app servers run). Failed sign-ins are counted in the database (lockout.py), by account
and by client address, so that every server sees them and gives the same answer whether the
address is unknown, the password wrong or the account locked.
"""

from __future__ import annotations

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
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ripa_guard.accounts import lockout, recovery_codes, second_step, sessions
from ripa_guard.accounts.models import User
from ripa_guard.accounts.sessions import GENERATION
from ripa_guard.core import audit, clock, db

#: One answer for an unknown address, a wrong password and a locked account (issue 17, item 6).
REFUSED = (
    "Enter a correct email address and password. After {failures} attempts that fail, wait "
    "{minutes} minutes before you try again"
)
#: One answer for a wrong code and a second step locked by wrong codes.
WRONG_CODE = (
    "Enter the code your authenticator app shows now. After {failures} codes that are not "
    "right, wait {minutes} minutes, then sign in again"
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
#: When the person last gave their password: at sign-in, or again to change their second step.
PASSWORD_CHECKED_AT = "password_checked_at"  # noqa: S105 (a session key)
#: How long the second step of sign-in waits for its code.
PENDING_SECONDS = 300
#: The session's "last seen" time is rewritten at most this often, so that most pages send no
#: new cookie (issue 19). The idle time-out counts from it, so a session may end up to this much
#: sooner than SESSION_IDLE_MINUTES after its last use: never later.
LAST_SEEN_EVERY_SECONDS = 60


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


# Lock-out (lockout.py counts; this decides) -------------------------------------------------


def user_by_email(email: str) -> User | None:
    return db.session().scalar(select(User).where(User.email == email.strip().lower()))


def refused_message() -> str:
    config = current_app.config
    return REFUSED.format(
        failures=config["LOCKOUT_FAILURES"], minutes=config["LOCKOUT_WINDOW_MINUTES"]
    )


def wrong_code_message() -> str:
    config = current_app.config
    return WRONG_CODE.format(
        failures=config["LOCKOUT_FAILURES"], minutes=config["LOCKOUT_WINDOW_MINUTES"]
    )


# Checked against a real hash when the e-mail is unknown, so the time taken does not tell
# which part of the sign-in was wrong.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


def password_matches(user: User | None, password: str) -> bool:
    """The password of this active account; a hash is checked even when there is no account,
    so the time taken does not tell an unknown address from a wrong password."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(user.password_hash, password) and user.active


def try_password(email: str, password: str) -> User | None:
    """The account, if this password may sign in to it now; None, with the failure counted.

    An unknown address, a wrong password and a locked account take the same steps (the
    password is always hashed) and get the same answer, on every app server. A lock-out aimed
    at an account by strangers does not keep out its owner where the account has a second
    step: the right password leads on to the code, which has its own count (try_code).
    """
    s, now, config = db.session(), clock.now(), current_app.config
    failures = lockout.counted(s, email, lockout.PASSWORD, now)
    user = user_by_email(email)
    right = password_matches(user, password) and not _one_time_password_spent(user, now)
    # Read whether or not the password was right, so a right one takes no longer to refuse.
    has_code = second_step.has_second_step(user)
    locked = failures.account >= config["LOCKOUT_FAILURES"]
    if (
        right
        and failures.source < config["LOCKOUT_SOURCE_FAILURES"]
        and (not locked or (has_code and failures.account < config["LOCKOUT_CEILING"]))
    ):
        return user
    _count_failure(s, email, lockout.PASSWORD, user, failures, now)
    return None


def try_code(user: User, code: str) -> bool:
    """The second step: a right code, unless too many wrong ones were tried for this account or
    from this address. Wrong codes come from someone who knew the password: no way round."""
    s, now, config = db.session(), clock.now(), current_app.config
    failures = lockout.counted(s, user.email, lockout.CODE, now)
    if (
        failures.account < config["LOCKOUT_FAILURES"]
        and failures.source < config["LOCKOUT_SOURCE_FAILURES"]
        and _right_code(s, user, code, now)
    ):
        return True
    _count_failure(s, user.email, lockout.CODE, user, failures, now)
    return False


def _right_code(s, user: User, code: str, now) -> bool:
    """The app's code, or an unused recovery code in its place."""
    if recovery_codes.looks_like_one(code):
        return recovery_codes.use_code(s, user, code, now)
    return second_step.check_code(user, code)


def check_current_password(user: User, password: str) -> bool:
    """A password typed again by the signed-in person (to change it, or their second step):
    counted like signing in (ASVS 5.0 V6.3.1), so a session in the wrong hands cannot be used
    to guess it."""
    return try_password(user.email, password) is not None


def is_locked(user: User) -> bool:
    """Too many failed passwords for this account within the window."""
    failures = lockout.counted(db.session(), user.email, lockout.PASSWORD, clock.now())
    return failures.account >= current_app.config["LOCKOUT_FAILURES"]


def _one_time_password_spent(user: User, now) -> bool:
    """A one-time password past its day stops working: the SRO issues another."""
    until = user.one_time_password_until if user.must_change_password else None
    return until is not None and until <= now


def _count_failure(s, email: str, step: str, user: User | None, before, now) -> None:
    config = current_app.config
    lockout.record(s, email, step, now)
    user_id = user.id if user is not None else None
    if before.source >= config["LOCKOUT_SOURCE_FAILURES"]:
        action = "user.sign_in_refused_source"
    elif before.account >= config["LOCKOUT_FAILURES"]:
        action = "user.sign_in_refused_locked"
    else:
        action = "user.sign_in_failed"
    audit.record(s, None, action, "user", user_id, step=step, failures=before.account + 1)
    if before.account + 1 == config["LOCKOUT_FAILURES"]:
        audit.record(s, None, "user.locked_out", "user", user_id, step=step)
    s.commit()


# Signing in ------------------------------------------------------------------------------------


def password_accepted(user: User, next_url: str):
    """After the password: straight in, or on to the second step when the account has one."""
    if second_step.has_second_step(user):
        session.clear()
        session["pending_user_id"] = user.id
        session["pending_generation"] = user.session_generation
        session["pending_since"] = clock.now().timestamp()
        session["pending_next"] = next_url
        return redirect(url_for("auth.second_step"))
    return complete(user, next_url)


def complete(user: User, next_url: str, second_factor: bool = False):
    """Start the session: a fresh one, with the times its time-outs count from."""
    lockout.clear(db.session(), user.email)
    session.clear()
    login_user(user)
    session[GENERATION] = user.session_generation
    moment = clock.now().timestamp()
    session["signed_in_at"] = session["last_seen"] = session[PASSWORD_CHECKED_AT] = moment
    sessions.start(
        db.session(),
        user,
        clock.now(),
        get_remote_address() or "",
        request.headers.get("User-Agent", ""),
    )
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


def recently_signed_in() -> bool:
    """The person gave their password within RECENT_SIGN_IN_MINUTES: a stolen session left
    open that long ago cannot change how they sign in without it (ASVS 5.0 V7.5.1)."""
    checked = session.get(PASSWORD_CHECKED_AT)
    window = current_app.config["RECENT_SIGN_IN_MINUTES"] * 60
    return checked is not None and clock.now().timestamp() - checked <= window


def confirm_password_again(user: User, password: str) -> bool:
    """The password typed again before a change to the second step; counted like signing in."""
    if not check_current_password(user, password):
        return False
    session[PASSWORD_CHECKED_AT] = clock.now().timestamp()
    return True


# Before each request ---------------------------------------------------------------------------


def _enforce_session_times():
    """Idle and absolute time-outs, from the times kept in the (signed) session (ASVS 5.0
    V7.3.1, V7.3.2): idle counts from "last seen", written at most once a minute."""
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
        if now - seen >= LAST_SEEN_EVERY_SECONDS:
            session["last_seen"] = now
        if sessions.seen(db.session(), clock.now()):
            db.session().commit()
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
        and second_step.must_set_up_two_step(current_user)
    ):
        flash("Set up a second step for signing in before you continue", "info")
        return redirect(url_for("auth.two_step"))
    return None
