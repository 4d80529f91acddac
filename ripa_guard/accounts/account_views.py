"""Your account: the pages every signed-in person has for how they sign in (issue 18, item 4)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ripa_guard.accounts import recovery_codes, second_step, sessions
from ripa_guard.accounts import sign_in as security
from ripa_guard.accounts import single_sign_on as sign_on
from ripa_guard.accounts.forms import RecoveryCodesForm
from ripa_guard.accounts.views import (
    _asking_password,
    _signed_out_by_lock,
    _wrong_password,
    sign_on_again,
)
from ripa_guard.core import clock, db
from ripa_guard.core.fields import ConfirmForm

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("")
@login_required
def index():
    user = current_user._get_current_object()
    s = db.session()
    return render_template(
        "account/index.html",
        user=user,
        uses_password=_uses_password(user),
        has_second_step=second_step.has_second_step(user),
        codes_left=recovery_codes.unused_count(s, user),
    )


def _uses_password(user) -> bool:
    """A local account may change its password; one that signs in through the council's
    provider has none it knows."""
    return user.sign_on_subject is None and sign_on.passwords_allowed_for(db.session(), user.email)


@bp.route("/recovery-codes", methods=["GET", "POST"])
@login_required
def recovery():
    """Ten new one-use codes, shown once; the password again unless given a few minutes ago."""
    user = current_user._get_current_object()
    if not second_step.has_second_step(user):
        flash("Set up the second step first: recovery codes stand in for it", "info")
        return redirect(url_for("auth.two_step"))
    if (again := sign_on_again(user)) is not None:
        return again
    form = _asking_password(RecoveryCodesForm())
    if form.validate_on_submit():
        if not _wrong_password(user, form):
            codes = recovery_codes.replace_codes(db.session(), user, clock.now())
            return render_template("account/recovery_codes_made.html", codes=codes)
        if security.is_locked(user):
            return _signed_out_by_lock(user)
    return render_template(
        "account/recovery_codes.html",
        form=form,
        codes_left=recovery_codes.unused_count(db.session(), user),
    )


@bp.route("/sessions", methods=["GET", "POST"])
@login_required
def active_sessions():
    """Where this account is signed in, and a button that signs it out everywhere else."""
    user = current_user._get_current_object()
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions.sign_out_everywhere_else(db.session(), user)
        flash("You have been signed out everywhere else", "success")
        return redirect(url_for("account.active_sessions"))
    now, config = clock.now(), current_app.config
    rows = sessions.active(
        db.session(),
        user,
        idle_since=now - timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        started_since=now - timedelta(minutes=config["SESSION_ABSOLUTE_MINUTES"]),
    )
    return render_template(
        "account/sessions.html", rows=rows, this_one=sessions.this_session_id(), form=form
    )
