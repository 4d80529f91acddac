"""Sign in, sign out, change password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from .. import audit, db
from ..auth import authenticate, hash_password
from ..forms import ChangePasswordForm, SignInForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect would let a phishing link borrow our sign-in.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            audit.record(db.session(), user, "user.signed_in", "user", user.id)
            db.session().commit()
            return redirect(_safe_next(request.args.get("next")))
        audit.record(db.session(), None, "user.sign_in_failed", "user", None)
        db.session().commit()
        form.password.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out():
    logout_user()
    flash("You have been signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append("Your current password is not correct")
        else:
            current_user.password_hash = hash_password(form.new_password.data)
            current_user.must_change_password = False
            audit.record(
                db.session(), current_user, "user.password_changed", "user", current_user.id
            )
            db.session().commit()
            flash("Your password has been changed", "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/change_password.html", form=form)
