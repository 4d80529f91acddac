"""Sign in (with its second step), sign out, change password, set up the second step."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from ripa_guard.accounts import second_step as authenticator
from ripa_guard.accounts import sign_in as security
from ripa_guard.accounts import single_sign_on as sign_on
from ripa_guard.accounts import totp, users
from ripa_guard.accounts.forms import (
    ChangePasswordForm,
    RemoveTwoStepForm,
    SetUpTwoStepForm,
    SignInCodeForm,
    SignInForm,
)
from ripa_guard.core import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of this app, or the dashboard.

    An open redirect would let a phishing link borrow our sign-in (ASVS 5.0 V3.7.2). Browsers
    drop tabs and line breaks from a Location ("/\t/evil.example" becomes "//evil.example"), so
    only a plain path that the URL map routes to a GET view is accepted.
    """
    if target and _is_our_page(target):
        return target
    return url_for("main.dashboard")


def _is_our_page(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(c.isspace() or not c.isprintable() for c in target):
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    try:
        current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except RequestRedirect:
        return True  # e.g. a missing trailing slash: still a page of ours
    except HTTPException:
        return False
    return True


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    local = current_app.config["LOCAL_PASSWORDS_ENABLED"]
    if form.validate_on_submit():
        if not sign_on.passwords_allowed_for(db.session(), form.email.data):
            form.email.errors.append(PASSWORDS_OFF)
        else:
            user = security.try_password(form.email.data, form.password.data)
            if user is not None and not local and not authenticator.has_second_step(user):
                form.email.errors.append(BREAK_GLASS_NEEDS_SECOND_STEP)
            elif user is not None:
                return security.password_accepted(user, _safe_next(request.args.get("next")))
            else:
                form.password.errors.append(security.refused_message())
    return render_template(
        "auth/sign_in.html",
        form=form,
        sign_on=sign_on.is_configured(),
        show_password_form=local or request.args.get("emergency") == "1" or bool(form.errors),
    )


#: With LOCAL_PASSWORDS_ENABLED off, a password signs in to the break-glass account only.
PASSWORDS_OFF = "Passwords are switched off: sign in with your council account"
BREAK_GLASS_NEEDS_SECOND_STEP = (
    "The emergency account must have a second step set up. Ask IT to switch passwords back on "
    "for a moment (LOCAL_PASSWORDS_ENABLED) so that you can set one up"
)


@bp.route("/sign-in/code", methods=["GET", "POST"])
def second_step():
    """The second step of signing in: a code from the person's authenticator app."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    user = security.pending_user()
    if user is None:
        flash("Sign in to continue", "info")
        return redirect(url_for("auth.sign_in"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        if security.try_code(user, form.code.data):
            from flask import session

            return security.complete(
                user, _safe_next(session.get("pending_next")), second_factor=True
            )
        form.code.errors.append(security.wrong_code_message())
    return render_template("auth/second_step.html", form=form)


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
def two_step():
    """Set up the second step of signing in, or a new app for it (?replace=1): a secret for an
    authenticator app, then a code; the password again unless given a few minutes ago."""
    user = current_user._get_current_object()
    if (again := sign_on_again(user)) is not None:
        return again
    if authenticator.has_second_step(user) and request.args.get("replace") != "1":
        return _enrolled_page(user)
    secret = authenticator.start_enrolment(user)
    form = _asking_password(SetUpTwoStepForm())
    if form.validate_on_submit():
        if _wrong_password(user, form):
            if security.is_locked(user):
                return _signed_out_by_lock(user)
        elif authenticator.confirm_enrolment(user, form.code.data):
            flash("The second step for signing in has been set up", "success")
            return redirect(url_for("main.dashboard"))
        else:
            form.code.errors.append("Enter the code your authenticator app shows now")
    uri = totp.provisioning_uri(secret, user.email, current_app.config["SERVICE_NAME"])
    return render_template(
        "auth/two_step.html",
        enrolled=False,
        form=form,
        secret=totp.grouped(secret),
        uri=uri,
        # Drawn here as SVG (segno), so no image is fetched and no script runs; the SVG holds
        # only path data, never the text it encodes.
        qr_code=Markup(segno.make(uri, error="m").svg_inline(scale=4)),  # noqa: S704
    )


@bp.route("/account/two-step/remove", methods=["POST"])
@login_required
def remove_two_step():
    user = current_user._get_current_object()
    if not authenticator.has_second_step(user) or authenticator.must_use_second_step(user):
        return redirect(url_for("auth.two_step"))
    if (again := sign_on_again(user)) is not None:
        return again
    form = _asking_password(RemoveTwoStepForm())
    if form.validate_on_submit():
        if not _wrong_password(user, form):
            authenticator.remove_second_step(user, actor=user)
            flash("The second step for signing in has been removed", "success")
            return redirect(url_for("main.dashboard"))
        if security.is_locked(user):
            return _signed_out_by_lock(user)
    return _enrolled_page(user, form)


def _enrolled_page(user, remove_form=None):
    if remove_form is None and not authenticator.must_use_second_step(user):
        remove_form = _asking_password(RemoveTwoStepForm(formdata=None))
    return render_template("auth/two_step.html", enrolled=True, form=None, remove_form=remove_form)


def sign_on_again(user):
    """An account with no password of its own proves at the council's provider, instead, that
    its owner is still at the keyboard (ASVS 5.0 V7.5.1), unless they signed in a few minutes
    ago; None when they may go on."""
    if user.sign_on_subject is None or security.recently_signed_in():
        return None
    flash("Sign in again with your council account before you change how you sign in", "info")
    return redirect(url_for("sso.start", again=1, next=url_for(request.endpoint)))


def _asking_password(form):
    """The form, without its password field when the password was given a few minutes ago."""
    if security.recently_signed_in():
        del form.password
    return form


def _wrong_password(user, form) -> bool:
    """The form asked for the password again and it was wrong (the error is on the form)."""
    if "password" not in form or security.confirm_password_again(user, form.password.data):
        return False
    form.password.errors.append("Your password is not correct")
    return True


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if current_user.is_authenticated:
        # Ends this session everywhere it was copied to, not only in this browser.
        users.sign_out_everywhere(db.session(), current_user._get_current_object())
    logout_user()
    flash("You have been signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        # Counted like signing in (ASVS 5.0 V6.3.1): a session in the wrong hands cannot be
        # used to guess the password, and too many wrong guesses lock the account.
        if not security.check_current_password(user, form.current_password.data):
            if security.is_locked(user):
                return _signed_out_by_lock(user)
            form.current_password.errors.append("Your current password is not correct")
        else:
            users.change_own_password(db.session(), user, form.new_password.data)
            flash("Your password has been changed", "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/change_password.html", form=form)


def _signed_out_by_lock(user):
    """Too many wrong current passwords: the account is locked, and this session ends too."""
    users.sign_out_everywhere(db.session(), user, event="user.locked_out_of_session")
    logout_user()
    flash(security.refused_message(), "info")
    return redirect(url_for("auth.sign_in"))


@bp.record_once
def _throttle_sign_in(state) -> None:
    # Last in the module, so the view is registered by then; each app counts in the storage
    # its own config names.
    security.throttle(state.app, "auth.sign_in")
    security.throttle(
        state.app,
        "auth.change_password",
        account=security.signed_in_account,
        scope="change-password",
    )
